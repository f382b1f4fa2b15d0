import rule from '../../../server/src/rules/cfn/asg-ec2-health-check';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'behind a target group with the default EC2 check: ELB and a grace period are added',
      path: 'template.yaml',
      text: `Resources:
  «WebGroup»:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      TargetGroupARNs: [!Ref WebTargets] # the ALB
`,
      messages: [
        'Auto Scaling group WebGroup sends traffic through target groups but ignores their health checks (HealthCheckType is not set, and EC2 is the default): an instance whose application fails stays in the group.',
      ],
      messageIds: ['targetGroupsNotSet'],
      fixed: `Resources:
  WebGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      TargetGroupARNs: [!Ref WebTargets] # the ALB
      HealthCheckType: ELB
      HealthCheckGracePeriod: 300
`,
    },
    {
      name: 'explicit EC2 behind a Classic Load Balancer keeps its grace period (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    "Group": {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {
        "LoadBalancerNames": [{ "Ref": "Elb" }],
        "HealthCheckType": «"EC2"»,
        "HealthCheckGracePeriod": 600
      }
    }
  }
}
`,
      messages: [/through a Classic Load Balancer but ignores its health checks \(HealthCheckType is EC2\)/],
      messageIds: ['classicEc2'],
      fixed: `{
  "Resources": {
    "Group": {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {
        "LoadBalancerNames": [{ "Ref": "Elb" }],
        "HealthCheckType": "ELB",
        "HealthCheckGracePeriod": 600
      }
    }
  }
}
`,
    },
    {
      name: 'flow style, a parameter default and Fn::If both EC2',
      path: 'template.yaml',
      text: `Parameters:
  Check: {Type: String, Default: EC2, AllowedValues: [EC2, ELB]}
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: [!Ref Tg], HealthCheckType: «!If [IsProd, !Ref Check, EC2]»}
`,
      messages: [
        /HealthCheckType is EC2 \(the default of parameter Check; whichever way condition IsProd goes\)/,
      ],
      messageIds: ['targetGroupsEc2'],
      fixed: `Parameters:
  Check: {Type: String, Default: ELB, AllowedValues: [EC2, ELB]}
Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: [!Ref Tg], HealthCheckType: !If [IsProd, !Ref Check, ELB], HealthCheckGracePeriod: 300}
`,
    },
    {
      name: 'a Classic Load Balancer and no health check type at all',
      path: 'template.yaml',
      text: `Resources:
  «LegacyWeb»:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      LoadBalancerNames: [!Ref WebElb]
      HealthCheckGracePeriod: 600 # slow first boot
`,
      messages: [
        'Auto Scaling group LegacyWeb sends traffic through a Classic Load Balancer but ignores its health checks (HealthCheckType is not set, and EC2 is the default): an instance whose application fails stays in the group.',
      ],
      messageIds: ['classicNotSet'],
      fixed: `Resources:
  LegacyWeb:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '2'
      MaxSize: '4'
      LoadBalancerNames: [!Ref WebElb]
      HealthCheckGracePeriod: 600 # slow first boot
      HealthCheckType: ELB
`,
    },
  ],
  clean: [
    {
      name: 'ELB checks, or no load balancer at all',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: [!Ref Tg], HealthCheckType: ELB}
  B:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: '1', MaxSize: '1'}
  C:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: [], HealthCheckType: EC2}
`,
    },
    {
      name: 'a load balancer on one branch only, and an unknowable type',
      path: 'template.yaml',
      text: `Parameters:
  Check: {Type: String}
Resources:
  A:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: !If [UseLb, [!Ref Tg], !Ref AWS::NoValue]}
  B:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {TargetGroupARNs: [!Ref Tg], HealthCheckType: !Ref Check}
`,
    },
  ],
});
