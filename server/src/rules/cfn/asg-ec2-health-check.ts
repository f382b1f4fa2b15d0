import { branches } from '../../engine/cfn/branches';
import { replaceValues } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { possibleValues, property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { asSeq, type DataNode } from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

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
function loadBalancing(resource: Resource): { via: string; whose: string } | undefined {
  if (alwaysListed(property(resource, 'TargetGroupARNs')?.value))
    return { via: 'target groups', whose: 'their' };
  if (alwaysListed(property(resource, 'LoadBalancerNames')?.value)) {
    return { via: 'a Classic Load Balancer', whose: 'its' };
  }
  return undefined;
}

export default defineRule({
  id: 'auto-recovery/asg-ec2-health-check',
  lesson: 'auto-recovery',
  title: 'Auto Scaling group behind a load balancer ignores its health checks',
  severity: 'warning',
  equivalents: [],
  fix: 'yes',
  resourceTypes: ['AWS::AutoScaling::AutoScalingGroup'],
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
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        if (resource.type !== 'AWS::AutoScaling::AutoScalingGroup') continue;
        const balancing = loadBalancing(resource);
        if (!balancing) continue;
        const pair = property(resource, 'HealthCheckType');
        const values = pair ? possibleValues(template, pair.value) : [];
        if (!values) continue;
        const ec2Only = values.every((v) => v.absent || !/ELB|VPC_LATTICE/i.test(String(v.value)));
        if (pair && !ec2Only) continue;
        const grace = property(resource, 'HealthCheckGracePeriod');
        const words = pair
          ? `HealthCheckType is EC2${provenance(values)}`
          : 'HealthCheckType is not set, and EC2 is the default';
        report({
          at: pair ? pair.value : resource.idNode,
          message: `Auto Scaling group ${resource.logicalId} sends traffic through ${balancing.via} but ignores ${balancing.whose} health checks (${words}): an instance whose application fails stays in the group.`,
          fix: () => {
            const edits: TextEdit[] = [];
            if (!pair || values.some((v) => v.absent)) {
              edits.push(setPath(target, resource.node, ['Properties', 'HealthCheckType'], 'ELB'));
            } else {
              const changed = replaceValues(target, template, values, 'ELB');
              if (!changed) return undefined;
              edits.push(...changed);
            }
            if (!grace)
              edits.push(setPath(target, resource.node, ['Properties', 'HealthCheckGracePeriod'], 300));
            return { title: "Let the load balancer's health checks decide (HealthCheckType: ELB)", edits };
          },
        });
      }
    },
  },
});
