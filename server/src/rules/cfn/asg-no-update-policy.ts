import { insertPair, type PlainValue } from '../../engine/edit';
import { branches } from '../../engine/cfn/branches';
import { addResourceAttributes } from '../../engine/cfn/template-additions';
import { asBoolean, asNumber } from '../../engine/cfn/values';
import { intrinsic, possibleValues, type Resource, type Template } from '../../engine/parse/cloudformation';
import { asMap, get, getPair, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** A number written literally (or as a parameter default), when it has exactly one value. */
function single(template: Template, resource: Resource, key: string): number | undefined {
  const values = possibleValues(template, get(resource.properties, key));
  return values?.length === 1 ? asNumber(values[0].value) : undefined;
}

/**
 * A rolling update that replaces one instance at a time, keeps the group's minimum in service
 * when the sizes allow it, and waits for each new instance's signal when the group is created
 * with signals.
 */
function rollingUpdate(template: Template, group: Resource): { AutoScalingRollingUpdate: PlainValue } {
  const update: { [key: string]: PlainValue } = {};
  const min = single(template, group, 'MinSize');
  const max = single(template, group, 'MaxSize');
  if (min !== undefined && max !== undefined && max > 1 && min >= 1) {
    update.MinInstancesInService = Math.min(min, max - 1);
  }
  update.MaxBatchSize = 1;
  const signal = getPath(group.node, 'CreationPolicy', 'ResourceSignal');
  if (signal) {
    update.WaitOnResourceSignals = true;
    update.PauseTime = scalarText(get(signal, 'Timeout')) ?? 'PT15M';
  }
  return { AutoScalingRollingUpdate: update };
}

export default defineRule({
  id: 'immutable-infrastructure/asg-no-update-policy',
  lesson: 'immutable-infrastructure',
  title: 'Auto Scaling group without an update policy',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
  messages: {
    noPolicy:
      'Auto Scaling group {{id}} has no UpdatePolicy: a new launch template or configuration reaches running instances only when they happen to be replaced.',
    neverReplaces:
      'Auto Scaling group {{id}} has an UpdatePolicy that never replaces instances: a new launch template or configuration reaches running instances only when they happen to be replaced.',
  },
  docs: {
    what:
      'An `AWS::AutoScaling::AutoScalingGroup` whose `UpdatePolicy` has neither an `AutoScalingRollingUpdate` nor an `AutoScalingReplacingUpdate` with `WillReplace: true` ' +
      '(an `AutoScalingScheduledAction` policy alone does not replace instances).',
    why:
      'Without an update policy, changing the launch template or configuration only changes what the group will launch next: the instances already running stay on the old image and settings until they happen to be replaced, days or months later. ' +
      'The fleet drifts into a mix of versions that nobody deployed on purpose, which is exactly what immutable infrastructure avoids. ' +
      'A rolling update replaces the instances in small batches as part of the stack update and, with resource signals, stops and rolls back if new instances do not come up healthy; a replacing update builds a whole new group beside the old one.',
    example: {
      language: 'yaml',
      code: `WebServers:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '4'
    LaunchTemplate:
      LaunchTemplateId: !Ref WebLaunchTemplate
      Version: !GetAtt WebLaunchTemplate.LatestVersionNumber
    VPCZoneIdentifier: !Ref PrivateSubnets`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebServers:
  Type: AWS::AutoScaling::AutoScalingGroup
  CreationPolicy:
    ResourceSignal: {Count: 2, Timeout: PT15M}
  UpdatePolicy:
    AutoScalingRollingUpdate:
      MinInstancesInService: 2
      MaxBatchSize: 1
      WaitOnResourceSignals: true   # cfn-signal from user data once the app is healthy
      PauseTime: PT15M
  Properties:
    MinSize: '2'
    MaxSize: '4'
    LaunchTemplate:
      LaunchTemplateId: !Ref WebLaunchTemplate
      Version: !GetAtt WebLaunchTemplate.LatestVersionNumber
    VPCZoneIdentifier: !Ref PrivateSubnets`,
    },
    fix:
      'Adds an `AutoScalingRollingUpdate` that replaces one instance at a time, keeps the group’s minimum in service when its sizes allow, and waits for resource signals when the group is created with them. ' +
      'A scaffold: every later change of the launch template or configuration then replaces the running instances, so check the batch size and pause time against how long an instance takes to become healthy.',
    references: [
      {
        title: 'UpdatePolicy attribute',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const group of resources) {
        const policyPair = getPair(group.node, 'UpdatePolicy');
        // Judge each branch of an Fn::If: one that replaces instances is enough.
        const replaces = branches(policyPair?.value).some((branch) => {
          if (!branch.node) return false;
          const policy = asMap(branch.node);
          // Something other than a literal policy (a Ref, a Sub, …) cannot be judged: assume it replaces.
          if (!policy || intrinsic(branch.node)) return true;
          if (getPair(policy, 'AutoScalingRollingUpdate')) return true;
          const willReplace = get(get(policy, 'AutoScalingReplacingUpdate'), 'WillReplace');
          const values = possibleValues(template, willReplace);
          return !!willReplace && (!values || values.some((v) => asBoolean(v.value) === true));
        });
        if (replaces) continue;
        report({
          at: policyPair ? policyPair.key : group.idNode,
          resource: group,
          messageId: policyPair ? 'neverReplaces' : 'noPolicy',
          data: { id: group.logicalId },
          fix: () => {
            const update = rollingUpdate(template, group);
            if (!policyPair) {
              return {
                title: 'Replace instances with a rolling update',
                edits: [addResourceAttributes(target, group, [['UpdatePolicy', update]])],
                needs: [
                  'Check that the group can run one instance more or fewer while each batch is replaced (MinInstancesInService, MaxBatchSize)',
                ],
              };
            }
            const policy = asMap(policyPair.value);
            if (!policy || intrinsic(policyPair.value)) return undefined;
            return {
              title: 'Replace instances with a rolling update',
              needs: [
                'Check that the group can run one instance more or fewer while each batch is replaced (MinInstancesInService, MaxBatchSize)',
              ],
              edits: [
                insertPair(target, policy, 'AutoScalingRollingUpdate', update.AutoScalingRollingUpdate),
              ],
            };
          },
        });
      }
    },
  },
});
