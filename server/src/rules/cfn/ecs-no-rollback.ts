import { setPath, type EditTarget } from '../../engine/edit';
import { asBoolean, replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import {
  intrinsic,
  possibleValues,
  property,
  provenance,
  type PossibleValue,
  type Template,
} from '../../engine/parse/cloudformation';
import { asMap, get, getPair, type MapNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** Whether a switch can be on: some statically known value is true (unknowable counts as on). */
function canBeOn(template: Template, map: MapNode | undefined, key: string): boolean {
  const values = valuesOrDefault(template, get(map, key), false);
  return !values || values.some((v) => asBoolean(v.value) === true);
}

/** Edits that turn a switch on: the literal or parameter default, or a new key. */
function switchOn(target: EditTarget, template: Template, map: MapNode, key: string): TextEdit[] | undefined {
  const pair = getPair(map, key);
  if (!pair) return [setPath(target, map, [key], true)];
  const values = possibleValues(template, pair.value);
  if (!values || values.some((v) => v.absent)) return undefined;
  return replaceValues(target, template, values, true);
}

function known(template: Template, map: MapNode | undefined, key: string): PossibleValue[] {
  return (possibleValues(template, get(map, key)) ?? []).filter((v) => !v.absent);
}

export default defineRule({
  id: 'immutable-infrastructure/ecs-no-rollback',
  lesson: 'immutable-infrastructure',
  title: 'ECS service deploys without automatic rollback',
  severity: 'warning',
  equivalents: [],
  fix: 'yes',
  resourceTypes: ['AWS::ECS::Service'],
  docs: {
    what:
      'An ECS service using the ECS rolling deployment controller with neither the deployment circuit breaker ' +
      '(`DeploymentConfiguration.DeploymentCircuitBreaker` with `Enable` and `Rollback` true) nor CloudWatch alarms that roll back ' +
      '(`DeploymentConfiguration.Alarms` with `Enable` and `Rollback` true). Services deployed by CodeDeploy or an external controller are left alone.',
    why:
      'Without a circuit breaker, a new task definition whose tasks crash on start keeps ECS launching and stopping tasks, for hours, while CloudFormation waits and the old tasks are drained one by one. ' +
      'With it, ECS notices that the new tasks never become healthy, stops the deployment and puts the last working task definition back by itself: the old version stays around until the new one has proved itself, which is the immutable way to ship.',
    example: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::ECS::Service
  Properties:
    Cluster: !Ref Cluster
    TaskDefinition: !Ref OrdersTask
    DesiredCount: 3`,
    },
    useInstead: {
      language: 'yaml',
      code: `Orders:
  Type: AWS::ECS::Service
  Properties:
    Cluster: !Ref Cluster
    TaskDefinition: !Ref OrdersTask
    DesiredCount: 3
    DeploymentConfiguration:
      DeploymentCircuitBreaker:
        Enable: true
        Rollback: true`,
    },
    references: [
      {
        title: 'Amazon ECS deployment circuit breaker',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html',
      },
      {
        title: 'How CloudWatch alarms detect Amazon ECS deployment failures',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const service of template.resources) {
        if (service.type !== 'AWS::ECS::Service') continue;
        const controller = possibleValues(
          template,
          get(get(service.properties, 'DeploymentController'), 'Type'),
        );
        if (get(service.properties, 'DeploymentController') && !controller) continue;
        if (controller?.some((v) => !v.absent && String(v.value).toUpperCase() !== 'ECS')) continue;
        const configPair = property(service, 'DeploymentConfiguration');
        if (configPair && (intrinsic(configPair.value) || !asMap(configPair.value))) continue;
        const config = asMap(configPair?.value);
        const alarms = asMap(get(config, 'Alarms'));
        if (alarms && canBeOn(template, alarms, 'Enable') && canBeOn(template, alarms, 'Rollback')) continue;
        const breakerPair = getPair(config, 'DeploymentCircuitBreaker');
        if (breakerPair && intrinsic(breakerPair.value)) continue;
        const breaker = asMap(breakerPair?.value);
        if (!breakerPair || !breaker) {
          report({
            at: service.idNode,
            message: `ECS service ${service.logicalId} has no deployment circuit breaker: a release whose tasks never turn healthy keeps being retried instead of rolling back to the last working version.`,
            fix: () => ({
              title: 'Turn on the deployment circuit breaker with rollback',
              edits: [
                setPath(
                  target,
                  service.node,
                  ['Properties', 'DeploymentConfiguration', 'DeploymentCircuitBreaker'],
                  {
                    Enable: true,
                    Rollback: true,
                  },
                ),
              ],
            }),
          });
          continue;
        }
        const enableOff = !canBeOn(template, breaker, 'Enable');
        const rollbackOff = !canBeOn(template, breaker, 'Rollback');
        if (!enableOff && !rollbackOff) continue;
        const pair = getPair(breaker, enableOff ? 'Enable' : 'Rollback');
        report({
          at: pair ? pair.value : breakerPair.key,
          message: enableOff
            ? `ECS service ${service.logicalId} has its deployment circuit breaker switched off${provenance(known(template, breaker, 'Enable'))}: a failing release is retried instead of rolled back.`
            : `ECS service ${service.logicalId} stops a failing deployment but does not roll it back: Rollback is ${pair ? 'false' : 'not set'}${provenance(known(template, breaker, 'Rollback'))}, so the service is left on the broken version.`,
          fix: () => {
            const edits: TextEdit[] = [];
            for (const [key, off] of [
              ['Enable', enableOff],
              ['Rollback', rollbackOff],
            ] as const) {
              if (!off) continue;
              const more = switchOn(target, template, breaker, key);
              if (!more) return undefined;
              edits.push(...more);
            }
            return { title: 'Roll failed deployments back automatically', edits };
          },
        });
      }
    },
  },
});
