import type { EditTarget, PlainValue } from '../edit';
import { intrinsic, type Resource, type Template } from '../parse/cloudformation';
import { get } from '../parse/tree';
import type { TextEdit } from '../text';
import { companionBody, plainValue, standsAlone } from './companions';
import { isClusterMember } from './databases';
import { isDeploymentHelper } from './functions';
import { isDeadLetterQueue } from './queues';
import { referenceTarget } from './references';
import { perTemplate } from './resources';
import { addParameter, uniqueLogicalId } from './template-additions';

/**
 * CloudWatch alarms for scaffold fixes: which resources deserve one, the metric that says
 * each is in trouble, and where an alarm sends its notification.
 */

export const alarmTypes = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

/** The name of the parameter that scaffolded alarms notify when the template has no topic for them. */
export const alarmTopicParameter = 'AlarmTopicArn';

/** An SNS topic that reads as an escalation path: alarms, alerts, on-call, operations. */
const escalationName = /alarm|alert|notif|on-?call|pager|paging|incident|ops/i;

const escalationTopic = perTemplate((template) =>
  template.resourcesOfType(['AWS::SNS::Topic']).find((r) => escalationName.test(r.logicalId)),
);

/**
 * Where new alarm actions point: an escalation topic of the template, a parameter this fix
 * (or an earlier one) added, or a new parameter, with the edit that adds it, and what the user
 * must then do for an alarm to reach someone.
 */
export function escalationTarget(
  target: EditTarget,
  template: Template,
): { value: PlainValue; edits: TextEdit[]; needs: string[] } {
  const topic = escalationTopic(template);
  if (topic && !get(topic.node, 'Condition'))
    return {
      value: { Ref: topic.logicalId },
      edits: [],
      needs: [`Check that whoever is on call is subscribed to ${topic.logicalId}`],
    };
  const existing = template.parameters.get(alarmTopicParameter);
  const deploying = (name: string) => `Set the ${name} parameter to the on-call SNS topic when deploying`;
  if (existing && (existing.type ?? 'String') === 'String')
    return { value: { Ref: alarmTopicParameter }, edits: [], needs: [deploying(alarmTopicParameter)] };
  const name = uniqueLogicalId(template, alarmTopicParameter);
  return {
    value: { Ref: name },
    needs: [deploying(name)],
    edits: [
      addParameter(target, template, name, {
        Type: 'String',
        Description:
          'ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions).',
      }),
    ],
  };
}

/** What a resource is, in messages: "function", "queue", … */
export function monitoredNoun(resource: Resource): string | undefined {
  switch (resource.type) {
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return 'function';
    case 'AWS::SQS::Queue':
      return 'queue';
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable':
      return 'table';
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      return 'database';
    case 'AWS::EC2::Instance':
      return 'instance';
    case 'AWS::AutoScaling::AutoScalingGroup':
      return 'Auto Scaling group';
    case 'AWS::ECS::Service':
      return 'container service';
    case 'AWS::Kinesis::Stream':
      return 'stream';
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::Serverless::StateMachine':
      return 'state machine';
    default:
      return undefined;
  }
}

/** Resources that run the application or hold its work: the ones an on-call engineer must hear about. */
export function monitoredResources(template: Template): Resource[] {
  return template.resources.filter((r) => {
    if (!monitoredNoun(r)) return false;
    if (r.type === 'AWS::RDS::DBInstance' && isClusterMember(r)) return false;
    if (
      (r.type === 'AWS::Lambda::Function' || r.type === 'AWS::Serverless::Function') &&
      isDeploymentHelper(template, r)
    ) {
      return false;
    }
    return true;
  });
}

interface MetricAlarm {
  suffix: string;
  description: string;
  properties: { [key: string]: PlainValue };
}

function metric(
  namespace: string,
  name: string,
  dimensions: [string, PlainValue][],
  statistic: string,
  threshold: number,
  period = 300,
  periods = 1,
): { [key: string]: PlainValue } {
  return {
    Namespace: namespace,
    MetricName: name,
    Dimensions: dimensions.map(([Name, Value]) => ({ Name, Value })),
    Statistic: statistic,
    Period: period,
    EvaluationPeriods: periods,
    Threshold: threshold,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  };
}

/** An ECS service's cluster as a name: `!Ref Cluster` for a cluster of the template, else as written. */
function clusterName(service: Resource): PlainValue {
  const cluster = get(service.properties, 'Cluster');
  if (!cluster) return 'default';
  const fn = intrinsic(cluster);
  if (fn?.name === 'Fn::GetAtt') return { Ref: referenceTarget(cluster) ?? '' };
  return plainValue(cluster) ?? 'default';
}

/** The alarm that tells whether a resource is failing, by type. */
function metricAlarm(template: Template, resource: Resource): MetricAlarm | undefined {
  const id = resource.logicalId;
  switch (resource.type) {
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return {
        suffix: 'ErrorsAlarm',
        description: `${id} failed invocations`,
        properties: metric('AWS/Lambda', 'Errors', [['FunctionName', { Ref: id }]], 'Sum', 1),
      };
    case 'AWS::SQS::Queue':
      return isDeadLetterQueue(template, resource)
        ? {
            suffix: 'MessagesAlarm',
            description: `Messages that failed processing are waiting in ${id}`,
            properties: metric(
              'AWS/SQS',
              'ApproximateNumberOfMessagesVisible',
              [['QueueName', { 'Fn::GetAtt': [id, 'QueueName'] }]],
              'Maximum',
              1,
            ),
          }
        : {
            suffix: 'AgeAlarm',
            description: `The oldest message in ${id} has waited five minutes`,
            properties: metric(
              'AWS/SQS',
              'ApproximateAgeOfOldestMessage',
              [['QueueName', { 'Fn::GetAtt': [id, 'QueueName'] }]],
              'Maximum',
              300,
            ),
          };
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable':
      return {
        suffix: 'ThrottlesAlarm',
        description: `Requests to ${id} are throttled`,
        properties: metric('AWS/DynamoDB', 'WriteThrottleEvents', [['TableName', { Ref: id }]], 'Sum', 1),
      };
    case 'AWS::RDS::DBInstance':
      return {
        suffix: 'CpuAlarm',
        description: `${id} has been busy for 15 minutes`,
        properties: metric(
          'AWS/RDS',
          'CPUUtilization',
          [['DBInstanceIdentifier', { Ref: id }]],
          'Average',
          80,
          300,
          3,
        ),
      };
    case 'AWS::RDS::DBCluster':
      return {
        suffix: 'CpuAlarm',
        description: `${id} has been busy for 15 minutes`,
        properties: metric(
          'AWS/RDS',
          'CPUUtilization',
          [['DBClusterIdentifier', { Ref: id }]],
          'Average',
          80,
          300,
          3,
        ),
      };
    case 'AWS::EC2::Instance':
      return {
        suffix: 'StatusAlarm',
        description: `${id} fails its status checks`,
        properties: metric(
          'AWS/EC2',
          'StatusCheckFailed',
          [['InstanceId', { Ref: id }]],
          'Maximum',
          1,
          60,
          2,
        ),
      };
    case 'AWS::AutoScaling::AutoScalingGroup':
      return {
        suffix: 'CpuAlarm',
        description: `${id} has been busy for 15 minutes`,
        properties: metric(
          'AWS/EC2',
          'CPUUtilization',
          [['AutoScalingGroupName', { Ref: id }]],
          'Average',
          80,
          300,
          3,
        ),
      };
    case 'AWS::ECS::Service':
      return {
        suffix: 'CpuAlarm',
        description: `${id} has been busy for 15 minutes`,
        properties: metric(
          'AWS/ECS',
          'CPUUtilization',
          [
            ['ClusterName', clusterName(resource)],
            ['ServiceName', { 'Fn::GetAtt': [id, 'Name'] }],
          ],
          'Average',
          80,
          300,
          3,
        ),
      };
    case 'AWS::Kinesis::Stream':
      return {
        suffix: 'IteratorAgeAlarm',
        description: `Consumers of ${id} are a minute behind`,
        properties: metric(
          'AWS/Kinesis',
          'GetRecords.IteratorAgeMilliseconds',
          [['StreamName', { Ref: id }]],
          'Maximum',
          60000,
        ),
      };
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::Serverless::StateMachine':
      return {
        suffix: 'FailuresAlarm',
        description: `Executions of ${id} fail`,
        properties: metric('AWS/States', 'ExecutionsFailed', [['StateMachineArn', { Ref: id }]], 'Sum', 1),
      };
    default:
      return undefined;
  }
}

/**
 * New alarm resources for `resources`, each notifying `action`, named after the resource it
 * watches and carrying its condition. Resources without a known failure metric, and those inside
 * `Fn::ForEach` (no single logical id to point a metric at), get none.
 */
export function alarmResources(
  template: Template,
  resources: readonly Resource[],
  action: PlainValue,
): { id: string; body: PlainValue }[] {
  const taken = new Set<string>();
  const alarms: { id: string; body: PlainValue }[] = [];
  for (const resource of resources) {
    if (!standsAlone(resource)) continue;
    const alarm = metricAlarm(template, resource);
    if (!alarm) continue;
    const id = uniqueLogicalId(template, `${resource.logicalId}${alarm.suffix}`, taken);
    taken.add(id);
    alarms.push({
      id,
      body: companionBody(
        'AWS::CloudWatch::Alarm',
        { AlarmDescription: alarm.description, ...alarm.properties, AlarmActions: [action] },
        resource,
      ),
    });
  }
  return alarms;
}
