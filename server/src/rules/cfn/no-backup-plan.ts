import { dataStoreNoun, holdsTransientState, ownsData } from '../../engine/cfn/databases';
import { standsAlone } from '../../engine/cfn/companions';
import { addResource, resourceCondition, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asNumber } from '../../engine/cfn/values';
import type { PlainValue } from '../../engine/edit';
import type { Resource } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/**
 * Types whose data AWS Backup can protect, and how a selection names each one. DynamoDB tables are
 * left to `plan-for-the-worst/dynamodb-no-pitr`: with point-in-time recovery on they are covered,
 * and without it that rule reports them already; a second finding on them would teach nothing new.
 */
const backupTargets: Record<string, (id: string) => PlainValue> = {
  'AWS::RDS::DBInstance': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:db:\${${id}}`,
  }),
  'AWS::RDS::DBCluster': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:\${${id}}`,
  }),
  'AWS::DocDB::DBCluster': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:\${${id}}`,
  }),
  'AWS::Neptune::DBCluster': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:rds:\${AWS::Region}:\${AWS::AccountId}:cluster:\${${id}}`,
  }),
  'AWS::EFS::FileSystem': (id) => ({ 'Fn::GetAtt': [id, 'Arn'] }),
  'AWS::EC2::Volume': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:volume/\${${id}}`,
  }),
  'AWS::FSx::FileSystem': (id) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:fsx:\${AWS::Region}:\${AWS::AccountId}:file-system/\${${id}}`,
  }),
};

/** Resources whose tags suggest an organisation-wide, tag-based backup plan selects them. */
function taggedForBackup(resource: Resource): boolean {
  const tags = get(resource.properties, 'Tags');
  const keys = asSeq(tags)
    ? asSeq(tags)!.items.map((t) => scalarText(get(t, 'Key')) ?? '')
    : (asMap(tags)?.pairs ?? []).map((p) => String(p.key.value));
  return keys.some((key) => /backup/i.test(key));
}

/**
 * Whether the service's own backups already cover the resource well: a database keeping a week of
 * automated backups, EFS automatic backups, FSx keeping a week of them.
 */
function backedUpNatively(resource: Resource): boolean {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::EFS::FileSystem':
      return scalarText(getPath(p, 'BackupPolicy', 'Status')) === 'ENABLED';
    case 'AWS::FSx::FileSystem':
      return [
        'WindowsConfiguration',
        'LustreConfiguration',
        'OntapConfiguration',
        'OpenZFSConfiguration',
      ].some((c) => (asNumber(scalarText(getPath(p, c, 'AutomaticBackupRetentionDays'))) ?? 0) >= 7);
    case 'AWS::EC2::Volume':
      return false;
    default:
      return (asNumber(scalarText(get(p, 'BackupRetentionPeriod'))) ?? 0) >= 7;
  }
}

/** Data stores that nothing backs up beyond what a single mistake can destroy. */
function unprotected(stores: readonly Resource[]): Resource[] {
  return stores.filter(
    (r) => ownsData(r) && !holdsTransientState(r) && !taggedForBackup(r) && !backedUpNatively(r),
  );
}

export default defineRule({
  id: 'plan-for-the-worst/no-backup-plan',
  lesson: 'plan-for-the-worst',
  title: 'Data stores without an AWS Backup plan',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: Object.keys(backupTargets),
  messages: {
    storeUncovered: 'No AWS Backup plan covers {{stores}}: its only copies live with it.',
    storesUncovered: 'No AWS Backup plan covers {{stores}}: their only copies live with them.',
  },
  docs: {
    what:
      'A template with databases, volumes or file systems and no `AWS::Backup::BackupPlan`, reported once on `Resources`. ' +
      'A data store counts as covered when its own service already keeps good backups (a week or more of RDS, Aurora, DocumentDB or Neptune automated backups, EFS automatic backups, a week of FSx automatic backups) ' +
      'or when it carries a tag whose key mentions backup, which is how organisation-wide backup policies select resources. ' +
      'DynamoDB tables are not counted: `plan-for-the-worst/dynamodb-no-pitr` reports those without point-in-time recovery, and with it a table keeps 35 days of continuous backups; a second finding on the same table would repeat the lesson.',
    why:
      'Backups that live inside the resource, and in the same account, share its fate: delete the database or lose the account and they go too. ' +
      'An AWS Backup plan takes scheduled recovery points into a separate vault, keeps them as long as the business needs, and can copy them to another Region or account. ' +
      'Then test the restore: a backup that has never been restored is a hope, not a plan. AWS Backup restore testing can do that on a schedule.',
    example: {
      language: 'yaml',
      code: `Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {Size: 100, AvailabilityZone: !Select [0, !GetAZs '']}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Resources:
  Volume:
    Type: AWS::EC2::Volume
    Properties: {Size: 100, AvailabilityZone: !Select [0, !GetAZs '']}
  BackupVault:
    Type: AWS::Backup::BackupVault
    DeletionPolicy: Retain
    Properties: {BackupVaultName: !Sub '\${AWS::StackName}-backups'}
  BackupPlan:
    Type: AWS::Backup::BackupPlan
    Properties:
      BackupPlan:
        BackupPlanName: !Sub '\${AWS::StackName}-daily'
        BackupPlanRule:
          - RuleName: daily
            TargetBackupVault: !Ref BackupVault
            ScheduleExpression: cron(0 3 * * ? *)
            Lifecycle: {DeleteAfterDays: 35}
  BackupSelection:
    Type: AWS::Backup::BackupSelection
    Properties:
      BackupPlanId: !Ref BackupPlan
      BackupSelection:
        SelectionName: stack-data
        IamRoleArn: !GetAtt BackupRole.Arn   # a role that backup.amazonaws.com can assume
        Resources:
          - !Sub 'arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:volume/\${Volume}'`,
    },
    fix:
      'Adds a retained backup vault, a daily plan that keeps recovery points 35 days, a role AWS Backup assumes, and a selection of the data stores. ' +
      'A scaffold: review the schedule and retention, and test a restore; stores written inside `Fn::ForEach` are not selected.',
    references: [
      {
        title: 'AWS Backup: creating a backup plan',
        url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html',
      },
      {
        title: 'AWS Backup: restore testing',
        url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources: stores, target, report }) {
      if (template.resourcesOfType(['AWS::Backup::BackupPlan', 'AWS::Backup::BackupSelection']).length > 0)
        return;
      const resources = unprotected(stores);
      const section = getPair(template.root, 'Resources');
      if (resources.length === 0 || !section) return;
      // A store written inside Fn::ForEach has a logical id pattern (`Table${Name}`), not a name.
      const named = resources
        .slice(0, 3)
        .map((r) =>
          r.loop === undefined
            ? `${dataStoreNoun(r)} ${r.logicalId}`
            : `each ${dataStoreNoun(r)} that Fn::ForEach::${r.loop} generates (${r.logicalId})`,
        );
      const more = resources.length > 3 ? ` and ${resources.length - 3} more` : '';
      const list =
        named.length > 1
          ? `${named.slice(0, -1).join(', ')}${more ? ', ' : ' and '}${named[named.length - 1]}${more}`
          : named[0];
      report({
        at: section.key,
        messageId: resources.length === 1 ? 'storeUncovered' : 'storesUncovered',
        data: { stores: list },
        fix: () => {
          const selected = resources.filter(standsAlone);
          if (selected.length === 0) return undefined;
          const reserved: string[] = [];
          const name = (base: string) => {
            const id = uniqueLogicalId(template, base, reserved);
            reserved.push(id);
            return id;
          };
          const vault = name('BackupVault');
          const plan = name('BackupPlan');
          const role = name('BackupRole');
          const selection = name('BackupSelection');
          const policy = (suffix: string) => ({
            'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyFor${suffix}`,
          });
          const bodies: [string, PlainValue][] = [
            [
              vault,
              {
                Type: 'AWS::Backup::BackupVault',
                DeletionPolicy: 'Retain',
                UpdateReplacePolicy: 'Retain',
                Properties: { BackupVaultName: { 'Fn::Sub': '${AWS::StackName}-backups' } },
              },
            ],
            [
              plan,
              {
                Type: 'AWS::Backup::BackupPlan',
                Properties: {
                  BackupPlan: {
                    BackupPlanName: { 'Fn::Sub': '${AWS::StackName}-daily' },
                    BackupPlanRule: [
                      {
                        RuleName: 'daily-kept-35-days',
                        TargetBackupVault: { Ref: vault },
                        ScheduleExpression: 'cron(0 3 * * ? *)',
                        Lifecycle: { DeleteAfterDays: 35 },
                      },
                    ],
                  },
                },
              },
            ],
            [
              role,
              {
                Type: 'AWS::IAM::Role',
                Properties: {
                  AssumeRolePolicyDocument: {
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Effect: 'Allow',
                        Principal: { Service: 'backup.amazonaws.com' },
                        Action: 'sts:AssumeRole',
                      },
                    ],
                  },
                  ManagedPolicyArns: [policy('Backup'), policy('Restores')],
                },
              },
            ],
            [
              selection,
              {
                Type: 'AWS::Backup::BackupSelection',
                Properties: {
                  BackupPlanId: { Ref: plan },
                  BackupSelection: {
                    SelectionName: 'stack-data',
                    IamRoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
                    Resources: selected.map((r) => {
                      const arn = backupTargets[r.type!](r.logicalId);
                      const condition = resourceCondition(r);
                      return condition ? { 'Fn::If': [condition, arn, { Ref: 'AWS::NoValue' }] } : arn;
                    }),
                  },
                },
              },
            ],
          ];
          return {
            title: 'Add a daily AWS Backup plan for the data stores',
            edits: bodies.map(([id, body]) => addResource(target, template, id, body)),
            needs: [
              'Check that 35 days of daily backups meet what the data must survive (a longer retention, a copy to another region or account)',
              'Restore one backup once, to know that it works and how long it takes',
            ],
          };
        },
      });
    },
  },
});
