import rule from '../../../server/src/rules/cfn/no-transit-encryption';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Data API clusters whose endpoint address a function is also given, or another stack imports',
      path: 'template.yaml',
      text: `Resources:
  «Notes»:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, EngineMode: serverless, EnableHttpEndpoint: true}
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          DB_HOST: !GetAtt Notes.Endpoint.Address
  «Archive»:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, EngineMode: serverless, EnableHttpEndpoint: true}
Outputs:
  ArchiveHost:
    Value: !Sub '\${Archive.Endpoint.Address}'
    Export: {Name: archive-host}
`,
      messageIds: ['defaultParameterGroup', 'defaultParameterGroup'],
    },
    {
      name: 'databases on the default parameter group of an engine version that leaves TLS optional (information, no fix)',
      path: 'template.yaml',
      text: `Resources:
  «Orders»:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, EngineVersion: '14.10', DBInstanceClass: db.t4g.medium}
  «Shop»:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, EngineVersion: 8.0.35, DBInstanceClass: db.t4g.medium}
  «Ledger»:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, EngineVersion: 8.0.mysql_aurora.3.05.2}
`,
      messages: [
        'RDS database instance Orders uses the default parameter group of PostgreSQL 14, which lets clients connect without TLS (rds.force_ssl is off): give it a parameter group that sets rds.force_ssl to 1.',
        /^RDS database instance Shop uses the default parameter group of MySQL 8\.0, .*require_secure_transport/,
        /^Aurora cluster Ledger uses the default parameter group of Aurora MySQL/,
      ],
      messageIds: ['defaultParameterGroup', 'defaultParameterGroup', 'defaultParameterGroup'],
    },
    {
      name: 'a Redshift parameter group that lets clients connect without TLS',
      path: 'template.yaml',
      text: `Resources:
  WarehouseParameters:
    Type: AWS::Redshift::ClusterParameterGroup
    Properties:
      Description: analytics
      ParameterGroupFamily: redshift-1.0
      Parameters:
        - {ParameterName: enable_user_activity_logging, ParameterValue: 'true'}
        - {ParameterName: require_ssl, ParameterValue: «'false'»}
`,
      messageIds: ['warehouseParameterOff'],
      fixed: `Resources:
  WarehouseParameters:
    Type: AWS::Redshift::ClusterParameterGroup
    Properties:
      Description: analytics
      ParameterGroupFamily: redshift-1.0
      Parameters:
        - {ParameterName: enable_user_activity_logging, ParameterValue: 'true'}
        - {ParameterName: require_ssl, ParameterValue: 'true'}
`,
    },
    {
      name: 'a search domain without node-to-node encryption or HTTPS, and one that switches both off',
      path: 'template.yaml',
      text: `Resources:
  ««Search»»:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
  Logs:
    Type: AWS::Elasticsearch::Domain
    Properties:
      ElasticsearchVersion: '7.10'
      NodeToNodeEncryptionOptions: {Enabled: «false»}
      DomainEndpointOptions: {EnforceHTTPS: «false»}
`,
      messageIds: ['nodeToNodeNotSet', 'httpNotEnforced', 'nodeToNodeOff', 'httpAllowed'],
      fixed: `Resources:
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      EngineVersion: OpenSearch_2.11
      NodeToNodeEncryptionOptions:
        Enabled: true
      DomainEndpointOptions:
        EnforceHTTPS: true
  Logs:
    Type: AWS::Elasticsearch::Domain
    Properties:
      ElasticsearchVersion: '7.10'
      NodeToNodeEncryptionOptions: {Enabled: true}
      DomainEndpointOptions: {EnforceHTTPS: true}
`,
    },
    {
      name: 'an MSK cluster that also accepts plaintext clients gets TLS only',
      path: 'template.yaml',
      text: `Resources:
  Events:
    Type: AWS::MSK::Cluster
    Properties:
      ClusterName: events
      KafkaVersion: 3.6.0
      NumberOfBrokerNodes: 3
      EncryptionInfo:
        EncryptionInTransit: {ClientBroker: «TLS_PLAINTEXT», InCluster: true}
`,
      messages: ['MSK cluster Events lets clients connect without TLS (ClientBroker is TLS_PLAINTEXT).'],
      fixed: `Resources:
  Events:
    Type: AWS::MSK::Cluster
    Properties:
      ClusterName: events
      KafkaVersion: 3.6.0
      NumberOfBrokerNodes: 3
      EncryptionInfo:
        EncryptionInTransit: {ClientBroker: TLS, InCluster: true}
`,
    },
    {
      name: 'encryption between MSK brokers is chosen at creation: reported, no fix',
      path: 'template.yaml',
      text: `Resources:
  Events:
    Type: AWS::MSK::Cluster
    Properties:
      EncryptionInfo:
        EncryptionInTransit:
          ClientBroker: TLS
          InCluster: «false»
`,
      messages: [
        'MSK cluster Events sends data between its brokers unencrypted (InCluster is false); it can only be chosen when the cluster is created.',
      ],
      messageIds: ['kafkaInClusterOff'],
    },
    {
      name: 'ECS tasks that mount EFS without TLS, left out and switched off',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Volumes:
        - Name: uploads
          «EFSVolumeConfiguration»:
            FilesystemId: !Ref Uploads
        - Name: cache
          EFSVolumeConfiguration: {FilesystemId: !Ref Cache, TransitEncryption: «DISABLED»}
        - Name: scratch
          Host: {SourcePath: /tmp}
`,
      messageIds: ['efsVolumeNotSet', 'efsVolumeOff'],
      fixed: `Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Volumes:
        - Name: uploads
          EFSVolumeConfiguration:
            FilesystemId: !Ref Uploads
            TransitEncryption: ENABLED
        - Name: cache
          EFSVolumeConfiguration: {FilesystemId: !Ref Cache, TransitEncryption: ENABLED}
        - Name: scratch
          Host: {SourcePath: /tmp}
`,
    },
    {
      name: 'a Redis replication group without TLS (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  «Sessions»:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      Engine: redis # 7.1
`,
      messages: [
        'ElastiCache replication group Sessions accepts connections without TLS (TransitEncryptionEnabled is not set, and it is off by default).',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Sessions:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      Engine: redis # 7.1
      TransitEncryptionEnabled: true
`,
    },
    {
      name: 'TLS switched off through a parameter default, and preferred mode (flow style)',
      path: 'template.yaml',
      text: `Parameters:
  Tls: {Type: String, Default: 'false', AllowedValues: ['true', 'false']}
Resources:
  A:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: «!Ref Tls»}
  B:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: true, TransitEncryptionMode: «preferred»}
`,
      messages: [
        /\(TransitEncryptionEnabled is false \(the default of parameter Tls\)\)\.$/,
        /TransitEncryptionMode is preferred/,
      ],
      messageIds: ['off', 'preferred'],
      fixed: `Parameters:
  Tls: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}
Resources:
  A:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: !Ref Tls}
  B:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: true, TransitEncryptionMode: required}
`,
    },
    {
      name: 'parameter groups: PostgreSQL 14 switched off, MySQL left at its default (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    "Pg": {
      "Type": "AWS::RDS::DBParameterGroup",
      "Properties": { "Family": "postgres14", "Description": "pg", "Parameters": { "rds.force_ssl": «0» } }
    },
    «"My"»: {
      "Type": "AWS::RDS::DBClusterParameterGroup",
      "Properties": {
        "Family": "aurora-mysql8.0",
        "Description": "my",
        "Parameters": {
          "time_zone": "UTC"
        }
      }
    }
  }
}
`,
      messages: [
        'Parameter group Pg (postgres14) lets clients connect without TLS (rds.force_ssl is 0).',
        'Parameter group My (aurora-mysql8.0) lets clients connect without TLS: require_secure_transport is not set, and the engine leaves it off.',
      ],
      messageIds: ['parameterOff', 'parameterNotSet'],
      fixed: `{
  "Resources": {
    "Pg": {
      "Type": "AWS::RDS::DBParameterGroup",
      "Properties": { "Family": "postgres14", "Description": "pg", "Parameters": { "rds.force_ssl": "1" } }
    },
    "My": {
      "Type": "AWS::RDS::DBClusterParameterGroup",
      "Properties": {
        "Family": "aurora-mysql8.0",
        "Description": "my",
        "Parameters": {
          "time_zone": "UTC",
          "require_secure_transport": "1"
        }
      }
    }
  }
}
`,
    },
    {
      name: 'MemoryDB with TLS off',
      path: 'template.yaml',
      text: `Resources:
  Memory:
    Type: AWS::MemoryDB::Cluster
    Properties:
      TLSEnabled: «false»
`,
      messageIds: ['memoryDbOff'],
      fixed: `Resources:
  Memory:
    Type: AWS::MemoryDB::Cluster
    Properties:
      TLSEnabled: true
`,
    },
  ],
  clean: [
    {
      name: 'a Data API cluster whose endpoint address nothing reads: its clients call the HTTPS Data API',
      path: 'template.yaml',
      text: `Resources:
  Notes:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, EngineMode: serverless, EnableHttpEndpoint: true}
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          CLUSTER_ARN: !Sub 'arn:aws:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:\${Notes}'
Outputs:
  NotesEndpoint:
    Description: shown to whoever deploys the stack
    Value: !GetAtt Notes.Endpoint.Address
`,
    },
    {
      name: 'engines that require TLS by default or take a named group; TLS everywhere on search, Kafka and EFS',
      path: 'template.yaml',
      text: `Resources:
  Modern:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, EngineVersion: '16.3'}
  Latest:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql}
  Tuned:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, EngineVersion: 8.0.35, DBParameterGroupName: !Ref ShopParameters}
  Member:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Ledger}
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      NodeToNodeEncryptionOptions: {Enabled: true}
      DomainEndpointOptions: {EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07}
  Events:
    Type: AWS::MSK::Cluster
    Properties: {EncryptionInfo: {EncryptionInTransit: {ClientBroker: TLS, InCluster: true}}}
  DefaultEvents:
    Type: AWS::MSK::Cluster
    Properties: {ClusterName: events}
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Volumes: [{Name: uploads, EFSVolumeConfiguration: {FilesystemId: !Ref Uploads, TransitEncryption: ENABLED}}]
  WarehouseParameters:
    Type: AWS::Redshift::ClusterParameterGroup
    Properties:
      Parameters: [{ParameterName: require_ssl, ParameterValue: 'true'}]
`,
    },
    {
      name: 'TLS required, or on one branch, or unknowable',
      path: 'template.yaml',
      text: `Parameters:
  Tls: {Type: String}
Resources:
  A:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: true}
  B:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: !If [IsProd, true, false]}
  C:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {TransitEncryptionEnabled: !Ref Tls}
  Memory:
    Type: AWS::MemoryDB::Cluster
`,
    },
    {
      name: 'parameter groups that require TLS, PostgreSQL 15+ by default, Aurora instance groups, Oracle',
      path: 'template.yaml',
      text: `Resources:
  Pg16:
    Type: AWS::RDS::DBParameterGroup
    Properties: {Family: postgres16, Description: pg, Parameters: {work_mem: '4096'}}
  My:
    Type: AWS::RDS::DBParameterGroup
    Properties: {Family: mysql8.0, Description: my, Parameters: {require_secure_transport: 'ON'}}
  AuroraInstance:
    Type: AWS::RDS::DBParameterGroup
    Properties: {Family: aurora-postgresql15, Description: instance settings}
  Oracle:
    Type: AWS::RDS::DBParameterGroup
    Properties: {Family: oracle-ee-19, Description: ora}
`,
    },
  ],
});
