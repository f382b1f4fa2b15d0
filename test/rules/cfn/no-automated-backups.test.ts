import rule from '../../../server/src/rules/cfn/no-automated-backups';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'backups switched off on an RDS instance (YAML, with a comment kept)',
      path: 'template.yaml',
      text: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      BackupRetentionPeriod: «0» # saves money in dev
`,
      messages: ['RDS database instance OrdersDb has no automated backups: BackupRetentionPeriod is 0.'],
      messageIds: ['none'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      BackupRetentionPeriod: 7 # saves money in dev
`,
    },
    {
      name: 'left out: one day by default, pointed at the logical id',
      path: 'template.yaml',
      text: `Resources:
  «Cluster»:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
`,
      messages: [
        'Aurora cluster Cluster keeps automated backups for 1 day only: BackupRetentionPeriod is not set, and 1 is the default; keep at least 7.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-mysql
      BackupRetentionPeriod: 7
`,
    },
    {
      name: 'a quoted string in JSON keeps its quotes',
      path: 'template.json',
      text: `{
  "Resources": {
    "Graph": {
      "Type": "AWS::Neptune::DBCluster",
      "Properties": { "BackupRetentionPeriod": «"3"» }
    }
  }
}
`,
      messages: ['Neptune cluster Graph keeps automated backups for 3 days; keep at least 7.'],
      messageIds: ['tooFew'],
      fixed: `{
  "Resources": {
    "Graph": {
      "Type": "AWS::Neptune::DBCluster",
      "Properties": { "BackupRetentionPeriod": "7" }
    }
  }
}
`,
    },
    {
      name: 'YAML flow style, DocumentDB without Properties',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  «Docs»: {Type: AWS::DocDB::DBCluster}
`,
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Docs: {Type: AWS::DocDB::DBCluster, Properties: {BackupRetentionPeriod: 7}}
`,
    },
    {
      name: 'through a parameter default: named in the message, changed by the fix',
      path: 'template.yaml',
      text: `Parameters:
  BackupDays:
    Type: Number
    Default: 0
    MinValue: 0
    MaxValue: 35
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod: «!Ref BackupDays»
`,
      messages: [/BackupRetentionPeriod is 0 \(the default of parameter BackupDays\)\.$/],
      fixed: `Parameters:
  BackupDays:
    Type: Number
    Default: 7
    MinValue: 0
    MaxValue: 35
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod: !Ref BackupDays
`,
    },
    {
      name: 'Fn::If with short retention on both branches names the condition',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod: «!If [IsProd, 3, 0]»
`,
      messages: [/for at most 3 days \(whichever way condition IsProd goes\); keep at least 7\.$/],
      messageIds: ['tooFewAtMost'],
      fixed: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod: !If [IsProd, 7, 7]
`,
    },
    {
      name: 'long-form Fn::If and Ref in YAML',
      path: 'template.yaml',
      text: `Parameters:
  Days:
    Type: Number
    Default: 1
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod:
        «Fn::If:
          - IsProd
          - Ref: Days
          - 0»
`,
      messages: [
        /for at most 1 day \(the default of parameter Days; whichever way condition IsProd goes\); keep at least 7\.$/,
      ],
      fixed: `Parameters:
  Days:
    Type: Number
    Default: 7
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      BackupRetentionPeriod:
        Fn::If:
          - IsProd
          - Ref: Days
          - 7
`,
    },
    {
      name: 'a parameter whose allowed values exclude 7 gets no fix',
      path: 'template.yaml',
      text: `Parameters:
  Days: {Type: Number, Default: 1, AllowedValues: [0, 1]}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: «!Ref Days»}
`,
    },
  ],
  clean: [
    {
      name: 'Properties chosen by Fn::If are decided at deployment: not judged, and no fix writes into the branches',
      path: 'template.yaml',
      text: `Conditions:
  Large: !Equals [!Ref Size, large]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    Properties: !If
      - Large
      - Engine: postgres
        DBInstanceClass: db.r7g.large
      - Engine: postgres
        DBInstanceClass: db.t4g.small
`,
    },
    {
      name: 'a week or more',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: 7}
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: {BackupRetentionPeriod: '35'}
`,
    },
    {
      name: 'members and replicas hold no backups of their own',
      path: 'template.yaml',
      text: `Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {DBClusterIdentifier: !Ref Cluster, Engine: aurora-postgresql}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db, BackupRetentionPeriod: 0}
`,
    },
    {
      name: 'unknowable or one good branch',
      path: 'template.yaml',
      text: `Parameters:
  Days: {Type: Number}
Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: !Ref Days}
  B:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: !If [IsProd, 14, 0]}
  C:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: !ImportValue shared-retention}
`,
    },
  ],
});
