import { addResources, companionBody } from '../../engine/cfn/companions';
import { referencedNames, referenceTarget, stringsIn } from '../../engine/cfn/references';
import { ingressRules, isAdminAccess, portRange } from '../../engine/cfn/security-groups';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import type { Resource, Template } from '../../engine/parse/cloudformation';
import { asSeq, get, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Security groups (logical ids) an instance uses. */
function groupsOf(instance: Resource): Set<string> {
  const groups = new Set<string>();
  const add = (list: DataNode | undefined) => {
    for (const item of asSeq(list)?.items ?? []) {
      const target = referenceTarget(item);
      if (target) groups.add(target);
    }
  };
  add(get(instance.properties, 'SecurityGroupIds'));
  add(get(instance.properties, 'SecurityGroups'));
  for (const nic of asSeq(get(instance.properties, 'NetworkInterfaces'))?.items ?? [])
    add(get(nic, 'GroupSet'));
  return groups;
}

/**
 * Groups in the template that let in traffic on a port other than SSH or RDP (`serving`), and
 * groups that let in SSH or RDP (`admin`).
 */
function groupsByUse(template: Template): { serving: Set<string>; admin: Set<string> } {
  const serving = new Set<string>();
  const admin = new Set<string>();
  for (const alternatives of ingressRules(template)) {
    for (const rule of alternatives) {
      const range = portRange(template, rule.node);
      if (!range || !rule.groupId || range.protocol === 'icmp') continue;
      (isAdminAccess(range) ? admin : serving).add(rule.groupId);
    }
  }
  return { serving, admin };
}

const balancerTypes = ['AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancing::LoadBalancer'];

/** Instances behind each load balancer or target group of the template. */
function loadBalancedInstances(template: Template): Map<string, number> {
  const teamSize = new Map<string, number>();
  for (const resource of template.resourcesOfType(balancerTypes)) {
    const members =
      resource.type === 'AWS::ElasticLoadBalancingV2::TargetGroup'
        ? (asSeq(get(resource.properties, 'Targets'))?.items ?? []).map((t) => get(t, 'Id')!).filter(Boolean)
        : (asSeq(get(resource.properties, 'Instances'))?.items ?? []);
    const ids = members.map((m) => referenceTarget(m)).filter((id): id is string => !!id);
    for (const id of ids) teamSize.set(id, Math.max(teamSize.get(id) ?? 0, ids.length));
  }
  return teamSize;
}

/** Instances that a CloudWatch alarm recovers or reboots. */
function recoveredInstances(template: Template): Set<string> {
  const recovered = new Set<string>();
  for (const alarm of template.resourcesOfType(['AWS::CloudWatch::Alarm'])) {
    const actions = stringsIn(get(alarm.properties, 'AlarmActions'));
    if (!actions.some((s) => /:ec2:(recover|reboot)|AWS_EC2\.InstanceId\.(Reboot|Recover)/.test(s))) continue;
    for (const dimension of asSeq(get(alarm.properties, 'Dimensions'))?.items ?? []) {
      if (scalarText(get(dimension, 'Name')) === 'InstanceId')
        referencedNames(get(dimension, 'Value')).forEach((id) => recovered.add(id));
    }
  }
  return recovered;
}

/** Instances with public addresses pointing at them: someone reaches them from outside. */
function publiclyAddressed(template: Template): Set<string> {
  const addressed = new Set<string>();
  for (const address of template.resourcesOfType(['AWS::EC2::EIP', 'AWS::EC2::EIPAssociation']))
    referencedNames(get(address.properties, 'InstanceId')).forEach((id) => addressed.add(id));
  return addressed;
}

export default defineRule({
  id: 'auto-recovery/lonely-instance',
  lesson: 'auto-recovery',
  title: 'Application on a single EC2 instance that nothing recovers',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::EC2::Instance'],
  messages: {
    alone:
      'EC2 instance {{id}} serves an application alone ({{reason}}), and nothing in this template brings it back when its operating system hangs or the application stops answering (EC2 only moves it off a failed host): run it in an Auto Scaling group, or at least add an alarm that reboots it.',
    aloneRecoveryOff:
      'EC2 instance {{id}} serves an application alone ({{reason}}) with its automatic recovery switched off: nothing in this template brings it back when its host fails, its operating system hangs or the application stops answering. Run it in an Auto Scaling group, or at least add an alarm that recovers it.',
  },
  docs: {
    what:
      'An `AWS::EC2::Instance` that serves an application (its security group opens a port other than SSH or RDP, it has an Elastic IP, or it is the only target of a load balancer) ' +
      'with no CloudWatch alarm that recovers or reboots it. Bastions and admin hosts whose security groups only open SSH or RDP are left alone, with an Elastic IP too, as are instances that share a load balancer with others. ' +
      'The message says what the template shows and no more: EC2 recovers supported instance types from a failed host by itself (unless `MaintenanceOptions.AutoRecovery` is `disabled`, which the message then says), but nothing restarts a hung operating system or a stopped application; an alarm in another stack or a process supervisor on the instance are out of its sight.',
    why:
      'A stand-alone instance is a single point of failure that nothing watches. EC2 moves supported instance types to new hardware when the host fails, ' +
      'but when the operating system hangs, the disk fills or the application crashes, the instance stays broken until a person notices. ' +
      'An Auto Scaling group of one or more instances behind a load balancer replaces an unhealthy instance on its own, in another Availability Zone if need be; ' +
      'that is the real fix. Short of it, an alarm on the instance status check that reboots the instance brings back a hung machine without waking anyone.',
    example: {
      language: 'yaml',
      code: `WebServer:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref LatestAmiId
    InstanceType: t3.small
    SecurityGroupIds: [!Ref WebSecurityGroup]   # opens 443 to the load balancer`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebServerGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '4'
    VPCZoneIdentifier: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    LaunchTemplate: {LaunchTemplateId: !Ref WebServerTemplate, Version: !GetAtt WebServerTemplate.LatestVersionNumber}
    TargetGroupARNs: [!Ref WebTargetGroup]
    HealthCheckType: ELB            # the load balancer's health check decides
    HealthCheckGracePeriod: 300`,
    },
    fix:
      'Adds a CloudWatch alarm that reboots the instance when its status check fails for three minutes. ' +
      'A scaffold: a reboot brings back a hung machine, not a lost one or a broken disk; an Auto Scaling group is the real fix.',
    references: [
      {
        title: 'Amazon EC2 Auto Scaling: health checks',
        url: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html',
      },
      {
        title: 'Amazon EC2: create alarms that stop, terminate, reboot or recover an instance',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/UsingAlarmActions.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources: instances, target, report }) {
      if (instances.length === 0) return;
      const { serving, admin } = groupsByUse(template);
      const declaredGroups = new Set(
        template.resourcesOfType(['AWS::EC2::SecurityGroup']).map((group) => group.logicalId),
      );
      const balanced = loadBalancedInstances(template);
      const recovered = recoveredInstances(template);
      const addressed = publiclyAddressed(template);
      for (const instance of instances) {
        if (recovered.has(instance.logicalId)) continue;
        const team = balanced.get(instance.logicalId) ?? 0;
        if (team > 1) continue;
        const groups = [...groupsOf(instance)];
        const opens = groups.some((g) => serving.has(g));
        // Every group of the instance is in the template and lets in SSH or RDP only: a bastion
        // or an admin host, which an Elastic IP makes reachable, not an application server.
        const adminHost =
          !opens &&
          groups.length > 0 &&
          groups.every((g) => declaredGroups.has(g)) &&
          groups.some((g) => admin.has(g));
        const reason =
          team === 1
            ? 'it is the only target of its load balancer'
            : opens
              ? 'its security group lets application traffic in'
              : addressed.has(instance.logicalId) && !adminHost
                ? 'it has an Elastic IP'
                : undefined;
        if (!reason) continue;
        const recovery = scalarText(getPath(instance.properties, 'MaintenanceOptions', 'AutoRecovery'));
        report({
          at: instance.idNode,
          resource: instance,
          messageId: recovery === 'disabled' ? 'aloneRecoveryOff' : 'alone',
          data: { id: instance.logicalId, reason },
          fix: () => {
            const id = uniqueLogicalId(template, `${instance.logicalId}RecoveryAlarm`);
            const alarm = companionBody(
              'AWS::CloudWatch::Alarm',
              {
                AlarmDescription: `Reboots ${instance.logicalId} when the instance status check fails for three minutes`,
                Namespace: 'AWS/EC2',
                MetricName: 'StatusCheckFailed_Instance',
                Dimensions: [{ Name: 'InstanceId', Value: { Ref: instance.logicalId } }],
                Statistic: 'Maximum',
                Period: 60,
                EvaluationPeriods: 3,
                Threshold: 1,
                ComparisonOperator: 'GreaterThanOrEqualToThreshold',
                AlarmActions: [{ 'Fn::Sub': 'arn:${AWS::Partition}:automate:${AWS::Region}:ec2:reboot' }],
              },
              instance,
            );
            return {
              title: `Add ${id}: reboot ${instance.logicalId} when its status check fails`,
              edits: [addResources(target, template, [{ id, body: alarm }])],
              needs: [
                `Run ${instance.logicalId} in an Auto Scaling group when it must survive the loss of its host or zone: a reboot does not`,
              ],
            };
          },
        });
      }
    },
  },
});
