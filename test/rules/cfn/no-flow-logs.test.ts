import rule from '../../../server/src/rules/cfn/no-flow-logs';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a VPC nobody records gets a flow log, its log group and its role',
      path: 'template.yaml',
      text: `Resources:
  «Network»:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
`,
      messages: [
        'VPC Network records no flow logs: when something connects where it should not, or a connection is refused, there is no record of who talked to whom.',
      ],
      fixed: `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  NetworkFlowLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
  NetworkFlowLogRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: vpc-flow-logs.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: write-flow-logs
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - logs:CreateLogStream
                  - logs:PutLogEvents
                  - logs:DescribeLogStreams
                Resource: !GetAtt NetworkFlowLogGroup.Arn
  NetworkFlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Network
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: cloud-watch-logs
      LogGroupName: !Ref NetworkFlowLogGroup
      DeliverLogsPermissionArn: !GetAtt NetworkFlowLogRole.Arn
`,
    },
  ],
  clean: [
    {
      name: 'a VPC recorded directly, and one recorded through its subnet',
      path: 'template.yaml',
      text: `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  NetworkLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Network, ResourceType: VPC, TrafficType: REJECT, LogDestinationType: s3, LogDestination: !GetAtt Logs.Arn}
  Edge:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.1.0.0/16}
  EdgeSubnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Edge, CidrBlock: 10.1.0.0/24}
  EdgeLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref EdgeSubnet, ResourceType: Subnet, TrafficType: ALL, LogDestinationType: s3, LogDestination: !GetAtt Logs.Arn}
`,
    },
  ],
});
