import rule from '../../../server/src/rules/cfn/world-open-port';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a /0 range is every address whatever is written before the slash, IPv4 and IPv6',
      path: 'template.yaml',
      text: `Resources:
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: «10.0.0.0/0»}
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIpv6: «2001:db8::/0»}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
`,
      messages: [
        /opens port 22 \(SSH\) to every address \(10\.0\.0\.0\/0\)/,
        /opens port 5432 \(PostgreSQL\) to every address \(2001:db8::\/0\)/,
      ],
      fixed: `Parameters:
  BastionSSHCidr:
    Type: String
    Description: The address range allowed to reach port 22 (SSH) of Bastion
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
  BastionPostgreSQLIpv6Cidr:
    Type: String
    Description: The IPv6 address range allowed to reach port 5432 (PostgreSQL) of Bastion
    AllowedPattern: '^[0-9a-fA-F:]+/\\d{1,3}$'
Resources:
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref BastionSSHCidr}
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIpv6: !Ref BastionPostgreSQLIpv6Cidr}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
`,
    },
    {
      name: 'a group a load balancer shares with the instances behind it opens the instances too',
      path: 'template.yaml',
      text: `Resources:
  SharedSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web tier
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: «0.0.0.0/0»}
  Lb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      SecurityGroups: [!Ref SharedSg]
      Listeners: [{LoadBalancerPort: 8080, InstancePort: 8080, Protocol: HTTP}]
  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0abcdef1234567890, SecurityGroupIds: [!GetAtt SharedSg.GroupId]}
`,
      messageIds: ['worldOpen'],
      fixed: `Parameters:
  SharedSgPort8080Cidr:
    Type: String
    Description: The address range allowed to reach port 8080 of SharedSg
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
Resources:
  SharedSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web tier
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: !Ref SharedSgPort8080Cidr}
  Lb:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      SecurityGroups: [!Ref SharedSg]
      Listeners: [{LoadBalancerPort: 8080, InstancePort: 8080, Protocol: HTTP}]
  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0abcdef1234567890, SecurityGroupIds: [!GetAtt SharedSg.GroupId]}
`,
    },
    {
      name: 'SSH open to the world is an error; the fix adds a required parameter above Resources',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp # admin access
          FromPort: 22
          ToPort: 22
          CidrIp: «0.0.0.0/0»
`,
      messages: [
        'Security group WebSecurityGroup opens port 22 (SSH) to every address (0.0.0.0/0); SSH should only be reachable from known networks.',
      ],
      messageIds: ['worldOpenCriticalPort'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  WebSecurityGroupSSHCidr:
    Type: String
    Description: The address range allowed to reach port 22 (SSH) of WebSecurityGroup
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp # admin access
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref WebSecurityGroupSSHCidr
`,
    },
    {
      name: 'an application port is a warning; a stand-alone ingress in JSON with IPv6, and an existing Parameters section',
      path: 'template.json',
      text: `{
  "Parameters": {
    "Env": { "Type": "String" }
  },
  "Resources": {
    "AppIn": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": { "GroupId": { "Ref": "AppSg" }, "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIpv6": «"::/0"» }
    }
  }
}
`,
      messages: ['Security group AppSg opens port 8080 to every address (::/0).'],
      messageIds: ['worldOpen'],
      fixed: `{
  "Parameters": {
    "Env": { "Type": "String" },
    "AppSgPort8080Ipv6Cidr": {
      "Type": "String",
      "Description": "The IPv6 address range allowed to reach port 8080 of AppSg",
      "AllowedPattern": "^[0-9a-fA-F:]+/\\\\d{1,3}$"
    }
  },
  "Resources": {
    "AppIn": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": { "GroupId": { "Ref": "AppSg" }, "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIpv6": { "Ref": "AppSgPort8080Ipv6Cidr" } }
    }
  }
}
`,
    },
    {
      name: 'every port open',
      path: 'template.yaml',
      text: `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: '-1', CidrIp: «0.0.0.0/0»}
`,
      messages: [
        /opens every port to every address \(0\.0\.0\.0\/0\); SSH, RDP and every database should only be reachable from known networks\.$/,
      ],
      messageIds: ['worldOpenCriticalPort'],
      fixed: `Parameters:
  SgAllPortsCidr:
    Type: String
    Description: The address range allowed to reach every port of Sg
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: '-1', CidrIp: !Ref SgAllPortsCidr}
`,
    },
    {
      name: 'an Fn::If entry open to the world on both branches names the condition (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - «!If [Debug, {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: 0.0.0.0/0}, {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0}]»
`,
      messages: [
        'Security group Sg opens port 3306 (MySQL) or port 5432 (PostgreSQL) to every address (0.0.0.0/0), whichever way condition Debug goes; MySQL or PostgreSQL should only be reachable from known networks.',
      ],
      messageIds: ['worldOpenCriticalPort'],
    },
  ],
  clean: [
    {
      name: 'a world-wide range that only a parameter default supplies: world-open-port-default (strict) reports it',
      path: 'template.yaml',
      text: `Parameters:\n  SSHLocation:\n    Type: String\n    Default: 0.0.0.0/0\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}]\n`,
    },
    {
      name: 'web ports, private ranges, other groups, ICMP, one open branch, unknowable ranges',
      path: 'template.yaml',
      text: `Parameters:
  Cidr: {Type: String}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIpv6: ::/0}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSg}
        - {IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [Open, 0.0.0.0/0, 10.0.0.0/8]}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr}
        - !If [Debug, {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}, !Ref AWS::NoValue]
`,
    },
    {
      name: 'a group that only Lambda functions use admits nothing',
      path: 'template.yaml',
      text: `Resources:
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 27017, ToPort: 27017, CidrIp: 0.0.0.0/0}]
  Fn:
    Type: AWS::Serverless::Function
    Properties: {VpcConfig: {SecurityGroupIds: [!Ref FnSg], SubnetIds: [!Ref A]}}
`,
    },
    {
      name: "a load balancer's group only answers on its listeners",
      path: 'template.yaml',
      text: `Resources:
  LbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: '-1', CidrIp: 0.0.0.0/0}]
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {SecurityGroups: [!Ref LbSg]}
`,
    },
    {
      name: 'the instances behind a load balancer in a group of their own admit only the load balancer',
      path: 'template.yaml',
      text: `Resources:
  LbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: load balancer
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8443, ToPort: 8443, CidrIp: 0.0.0.0/0}]
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref LbSg}]
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {SecurityGroups: [!Ref LbSg], Subnets: [subnet-1, subnet-2]}
  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0abcdef1234567890, SecurityGroupIds: [!Ref AppSg]}
`,
    },
  ],
});
