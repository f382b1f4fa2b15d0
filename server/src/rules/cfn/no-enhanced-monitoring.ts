import { serviceTrustPolicy } from '../../engine/cfn/iam';
import { appendItem, setPath, type EditTarget, type PlainValue } from '../../engine/edit';
import { addResources } from '../../engine/cfn/companions';
import { isReplica } from '../../engine/cfn/databases';
import { setProperties } from '../../engine/cfn/property-edits';
import { stringsIn } from '../../engine/cfn/references';
import { perTemplate } from '../../engine/cfn/resources';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asBoolean, asNumber, replaceValues, valuesAlways, valuesOrDefault } from '../../engine/cfn/values';
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
const monitoringRole = perTemplate((template): Resource | undefined =>
  template
    .resourcesOfType(['AWS::IAM::Role'])
    .find((r) =>
      stringsIn(get(r.properties, 'AssumeRolePolicyDocument')).includes('monitoring.rds.amazonaws.com'),
    ),
);

function enhancedMonitoringFix(target: EditTarget, template: Template, db: Resource): Fix | undefined {
  const edits: TextEdit[] = [];
  const needsRole = !property(db, 'MonitoringRoleArn');
  const existing = needsRole ? monitoringRole(template) : undefined;
  const role = existing?.logicalId ?? uniqueLogicalId(template, 'RdsMonitoringRole');
  const intervalPair = property(db, 'MonitoringInterval');
  const settings: [string, PlainValue][] = [];
  if (intervalPair) {
    const values = possibleValues(template, intervalPair.value);
    const replaced = values && replaceValues(target, template, values, interval);
    if (!replaced) return undefined;
    edits.push(...replaced);
  } else settings.push(['MonitoringInterval', interval]);
  if (needsRole) settings.push(['MonitoringRoleArn', { 'Fn::GetAtt': [role, 'Arn'] }]);
  if (settings.length > 0) edits.push(...setProperties(target, db, settings));
  const addsRole = needsRole && !existing;
  if (addsRole) {
    edits.push(
      addResources(target, template, [
        {
          id: role,
          body: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: serviceTrustPolicy('monitoring.rds.amazonaws.com'),
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
  return {
    title: `Sample OS metrics every ${interval} seconds (enhanced monitoring)`,
    // A new IAM role is for the user to review, and their account may already have one.
    kind: addsRole ? 'scaffold' : undefined,
    edits,
    needs: addsRole
      ? [
          `Review the new IAM role ${role}, or point MonitoringRoleArn at the monitoring role your account already has`,
        ]
      : undefined,
  };
}

export default defineRule({
  id: 'measure-everything/no-enhanced-monitoring',
  lesson: 'measure-everything',
  title: 'Database or container cluster without detailed metrics',
  severity: 'info',
  equivalents: ['CKV_AWS_118', 'CKV_AWS_65'],
  fix: 'safe',
  resourceTypes: ['AWS::RDS::DBInstance', 'AWS::ECS::Cluster'],
  messages: {
    notSet:
      'RDS database instance {{id}} has no enhanced monitoring: when it slows down, there are no OS-level metrics to say why.',
    notSetNoInsights:
      'RDS database instance {{id}} has no enhanced monitoring and no Performance Insights: when it slows down, there are no OS-level metrics to say why.',
    off: 'RDS database instance {{id}} has no enhanced monitoring (MonitoringInterval is 0{{provenance}}): when it slows down, there are no OS-level metrics to say why.',
    offNoInsights:
      'RDS database instance {{id}} has no enhanced monitoring (MonitoringInterval is 0{{provenance}}) and no Performance Insights: when it slows down, there are no OS-level metrics to say why.',
    insightsDisabled:
      'ECS cluster {{id}} has Container Insights disabled{{provenance}}: there are no per-service or per-task metrics to look at when something goes wrong.',
    insightsNotEnabled:
      'ECS cluster {{id}} does not enable Container Insights: there are no per-service or per-task metrics to look at when something goes wrong.',
  },
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
    fix: `Enables Container Insights on an ECS cluster. On an RDS instance it sets \`MonitoringInterval: ${interval}\` and a \`MonitoringRoleArn\` (a role of the template that RDS can assume, if there is one); where it has to add that IAM role too, the fix is a scaffold: review the role, or point to the one your account already has. Performance Insights is left to you: not every instance class supports it.`,
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
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
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
            resource,
            messageId: pair
              ? noInsights
                ? 'offNoInsights'
                : 'off'
              : noInsights
                ? 'notSetNoInsights'
                : 'notSet',
            data: { id, provenance: provenance(known) },
            fix: () => enhancedMonitoringFix(target, template, resource),
          });
          continue;
        }
        const settingsPair = property(resource, 'ClusterSettings');
        const settings = asSeq(settingsPair?.value);
        if (settingsPair && !settings) continue;
        const insight = settings?.items.find((item) => scalarText(get(item, 'Name')) === 'containerInsights');
        const valueNode = get(insight, 'Value');
        if (insight) {
          const values = valuesAlways(template, valueNode, (v) => String(v).toLowerCase() === 'disabled');
          if (!values) continue;
          report({
            at: valueNode ?? resource.idNode,
            resource,
            messageId: 'insightsDisabled',
            data: { id, provenance: provenance(values) },
            fix: () => {
              const edits = replaceValues(target, template, values, 'enabled');
              return edits && { title: 'Enable Container Insights', edits };
            },
          });
          continue;
        }
        report({
          at: resource.idNode,
          resource,
          messageId: 'insightsNotEnabled',
          data: { id },
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
