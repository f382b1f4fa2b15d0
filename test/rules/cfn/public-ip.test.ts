import rule from '../../../server/src/rules/cfn/public-ip';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a prefix list for the app port, but SSH open to an address range',
      path: 'template.yaml',
      text: `Resources:
  OriginGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: CloudFront and admins
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourcePrefixListId: pl-3b927c52}
  AdminSsh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref OriginGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 203.0.113.0/24
  Origin:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: «true»
          GroupSet: [!Ref OriginGroup]
`,
      messageIds: ['associates'],
      fixed: `Resources:
  OriginGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: CloudFront and admins
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourcePrefixListId: pl-3b927c52}
  AdminSsh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref OriginGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 203.0.113.0/24
  Origin:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: false
          GroupSet: [!Ref OriginGroup]
`,
    },
    {
      name: 'an ECS service that gives its Fargate tasks public addresses',
      path: 'template.yaml',
      text: `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref ApiTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: «ENABLED»
          Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
`,
      messages: [
        'ECS service Api gives each task a public IP address (AssignPublicIp is ENABLED): keep tasks in private subnets, behind a load balancer.',
      ],
      messageIds: ['taskPublicIp'],
      fixed: `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref ApiTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: DISABLED
          Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
`,
    },
    {
      name: 'a launch template interface with a public address (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  AppTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: «true» # for updates
`,
      messages: [
        'Launch template AppTemplate gets a public IP address (AssociatePublicIpAddress is true): keep application servers in private subnets.',
      ],
      messageIds: ['associates'],
      fixed: `Resources:
  AppTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: false # for updates
`,
    },
    {
      name: 'a launch configuration in JSON with a quoted value',
      path: 'template.json',
      text: `{
  "Resources": {
    "Config": {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": { "AssociatePublicIpAddress": «"true"» }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Config": {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": { "AssociatePublicIpAddress": "false" }
    }
  }
}
`,
    },
    {
      name: 'an instance interface through a parameter default on both branches (flow style)',
      path: 'template.yaml',
      text: `Parameters:
  PublicIp: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {NetworkInterfaces: [{DeviceIndex: '0', AssociatePublicIpAddress: «!If [Prod, !Ref PublicIp, true]»}]}
`,
      messages: [
        /\(AssociatePublicIpAddress is true \(the default of parameter PublicIp; whichever way condition Prod goes\)\)/,
      ],
      fixed: `Parameters:
  PublicIp: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties: {NetworkInterfaces: [{DeviceIndex: '0', AssociatePublicIpAddress: !If [Prod, !Ref PublicIp, false]}]}
`,
    },
    {
      name: 'an instance in a public subnet (no fix: the subnet serves others too)',
      path: 'template.yaml',
      text: `Resources:
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: {MapPublicIpOnLaunch: true}
  App:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: «!Ref PublicSubnet»}
`,
      messages: [/gets a public IP address from subnet PublicSubnet \(MapPublicIpOnLaunch is true\)/],
      messageIds: ['publicSubnet'],
    },
  ],
  clean: [
    {
      name: 'an origin that only the CloudFront prefix list may reach',
      path: 'template.yaml',
      text: `Parameters:
  CloudFrontPrefixList:
    Type: String
    Default: pl-3b927c52
Resources:
  OriginGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: only CloudFront
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 8080
          ToPort: 8080
          SourcePrefixListId: !Ref CloudFrontPrefixList
  Origin:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      SecurityGroupIds: [!GetAtt OriginGroup.GroupId]
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: true
`,
    },
    {
      name: 'ECS services without public addresses',
      path: 'template.yaml',
      text: `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: DISABLED, Subnets: [!Ref PrivateA]}}
  Worker:
    Type: AWS::ECS::Service
    Properties:
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref PrivateA]}}
`,
    },
    {
      name: 'private interfaces, private subnets, one public branch, unknowable values',
      path: 'template.yaml',
      text: `Parameters:
  PublicIp: {Type: String}
Resources:
  Private:
    Type: AWS::EC2::Subnet
  A:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref Private}
  B:
    Type: AWS::EC2::Instance
    Properties: {NetworkInterfaces: [{AssociatePublicIpAddress: false}]}
  C:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {NetworkInterfaces: [{AssociatePublicIpAddress: !If [Dev, true, false]}]}}
  D:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {AssociatePublicIpAddress: !Ref PublicIp}
`,
    },
    {
      name: 'bastions and NAT instances need their address',
      path: 'template.yaml',
      text: `Resources:
  Public:
    Type: AWS::EC2::Subnet
    Properties: {MapPublicIpOnLaunch: true}
  BastionHost:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref Public}
  Router:
    Type: AWS::EC2::Instance
    Properties: {SourceDestCheck: false, NetworkInterfaces: [{AssociatePublicIpAddress: true}]}
`,
    },
  ],
});
