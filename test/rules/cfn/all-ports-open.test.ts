import rule from '../../../server/src/rules/cfn/all-ports-open';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'every protocol from the VPC range (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      SecurityGroupIngress:
        - IpProtocol: «'-1'»
          CidrIp: 10.0.0.0/16
`,
      messages: [
        'Security group DbSg admits every port of every protocol from 10.0.0.0/16: name the ports the service uses.',
      ],
      messageIds: ['everyProtocol'],
    },
    {
      name: 'the whole TCP range through a parameter default (JSON, stand-alone ingress)',
      path: 'template.json',
      text: `{
  "Parameters": { "VpcCidr": { "Type": "String", "Default": "172.31.0.0/16" } },
  "Resources": {
    "In": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": { "GroupId": { "Ref": "AppSg" }, "IpProtocol": "tcp", "FromPort": «0», "ToPort": 65535, "CidrIp": { "Ref": "VpcCidr" } }
    }
  }
}
`,
      messages: [
        'Security group AppSg admits every TCP port from 172.31.0.0/16 (the default of parameter VpcCidr): name the ports the service uses.',
      ],
      messageIds: ['everyPort'],
    },
    {
      name: 'from another security group is information; Fn::If with both branches open names the condition',
      path: 'template.yaml',
      text: `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: «-1», SourceSecurityGroupId: !Ref AppSg}
        - «!If [Wide, {IpProtocol: -1, CidrIp: 10.0.0.0/8}, {IpProtocol: udp, FromPort: 0, ToPort: 65535, CidrIp: 10.1.0.0/16}]»
`,
      messages: [
        'Security group Sg admits every port of every protocol from security group AppSg: name the ports the service uses.',
        /from 10\.0\.0\.0\/8, whichever way condition Wide goes: /,
      ],
      messageIds: ['everyProtocol', 'everyProtocol'],
    },
    {
      name: 'a group that a load balancer shares with an instance, or that an output hands to other stacks, is still judged',
      path: 'template.yaml',
      text: `Resources:
  SharedSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: front and back
      SecurityGroupIngress:
        - {IpProtocol: «-1», CidrIp: 10.20.0.0/16}
  Front:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, SecurityGroups: [!Ref SharedSg]}
  Back:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-12345678, SecurityGroupIds: [!GetAtt SharedSg.GroupId]}
  EdgeSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: edge}
  EdgeIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref EdgeSg, IpProtocol: tcp, FromPort: «0», ToPort: 65535, CidrIp: 10.30.0.0/16}
  Edge:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, SecurityGroups: [!Ref EdgeSg]}
Outputs:
  EdgeGroup:
    Value: !Ref EdgeSg
    Export: {Name: edge-sg}
`,
      messageIds: ['everyProtocol', 'everyPort'],
    },
  ],
  clean: [
    {
      name: 'groups that only load balancers are in: they answer on their listener ports alone',
      path: 'template.yaml',
      text: `Resources:
  InnerAlbSg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: internal alb, VpcId: !Ref Vpc}
  InnerAlbFromTasks:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref InnerAlbSg, IpProtocol: -1, SourceSecurityGroupId: !Ref TaskSg}
  TaskSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: tasks
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref InnerAlbSg}]
  InnerAlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, SecurityGroups: [!Ref InnerAlbSg]}
  LegacySg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: classic balancer
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 10.0.0.0/8}]
  LegacyElb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties: {Scheme: internal, SecurityGroups: [!GetAtt LegacySg.GroupId]}
`,
    },
    {
      name: 'every port from the load balancer’s own group (ECS dynamic host ports)',
      path: 'template.yaml',
      text: `Resources:
  BalancerGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: balancer, VpcId: vpc-1}
  HostGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: hosts, VpcId: vpc-1}
  FromBalancer:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref HostGroup
      IpProtocol: -1
      SourceSecurityGroupId: !Ref BalancerGroup
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
      SecurityGroups: [!Ref BalancerGroup]
`,
    },
    {
      name: 'named ports, a group admitting itself, the whole internet (reported elsewhere), unknowable sources',
      path: 'template.yaml',
      text: `Parameters:
  Cidr: {Type: String}
Resources:
  Cluster:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16}
        - {IpProtocol: tcp, FromPort: 1024, ToPort: 65535, CidrIp: 10.0.0.0/16}
        - {IpProtocol: -1, CidrIp: 0.0.0.0/0}
        - {IpProtocol: -1, CidrIp: !Ref Cidr}
        - {IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 10.0.0.0/8}
  Self:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Cluster, IpProtocol: -1, SourceSecurityGroupId: !Ref Cluster}
`,
    },
  ],
});
