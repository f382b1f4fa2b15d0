import { dataStoreNoun, ownsData } from '../../engine/cfn/databases';
import { asNumber, settingEdits } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { possibleValues, property, provenance } from '../../engine/parse/cloudformation';
import { defineRule } from '../../engine/rule';

/** Days of automated backups below which a problem noticed after a long weekend can no longer be undone. */
const minimumDays = 7;

/** Every one of these keeps one day of backups when `BackupRetentionPeriod` is left out. */
const databaseTypes = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::DocDB::DBCluster',
  'AWS::Neptune::DBCluster',
];

export default defineRule({
  id: 'plan-for-the-worst/no-automated-backups',
  lesson: 'plan-for-the-worst',
  title: 'Database without enough automated backups',
  severity: 'error',
  equivalents: ['CKV_AWS_360', 'CKV_AWS_361'],
  fix: 'safe',
  resourceTypes: databaseTypes,
  messages: {
    notSet: `{{noun}} {{id}} keeps automated backups for 1 day only: BackupRetentionPeriod is not set, and 1 is the default; keep at least ${minimumDays}.`,
    none: '{{noun}} {{id}} has no automated backups: BackupRetentionPeriod is 0{{provenance}}.',
    tooFew: `{{noun}} {{id}} keeps automated backups for {{days}}{{provenance}}; keep at least ${minimumDays}.`,
    tooFewAtMost: `{{noun}} {{id}} keeps automated backups for at most {{days}}{{provenance}}; keep at least ${minimumDays}.`,
  },
  docs: {
    what:
      'An RDS instance, Aurora, DocumentDB or Neptune cluster with `BackupRetentionPeriod: 0` (no automated backups at all: an error), ' +
      `or with fewer than ${minimumDays} days of them, including the one day these services keep when the property is left out (a warning). ` +
      'Aurora member instances and read replicas are not judged: the cluster or the source instance holds the backups.',
    why:
      'Automated backups are what lets you restore a database to any second of the retention window after a bad migration, a buggy release or a careless `DELETE`. ' +
      'With none, the only way back is whatever manual snapshot someone remembered to take. ' +
      'With one day, which is what you get by default, a problem found on Monday morning in data written on Friday cannot be undone. ' +
      `Keeping ${minimumDays} days or more costs storage only beyond the size of the database, and gives the team time to notice.`,
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    BackupRetentionPeriod: 0`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    BackupRetentionPeriod: ${minimumDays}          # restore to any second of the last week
    PreferredBackupWindow: '03:00-04:00'`,
    },
    fix: `Sets \`BackupRetentionPeriod\` to ${minimumDays} days: added when missing, else changed where it is written or in the parameter default it comes from. Backup storage beyond the size of the database is billed.`,
    references: [
      {
        title: 'Amazon RDS: introduction to backups',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html',
      },
      {
        title: 'Amazon Aurora: backing up and restoring',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/BackupRestoreAurora.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        if (!ownsData(resource)) continue;
        const named = { noun: dataStoreNoun(resource), id: resource.logicalId };
        const path = ['Properties', 'BackupRetentionPeriod'];
        const pair = property(resource, 'BackupRetentionPeriod');
        if (!pair) {
          report({
            at: resource.idNode,
            resource,
            messageId: 'notSet',
            data: named,
            severity: 'warning',
            fix: () => ({
              title: `Keep ${minimumDays} days of automated backups`,
              edits: [setPath(target, resource.node, path, minimumDays)],
            }),
          });
          continue;
        }
        const values = possibleValues(template, pair.value);
        const days = values?.map((v) => (v.absent ? 1 : asNumber(v.value)));
        if (!values || !days || days.some((d) => d === undefined || d >= minimumDays)) continue;
        const none = days.every((d) => d === 0);
        const longest = Math.max(...(days as number[]));
        report({
          at: pair.value,
          resource,
          messageId: none ? 'none' : days.length > 1 ? 'tooFewAtMost' : 'tooFew',
          data: {
            ...named,
            days: `${longest} day${longest === 1 ? '' : 's'}`,
            provenance: provenance(values),
          },
          severity: none ? 'error' : 'warning',
          fix: () => {
            const edits = settingEdits(target, template, resource.node, path, values, minimumDays);
            return edits ? { title: `Keep ${minimumDays} days of automated backups`, edits } : undefined;
          },
        });
      }
    },
  },
});
