import { appendItem, setPath } from '../../engine/edit';
import { alarmTypes, escalationTarget } from '../../engine/cfn/alarms';
import { branches, conditionWords } from '../../engine/cfn/branches';
import { referencedNames, stringsIn, walk } from '../../engine/cfn/references';
import { property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asSeq, scalarText } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/**
 * Whether something else in the template acts on the alarm: a composite alarm's rule, a SAM or
 * ECS deployment that rolls back on it, a CodeDeploy group, a Route 53 health check, …
 */
function usedElsewhere(template: Template, alarm: Resource): boolean {
  const name = scalarText(property(alarm, 'AlarmName')?.value);
  const mentionsName = (other: Resource) => {
    if (!name) return false;
    // Alarms are named in composite rules (`ALARM("name")`), AlarmNames lists and alarm configurations.
    let found = false;
    walk(other.properties, (node) => {
      if (found || node.type !== 'map') return;
      for (const pair of node.pairs) {
        if (/Alarm/.test(String(pair.key.value)) && stringsIn(pair.value).some((text) => text.includes(name)))
          found = true;
      }
    });
    return found;
  };
  return (
    referencedNames(template.globals).has(alarm.logicalId) ||
    template.resources.some(
      (other) => other !== alarm && (referencedNames(other.node).has(alarm.logicalId) || mentionsName(other)),
    )
  );
}

export default defineRule({
  id: 'measure-everything/alarm-without-action',
  lesson: 'measure-everything',
  title: 'Alarm that notifies nobody',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: [...alarmTypes],
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
    references: [
      {
        title: 'Using Amazon CloudWatch alarms: alarm actions',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const alarm of template.resources) {
        if (!alarmTypes.has(alarm.type ?? '')) continue;
        const actions = property(alarm, 'AlarmActions');
        const found = branches(actions?.value);
        const notifies = found.some((b) => b.node && (asSeq(b.node)?.items.length ?? 1) > 0);
        if (notifies || usedElsewhere(template, alarm)) continue;
        report({
          at: actions ? actions.key : alarm.idNode,
          message: `Alarm ${alarm.logicalId} has no AlarmActions${conditionWords(found)}: when it goes off, nobody is told.`,
          fix: () => {
            const escalation = escalationTarget(target, template);
            const list = asSeq(actions?.value);
            const edit: TextEdit =
              list && list.items.length === 0
                ? appendItem(target, list, escalation.value)
                : setPath(target, alarm.node, ['Properties', 'AlarmActions'], [escalation.value]);
            return { title: 'Notify the on-call topic', edits: [...escalation.edits, edit] };
          },
        });
      }
    },
  },
});
