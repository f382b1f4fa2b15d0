import { alwaysSet, dataStoreNoun, isClusterMember, isReplica, isRestored } from '../../engine/cfn/databases';
import { branches } from '../../engine/cfn/branches';
import { asBoolean, switchNotOn, valuesAlways } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { property, provenance, type Resource } from '../../engine/parse/cloudformation';
import { asMap, asSeq, get, getPair, getPath, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Types encrypted by one switch that is off by default; turning it on later replaces the resource. */
const switches: Record<string, string> = {
  'AWS::RDS::DBInstance': 'StorageEncrypted',
  'AWS::RDS::DBCluster': 'StorageEncrypted',
  'AWS::DocDB::DBCluster': 'StorageEncrypted',
  'AWS::Neptune::DBCluster': 'StorageEncrypted',
  'AWS::EC2::Volume': 'Encrypted',
  'AWS::EFS::FileSystem': 'Encrypted',
  'AWS::ElastiCache::ReplicationGroup': 'AtRestEncryptionEnabled',
};

/** Whether a resource inherits its encryption from somewhere else (a snapshot, a source, its cluster). */
function inheritsEncryption(resource: Resource): boolean {
  if (isClusterMember(resource) || isReplica(resource) || isRestored(resource)) return true;
  if (resource.type === 'AWS::EC2::Volume' && alwaysSet(resource, 'SnapshotId')) return true;
  if (resource.type === 'AWS::ElastiCache::ReplicationGroup') {
    return ['PrimaryClusterId', 'GlobalReplicationGroupId', 'SnapshotName'].some((name) =>
      alwaysSet(resource, name),
    );
  }
  // Aurora Serverless v1 is always encrypted.
  return (
    resource.type === 'AWS::RDS::DBCluster' &&
    scalarText(property(resource, 'EngineMode')?.value) === 'serverless'
  );
}

export default defineRule({
  id: 'encrypt-everything/unencrypted-storage',
  lesson: 'encrypt-everything',
  title: 'Data stored without encryption at rest',
  severity: 'warning',
  equivalents: [
    'CKV_AWS_16',
    'CKV_AWS_96',
    'CKV_AWS_3',
    'CKV_AWS_42',
    'CKV_AWS_29',
    'CKV_AWS_27',
    'CKV_AWS_74',
    'CKV_AWS_44',
    'CKV_AWS_43',
    'CKV_AWS_5',
    'CKV_AWS_64',
  ],
  fix: 'safe',
  resourceTypes: [
    ...Object.keys(switches),
    'AWS::SQS::Queue',
    'AWS::EC2::LaunchTemplate',
    'AWS::EC2::Instance',
    'AWS::Kinesis::Stream',
    'AWS::OpenSearchService::Domain',
    'AWS::Elasticsearch::Domain',
    'AWS::Redshift::Cluster',
  ],
  messages: {
    notSet:
      '{{noun}} {{id}} stores its data unencrypted ({{name}} is not set, and it is off by default). Turn it on before the first deployment: on an existing resource the change forces a replacement, and without UpdateReplacePolicy Retain or Snapshot the old one is deleted with its data.',
    off: '{{noun}} {{id}} stores its data unencrypted ({{name}} is false{{provenance}}). Turn it on before the first deployment: on an existing resource the change forces a replacement, and without UpdateReplacePolicy Retain or Snapshot the old one is deleted with its data.',
    notSetKept:
      '{{noun}} {{id}} stores its data unencrypted ({{name}} is not set, and it is off by default). Turn it on before the first deployment: on an existing resource the change forces a replacement, and UpdateReplacePolicy keeps the old one for you to copy the data from.',
    offKept:
      '{{noun}} {{id}} stores its data unencrypted ({{name}} is false{{provenance}}). Turn it on before the first deployment: on an existing resource the change forces a replacement, and UpdateReplacePolicy keeps the old one for you to copy the data from.',
    queueOff: 'SQS queue {{id}} stores messages unencrypted (SqsManagedSseEnabled is false{{provenance}}).',
    volumeOff:
      '{{owner}} {{id}} creates the volume {{device}} unencrypted (Encrypted is false{{provenance}}).',
    streamNotSet:
      'Kinesis stream {{id}} stores its records unencrypted (no StreamEncryption, and it is off by default).',
    domainNotSet:
      '{{noun}} {{id}} stores its indexes unencrypted (EncryptionAtRestOptions is not enabled, and it is off by default).',
    domainOff:
      '{{noun}} {{id}} stores its indexes unencrypted (EncryptionAtRestOptions Enabled is false{{provenance}}).',
    warehouseOff:
      'Redshift cluster {{id}} stores its data unencrypted (Encrypted is false{{provenance}}); new clusters are encrypted unless told otherwise.',
  },
  docs: {
    what:
      'RDS instances, Aurora, DocumentDB and Neptune clusters, EBS volumes, EFS file systems, ElastiCache replication groups, OpenSearch and Elasticsearch domains and Kinesis streams whose encryption is missing or off; ' +
      'SQS queues with server-side encryption switched off; Redshift clusters with `Encrypted: false`; and EBS mappings of instances and launch templates with `Encrypted: false`. SNS topics without a KMS key are `encrypt-everything/unencrypted-topic`, in the `strict` preset only. Kinesis Data Firehose delivery streams are not checked: they hold records only while they buffer them (seconds to minutes) before writing them to their destination, whose own encryption is what keeps the data (S3 encrypts new objects by default). ' +
      'Resources that take their encryption from a snapshot, a source database or their cluster are left alone (unless an `Fn::If` leaves the snapshot out on one branch: that branch creates an empty, unencrypted one), as are SQS queues that do not switch off the encryption they get by default, ' +
      'and Redshift clusters without `Encrypted` (new clusters are encrypted by default since January 2025). MSK clusters are always encrypted at rest and are not judged here.',
    why:
      'Encryption at rest keeps data unreadable on disks, snapshots and backups that leave your control: a snapshot shared by mistake, a decommissioned drive, a copy in another account. ' +
      'It costs nothing noticeable in performance, and for these services it has to be chosen when the resource is created: switching it on later replaces the database, volume, file system or cache, ' +
      'so the quick fix is offered only where it changes nothing else (SQS queues and launch templates). For the others, turn it on before the first deployment, or migrate through an encrypted snapshot or copy. ' +
      'SNS topics are left to a strict-only rule: a topic holds a message only while it delivers it, and on real templates reviewers judged its encryption a compliance setting rather than a fix worth asking every team for.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: '50'`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t4g.medium
    AllocatedStorage: '50'
    StorageEncrypted: true
    KmsKeyId: !Ref DataKey      # optional: a customer-managed key you can audit and share`,
    },
    fix: 'Turns SQS-managed encryption back on for a queue that switches it off, encrypts a Kinesis stream with the AWS-managed key (an update in place), and sets `Encrypted: true` on the EBS mappings of a launch template (instances launched from it get encrypted volumes). Databases, volumes, file systems, caches and instances get no fix: the change replaces them; nor do search domains and Redshift clusters, where it migrates the data.',
    references: [
      {
        title: 'Amazon RDS: encrypting Amazon RDS resources',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html',
      },
      {
        title: 'Amazon EBS encryption',
        url: 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
      },
      {
        title: 'Amazon SQS: encryption at rest',
        url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const type = resource.type ?? '';
        const id = resource.logicalId;
        const name = switches[type];
        if (name) {
          if (inheritsEncryption(resource) || alwaysSet(resource, 'KmsKeyId')) continue;
          const off = switchNotOn(target, template, resource.node, ['Properties', name]);
          if (!off) continue;
          const kept = /^(Retain|RetainExceptOnCreate|Snapshot)$/.test(
            scalarText(getPair(resource.node, 'UpdateReplacePolicy')?.value) ?? '',
          );
          report({
            at: off.at ?? resource.idNode,
            resource,
            messageId: off.at ? (kept ? 'offKept' : 'off') : kept ? 'notSetKept' : 'notSet',
            data: { noun: dataStoreNoun(resource), id, name, provenance: off.provenance },
          });
        } else if (type === 'AWS::SQS::Queue') {
          // Left out, SQS-managed encryption is on by default.
          if (property(resource, 'KmsMasterKeyId') || !property(resource, 'SqsManagedSseEnabled')) continue;
          const off = switchNotOn(target, template, resource.node, ['Properties', 'SqsManagedSseEnabled']);
          if (!off?.at) continue;
          report({
            at: off.at,
            resource,
            messageId: 'queueOff',
            data: { id, provenance: off.provenance },
            fix: () => {
              const edits = off.edits();
              return edits ? { title: 'Encrypt the queue with SQS-managed keys', edits } : undefined;
            },
          });
        } else if (type === 'AWS::Kinesis::Stream') {
          const encryption = property(resource, 'StreamEncryption');
          if (encryption && branches(encryption.value).some((b) => b.node)) continue;
          report({
            at: encryption ? encryption.value : resource.idNode,
            resource,
            messageId: 'streamNotSet',
            data: { id },
            // Encrypting with the AWS-managed key is an update in place; producers and consumers need no new permission.
            fix: () => ({
              title: 'Encrypt the stream with the AWS-managed key (alias/aws/kinesis)',
              edits: [
                setPath(target, resource.node, ['Properties', 'StreamEncryption'], {
                  EncryptionType: 'KMS',
                  KeyId: 'alias/aws/kinesis',
                }),
              ],
            }),
          });
        } else if (type === 'AWS::OpenSearchService::Domain' || type === 'AWS::Elasticsearch::Domain') {
          const off = switchNotOn(target, template, resource.node, [
            'Properties',
            'EncryptionAtRestOptions',
            'Enabled',
          ]);
          if (!off) continue;
          report({
            at: off.at ?? resource.idNode,
            resource,
            messageId: off.at ? 'domainOff' : 'domainNotSet',
            data: { noun: dataStoreNoun(resource), id, provenance: off.provenance },
          });
        } else if (type === 'AWS::Redshift::Cluster') {
          // Left out, new clusters are encrypted (since January 2025): only a switch turned off is reported.
          if (isRestored(resource) || alwaysSet(resource, 'KmsKeyId')) continue;
          const pair = property(resource, 'Encrypted');
          const values = valuesAlways(template, pair?.value, (v) => asBoolean(v) === false);
          if (!pair || !values) continue;
          report({
            at: pair.value,
            resource,
            messageId: 'warehouseOff',
            data: { id, provenance: provenance(values) },
          });
        } else {
          const instance = type === 'AWS::EC2::Instance';
          const mappings = instance
            ? get(resource.properties, 'BlockDeviceMappings')
            : getPath(resource.properties, 'LaunchTemplateData', 'BlockDeviceMappings');
          for (const mapping of asSeq(mappings)?.items ?? []) {
            // Left out, Encrypted follows the snapshot or the account's default.
            const ebs = asMap(get(mapping, 'Ebs'));
            if (!ebs || !getPair(ebs, 'Encrypted')) continue;
            const off = switchNotOn(target, template, ebs, ['Encrypted']);
            if (!off?.at) continue;
            const device = scalarText(get(mapping, 'DeviceName')) ?? 'a device';
            report({
              at: off.at,
              resource,
              messageId: 'volumeOff',
              data: {
                owner: instance ? 'EC2 instance' : 'Launch template',
                id,
                device,
                provenance: off.provenance,
              },
              // An instance's mappings cannot change without replacing it.
              fix: instance
                ? undefined
                : () => {
                    const edits = off.edits();
                    return edits ? { title: `Encrypt ${device}`, edits } : undefined;
                  },
            });
          }
        }
      }
    },
  },
});
