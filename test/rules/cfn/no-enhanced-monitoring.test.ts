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
      name: 'ECS cluster without settings, in flow style',
      path: 'template.yaml',
      text: `Resources:
  «Cluster»:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: shop}
`,
      messages: [/does not enable Container Insights/],
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
