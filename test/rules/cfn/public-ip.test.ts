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
      name: 'tasks already in imported private subnets: the address is unused, not exposed',
      path: 'template.yaml',
      text: `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      TaskDefinition: !Ref ApiTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: «ENABLED»
          Subnets:
            - !ImportValue {'Fn::Sub': '\${NetworkStack}:PrivateSubnetOne'}
            - Fn::ImportValue: !Join [':', [!Ref NetworkStack, PrivateSubnetTwo]]
`,
      messages: [
        'ECS service Api gives each task a public IP address (AssignPublicIp is ENABLED), but the tasks run in private subnets (imported PrivateSubnetOne and PrivateSubnetTwo): nothing routes to that address, so it is unused. Set AssignPublicIp to DISABLED, so that the tasks stay unreachable if those subnets ever get a route to the internet.',
      ],
      messageIds: ['taskPublicIpUnused'],
      fixed: `Resources:
  Api:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      TaskDefinition: !Ref ApiTask
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: DISABLED
          Subnets:
            - !ImportValue {'Fn::Sub': '\${NetworkStack}:PrivateSubnetOne'}
            - Fn::ImportValue: !Join [':', [!Ref NetworkStack, PrivateSubnetTwo]]
`,
    },
    {
      name: 'tasks in a list parameter named for private subnets',
      path: 'template.yaml',
      text: `Parameters:
  PrivateSubnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Worker:
    Type: AWS::ECS::Service
    Properties:
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: «ENABLED»
          Subnets: !Ref PrivateSubnets
`,
      messages: [
        'ECS service Worker gives each task a public IP address (AssignPublicIp is ENABLED), but the tasks run in private subnets (parameter PrivateSubnets): nothing routes to that address, so it is unused. Set AssignPublicIp to DISABLED, so that the tasks stay unreachable if those subnets ever get a route to the internet.',
      ],
      messageIds: ['taskPublicIpUnused'],
      fixed: `Parameters:
  PrivateSubnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Worker:
    Type: AWS::ECS::Service
    Properties:
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: DISABLED
          Subnets: !Ref PrivateSubnets
`,
    },
    {
      name: 'an instance in a subnet of the template that goes out through a NAT gateway only',
      path: 'template.yaml',
      text: `Resources:
  Gateway:
    Type: AWS::EC2::InternetGateway
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Edge
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      MapPublicIpOnLaunch: false
  AppRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppRoutes
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRoutes
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          SubnetId: !Ref AppSubnet
          AssociatePublicIpAddress: «true»
`,
      messages: [
        'EC2 instance App gets a public IP address (AssociatePublicIpAddress is true), but it runs in a private subnet (AppSubnet, without a route to an internet gateway): nothing routes to that address, so it is unused. Set AssociatePublicIpAddress to false, so that the instance stays unreachable if that subnet ever gets a route to the internet.',
      ],
      messageIds: ['associatesUnused'],
      fixed: `Resources:
  Gateway:
    Type: AWS::EC2::InternetGateway
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Edge
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      MapPublicIpOnLaunch: false
  AppRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppRoutes
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRoutes
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          SubnetId: !Ref AppSubnet
          AssociatePublicIpAddress: false
`,
    },
    {
      name: 'an instance in a subnet of the template routed to an internet gateway keeps the usual advice',
      path: 'template.yaml',
      text: `Resources:
  Gateway:
    Type: AWS::EC2::InternetGateway
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Edge
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      MapPublicIpOnLaunch: false
  AppRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppRoutes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Gateway
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRoutes
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          SubnetId: !Ref AppSubnet
          AssociatePublicIpAddress: «true»
`,
      messages: [
        'EC2 instance App gets a public IP address (AssociatePublicIpAddress is true): keep application servers in private subnets.',
      ],
      messageIds: ['associates'],
      fixed: `Resources:
  Gateway:
    Type: AWS::EC2::InternetGateway
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Edge
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      MapPublicIpOnLaunch: false
  AppRoutes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  AppDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref AppRoutes
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Gateway
  AppAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref AppSubnet
      RouteTableId: !Ref AppRoutes
  App:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          SubnetId: !Ref AppSubnet
          AssociatePublicIpAddress: false
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
      name: 'an edge device that only lets in SSH: an admin host, whatever its name',
      path: 'template.yaml',
      text: `Resources:
  DeviceSsh:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: SSH from the operator's network
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref OperatorCidr}
  EdgeDevice:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmi
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: true
          GroupSet: [!Ref DeviceSsh]
`,
    },
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
