import rule from '../../../server/src/rules/cfn/no-enhanced-monitoring';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'RDS instance without monitoring: a role is created',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres # 16
`,
      messages: [
        'RDS database instance OrdersDb has no enhanced monitoring and no Performance Insights: when it slows down, there are no OS-level metrics to say why.',
      ],
      messageIds: ['notSetNoInsights'],
      fixKind: 'scaffold',
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres # 16
      MonitoringInterval: 60
      MonitoringRoleArn: !GetAtt RdsMonitoringRole.Arn
  RdsMonitoringRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: monitoring.rds.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole
`,
    },
    {
      name: 'interval 0 from a parameter default, an existing monitoring role is reused (JSON)',
      path: 'template.json',
      text: `{
  "Parameters": {
    "Interval": { "Type": "Number", "AllowedValues": [0, 15, 60], "Default": 0 }
  },
  "Resources": {
    "Monitor": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{ "Effect": "Allow", "Principal": { "Service": "monitoring.rds.amazonaws.com" }, "Action": "sts:AssumeRole" }]
        }
      }
    },
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "EnablePerformanceInsights": true,
        "MonitoringInterval": «{ "Ref": "Interval" }»
      }
    }
  }
}
`,
      messages: [
        /has no enhanced monitoring \(MonitoringInterval is 0 \(the default of parameter Interval\)\): when/,
      ],
      messageIds: ['off'],
      fixed: `{
  "Parameters": {
    "Interval": { "Type": "Number", "AllowedValues": [0, 15, 60], "Default": 60 }
  },
  "Resources": {
    "Monitor": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{ "Effect": "Allow", "Principal": { "Service": "monitoring.rds.amazonaws.com" }, "Action": "sts:AssumeRole" }]
        }
      }
    },
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "EnablePerformanceInsights": true,
        "MonitoringInterval": { "Ref": "Interval" },
        "MonitoringRoleArn": {
          "Fn::GetAtt": ["Monitor", "Arn"]
        }
      }
    }
  }
}
`,
    },
    {
      name: 'a role written in the template and one imported: no new role, a safe fix',
      path: 'template.yaml',
      text: `Resources:
  MonitoringRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: monitoring.rds.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]
  ReportsDb:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, MonitoringInterval: «0»}
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EnablePerformanceInsights: true
      MonitoringRoleArn: !ImportValue platform-rds-monitoring-role
`,
      messages: [
        'RDS database instance ReportsDb has no enhanced monitoring (MonitoringInterval is 0) and no Performance Insights: when it slows down, there are no OS-level metrics to say why.',
        'RDS database instance OrdersDb has no enhanced monitoring: when it slows down, there are no OS-level metrics to say why.',
      ],
      messageIds: ['offNoInsights', 'notSet'],
      fixed: `Resources:
  MonitoringRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: monitoring.rds.amazonaws.com}, Action: sts:AssumeRole}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]
  ReportsDb:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, MonitoringInterval: 60, MonitoringRoleArn: !GetAtt MonitoringRole.Arn}
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      EnablePerformanceInsights: true
      MonitoringRoleArn: !ImportValue platform-rds-monitoring-role
      MonitoringInterval: 60
`,
    },
    {
      name: 'ECS cluster without settings, in flow style',
      path: 'template.yaml',
      text: `Resources:
  «Cluster»:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: shop}
`,
      messages: [/does not enable Container Insights/],
      messageIds: ['insightsNotEnabled'],
      fixed: `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: shop, ClusterSettings: [{Name: containerInsights, Value: enabled}]}
`,
    },
    {
      name: 'ECS cluster with Container Insights disabled',
      path: 'template.yaml',
      text: `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterSettings:
        - Name: containerInsights
          Value: «disabled»
`,
      messageIds: ['insightsDisabled'],
      fixed: `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterSettings:
        - Name: containerInsights
          Value: enabled
`,
    },
  ],
  clean: [
    {
      name: 'monitored instances and clusters',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {MonitoringInterval: 30, MonitoringRoleArn: !GetAtt Role.Arn}
  Either:
    Type: AWS::RDS::DBInstance
    Properties: {MonitoringInterval: !If [IsProd, 60, 0]}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterSettings: [{Name: containerInsights, Value: enhanced}]
`,
    },
    {
      name: 'suppressed with the checkov id in resource metadata',
      path: 'template.yaml',
      text: `Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Metadata:
      checkov:
        skip: [{id: CKV_AWS_65, comment: insights are on at account level}]
`,
    },
  ],
});
