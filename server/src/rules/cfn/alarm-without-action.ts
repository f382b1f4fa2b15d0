import { appendItem, setPath } from '../../engine/edit';
import { alarmTypes, escalationTarget } from '../../engine/cfn/alarms';
import { branches, conditionWords } from '../../engine/cfn/branches';
import { referencedNames, resourcesMentioning, stringsIn, walk } from '../../engine/cfn/references';
import { property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asSeq, scalarText } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** The resources that name each alarm name in a key about alarms (`AlarmRule`, `AlarmNames`, `Alarms`, …). */
type AlarmMentions = Map<string, Set<Resource>>;

/** `ALARM("name")`, `OK(name)`, `INSUFFICIENT_DATA('name')` in a composite rule, and the name at the end of an alarm ARN. */
const namedInText =
  /\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"([^"]*)"|'([^']*)'|([^()\s]+))\s*\)|:alarm:([^\s,"')]+)/g;

/**
 * Alarms are named in composite rules (`ALARM("name")`), AlarmNames lists and alarm
 * configurations: every name those strings hold, with who holds it, read once per template.
 */
function alarmMentions(template: Template): AlarmMentions {
  const found: AlarmMentions = new Map();
  const add = (name: string, resource: Resource) => {
    const holders = found.get(name);
    if (holders) holders.add(resource);
    else found.set(name, new Set([resource]));
  };
  for (const resource of template.resources) {
    walk(resource.properties, (node) => {
      if (node.type !== 'map') return;
      for (const pair of node.pairs) {
        if (!/Alarm/.test(String(pair.key.value))) continue;
        for (const text of stringsIn(pair.value)) {
          add(text.trim(), resource);
          for (const match of text.matchAll(namedInText))
            add((match[1] ?? match[2] ?? match[3] ?? match[4]).trim(), resource);
        }
      }
    });
  }
  return found;
}

/**
 * Whether something else in the template acts on the alarm: a composite alarm's rule, a SAM or
 * ECS deployment that rolls back on it, a CodeDeploy group, a Route 53 health check, …
 */
function usedElsewhere(template: Template, alarm: Resource, mentions: () => AlarmMentions): boolean {
  if (referencedNames(template.globals).has(alarm.logicalId)) return true;
  if (resourcesMentioning(template, alarm.logicalId).some((other) => other !== alarm)) return true;
  const name = scalarText(property(alarm, 'AlarmName')?.value)?.trim();
  const holders = name ? mentions().get(name) : undefined;
  return !!holders && [...holders].some((holder) => holder !== alarm);
}

export default defineRule({
  id: 'measure-everything/alarm-without-action',
  lesson: 'measure-everything',
  title: 'Alarm that notifies nobody',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: [...alarmTypes],
  messages: {
    noActions: 'Alarm {{id}} has no AlarmActions{{conditions}}: when it goes off, nobody is told.',
  },
  docs: {
    what:
      'A CloudWatch alarm or composite alarm without `AlarmActions` (left out, empty, or left out on every branch of an `Fn::If`), ' +
      'unless another resource of the template acts on it: a composite alarm’s rule, a SAM `DeploymentPreference`, an ECS deployment or CodeDeploy group that rolls back, a Route 53 health check.',
    why:
      'An alarm is only half of a measurement: the other half is someone who hears it. Without an action, the alarm turns red in a console nobody is watching, and the first to notice the outage are the users. ' +
      'Point `AlarmActions` at an SNS topic that reaches the on-call person (chat, e-mail, a pager) or at an automatic response, and the escalation path is part of the template.',
    example: {
      language: 'yaml',
      code: `OrdersErrors:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Errors
    Dimensions: [{Name: FunctionName, Value: !Ref Orders}]
    Statistic: Sum
    Period: 300
    EvaluationPeriods: 1
    Threshold: 1
    ComparisonOperator: GreaterThanOrEqualToThreshold`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersErrors:
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
    AlarmActions: [!Ref OnCallTopic]`,
    },
    fix:
      'Points `AlarmActions` at an SNS topic of the template named for alarms or on-call, or else at a new `AlarmTopicArn` parameter. ' +
      'A scaffold: the deployer passes the ARN of a topic that reaches whoever is on call, and subscribes them to it.',
    references: [
      {
        title: 'Using Amazon CloudWatch alarms: alarm actions',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      let mentions: AlarmMentions | undefined;
      const alarmNames = () => (mentions ??= alarmMentions(template));
      for (const alarm of resources) {
        const actions = property(alarm, 'AlarmActions');
        const found = branches(actions?.value);
        const notifies = found.some((b) => b.node && (asSeq(b.node)?.items.length ?? 1) > 0);
        if (notifies || usedElsewhere(template, alarm, alarmNames)) continue;
        report({
          at: actions ? actions.key : alarm.idNode,
          resource: alarm,
          messageId: 'noActions',
          data: { id: alarm.logicalId, conditions: conditionWords(found) },
          fix: () => {
            const escalation = escalationTarget(target, template);
            const list = asSeq(actions?.value);
            const edit: TextEdit =
              list && list.items.length === 0
                ? appendItem(target, list, escalation.value)
                : setPath(target, alarm.node, ['Properties', 'AlarmActions'], [escalation.value]);
            return {
              title: 'Notify the on-call topic',
              edits: [...escalation.edits, edit],
              needs: escalation.needs,
            };
          },
        });
      }
    },
  },
});
