import rule from '../../../server/src/rules/cfn/rds-single-az';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'instance without MultiAZ (YAML), pinned zone removed by the fix',
      path: 'template.yaml',
      text: `Resources:
  «OrdersDb»:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      AvailabilityZone: eu-west-1a # next to the app
      DBInstanceClass: db.m7g.large
`,
      messages: [
        'RDS database instance OrdersDb runs in a single Availability Zone: MultiAZ is not set, so a host or zone failure takes it down until it is rebuilt.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.m7g.large
      MultiAZ: true
`,
    },
    {
      name: 'MultiAZ false in flow style',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, MultiAZ: «'false'»}
`,
      messages: [
        'RDS database instance Db runs in a single Availability Zone: MultiAZ is false, so a host or zone failure takes it down until it is rebuilt.',
      ],
      messageIds: ['off'],
      fixed: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, MultiAZ: 'true'}
`,
    },
    {
      name: 'JSON instance with MultiAZ false',
      path: 'template.json',
      text: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "postgres", "MultiAZ": «false» }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": { "Engine": "postgres", "MultiAZ": true }
    }
  }
}
`,
    },
    {
      name: 'through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  MultiAz:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'false'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: «!Ref MultiAz»
`,
      messages: [/Availability Zone: MultiAZ is false \(the default of parameter MultiAz\), so/],
      messageIds: ['off'],
      fixed: `Parameters:
  MultiAz:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'true'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: !Ref MultiAz
`,
    },
    {
      name: 'Fn::If with false and a left-out branch: flagged, no fix',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: «!If [IsProd, false, !Ref AWS::NoValue]»
`,
      messages: [/whichever way condition IsProd goes/],
    },
    {
      name: 'long-form Fn::If in YAML with false on both branches',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ:
        «Fn::If: [IsProd, false, 'false']»
`,
      messages: [/whichever way condition IsProd goes/],
      fixed: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ:
        Fn::If: [IsProd, true, 'true']
`,
    },
  ],
  clean: [
    {
      name: 'Multi-AZ instance',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, MultiAZ: true}
`,
    },
    {
      name: 'Multi-AZ only in production',
      path: 'template.yaml',
      text: `Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: !If [IsProd, true, false]
`,
    },
    {
      name: 'Aurora members, read replicas and SQL Server Express',
      path: 'template.yaml',
      text: `Resources:
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster}
  Replica:
    Type: AWS::RDS::DBInstance
    Properties: {SourceDBInstanceIdentifier: !Ref Db}
  Express:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: sqlserver-ex}
`,
    },
    {
      name: 'a parameter without a default',
      path: 'template.yaml',
      text: `Parameters:
  MultiAz: {Type: String}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {MultiAZ: !Ref MultiAz}
`,
    },
    {
      name: 'an imported value and a custom resource attribute are unknowable',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties: {MultiAZ: !ImportValue platform-multi-az}
  B:
    Type: AWS::RDS::DBInstance
    Properties:
      MultiAZ: {"Fn::GetAtt": [Settings, MultiAz]}
  Settings:
    Type: AWS::CloudFormation::CustomResource
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
        skip: [{id: CKV_AWS_157, comment: single-AZ test database}]
`,
    },
  ],
});
