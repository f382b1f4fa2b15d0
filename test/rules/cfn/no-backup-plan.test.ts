import rule from '../../../server/src/rules/cfn/no-backup-plan';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a volume, a conditional file system and a Lustre file system with backups off: a finding on each, one plan that selects them all',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  «Volume»:
    Type: AWS::EC2::Volume
    Properties: {Size: 100, AvailabilityZone: eu-west-1a}
  # the shared files
  «Files»:
    Type: AWS::EFS::FileSystem
    Condition: WithFiles
  «Lustre»:
    Type: AWS::FSx::FileSystem
    Properties:
      FileSystemType: LUSTRE
      LustreConfiguration: {DeploymentType: PERSISTENT_2, AutomaticBackupRetentionDays: 0}
Outputs:
  VolumeId: {Value: !Ref Volume}
`,
      messages: [
        'No AWS Backup plan covers EBS volume Volume, and the service keeps no backup of it on its own: one deletion or corruption and the data is gone.',
        'No AWS Backup plan covers EFS file system Files, and the service keeps no backup of it on its own: one deletion or corruption and the data is gone.',
        /^No AWS Backup plan covers FSx file system Lustre,/,
      ],
      messageIds: ['storeUncovered', 'storeUncovered', 'storeUncovered'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {Size: 100, AvailabilityZone: eu-west-1a}
  # the shared files
  Files:
    Type: AWS::EFS::FileSystem
    Condition: WithFiles
  Lustre:
    Type: AWS::FSx::FileSystem
    Properties:
      FileSystemType: LUSTRE
      LustreConfiguration: {DeploymentType: PERSISTENT_2, AutomaticBackupRetentionDays: 0}
  BackupVault:
    Type: AWS::Backup::BackupVault
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BackupVaultName: !Sub \${AWS::StackName}-backups
  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: !Sub \${AWS::StackName}-daily
        BackupPlanRule:
          - RuleName: daily-kept-35-days
            TargetBackupVault: !Ref BackupVault
            ScheduleExpression: 'cron(0 3 * * ? *)'
            Lifecycle:
              DeleteAfterDays: 35
  BackupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: backup.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores
  BackupSelection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection:
        SelectionName: stack-data
        IamRoleArn: !GetAtt BackupRole.Arn
        Resources:
          - !Sub arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:volume/\${Volume}
          - !If [WithFiles, !GetAtt Files.Arn, !Ref AWS::NoValue]
          - !Sub arn:\${AWS::Partition}:fsx:\${AWS::Region}:\${AWS::AccountId}:file-system/\${Lustre}
Outputs:
  VolumeId: {Value: !Ref Volume}
`,
    },
    {
      name: 'new names never collide with existing ones (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    "BackupVault": { "Type": "AWS::SNS::Topic" },
    «"Disk"»: { "Type": "AWS::EC2::Volume", "Properties": { "Size": 20 } }
  }
}
`,
      messages: [
        'No AWS Backup plan covers EBS volume Disk, and the service keeps no backup of it on its own: one deletion or corruption and the data is gone.',
      ],
      messageIds: ['storeUncovered'],
      fixed: `{
  "Resources": {
    "BackupVault": { "Type": "AWS::SNS::Topic" },
    "Disk": { "Type": "AWS::EC2::Volume", "Properties": { "Size": 20 } },
    "BackupVault2": {
      "Type": "AWS::Backup::BackupVault",
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain",
      "Properties": {
        "BackupVaultName": { "Fn::Sub": "\${AWS::StackName}-backups" }
      }
    },
    "BackupPlan": {
      "Type": "AWS::Backup::BackupPlan",
      "Properties": {
        "BackupPlan": {
          "BackupPlanName": { "Fn::Sub": "\${AWS::StackName}-daily" },
          "BackupPlanRule": [
            {
              "RuleName": "daily-kept-35-days",
              "TargetBackupVault": { "Ref": "BackupVault2" },
              "ScheduleExpression": "cron(0 3 * * ? *)",
              "Lifecycle": {
                "DeleteAfterDays": 35
              }
            }
          ]
        }
      }
    },
    "BackupRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {
                "Service": "backup.amazonaws.com"
              },
              "Action": "sts:AssumeRole"
            }
          ]
        },
        "ManagedPolicyArns": [
          { "Fn::Sub": "arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup" },
          { "Fn::Sub": "arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores" }
        ]
      }
    },
    "BackupSelection": {
      "Type": "AWS::Backup::BackupSelection",
      "Properties": {
        "BackupPlanId": { "Ref": "BackupPlan" },
        "BackupSelection": {
          "SelectionName": "stack-data",
          "IamRoleArn": {
            "Fn::GetAtt": ["BackupRole", "Arn"]
          },
          "Resources": [
            { "Fn::Sub": "arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:volume/\${Disk}" }
          ]
        }
      }
    }
  }
}
`,
    },
    {
      name: 'volumes written inside Fn::ForEach are named, but only the file system beside them is selected',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Volumes:
    - Name
    - [Data, Logs]
    - «\${Name}Volume»:
        Type: AWS::EC2::Volume
        Properties: {Size: 100, AvailabilityZone: eu-west-1a}
  «Files»:
    Type: AWS::EFS::FileSystem
    Properties: {PerformanceMode: generalPurpose}
`,
      messages: [
        'No AWS Backup plan covers each EBS volume that Fn::ForEach::Volumes generates (${Name}Volume), and the service keeps no backup of them on its own: one deletion or corruption and the data is gone.',
        /^No AWS Backup plan covers EFS file system Files,/,
      ],
      messageIds: ['loopStoresUncovered', 'storeUncovered'],
      fixed: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Volumes:
    - Name
    - [Data, Logs]
    - \${Name}Volume:
        Type: AWS::EC2::Volume
        Properties: {Size: 100, AvailabilityZone: eu-west-1a}
  Files:
    Type: AWS::EFS::FileSystem
    Properties: {PerformanceMode: generalPurpose}
  BackupVault:
    Type: AWS::Backup::BackupVault
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BackupVaultName: !Sub \${AWS::StackName}-backups
  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: !Sub \${AWS::StackName}-daily
        BackupPlanRule:
          - RuleName: daily-kept-35-days
            TargetBackupVault: !Ref BackupVault
            ScheduleExpression: 'cron(0 3 * * ? *)'
            Lifecycle:
              DeleteAfterDays: 35
  BackupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: backup.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores
  BackupSelection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection:
        SelectionName: stack-data
        IamRoleArn: !GetAtt BackupRole.Arn
        Resources:
          - !GetAtt Files.Arn
`,
    },
  ],
  clean: [
    {
      name: 'a plan in the template',
      path: 'template.yaml',
      text: `Resources:
  Volume:
    Type: AWS::EC2::Volume
  Plan:
    Type: AWS::Backup::BackupPlan
`,
    },
    {
      name: 'native backups, backup tags, short-lived tables, caches and buckets',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {BackupRetentionPeriod: 14}
  Files:
    Type: AWS::EFS::FileSystem
    Properties: {BackupPolicy: {Status: ENABLED}}
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      Tags: [{Key: backup-policy, Value: daily}]
  Sessions:
    Type: AWS::DynamoDB::Table
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
  Bucket:
    Type: AWS::S3::Bucket
`,
    },
    {
      name: 'databases keep automated backups of their own (no-automated-backups judges how many days), and FSx keeps them by default',
      path: 'template.yaml',
      text: `Resources:
  Ledger:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Delete
    Properties: {Engine: aurora-postgresql}
  Catalog:
    Type: AWS::DocDB::DBCluster
    Properties: {BackupRetentionPeriod: 1}
  Legacy:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, BackupRetentionPeriod: 0}
  Graph:
    Type: AWS::Neptune::DBCluster
  Shares:
    Type: AWS::FSx::FileSystem
    Properties:
      FileSystemType: WINDOWS
      WindowsConfiguration: {ThroughputCapacity: 32}
`,
    },
    {
      name: 'DynamoDB tables without point-in-time recovery: dynamodb-no-pitr reports them, not this rule',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
  Global:
    Type: AWS::DynamoDB::GlobalTable
  Simple:
    Type: AWS::Serverless::SimpleTable
`,
    },
  ],
});
