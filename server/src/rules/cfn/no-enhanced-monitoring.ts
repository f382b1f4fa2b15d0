import { appendItem, setPath, type EditTarget, type PlainValue } from '../../engine/edit';
import { addResources } from '../../engine/cfn/companions';
import { isReplica } from '../../engine/cfn/databases';
import { setProperties } from '../../engine/cfn/property-edits';
import { stringsIn } from '../../engine/cfn/references';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean, asNumber, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import {
  possibleValues,
  property,
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asSeq, get, scalarText } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

/** Seconds between enhanced monitoring samples in the fix: one a minute. */
const interval = 60;

/** A role in the template that RDS can assume to publish enhanced monitoring. */
function monitoringRole(template: Template): Resource | undefined {
  return template.resources.find(
    (r) =>
      r.type === 'AWS::IAM::Role' &&
      stringsIn(get(r.properties, 'AssumeRolePolicyDocument')).includes('monitoring.rds.amazonaws.com'),
  );
}

function enhancedMonitoringFix(target: EditTarget, template: Template, db: Resource): Fix | undefined {
  const edits: TextEdit[] = [];
  const existing = monitoringRole(template);
  const role = existing?.logicalId ?? uniqueLogicalId(template, 'RdsMonitoringRole');
  const intervalPair = property(db, 'MonitoringInterval');
  const settings: [string, PlainValue][] = [];
  if (intervalPair) {
    const values = possibleValues(template, intervalPair.value);
    const replaced = values && replaceValues(target, template, values, interval);
    if (!replaced) return undefined;
    edits.push(...replaced);
  } else settings.push(['MonitoringInterval', interval]);
  if (!property(db, 'MonitoringRoleArn'))
    settings.push(['MonitoringRoleArn', { 'Fn::GetAtt': [role, 'Arn'] }]);
  if (settings.length > 0) edits.push(...setProperties(target, db, settings));
  if (!existing) {
    edits.push(
      addResources(target, template, [
        {
          id: role,
          body: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: 'monitoring.rds.amazonaws.com' },
                    Action: 'sts:AssumeRole',
                  },
                ],
              },
              ManagedPolicyArns: [
                {
                  'Fn::Sub':
                    'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
                },
              ],
            },
          },
        },
      ]),
    );
  }
  return { title: `Sample OS metrics every ${interval} seconds (enhanced monitoring)`, edits };
}

export default defineRule({
  id: 'measure-everything/no-enhanced-monitoring',
  lesson: 'measure-everything',
  title: 'Database or container cluster without detailed metrics',
  severity: 'info',
  equivalents: ['CKV_AWS_118', 'CKV_AWS_65'],
  fix: 'yes',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::ECS::Cluster'],
  docs: {
    what:
      'An RDS or Aurora database instance (not a read replica) without enhanced monitoring (`MonitoringInterval` left out or 0, on every branch), ' +
      'and an ECS cluster without Container Insights (`ClusterSettings` with `containerInsights` set to `enabled` or `enhanced`).',
    why:
      'The standard metrics say that a database is busy or a cluster is full, not why. ' +
      'Enhanced monitoring samples the operating system under an RDS instance (processes, memory, disk queue) every few seconds, and Performance Insights shows which queries the time goes to; ' +
      'Container Insights gives CPU, memory, network and restarts per service and task. They are the system-level measurements you need in the middle of an incident, and they cannot be turned on retroactively for the minutes that matter.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.large
Cluster:
  Type: AWS::ECS::Cluster`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.m7g.large
    MonitoringInterval: 60
    MonitoringRoleArn: !GetAtt RdsMonitoringRole.Arn
    EnablePerformanceInsights: true
Cluster:
  Type: AWS::ECS::Cluster
  Properties:
    ClusterSettings:
      - Name: containerInsights
        Value: enabled`,
    },
    references: [
      {
        title: 'Monitoring OS metrics with Enhanced Monitoring',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html',
      },
      {
        title: 'Amazon ECS Container Insights',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        if (resource.type === 'AWS::RDS::DBInstance') {
          if (isReplica(resource)) continue;
          const pair = property(resource, 'MonitoringInterval');
          const values = valuesOrDefault(template, pair?.value, 0);
          if (!values || !values.every((v) => asNumber(v.value) === 0)) continue;
          const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
          const insights = valuesOrDefault(
            template,
            property(resource, 'EnablePerformanceInsights')?.value,
            false,
          );
          const noInsights = !!insights && insights.every((v) => asBoolean(v.value) === false);
          report({
            at: pair ? pair.value : resource.idNode,
            message:
              `RDS database instance ${resource.logicalId} has no enhanced monitoring${pair ? ` (MonitoringInterval is 0${provenance(known)})` : ''}` +
              (noInsights ? ' and no Performance Insights' : '') +
              ': when it slows down, there are no OS-level metrics to say why.',
            fix: () => enhancedMonitoringFix(target, template, resource),
          });
          continue;
        }
        if (resource.type !== 'AWS::ECS::Cluster') continue;
        const settingsPair = property(resource, 'ClusterSettings');
        const settings = asSeq(settingsPair?.value);
        if (settingsPair && !settings) continue;
        const insight = settings?.items.find((item) => scalarText(get(item, 'Name')) === 'containerInsights');
        const valueNode = get(insight, 'Value');
        if (insight) {
          const values = possibleValues(template, valueNode);
          if (!values || !values.every((v) => !v.absent && String(v.value).toLowerCase() === 'disabled'))
            continue;
          report({
            at: valueNode ?? resource.idNode,
            message: `ECS cluster ${resource.logicalId} has Container Insights disabled${provenance(values)}: there are no per-service or per-task metrics to look at when something goes wrong.`,
            fix: () => {
              const edits = replaceValues(target, template, values, 'enabled');
              return edits && { title: 'Enable Container Insights', edits };
            },
          });
          continue;
        }
        report({
          at: resource.idNode,
          message: `ECS cluster ${resource.logicalId} does not enable Container Insights: there are no per-service or per-task metrics to look at when something goes wrong.`,
          fix: () => {
            const setting = { Name: 'containerInsights', Value: 'enabled' };
            const edit = settings
              ? appendItem(target, settings, setting)
              : setPath(target, resource.node, ['Properties', 'ClusterSettings'], [setting]);
            return { title: 'Enable Container Insights', edits: [edit] };
          },
        });
      }
    },
  },
});
