import rule from '../../../server/src/rules/cfn/no-storage-autoscaling';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'RDS instance with fixed storage (YAML)',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      AllocatedStorage: '100' # GiB
`,
      messages: [
        'RDS database instance OrdersDb has a fixed 100 GiB of storage and no MaxAllocatedStorage: when the disk fills up, the database stops taking writes.',
      ],
      messageIds: ['fixedStorage'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      AllocatedStorage: '100' # GiB
      MaxAllocatedStorage: 200
`,
    },
    {
      name: 'RDS storage from a parameter default (JSON)',
      path: 'template.json',
      text: `{
  "Parameters": { "Size": { "Type": "Number", "Default": 20 } },
  "Resources": {
    «"Db"»: {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mysql", "AllocatedStorage": { "Ref": "Size" } }
    }
  }
}
`,
      messages: [/fixed 20 GiB of storage \(the default of parameter Size\)/],
      fixed: `{
  "Parameters": { "Size": { "Type": "Number", "Default": 20 } },
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mysql", "AllocatedStorage": { "Ref": "Size" }, "MaxAllocatedStorage": 40 }
    }
  }
}
`,
    },
    {
      name: 'provisioned table without BillingMode: the capacity makes way for on-demand, GSIs too',
      path: 'template.yaml',
      text: `Resources:
  «Events»:
    Type: AWS::DynamoDB::Table
    Properties:
      ProvisionedThroughput:
        ReadCapacityUnits: 5
        WriteCapacityUnits: 5
      GlobalSecondaryIndexes:
        - IndexName: byDate
          ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
          Projection: {ProjectionType: ALL}
`,
      messages: [/has a fixed provisioned capacity and nothing scales it/],
      messageIds: ['fixedCapacity'],
      fixKind: 'scaffold',
      fixed: `Resources:
  Events:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      GlobalSecondaryIndexes:
        - IndexName: byDate
          Projection: {ProjectionType: ALL}
`,
    },
    {
      name: 'explicit PROVISIONED in flow style',
      path: 'template.yaml',
      text: `Resources:
  Events:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: «PROVISIONED», ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}}
`,
      fixKind: 'scaffold',
      fixed: `Resources:
  Events:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
`,
    },
    {
      name: 'a table of Fn::ForEach is named as the copies its loop makes, not by its unexpanded id alone',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - DynamoDB\${TableName}:
        Type: AWS::DynamoDB::Table
        Properties:
          KeySchema: [{AttributeName: id, KeyType: HASH}]
          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
          BillingMode: «PROVISIONED»
          ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
`,
      messages: [
        'DynamoDB table DynamoDB${TableName} (one for each item of Fn::ForEach::Tables) has a fixed provisioned capacity and nothing scales it: requests above it are throttled when traffic grows.',
      ],
      fixKind: 'scaffold',
      fixed: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - DynamoDB\${TableName}:
        Type: AWS::DynamoDB::Table
        Properties:
          KeySchema: [{AttributeName: id, KeyType: HASH}]
          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
          BillingMode: PAY_PER_REQUEST
`,
    },
    {
      name: 'a SAM SimpleTable with provisioned throughput',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Items»:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: id, Type: String}
      ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 2}
`,
      fixKind: 'scaffold',
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: id, Type: String}
`,
    },
    {
      name: 'a SimpleTable with nothing but throughput loses its Properties',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Items»:
    Type: AWS::Serverless::SimpleTable
    Properties:
      ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 2}
  Other:
    Type: AWS::SQS::Queue
`,
      fixKind: 'scaffold',
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
  Other:
    Type: AWS::SQS::Queue
`,
    },
  ],
  clean: [
    {
      name: 'storage that can grow; Aurora members and replicas',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties: {AllocatedStorage: 100, MaxAllocatedStorage: 500}
  B:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cluster}
  C:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref A, AllocatedStorage: 100}
`,
    },
    {
      name: 'on-demand tables and a provisioned table with auto scaling',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
  B:
    Type: AWS::Serverless::SimpleTable
  C:
    Type: AWS::DynamoDB::Table
    Properties:
      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}
  CReads:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ResourceId: !Sub table/\${C}
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      MinCapacity: 5
      MaxCapacity: 100
`,
    },
  ],
});
