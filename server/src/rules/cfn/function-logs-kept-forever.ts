import { addResources, companionBody } from '../../engine/cfn/companions';
import { functionTypes, isDeploymentHelper } from '../../engine/cfn/functions';
import { referencedNames, stringsIn } from '../../engine/cfn/references';
import { effectiveProperty, perTemplate } from '../../engine/cfn/resources';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { setPath } from '../../engine/edit';
import { property, type Resource, type Template } from '../../engine/parse/cloudformation';
import { get, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Days the fix keeps a function's logs: a quarter, long enough to look back over an incident. */
const retentionDays = 90;

/**
 * The functions whose logs the template already looks after: a log group named for them
 * (`/aws/lambda/${Fn}` or the literal name), or a resource that sets their logs' retention.
 */
const loggedFunctions = perTemplate((template) => {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const group of template.resourcesOfType(['AWS::Logs::LogGroup'])) {
    const name = get(group.properties, 'LogGroupName');
    referencedNames(name).forEach((id) => ids.add(id));
    for (const text of stringsIn(name)) {
      const literal = /^\/aws\/lambda\/([^$]+)$/.exec(text.trim());
      if (literal) names.add(literal[1]);
    }
  }
  // Retention set by a custom resource (CDK's LogRetention and its kin) that names the function.
  for (const resource of template.resources) {
    if (/^Custom::.*Log/i.test(resource.type ?? ''))
      referencedNames(resource.properties).forEach((id) => ids.add(id));
  }
  return { ids, names };
});

function hasLogGroup(template: Template, fn: Resource): boolean {
  if (get(effectiveProperty(template, fn, 'LoggingConfig')?.pair.value, 'LogGroup')) return true;
  const { ids, names } = loggedFunctions(template);
  if (ids.has(fn.logicalId)) return true;
  const name = scalarText(property(fn, 'FunctionName')?.value);
  return !!name && names.has(name);
}

export default defineRule({
  id: 'measure-everything/function-logs-kept-forever',
  lesson: 'measure-everything',
  title: 'Function logs kept forever',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  strictOnly: true,
  resourceTypes: functionTypes,
  messages: {
    noLogGroup:
      'Function {{id}} has no log group in the template: Lambda creates /aws/lambda/… on first use and keeps its logs forever, billed every month.',
  },
  docs: {
    what:
      'A Lambda or SAM function whose log group the template does not define: no `LoggingConfig` `LogGroup`, no `AWS::Logs::LogGroup` named `/aws/lambda/<function>`, no custom resource that sets the retention. ' +
      'Functions that only serve CloudFormation (custom resources, macros) are left alone. ' +
      'In the `strict` preset only: the logs are kept, which is rarely a problem until the bill or an audit asks, and many accounts set retention centrally.',
    why:
      'Lambda writes to a log group that it creates the first time the function runs, and such a group never expires: logs accumulate with every invocation, and so does their storage. ' +
      'A log group in the template has a retention chosen by whoever knows what the logs are for, is deleted with the stack, and can carry metric filters and subscriptions from the start.',
    example: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: nodejs20.x`,
    },
    useInstead: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: nodejs20.x
    LoggingConfig:
      LogGroup: !Ref OrdersLogs
OrdersLogs:
  Type: AWS::Logs::LogGroup
  Properties:
    RetentionInDays: 90`,
    },
    fix: `Adds a log group kept ${retentionDays} days and points the function's \`LoggingConfig\` at it. A scaffold: the function's logs move to the new group, so metric filters, subscriptions and dashboards that read /aws/lambda/… must follow, and a role with logging permissions narrowed to the old group needs them for the new one.`,
    references: [
      {
        title: 'AWS Lambda: configuring advanced logging controls (log groups)',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html',
      },
      {
        title: 'CloudWatch Logs: change log data retention',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const fn of resources) {
        if (isDeploymentHelper(template, fn) || hasLogGroup(template, fn)) continue;
        report({
          at: fn.idNode,
          resource: fn,
          messageId: 'noLogGroup',
          data: { id: fn.logicalId },
          fix: () => {
            const group = uniqueLogicalId(template, `${fn.logicalId}Logs`);
            return {
              title: `Log to a new log group ${group}, kept ${retentionDays} days`,
              needs: [
                `Move metric filters, subscriptions and dashboards that read ${fn.logicalId}'s current log group to ${group}`,
                `Check that the role of ${fn.logicalId} may write to ${group} (AWSLambdaBasicExecutionRole allows every group)`,
              ],
              edits: [
                setPath(target, fn.node, ['Properties', 'LoggingConfig', 'LogGroup'], { Ref: group }),
                addResources(target, template, [
                  {
                    id: group,
                    body: companionBody('AWS::Logs::LogGroup', { RetentionInDays: retentionDays }, fn),
                  },
                ]),
              ],
            };
          },
        });
      }
    },
  },
});
