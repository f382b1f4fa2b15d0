import { serviceTrustPolicy } from '../../engine/cfn/iam';
import { dataStoreNoun, holdsTransientState, ownsData } from '../../engine/cfn/databases';
import { standsAlone } from '../../engine/cfn/companions';
import { addResource, resourceCondition, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { asNumber } from '../../engine/cfn/values';
import type { PlainValue } from '../../engine/edit';
import type { Resource } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/**
 * Types that keep no backup of their own unless told to, and how a selection names each one.
 * Databases are left out: RDS, Aurora, DocumentDB and Neptune keep automated backups by default
 * (one day when `BackupRetentionPeriod` is left out), `plan-for-the-worst/no-automated-backups`
 * reports a retention of 0 or of less than a week, and `plan-for-the-worst/no-deletion-policy` a
 * database deleted with its stack. DynamoDB tables are left to `plan-for-the-worst/dynamodb-no-pitr`.
 */
const backupTargets: Record<string, (id: string) => PlainValue> = {
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
 * Whether the service backs the resource up on its own: EFS with automatic backups on, FSx unless
 * its automatic backups are switched off (`AutomaticBackupRetentionDays: 0`). EBS volumes never are.
 */
function backedUpNatively(resource: Resource): boolean {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::EFS::FileSystem':
      return scalarText(getPath(p, 'BackupPolicy', 'Status')) === 'ENABLED';
    case 'AWS::FSx::FileSystem':
      return ![
        'WindowsConfiguration',
        'LustreConfiguration',
        'OntapConfiguration',
        'OpenZFSConfiguration',
      ].some((c) => asNumber(scalarText(getPath(p, c, 'AutomaticBackupRetentionDays'))) === 0);
    default:
      return false;
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
    storeUncovered:
      'No AWS Backup plan covers {{noun}} {{id}}, and the service keeps no backup of it on its own: one deletion or corruption and the data is gone.',
    loopStoresUncovered:
      'No AWS Backup plan covers each {{noun}} that Fn::ForEach::{{loop}} generates ({{id}}), and the service keeps no backup of them on its own: one deletion or corruption and the data is gone.',
  },
  docs: {
    what:
      'An EBS volume, an EFS file system without automatic backups (`BackupPolicy` `ENABLED`) or an FSx file system whose automatic backups are switched off (`AutomaticBackupRetentionDays: 0`), in a template with no `AWS::Backup::BackupPlan`, reported on the store’s logical id. ' +
      'A store that carries a tag whose key mentions backup counts as covered: that is how organisation-wide backup policies select resources. ' +
      'Databases are not judged here: RDS, Aurora, DocumentDB and Neptune keep automated backups unless `BackupRetentionPeriod` is 0 (left out, it is one day), and `plan-for-the-worst/no-automated-backups` already reports a retention of 0 or of less than a week, `plan-for-the-worst/no-deletion-policy` a database deleted with its stack. ' +
      'Read on real templates, a finding on a database that keeps its automated backups was judged noise: teams that copy them to a vault do it for the whole account or organisation, by tag. ' +
      'DynamoDB tables are left to `plan-for-the-worst/dynamodb-no-pitr` (point-in-time recovery keeps 35 days of continuous backups).',
    why:
      'A volume or file system that nothing backs up has no second copy: a stack deleted by mistake, a replacement during an update, a bad script or ransomware, and the data is gone. ' +
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
      // One finding per store, on its logical id; each offers the same plan, which selects them all.
      for (const store of resources) {
        report({
          at: store.idNode,
          resource: store,
          messageId: store.loop === undefined ? 'storeUncovered' : 'loopStoresUncovered',
          data: { noun: dataStoreNoun(store), id: store.logicalId, loop: store.loop ?? '' },
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
                    AssumeRolePolicyDocument: serviceTrustPolicy('backup.amazonaws.com'),
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
      }
    },
  },
});
