import {
  alarmResources,
  alarmTypes,
  escalationTarget,
  monitoredNoun,
  monitoredResources,
} from '../../engine/cfn/alarms';
import { addResources } from '../../engine/cfn/companions';
import { getPair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** "3 functions, a queue and a table", in the order they first appear. */
function inventory(nouns: string[]): string {
  const counts = new Map<string, number>();
  for (const noun of nouns) counts.set(noun, (counts.get(noun) ?? 0) + 1);
  const parts = [...counts].map(([noun, n]) =>
    (n === 1 ? `a ${noun}` : `${n} ${noun}s`).replace(/^a ([aeiouAEIOU])/, 'an $1'),
  );
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export default defineRule({
  id: 'measure-everything/no-alarms',
  lesson: 'measure-everything',
  title: 'Template runs things but raises no alarm',
  // Alarms often live in a separate monitoring stack: a nudge, not a warning.
  severity: 'hint',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    noAlarm:
      'This template runs {{inventory}} but defines no CloudWatch alarm: errors and backlogs go unnoticed until users notice them.',
  },
  docs: {
    what:
      'A template with functions, queues, tables, databases, instances, Auto Scaling groups, container services, streams or state machines, and not a single CloudWatch alarm or composite alarm. ' +
      'Functions that only serve CloudFormation (custom resources, macros) do not count.',
    why:
      'Measuring everything includes deciding what is bad enough to wake someone: without alarms, errors, throttling and growing backlogs are only found when users complain or someone happens to open a dashboard. ' +
      'An alarm per moving part, on the metric that says it is in trouble (function errors, the age of the oldest message, throttled writes, failed executions, status checks), sent to the on-call topic, is the minimum escalation path. ' +
      'If the alarms live in a separate monitoring stack, say so with a suppression.',
    example: {
      language: 'yaml',
      code: `Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12`,
    },
    useInstead: {
      language: 'yaml',
      code: `Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
  OrdersErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions: [{Name: FunctionName, Value: !Ref Orders}]
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopicArn]`,
    },
    fix:
      'Adds an alarm for each of them on the metric that says it is in trouble, notifying an SNS topic of the template named for alarms or on-call, or a new `AlarmTopicArn` parameter. ' +
      'A scaffold: review the thresholds and pass a topic that reaches whoever is on call; resources written inside `Fn::ForEach` get no alarm.',
    references: [
      {
        title: 'Recommended CloudWatch alarms for AWS services',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, target, report }) {
      if (template.resourcesOfType([...alarmTypes]).length > 0) return;
      const monitored = monitoredResources(template);
      if (monitored.length === 0) return;
      const section = getPair(template.root, 'Resources');
      if (!section) return;
      const nouns = monitored.map((r) => monitoredNoun(r) as string);
      report({
        at: section.key,
        messageId: 'noAlarm',
        data: { inventory: inventory(nouns) },
        fix: () => {
          const escalation = escalationTarget(target, template);
          const alarms = alarmResources(template, monitored, escalation.value);
          if (alarms.length === 0) return undefined;
          return {
            title: `Add ${alarms.length === 1 ? 'an alarm that notifies' : `${alarms.length} alarms that notify`} the on-call topic`,
            edits: [...escalation.edits, addResources(target, template, alarms)],
            needs: [
              ...escalation.needs,
              'Check each threshold against the service’s normal load: they are starting points',
            ],
          };
        },
      });
    },
  },
});
