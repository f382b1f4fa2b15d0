import { setPath } from '../../engine/edit';
import { branches, conditionWords } from '../../engine/cfn/branches';
import { property } from '../../engine/parse/cloudformation';
import { defineRule } from '../../engine/rule';

/** What the fix proposes: a quarter of a year, long enough to look back over an incident. */
const proposedDays = 90;

export default defineRule({
  id: 'measure-everything/log-retention',
  lesson: 'measure-everything',
  title: 'Log group keeps logs forever',
  severity: 'warning',
  equivalents: ['CKV_AWS_66'],
  fix: 'safe',
  resourceTypes: ['AWS::Logs::LogGroup'],
  messages: {
    forever:
      'Log group {{id}} keeps its logs forever{{conditions}}: set RetentionInDays so that storage and cost stop growing.',
  },
  docs: {
    what:
      'An `AWS::Logs::LogGroup` without `RetentionInDays`, or whose `Fn::If` leaves it out on every branch. ' +
      'Such a group keeps every event forever.',
    why:
      'Logs are only useful as measurements when somebody has decided how long they matter. ' +
      'A group that never expires grows with every request and is billed for storage every month, and nobody deletes old logs by hand. ' +
      'Picking a retention, a few weeks for debug output, a year or more for audit trails, keeps the useful window and the cost both known; archive to S3 what must outlive it.',
    example: {
      language: 'yaml',
      code: `OrdersLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /orders/api`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /orders/api
    RetentionInDays: 90`,
    },
    fix: `Sets \`RetentionInDays: ${proposedDays}\` (replacing an \`Fn::If\` that leaves it out on every branch). Events older than that are deleted: choose a longer retention for audit trails.`,
    references: [
      {
        title: 'CloudWatch Logs: change log data retention',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      },
    ],
  },
  checks: {
    cfn({ resources, target, report }) {
      for (const group of resources) {
        const pair = property(group, 'RetentionInDays');
        const found = branches(pair?.value);
        if (found.some((b) => b.node)) continue;
        report({
          at: pair ? pair.value : group.idNode,
          resource: group,
          messageId: 'forever',
          data: { id: group.logicalId, conditions: conditionWords(found) },
          fix: () => ({
            title: `Keep logs for ${proposedDays} days`,
            edits: [setPath(target, group.node, ['Properties', 'RetentionInDays'], proposedDays)],
          }),
        });
      }
    },
  },
});
