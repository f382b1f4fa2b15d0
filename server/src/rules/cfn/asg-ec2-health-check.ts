import { branches } from '../../engine/cfn/branches';
import { settingEdits } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { possibleValues, property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { asSeq, type DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Whether a list property is present and non-empty on every branch of any `Fn::If` around it. */
function alwaysListed(node: DataNode | undefined): boolean {
  if (!node) return false;
  return branches(node).every((b) => {
    if (!b.node) return false;
    const seq = asSeq(b.node);
    return seq ? seq.items.length > 0 : true;
  });
}

/** The load balancing an Auto Scaling group registers with, when it always does. */
function loadBalancing(resource: Resource): 'targetGroups' | 'classic' | undefined {
  if (alwaysListed(property(resource, 'TargetGroupARNs')?.value)) return 'targetGroups';
  if (alwaysListed(property(resource, 'LoadBalancerNames')?.value)) return 'classic';
  return undefined;
}

export default defineRule({
  id: 'auto-recovery/asg-ec2-health-check',
  lesson: 'auto-recovery',
  title: 'Auto Scaling group behind a load balancer ignores its health checks',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
  messages: {
    targetGroupsNotSet:
      'Auto Scaling group {{id}} sends traffic through target groups but ignores their health checks (HealthCheckType is not set, and EC2 is the default): an instance whose application fails stays in the group.',
    targetGroupsEc2:
      'Auto Scaling group {{id}} sends traffic through target groups but ignores their health checks (HealthCheckType is EC2{{provenance}}): an instance whose application fails stays in the group.',
    classicNotSet:
      'Auto Scaling group {{id}} sends traffic through a Classic Load Balancer but ignores its health checks (HealthCheckType is not set, and EC2 is the default): an instance whose application fails stays in the group.',
    classicEc2:
      'Auto Scaling group {{id}} sends traffic through a Classic Load Balancer but ignores its health checks (HealthCheckType is EC2{{provenance}}): an instance whose application fails stays in the group.',
  },
  docs: {
    what: 'An Auto Scaling group that registers its instances with target groups or a Classic Load Balancer but keeps `HealthCheckType` at `EC2`, written or by default.',
    why:
      'With EC2 health checks the group replaces an instance only when the hypervisor or the operating system fails its status checks. ' +
      'An instance whose web server has crashed, whose disk is full or whose application returns 500 on every request still passes them, ' +
      'so the load balancer stops sending it traffic while the group keeps it forever, and the fleet quietly shrinks. ' +
      "With `HealthCheckType: ELB` the load balancer's health check decides, and the group replaces what it marks unhealthy. " +
      'Give new instances a `HealthCheckGracePeriod` long enough to boot, or they are replaced before they ever become healthy.',
    example: {
      language: 'yaml',
      code: `WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '6'
    TargetGroupARNs: [!Ref WebTargetGroup]
    LaunchTemplate: {LaunchTemplateId: !Ref WebTemplate, Version: !GetAtt WebTemplate.LatestVersionNumber}
    VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '6'
    TargetGroupARNs: [!Ref WebTargetGroup]
    HealthCheckType: ELB           # replace instances the load balancer finds unhealthy
    HealthCheckGracePeriod: 300    # time to boot before the first check counts
    LaunchTemplate: {LaunchTemplateId: !Ref WebTemplate, Version: !GetAtt WebTemplate.LatestVersionNumber}
    VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]`,
    },
    fix: "Sets `HealthCheckType: ELB`, and a `HealthCheckGracePeriod` of 300 seconds when there is none. A scaffold: from then on the group replaces every instance the load balancer marks unhealthy, so check the health check's path and thresholds, and that instances boot within the grace period, or the group empties itself.",
    references: [
      {
        title: 'Amazon EC2 Auto Scaling: health checks for instances in an Auto Scaling group',
        url: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html',
      },
      {
        title: 'Amazon EC2 Auto Scaling: add Elastic Load Balancing health checks',
        url: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-add-elb-healthcheck.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const balancing = loadBalancing(resource);
        if (!balancing) continue;
        const pair = property(resource, 'HealthCheckType');
        const values = pair ? possibleValues(template, pair.value) : [];
        if (!values) continue;
        const ec2Only = values.every((v) => v.absent || !/ELB|VPC_LATTICE/i.test(String(v.value)));
        if (pair && !ec2Only) continue;
        const grace = property(resource, 'HealthCheckGracePeriod');
        report({
          at: pair ? pair.value : resource.idNode,
          resource,
          messageId:
            balancing === 'targetGroups'
              ? pair
                ? 'targetGroupsEc2'
                : 'targetGroupsNotSet'
              : pair
                ? 'classicEc2'
                : 'classicNotSet',
          data: { id: resource.logicalId, provenance: provenance(values) },
          fix: () => {
            const edits = settingEdits(
              target,
              template,
              resource.node,
              ['Properties', 'HealthCheckType'],
              pair ? values : undefined,
              'ELB',
            );
            if (!edits) return undefined;
            if (!grace)
              edits.push(setPath(target, resource.node, ['Properties', 'HealthCheckGracePeriod'], 300));
            return {
              title: "Let the load balancer's health checks decide (HealthCheckType: ELB)",
              edits,
              needs: [
                'Check that the target group’s health check path answers 200 on a healthy instance: failing instances are now replaced',
                ...(grace
                  ? []
                  : ['Check that 300 seconds (HealthCheckGracePeriod) cover the instances’ boot']),
              ],
            };
          },
        });
      }
    },
  },
});
