import rule from '../../../server/src/rules/cfn/unencrypted-storage';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a restore only when a snapshot is given: on the other branch the database is new, and explicitly unencrypted',
      path: 'template.yaml',
      text: `Conditions:
  FromSnapshot: !Not [!Equals [!Ref SnapshotArn, '']]
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: «false»
      DBSnapshotIdentifier: !If [FromSnapshot, !Ref SnapshotArn, !Ref AWS::NoValue]
`,
      messageIds: ['off'],
    },
    {
      name: 'a Kinesis stream without encryption gets the AWS-managed key',
      path: 'template.yaml',
      text: `Resources:
  «Clicks»:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 2
      RetentionPeriodHours: 48
`,
      messages: [
        'Kinesis stream Clicks stores its records unencrypted (no StreamEncryption, and it is off by default).',
      ],
      fixed: `Resources:
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 2
      RetentionPeriodHours: 48
      StreamEncryption:
        EncryptionType: KMS
        KeyId: alias/aws/kinesis
`,
    },
    {
      name: 'search domains without encryption at rest, and a Redshift cluster that switches it off (no fix: the data migrates)',
      path: 'template.yaml',
      text: `Resources:
  «Search»:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      ClusterConfig: {InstanceType: r6g.large.search, InstanceCount: 2}
  Legacy:
    Type: AWS::Elasticsearch::Domain
    Properties:
      ElasticsearchVersion: '7.10'
      EncryptionAtRestOptions: {Enabled: «false»}
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties:
      ClusterType: multi-node
      NodeType: ra3.xlplus
      NumberOfNodes: 2
      Encrypted: «false»
`,
      messages: [
        'OpenSearch domain Search stores its indexes unencrypted (EncryptionAtRestOptions is not enabled, and it is off by default).',
        'Elasticsearch domain Legacy stores its indexes unencrypted (EncryptionAtRestOptions Enabled is false).',
        'Redshift cluster Warehouse stores its data unencrypted (Encrypted is false); new clusters are encrypted unless told otherwise.',
      ],
      messageIds: ['domainNotSet', 'domainOff', 'warehouseOff'],
    },
    {
      name: 'an RDS instance without the switch, an EFS file system with it off and its old copy kept on replacement (no fix)',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres}
  Files:
    Type: AWS::EFS::FileSystem
    UpdateReplacePolicy: Retain
    Properties:
      Encrypted: «false»
`,
      messages: [
        'RDS database instance OrdersDb stores its data unencrypted (StorageEncrypted is not set, and it is off by default). Turn it on before the first deployment: on an existing resource the change forces a replacement, and without UpdateReplacePolicy Retain or Snapshot the old one is deleted with its data.',
        /^EFS file system Files stores its data unencrypted \(Encrypted is false\)\. .*UpdateReplacePolicy keeps the old one for you to copy the data from\.$/,
      ],
      messageIds: ['notSet', 'offKept'],
    },
    {
      name: 'Aurora, DocumentDB, Neptune, EBS and ElastiCache (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Aurora"»: { "Type": "AWS::RDS::DBCluster", "Properties": { "Engine": "aurora-mysql" } },
    «"Docs"»: { "Type": "AWS::DocDB::DBCluster" },
    "Graph": { "Type": "AWS::Neptune::DBCluster", "Properties": { "StorageEncrypted": «"false"» } },
    «"Disk"»: { "Type": "AWS::EC2::Volume", "Properties": { "Size": 10 } },
    «"Cache"»: { "Type": "AWS::ElastiCache::ReplicationGroup" }
  }
}
`,
      messages: [
        /^Aurora cluster Aurora /,
        /^DocumentDB cluster Docs /,
        /^Neptune cluster Graph /,
        /^EBS volume Disk /,
        /^ElastiCache replication group Cache .*AtRestEncryptionEnabled/,
      ],
      messageIds: ['notSet', 'notSet', 'off', 'notSet', 'notSet'],
    },
    {
      name: 'a Multi-AZ DB cluster kept on replacement, and an instance volume (no fix)',
      path: 'template.yaml',
      text: `Resources:
  «Ledger»:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBClusterInstanceClass: db.m6gd.large
  Worker:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref LatestAmiId
      BlockDeviceMappings:
        - DeviceName: /dev/sdf
          Ebs: {VolumeSize: 100, Encrypted: «false»}
`,
      messages: [
        'RDS database cluster Ledger stores its data unencrypted (StorageEncrypted is not set, and it is off by default). Turn it on before the first deployment: on an existing resource the change forces a replacement, and UpdateReplacePolicy keeps the old one for you to copy the data from.',
        'EC2 instance Worker creates the volume /dev/sdf unencrypted (Encrypted is false).',
      ],
      messageIds: ['notSetKept', 'volumeOff'],
    },
    {
      name: 'an SQS queue with its default encryption switched off is fixed',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {SqsManagedSseEnabled: «false»}
`,
      messages: ['SQS queue Jobs stores messages unencrypted (SqsManagedSseEnabled is false).'],
      messageIds: ['queueOff'],
      fixed: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {SqsManagedSseEnabled: true}
`,
    },
    {
      name: 'a launch template mapping with Encrypted false through a parameter default, on both branches',
      path: 'template.yaml',
      text: `Parameters:
  EncryptVolumes: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              Encrypted: «!If [Big, !Ref EncryptVolumes, false]»
`,
      messages: [
        /creates the volume \/dev\/xvda unencrypted \(Encrypted is false \(the default of parameter EncryptVolumes; whichever way condition Big goes\)\)/,
      ],
      messageIds: ['volumeOff'],
      fixed: `Parameters:
  EncryptVolumes: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              Encrypted: !If [Big, !Ref EncryptVolumes, true]
`,
    },
  ],
  clean: [
    {
      name: 'SNS topics without a key belong to the strict-only unencrypted-topic rule',
      path: 'template.yaml',
      text: `Resources:
  Receipts:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Protocol: lambda, Endpoint: !GetAtt Mailer.Arn}]
  Mailer:
    Type: AWS::Lambda::Function
`,
    },
    {
      name: 'encrypted streams, domains and warehouses; a Redshift cluster left to its encrypted default; a restore on every branch',
      path: 'template.yaml',
      text: `Resources:
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1, StreamEncryption: {EncryptionType: KMS, KeyId: !Ref StreamKey}}
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties: {EncryptionAtRestOptions: {Enabled: true}}
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties: {ClusterType: single-node, NodeType: ra3.xlplus}
  Restored:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, StorageEncrypted: false, DBSnapshotIdentifier: !Ref SnapshotArn}
`,
    },
    {
      name: 'encrypted, by switch, by key or on one branch',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {StorageEncrypted: true}
  Keyed:
    Type: AWS::EFS::FileSystem
    Properties: {KmsKeyId: !Ref Key}
  Maybe:
    Type: AWS::EC2::Volume
    Properties: {Encrypted: !If [IsProd, true, false]}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {KmsMasterKeyId: alias/aws/sns}
  Queue:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'long-form intrinsics, and values only known after deployment (custom resource attribute, import)',
      path: 'template.yaml',
      text: `Resources:
  Settings:
    Type: Custom::Settings
  A:
    Type: AWS::EC2::Volume
    Properties:
      Encrypted:
        Fn::GetAtt: [Settings, Encrypt]
  B:
    Type: AWS::EFS::FileSystem
    Properties:
      Encrypted:
        Fn::ImportValue: shared-encryption-flag
  C:
    Type: AWS::RDS::DBCluster
    Properties:
      StorageEncrypted:
        Fn::If: [IsProd, true, false]
`,
    },
    {
      name: 'encryption inherited from a cluster, a source, a snapshot, or Aurora Serverless v1',
      path: 'template.yaml',
      text: `Resources:
  Member:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, Engine: aurora-postgresql}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db}
  Restored:
    Type: AWS::RDS::DBInstance
    Properties: {DBSnapshotIdentifier: snap-1}
  FromSnapshot:
    Type: AWS::EC2::Volume
    Properties: {SnapshotId: snap-0abc}
  ServerlessV1:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, EngineMode: serverless}
  Instance:
    Type: AWS::EC2::Instance
    Properties:
      BlockDeviceMappings: [{DeviceName: /dev/xvda, Ebs: {VolumeSize: 30}}]
`,
    },
  ],
});
