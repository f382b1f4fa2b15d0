import { setPath } from '../../engine/edit';
import { switchNotOn } from '../../engine/cfn/values';
import { intrinsic, possibleValues, property } from '../../engine/parse/cloudformation';
import { asMap, get, getPair, type MapNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

export default defineRule({
  id: 'immutable-infrastructure/ecs-no-rollback',
  lesson: 'immutable-infrastructure',
  title: 'ECS service deploys without automatic rollback',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  resourceTypes: ['AWS::ECS::Service'],
  messages: {
    noBreaker:
      'ECS service {{id}} has no deployment circuit breaker: a release whose tasks never turn healthy keeps being retried instead of rolling back to the last working version.',
    breakerOff:
      'ECS service {{id}} has its deployment circuit breaker switched off{{provenance}}: a failing release is retried instead of rolled back.',
    rollbackOff:
      'ECS service {{id}} stops a failing deployment but does not roll it back: Rollback is false{{provenance}}, so the service is left on the broken version.',
    rollbackNotSet:
      'ECS service {{id}} stops a failing deployment but does not roll it back: Rollback is not set, so the service is left on the broken version.',
  },
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
    fix: 'Turns on the deployment circuit breaker with rollback (`Enable` and `Rollback: true`), adding it to `DeploymentConfiguration` when it is missing.',
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
    cfn({ model: template, resources, target, report }) {
      for (const service of resources) {
        const id = service.logicalId;
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
        const rollsBack = (map: MapNode) =>
          !switchNotOn(target, template, map, ['Enable']) &&
          !switchNotOn(target, template, map, ['Rollback']);
        if (alarms && rollsBack(alarms)) continue;
        const breakerPair = getPair(config, 'DeploymentCircuitBreaker');
        if (breakerPair && intrinsic(breakerPair.value)) continue;
        const breaker = asMap(breakerPair?.value);
        if (!breakerPair || !breaker) {
          report({
            at: service.idNode,
            resource: service,
            messageId: 'noBreaker',
            data: { id },
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
        const enable = switchNotOn(target, template, breaker, ['Enable']);
        const rollback = switchNotOn(target, template, breaker, ['Rollback']);
        const off = enable ?? rollback;
        if (!off) continue;
        report({
          at: off.at ?? breakerPair.key,
          resource: service,
          messageId: enable ? 'breakerOff' : rollback?.at ? 'rollbackOff' : 'rollbackNotSet',
          data: { id, provenance: off.provenance },
          fix: () => {
            const edits: TextEdit[] = [];
            for (const failure of [enable, rollback]) {
              const more = failure?.edits();
              if (failure && !more) return undefined;
              if (more) edits.push(...more);
            }
            return { title: 'Roll failed deployments back automatically', edits };
          },
        });
      }
    },
  },
});
