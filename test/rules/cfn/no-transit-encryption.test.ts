import rule from '../../../server/src/rules/cfn/no-transit-encryption';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
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
