import rule from '../../../server/src/rules/cfn/lonely-instance';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a web server whose security group opens 443: a reboot alarm is added',
      path: 'template.yaml',
      text: `Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  «WebServer»:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.small
      SecurityGroupIds: [!Ref WebSecurityGroup]
`,
      messages: [
        'EC2 instance WebServer serves an application alone (its security group lets application traffic in), and nothing in this template brings it back when its operating system hangs or the application stops answering (EC2 only moves it off a failed host): run it in an Auto Scaling group, or at least add an alarm that reboots it.',
      ],
      messageIds: ['alone'],
      fixed: `Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
  WebServer:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.small
      SecurityGroupIds: [!Ref WebSecurityGroup]
  WebServerRecoveryAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Reboots WebServer when the instance status check fails for three minutes
      Namespace: AWS/EC2
      MetricName: StatusCheckFailed_Instance
      Dimensions:
        - Name: InstanceId
          Value: !Ref WebServer
      Statistic: Maximum
      Period: 60
      EvaluationPeriods: 3
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !Sub arn:\${AWS::Partition}:automate:\${AWS::Region}:ec2:reboot
`,
    },
    {
      name: 'the only target of a target group, automatic recovery off, in JSON; the alarm name is free',
      path: 'template.json',
      text: `{
  "Resources": {
    «"App"»: {
      "Type": "AWS::EC2::Instance",
      "Properties": { "MaintenanceOptions": { "AutoRecovery": "disabled" } }
    },
    "AppRecoveryAlarm": { "Type": "AWS::SNS::Topic" },
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": { "Targets": [{ "Id": { "Ref": "App" } }] }
    }
  }
}
`,
      messages: [
        'EC2 instance App serves an application alone (it is the only target of its load balancer) with its automatic recovery switched off: nothing in this template brings it back when its host fails, its operating system hangs or the application stops answering. Run it in an Auto Scaling group, or at least add an alarm that recovers it.',
      ],
      messageIds: ['aloneRecoveryOff'],
      fixed: `{
  "Resources": {
    "App": {
      "Type": "AWS::EC2::Instance",
      "Properties": { "MaintenanceOptions": { "AutoRecovery": "disabled" } }
    },
    "AppRecoveryAlarm": { "Type": "AWS::SNS::Topic" },
    "Targets": {
      "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
      "Properties": { "Targets": [{ "Id": { "Ref": "App" } }] }
    },
    "AppRecoveryAlarm2": {
      "Type": "AWS::CloudWatch::Alarm",
      "Properties": {
        "AlarmDescription": "Reboots App when the instance status check fails for three minutes",
        "Namespace": "AWS/EC2",
        "MetricName": "StatusCheckFailed_Instance",
        "Dimensions": [
          {
            "Name": "InstanceId",
            "Value": { "Ref": "App" }
          }
        ],
        "Statistic": "Maximum",
        "Period": 60,
        "EvaluationPeriods": 3,
        "Threshold": 1,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [
          { "Fn::Sub": "arn:\${AWS::Partition}:automate:\${AWS::Region}:ec2:reboot" }
        ]
      }
    }
  }
}
`,
    },
    {
      name: 'flow style, a stand-alone ingress rule on 8080, and a condition the alarm shares',
      path: 'template.yaml',
      text: `Resources:
  «Server»: {Type: AWS::EC2::Instance, Condition: WithServer, Properties: {SecurityGroups: [!Ref Sg]}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: app}}
  SgIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.0.0.0/16}
`,
      messages: [/its security group lets application traffic in/],
      fixed: `Resources:
  Server: {Type: AWS::EC2::Instance, Condition: WithServer, Properties: {SecurityGroups: [!Ref Sg]}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: app}}
  SgIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt Sg.GroupId, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.0.0.0/16}
  ServerRecoveryAlarm:
    Type: AWS::CloudWatch::Alarm
    Condition: WithServer
    Properties:
      AlarmDescription: Reboots Server when the instance status check fails for three minutes
      Namespace: AWS/EC2
      MetricName: StatusCheckFailed_Instance
      Dimensions:
        - Name: InstanceId
          Value: !Ref Server
      Statistic: Maximum
      Period: 60
      EvaluationPeriods: 3
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions:
        - !Sub arn:\${AWS::Partition}:automate:\${AWS::Region}:ec2:reboot
`,
    },
    {
      name: 'an instance with an Elastic IP, inside Fn::ForEach: flagged without a fix',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Servers:
    - Name
    - [A, B]
    - «Server\${Name}»:
        Type: AWS::EC2::Instance
      Ip\${Name}:
        Type: AWS::EC2::EIP
        Properties: {InstanceId: !Ref 'Server\${Name}'}
`,
      messages: [/\(it has an Elastic IP\)/],
    },
  ],
  clean: [
    {
      name: 'a bastion with an Elastic IP whose security group only opens SSH',
      path: 'template.yaml',
      text: `Resources:
  JumpHostSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 198.51.100.0/24}]
  JumpHost:
    Type: AWS::EC2::Instance
    Properties: {SecurityGroupIds: [!GetAtt JumpHostSg.GroupId]}
  JumpHostIp:
    Type: AWS::EC2::EIP
    Properties: {InstanceId: !Ref JumpHost}
`,
    },
    {
      name: 'a bastion that only opens SSH, and an instance with no way in',
      path: 'template.yaml',
      text: `Resources:
  BastionSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 203.0.113.0/24}]
  Bastion:
    Type: AWS::EC2::Instance
    Properties: {SecurityGroupIds: [!Ref BastionSg]}
  Worker:
    Type: AWS::EC2::Instance
`,
    },
    {
      name: 'an existing recovery alarm',
      path: 'template.yaml',
      text: `Resources:
  Eip: {Type: AWS::EC2::EIP, Properties: {InstanceId: !Ref Web}}
  Web: {Type: AWS::EC2::Instance}
  Recover:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: StatusCheckFailed_System
      Dimensions: [{Name: InstanceId, Value: !Ref Web}]
      AlarmActions: [!Sub 'arn:aws:automate:\${AWS::Region}:ec2:recover']
`,
    },
    {
      name: 'a recovery alarm written with Fn::Join, and one with the older action ARN',
      path: 'template.yaml',
      text: `Resources:
  Eip: {Type: AWS::EC2::EIP, Properties: {InstanceId: !Ref Web}}
  Web: {Type: AWS::EC2::Instance}
  Recover:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions: [{Name: InstanceId, Value: !Ref Web}]
      AlarmActions: [!Join ['', ['arn:aws:automate:', !Ref 'AWS::Region', ':ec2:recover']]]
  Eip2: {Type: AWS::EC2::EIP, Properties: {InstanceId: !Ref Api}}
  Api: {Type: AWS::EC2::Instance}
  Reboot:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Dimensions: [{Name: InstanceId, Value: !Ref Api}]
      AlarmActions: ['arn:aws:swf:eu-west-1:123456789012:action/actions/AWS_EC2.InstanceId.Reboot/1.0']
`,
    },
    {
      name: 'two instances behind one load balancer',
      path: 'template.yaml',
      text: `Resources:
  A: {Type: AWS::EC2::Instance}
  B: {Type: AWS::EC2::Instance}
  Lb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties: {Instances: [!Ref A, !Ref B]}
`,
    },
  ],
});
