import rule from '../../../server/src/rules/cfn/public-database';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'RDS instance with a literal true (YAML)',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: «true» # for the demo
`,
      messages: [
        'RDS database instance OrdersDb is reachable from the internet: PubliclyAccessible is true.',
      ],
      messageIds: ['public'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: false # for the demo
`,
    },
    {
      name: 'quoted string "true" keeps its quotes',
      path: 'template.yaml',
      text: `Resources:
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties: {NodeType: dc2.large, PubliclyAccessible: «'true'»}
`,
      fixed: `Resources:
  Warehouse:
    Type: AWS::Redshift::Cluster
    Properties: {NodeType: dc2.large, PubliclyAccessible: 'false'}
`,
    },
    {
      name: 'JSON template',
      path: 'template.json',
      text: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mysql", "PubliclyAccessible": «true» }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "mysql", "PubliclyAccessible": false }
    }
  }
}
`,
    },
    {
      name: 'through a parameter default: the message names the parameter, the fix changes the default',
      path: 'template.yaml',
      text: `Parameters:
  DbPublic:
    Type: String
    Default: 'true'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: «!Ref DbPublic»
`,
      messages: [/PubliclyAccessible is true \(the default of parameter DbPublic\)/],
      fixed: `Parameters:
  DbPublic:
    Type: String
    Default: 'false'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !Ref DbPublic
`,
    },
    {
      name: 'Fn::If whose branches are both true names the condition',
      path: 'template.yaml',
      text: `Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: «!If [IsProd, true, true]»
`,
      messages: [/whichever way condition IsProd goes/],
      fixed: `Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !If [IsProd, false, false]
`,
    },
    {
      name: 'DMS replication instance is public when the property is left out',
      path: 'template.yaml',
      text: `Resources:
  «Replicator»:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.medium
`,
      messages: [/defaults to true/],
      fixKind: 'scaffold',
      messageIds: ['publicByDefault'],
      fixed: `Resources:
  Replicator:
    Type: AWS::DMS::ReplicationInstance
    Properties:
      ReplicationInstanceClass: dms.t3.medium
      PubliclyAccessible: false
`,
    },
    {
      name: 'an Amazon MQ broker: replaced by the change, so the fix is a scaffold',
      path: 'template.yaml',
      text: `Resources:
  Broker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: orders
      EngineType: RABBITMQ
      DeploymentMode: SINGLE_INSTANCE
      HostInstanceType: mq.m5.large
      PubliclyAccessible: «true»
`,
      messages: ['Amazon MQ broker Broker is reachable from the internet: PubliclyAccessible is true.'],
      messageIds: ['public'],
      fixKind: 'scaffold',
      fixed: `Resources:
  Broker:
    Type: AWS::AmazonMQ::Broker
    Properties:
      BrokerName: orders
      EngineType: RABBITMQ
      DeploymentMode: SINGLE_INSTANCE
      HostInstanceType: mq.m5.large
      PubliclyAccessible: false
`,
    },
    {
      name: 'RDS without a subnet group lands in the default VPC, where it is public by default',
      path: 'template.yaml',
      text: `Resources:
  «ReportsDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.small
`,
      messages: [/default VPC, where PubliclyAccessible defaults to true/],
      messageIds: ['defaultVpc'],
      fixed: `Resources:
  ReportsDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.small
      PubliclyAccessible: false
`,
    },
  ],
  clean: [
    {
      name: 'private RDS instance',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: false
`,
    },
    {
      name: 'Fn::If with one private branch',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !If [IsDev, true, false]
`,
    },
    {
      name: 'a parameter without a default is unknowable',
      path: 'template.yaml',
      text: `Parameters:
  Public: {Type: String}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: !Ref Public
`,
    },
    {
      name: 'RDS in a subnet group of its own VPC is private when the property is left out',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBSubnetGroupName: !Ref PrivateSubnets
`,
    },
    {
      name: 'an Aurora member takes the subnets of its cluster',
      path: 'template.yaml',
      text: `Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: aurora-postgresql
      DBClusterIdentifier: !Ref Cluster
`,
    },
    {
      name: 'suppressed with a next-line comment',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      # cloud-lessons-disable-next-line private-network/public-database -- demo database with fake data
      PubliclyAccessible: true
`,
    },
    {
      name: 'suppressed with checkov metadata',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_17
            comment: public read-only demo
    Properties:
      PubliclyAccessible: true
`,
    },
    {
      name: 'a YAML file that is not a template',
      path: 'settings.yaml',
      text: `PubliclyAccessible: true\n`,
    },
  ],
});
