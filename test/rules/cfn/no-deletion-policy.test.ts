import rule from '../../../server/src/rules/cfn/no-deletion-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'DynamoDB table with neither policy: both are added after Type',
      path: 'template.yaml',
      text: `Resources:
  «OrdersTable»:
    Type: AWS::DynamoDB::Table
    # keyed by order id
    Properties:
      BillingMode: PAY_PER_REQUEST
`,
      messages: [
        'DynamoDB table OrdersTable: deleting the stack, removing it from the template or an update that replaces it deletes it with its data (neither DeletionPolicy nor UpdateReplacePolicy is set).',
      ],
      messageIds: ['neitherSet'],
      fixed: `Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    # keyed by order id
    Properties:
      BillingMode: PAY_PER_REQUEST
`,
    },
    {
      name: 'explicit Delete on an Aurora cluster points at the value; the missing replace policy is added too',
      fixKind: 'scaffold',
      path: 'template.yaml',
      text: `Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: «'Delete'»
    Properties:
      Engine: aurora-postgresql
`,
      messages: [/Aurora cluster Cluster: .* \(DeletionPolicy is Delete\)\.$/],
      messageIds: ['bothDelete'],
      fixed: `Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    UpdateReplacePolicy: Snapshot
    DeletionPolicy: 'Snapshot'
    Properties:
      Engine: aurora-postgresql
`,
    },
    {
      name: 'SAM SimpleTable in flow style, Type last',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  «Customers»: {Type: AWS::Serverless::SimpleTable}
`,
      messages: [/^DynamoDB table Customers: /],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Customers: {Type: AWS::Serverless::SimpleTable, DeletionPolicy: Retain, UpdateReplacePolicy: Retain}
`,
    },
    {
      name: 'EFS file system in JSON',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Shared"»: {
      "Type": "AWS::EFS::FileSystem",
      "Properties": { "Encrypted": true }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Shared": {
      "Type": "AWS::EFS::FileSystem",
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain",
      "Properties": { "Encrypted": true }
    }
  }
}
`,
    },
    {
      name: 'an RDS instance is snapshotted on deletion by default, but replacement deletes it',
      path: 'template.yaml',
      text: `Resources:
  «Db»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
`,
      messages: [
        'RDS database instance Db gets a final snapshot on stack deletion (by default), but an update that replaces it (a new name or engine) deletes the old one with its data (UpdateReplacePolicy is not set).',
      ],
      messageIds: ['replacementNotSet'],
      fixed: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
`,
    },
    {
      name: 'Fn::If whose branches both delete names the condition',
      fixKind: 'scaffold',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Volume:
    Type: AWS::EC2::Volume
    DeletionPolicy: «!If [IsProd, Delete, Delete]»
    UpdateReplacePolicy: Snapshot
    Properties: {Size: 10, AvailabilityZone: eu-west-1a}
`,
      messages: [/\(DeletionPolicy is Delete \(whichever way condition IsProd goes\)\)\.$/],
      messageIds: ['deletionDelete'],
      fixed: `Transform: AWS::LanguageExtensions
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Volume:
    Type: AWS::EC2::Volume
    DeletionPolicy: !If [IsProd, Snapshot, Snapshot]
    UpdateReplacePolicy: Snapshot
    Properties: {Size: 10, AvailabilityZone: eu-west-1a}
`,
    },
    {
      name: 'a parameter default that deletes: the message names it and the fix changes it',
      fixKind: 'scaffold',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Parameters:
  TablePolicy:
    Type: String
    Default: Delete
    AllowedValues: [Delete, Retain]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: «!Ref TablePolicy»
    UpdateReplacePolicy: !Ref TablePolicy
`,
      messages: [/\(DeletionPolicy is Delete \(the default of parameter TablePolicy\)\)\.$/],
      fixed: `Transform: AWS::LanguageExtensions
Parameters:
  TablePolicy:
    Type: String
    Default: Retain
    AllowedValues: [Delete, Retain]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !Ref TablePolicy
    UpdateReplacePolicy: !Ref TablePolicy
`,
    },
    {
      name: 'only UpdateReplacePolicy written, and it deletes: the message says so',
      fixKind: 'scaffold',
      path: 'template.yaml',
      text: `Resources:
  «Docs»:
    Type: AWS::DocDB::DBCluster
    UpdateReplacePolicy: Delete
    Properties:
      DBClusterIdentifier: docs
`,
      messages: [
        'DocumentDB cluster Docs: deleting the stack, removing it from the template or an update that replaces it deletes it with its data (DeletionPolicy is not set, and UpdateReplacePolicy is Delete).',
      ],
      messageIds: ['deletionNotSetReplacementDelete'],
      fixed: `Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      DBClusterIdentifier: docs
`,
    },
    {
      name: 'a volume kept on replacement but not on deletion',
      path: 'template.yaml',
      text: `Resources:
  «DataVolume»:
    Type: AWS::EC2::Volume
    UpdateReplacePolicy: Snapshot
    Properties: {Size: 100, AvailabilityZone: eu-west-1a}
`,
      messages: [
        'EBS volume DataVolume: deleting the stack or removing it from the template deletes it with its data (DeletionPolicy is not set).',
      ],
      messageIds: ['deletionNotSet'],
      fixed: `Resources:
  DataVolume:
    Type: AWS::EC2::Volume
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties: {Size: 100, AvailabilityZone: eu-west-1a}
`,
    },
    {
      name: 'an RDS instance snapshotted on deletion but deleted on replacement (JSON)',
      fixKind: 'scaffold',
      path: 'template.json',
      text: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "DeletionPolicy": "Snapshot",
      "UpdateReplacePolicy": «"Delete"»,
      "Properties": { "Engine": "postgres" }
    }
  }
}
`,
      messages: [
        'RDS database instance Db gets a final snapshot on stack deletion, but an update that replaces it (a new name or engine) deletes the old one with its data (UpdateReplacePolicy is Delete).',
      ],
      messageIds: ['replacementDelete'],
      fixed: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "DeletionPolicy": "Snapshot",
      "UpdateReplacePolicy": "Snapshot",
      "Properties": { "Engine": "postgres" }
    }
  }
}
`,
    },
    {
      name: 'a table kept on stack deletion is still deleted by a replacement',
      path: 'template.yaml',
      text: `Resources:
  «Orders»:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
`,
      messages: [
        'DynamoDB table Orders is kept when the stack is deleted, but an update that replaces it (a new name or engine) deletes the old one with its data (UpdateReplacePolicy is not set).',
      ],
      messageIds: ['replacementNotSet'],
      fixed: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain
`,
    },
  ],
  clean: [
    {
      name: 'both policies keep the data',
      path: 'template.yaml',
      text: `Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: RetainExceptOnCreate
  Db:
    Type: AWS::RDS::DBInstance
    UpdateReplacePolicy: Snapshot
    Properties: {Engine: mysql}
`,
    },
    {
      name: 'Aurora member instances, read replicas and memcached hold nothing of their own',
      path: 'template.yaml',
      text: `Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, Engine: aurora-mysql}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db}
  DocMember:
    Type: AWS::DocDB::DBInstance
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties: {Engine: memcached, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1}
`,
    },
    {
      name: 'Fn::If with one keeping branch, and a policy from a parameter without default',
      path: 'template.yaml',
      text: `Parameters:
  Policy: {Type: String}
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: !If [IsProd, Retain, Delete]
    UpdateReplacePolicy: !Ref Policy
`,
    },
    {
      name: 'tables named for short-lived state (WebSocket connections, sessions, locks)',
      path: 'template.yaml',
      text: `Resources:
  ConnectionsTable:
    Type: AWS::DynamoDB::Table
  Store:
    Type: AWS::Serverless::SimpleTable
    Properties: {TableName: user-sessions}
`,
    },
    {
      name: 'S3 buckets are left to bucket-deleted-with-stack (strict)',
      path: 'template.yaml',
      text: `Resources:\n  Uploads:\n    Type: AWS::S3::Bucket\n`,
    },
    {
      name: 'suppressed for the peer id',
      path: 'template.yaml',
      text: `Resources:
  Scratch:
    Type: AWS::DynamoDB::Table
    Metadata:
      cfn-lint:
        config:
          ignore_checks: [I3011]
`,
    },
  ],
});
