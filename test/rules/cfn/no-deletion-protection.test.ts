import rule from '../../../server/src/rules/cfn/no-deletion-protection';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'RDS instance without the switch (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres # 16
`,
      messages: [
        'RDS database instance OrdersDb can be deleted by one API call or a stack deletion: DeletionProtection is not set, and it is off by default.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres # 16
      DeletionProtection: true
`,
    },
    {
      name: 'a DeletionPolicy that keeps a snapshot: only the API call deletes it for good',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
`,
      messages: [
        'RDS database instance OrdersDb can be deleted by one API call (a stack deletion leaves a final snapshot): DeletionProtection is not set, and it is off by default.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties:
      Engine: postgres
      DeletionProtection: true
`,
    },
    {
      name: 'DynamoDB table with the switch off, in JSON',
      path: 'template.json',
      text: `{
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": { "DeletionProtectionEnabled": «false» }
    }
  }
}
`,
      messages: [/DynamoDB table Orders .*: DeletionProtectionEnabled is false\.$/],
      messageIds: ['off'],
      fixed: `{
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": { "DeletionProtectionEnabled": true }
    }
  }
}
`,
    },
    {
      name: 'Aurora cluster in flow style',
      path: 'template.yaml',
      text: `Resources:
  «Cluster»:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql}
`,
      fixed: `Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, DeletionProtection: true}
`,
    },
    {
      name: 'Fn::If off on both branches, and a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  Protect: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}
Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
    Properties:
      DeletionProtection: «!If [IsProd, !Ref Protect, false]»
`,
      messages: [
        /DeletionProtection is false \(the default of parameter Protect; whichever way condition IsProd goes\)\.$/,
      ],
      messageIds: ['off'],
      fixed: `Parameters:
  Protect: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}
Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
    Properties:
      DeletionProtection: !If [IsProd, !Ref Protect, true]
`,
    },
    {
      name: 'a global table replica without the switch',
      path: 'template.yaml',
      text: `Resources:
  «Global»:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: eu-west-1
          DeletionProtectionEnabled: true
        - Region: us-east-1
`,
      messages: [
        /DynamoDB global table Global .*: 1 of its 2 replicas leave DeletionProtectionEnabled off\.$/,
      ],
      messageIds: ['someReplicas'],
      fixed: `Resources:
  Global:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: eu-west-1
          DeletionProtectionEnabled: true
        - Region: us-east-1
          DeletionProtectionEnabled: true
`,
    },
    {
      name: 'a global table whose replicas all leave the switch off',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: orders
      Replicas:
        - Region: eu-west-1
          DeletionProtectionEnabled: «false»
        - Region: eu-central-1
`,
      messages: [
        'DynamoDB global table Orders can be deleted by one API call or a stack deletion: no replica turns on DeletionProtectionEnabled.',
      ],
      messageIds: ['noReplica'],
      fixed: `Resources:
  Orders:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: orders
      Replicas:
        - Region: eu-west-1
          DeletionProtectionEnabled: true
        - Region: eu-central-1
          DeletionProtectionEnabled: true
`,
    },
  ],
  clean: [
    {
      name: 'protected databases and tables',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DeletionProtection: true}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {DeletionProtectionEnabled: 'true'}
  Graph:
    Type: AWS::Neptune::DBCluster
    Properties: {DeletionProtection: !If [IsProd, true, false]}
`,
    },
    {
      name: 'members, replicas, short-lived tables, SimpleTable and unknowable values',
      path: 'template.yaml',
      text: `Parameters:
  Protect: {Type: String}
Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db}
  ConnectionsTable:
    Type: AWS::DynamoDB::Table
  Simple:
    Type: AWS::Serverless::SimpleTable
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DeletionProtection: !Ref Protect}
`,
    },
  ],
});
