import { setPath, type EditTarget } from '../../engine/edit';
import {
  isDeploymentHelper,
  samEvents,
  servesRequests,
  startedOnlyBySchedule,
} from '../../engine/cfn/functions';
import { namesMentionedBy, referencedNames, referenceTarget } from '../../engine/cfn/references';
import { setProperties } from '../../engine/cfn/property-edits';
import { effectiveProperty } from '../../engine/cfn/resources';
import { asBoolean, replaceValues } from '../../engine/cfn/values';
import {
  intrinsic,
  possibleValues,
  provenance,
  type PossibleValue,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asMap, get, getPair, type DataNode } from '../../engine/parse/tree';
import { defineRule, type Fix } from '../../engine/rule';

/** Whether the function restores from SnapStart snapshots of its published versions. */
function snapStartOn(template: Template, fn: Resource): boolean {
  const applyOn = get(asMap(effectiveProperty(template, fn, 'SnapStart')?.pair.value), 'ApplyOn');
  return (possibleValues(template, applyOn) ?? []).some((v) => String(v.value) === 'PublishedVersions');
}

/** The ramp the fix proposes: one request in ten on the new version for five minutes. */
const canary = 'Canary10Percent5Minutes';

/**
 * Whether the function's own settings name a resource that routes requests to it (its API's URL in
 * an environment variable, say). An alias would then depend on the function, which depends on the
 * API, which depends on the alias: CloudFormation refuses such a cycle, so the fix stays manual.
 */
function callsItsOwnCaller(template: Template, fn: Resource): boolean {
  // What the function's own settings name, not its event sources (those point at the caller anyway).
  const named = new Set<string>();
  for (const pair of fn.properties?.pairs ?? []) {
    if (pair.key.value !== 'Events') referencedNames(pair.value).forEach((n) => named.add(n));
  }
  named.delete(fn.logicalId);
  return (
    [...named].some((id) => {
      const other = template.resourceById.get(id);
      return !!other && other !== fn && namesMentionedBy(template, other).has(fn.logicalId);
    }) ||
    samEvents(fn).some((e) => {
      const api = referenceTarget(get(e.properties, 'RestApiId') ?? get(e.properties, 'ApiId'));
      return !!api && named.has(api);
    })
  );
}

/** Statically known values that all say one thing; undefined when unknowable or mixed with absent. */
function allKnown(template: Template, node: DataNode | undefined): PossibleValue[] | undefined {
  const values = possibleValues(template, node);
  return values && values.every((v) => !v.absent) ? values : undefined;
}

function replaceFix(
  target: EditTarget,
  template: Template,
  values: PossibleValue[],
  value: string | boolean,
  title: string,
): Fix | undefined {
  const edits = replaceValues(target, template, values, value);
  return edits && { title, edits };
}

export default defineRule({
  id: 'immutable-infrastructure/no-gradual-deployment',
  lesson: 'immutable-infrastructure',
  title: 'Function versions go live all at once',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  strictOnly: true,
  resourceTypes: ['AWS::Serverless::Function'],
  messages: {
    disabled:
      'Function {{id}} has its deployment preference{{where}} disabled{{provenance}}: each release takes all traffic at once.',
    allAtOnce:
      'Function {{id}} deploys each release to all traffic at once (DeploymentPreference Type{{where}} is AllAtOnce{{provenance}}).',
    noPreference:
      'Function {{id}} publishes an alias{{where}} but has no DeploymentPreference: each new version takes all traffic at once and nothing rolls it back.',
    noAlias:
      'Function {{id}} serves requests but every deploy switches all traffic to the new code at once: publish an alias and shift traffic gradually, so that a bad release can roll back.',
  },
  docs: {
    what:
      'A SAM function that serves requests (API events, a function URL, an API Gateway integration, a load balancer or AppSync) without `AutoPublishAlias` and `DeploymentPreference`; ' +
      'any SAM function that publishes an alias (for provisioned concurrency or durable executions, say) but has no `DeploymentPreference`, or whose preference is `AllAtOnce` or disabled; an alias published for SnapStart counts only when the function serves requests (an S3- or queue-triggered function keeps it for the snapshot, and its events retry). ' +
      'SAM `Globals` count; functions that only serve CloudFormation (custom resources, macros) are left alone, and so are functions that only schedules start (`Schedule`/`ScheduleV2` events, an EventBridge rule with a `ScheduleExpression` or an EventBridge Scheduler schedule, and nothing else in the template invoking them): with one run at a time there is no traffic to shift, and the next run simply takes the new version. ' +
      'In the `strict` preset only: canary shifting pays off for a function many users call, with alarms to stop the rollout; on the many small functions of a typical template it was judged noise, and a team that adopts CodeDeploy sets it once in `Globals`.',
    why:
      'Without a deployment preference, every deploy sends all traffic to the new code the moment CloudFormation updates the function, so a bad release reaches every user at once and going back means another full deploy. ' +
      'With `AutoPublishAlias` and a `DeploymentPreference`, SAM publishes a version and CodeDeploy shifts traffic to it gradually (10% for five minutes, say) while the previous version keeps serving the rest; ' +
      'if an alarm fires or a hook fails, traffic goes back to the old version by itself. Add `Alarms` to the preference so that a rise in errors stops the rollout.',
    example: {
      language: 'yaml',
      code: `OrdersApi:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: nodejs20.x
    Events:
      Get:
        Type: Api
        Properties: {Path: /orders, Method: get}`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersApi:
  Type: AWS::Serverless::Function
  Properties:
    Handler: app.handler
    Runtime: nodejs20.x
    AutoPublishAlias: live
    DeploymentPreference:
      Type: Canary10Percent5Minutes
      Alarms: [!Ref OrdersApiErrorsAlarm]
    Events:
      Get:
        Type: Api
        Properties: {Path: /orders, Method: get}`,
    },
    fix:
      'Sets `AutoPublishAlias: live` and a `DeploymentPreference` of `Canary10Percent5Minutes`, or moves an existing preference off `AllAtOnce`; a preference switched off with `Enabled: false` was switched off on purpose and is left to you. ' +
      'A scaffold: SAM then adds a CodeDeploy application, deployment group and role, callers should invoke the alias, and the preference needs `Alarms` to roll back on errors.',
    references: [
      {
        title: 'Deploying serverless applications gradually with AWS SAM',
        url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const fn of resources) {
        // A function only a schedule starts has no traffic to shift: each run takes the version
        // the alias points at, and a canary of one run in ten over five minutes means nothing.
        if (isDeploymentHelper(template, fn) || startedOnlyBySchedule(template, fn)) continue;
        const alias = effectiveProperty(template, fn, 'AutoPublishAlias');
        const preference = effectiveProperty(template, fn, 'DeploymentPreference');
        const where = (fromGlobals: boolean) => (fromGlobals ? ' in Globals' : '');
        if (preference) {
          const map = asMap(preference.pair.value);
          if (!map || intrinsic(preference.pair.value)) continue;
          const enabledNode = get(map, 'Enabled');
          const enabled = enabledNode ? allKnown(template, enabledNode) : undefined;
          if (enabled && enabled.every((v) => asBoolean(v.value) === false)) {
            report({
              at: preference.fromGlobals ? fn.idNode : (getPair(map, 'Enabled')?.value ?? fn.idNode),
              resource: fn,
              messageId: 'disabled',
              data: {
                id: fn.logicalId,
                where: where(preference.fromGlobals),
                provenance: provenance(enabled),
              },
              // Switched off on purpose (a stage without CodeDeploy, a migration): never switched back on.
            });
            continue;
          }
          const typeNode = get(map, 'Type');
          const types = typeNode ? allKnown(template, typeNode) : undefined;
          if (types && types.every((v) => String(v.value) === 'AllAtOnce')) {
            report({
              at: preference.fromGlobals ? fn.idNode : (typeNode ?? fn.idNode),
              resource: fn,
              messageId: 'allAtOnce',
              data: { id: fn.logicalId, where: where(preference.fromGlobals), provenance: provenance(types) },
              fix: preference.fromGlobals
                ? undefined
                : () => {
                    const fix = replaceFix(
                      target,
                      template,
                      types,
                      canary,
                      `Shift traffic gradually (${canary})`,
                    );
                    return (
                      fix && {
                        ...fix,
                        needs: [
                          `Add Alarms to ${fn.logicalId}’s DeploymentPreference (its errors, its latency) so that a bad release rolls back on its own`,
                        ],
                      }
                    );
                  },
            });
          }
          continue;
        }
        if (alias) {
          // An alias published for SnapStart on a function nothing calls synchronously (S3, queue or
          // schedule events): its callers retry on their own, and the alias is there for the snapshot.
          if (snapStartOn(template, fn) && !servesRequests(template, fn)) continue;
          report({
            at: alias.fromGlobals ? fn.idNode : alias.pair.key,
            resource: fn,
            messageId: 'noPreference',
            data: { id: fn.logicalId, where: where(alias.fromGlobals) },
            fix: () => ({
              title: `Shift traffic gradually (${canary})`,
              edits: [setPath(target, fn.node, ['Properties', 'DeploymentPreference'], { Type: canary })],
              needs: [
                `Add Alarms to ${fn.logicalId}’s DeploymentPreference (its errors, its latency) so that a bad release rolls back on its own`,
              ],
            }),
          });
          continue;
        }
        if (!servesRequests(template, fn)) continue;
        report({
          at: fn.idNode,
          resource: fn,
          messageId: 'noAlias',
          data: { id: fn.logicalId },
          fix: () =>
            callsItsOwnCaller(template, fn)
              ? undefined
              : {
                  title: `Publish an alias and shift traffic gradually (${canary})`,
                  needs: [
                    `Make callers invoke the live alias of ${fn.logicalId} (events and APIs of the template do already)`,
                    `Add Alarms to ${fn.logicalId}’s DeploymentPreference (its errors, its latency) so that a bad release rolls back on its own`,
                  ],
                  edits: setProperties(target, fn, [
                    ['AutoPublishAlias', 'live'],
                    ['DeploymentPreference', { Type: canary }],
                  ]),
                },
        });
      }
    },
  },
});
