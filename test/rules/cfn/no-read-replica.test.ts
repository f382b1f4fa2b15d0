import rule from '../../../server/src/rules/cfn/no-read-replica';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a production-sized instance gets a replica that copies its class and security groups',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Condition: IsProd
    Properties:
      Engine: postgres
      DBInstanceClass: db.m7g.xlarge # sized for Black Friday
      MasterUsername: admin
      VPCSecurityGroups: [!Ref DbSecurityGroup]
      BackupRetentionPeriod: 7
`,
      messages: [
        'RDS database instance OrdersDb (db.m7g.xlarge) has no read replica: reads and writes share one instance, so read traffic cannot be scaled out or moved away from the writes.',
      ],
      messageIds: ['noReplica'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Condition: IsProd
    Properties:
      Engine: postgres
      DBInstanceClass: db.m7g.xlarge # sized for Black Friday
      MasterUsername: admin
      VPCSecurityGroups: [!Ref DbSecurityGroup]
      BackupRetentionPeriod: 7
  OrdersDbReadReplica:
    Type: AWS::RDS::DBInstance
    Condition: IsProd
    Properties:
      SourceDBInstanceIdentifier: !Ref OrdersDb
      DBInstanceClass: db.m7g.xlarge
      VPCSecurityGroups:
        - !Ref DbSecurityGroup
`,
    },
    {
      name: 'an Aurora cluster with only its writer (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Cluster"»: {
      "Type": "AWS::RDS::DBCluster",
      "Properties": { "Engine": "aurora-postgresql" }
    },
    "Writer": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "Engine": "aurora-postgresql",
        "DBClusterIdentifier": { "Ref": "Cluster" },
        "DBInstanceClass": "db.r6g.large",
        "AvailabilityZone": "eu-west-1a"
      }
    }
  }
}
`,
      messageIds: ['singleInstanceCluster'],
      messages: [/^Aurora cluster Cluster has a single instance \(Writer, db\.r6g\.large\)/],
      fixed: `{
  "Resources": {
    "Cluster": {
      "Type": "AWS::RDS::DBCluster",
      "Properties": { "Engine": "aurora-postgresql" }
    },
    "Writer": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "Engine": "aurora-postgresql",
        "DBClusterIdentifier": { "Ref": "Cluster" },
        "DBInstanceClass": "db.r6g.large",
        "AvailabilityZone": "eu-west-1a"
      }
    },
    "ClusterReader": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "Engine": "aurora-postgresql",
        "DBClusterIdentifier": { "Ref": "Cluster" },
        "DBInstanceClass": "db.r6g.large"
      }
    }
  }
}
`,
    },
    {
      name: 'the class through a parameter default; automated backups off: no replica can be made',
      path: 'template.yaml',
      text: `Parameters:
  Size: {Type: String, Default: db.r6i.2xlarge}
Resources:
  «Db»:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: !Ref Size, BackupRetentionPeriod: 0}
`,
      messages: [/\(db\.r6i\.2xlarge\) has no read replica/],
      messageIds: ['noReplica'],
    },
    {
      name: 'instances written inside Fn::ForEach are left alone, the one beside them is not',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Databases:
    - Name
    - [Orders, Billing]
    - \${Name}Db:
        Type: AWS::RDS::DBInstance
        Properties: {Engine: postgres, DBInstanceClass: db.m7g.xlarge}
  «Reports»:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, DBInstanceClass: db.r7g.large}
`,
      messageIds: ['noReplica'],
      fixed: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Databases:
    - Name
    - [Orders, Billing]
    - \${Name}Db:
        Type: AWS::RDS::DBInstance
        Properties: {Engine: postgres, DBInstanceClass: db.m7g.xlarge}
  Reports:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, DBInstanceClass: db.r7g.large}
  ReportsReadReplica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: !Ref Reports
      DBInstanceClass: db.r7g.large
`,
    },
  ],
  clean: [
    {
      name: 'burstable, serverless and replicated instances',
      path: 'template.yaml',
      text: `Resources:
  Small:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.t4g.large}
  Main:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.m6i.large}
  MainReplica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Main, DBInstanceClass: db.m6i.large}
  Either:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: !If [IsProd, db.m6i.large, db.t3.micro]}
`,
    },
    {
      name: 'an Aurora cluster with a reader, and one whose instances are serverless',
      path: 'template.yaml',
      text: `Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql}
  One:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}
  Two:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.r6g.large}
  Serverless:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-postgresql}
  ServerlessWriter:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Serverless, DBInstanceClass: db.serverless}
`,
    },
    {
      name: 'a replica whose source cannot be read stops the judging',
      path: 'template.yaml',
      text: `Parameters:
  SourceArn: {Type: String}
Resources:
  Main:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: db.m6i.large}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref SourceArn}
`,
    },
  ],
});
