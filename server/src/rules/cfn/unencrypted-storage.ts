import { dataStoreNoun, isClusterMember, isReplica, isRestored } from '../../engine/cfn/databases';
import { switchNotOn } from '../../engine/cfn/values';
import { property, type Resource } from '../../engine/parse/cloudformation';
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
  if (resource.type === 'AWS::EC2::Volume' && property(resource, 'SnapshotId')) return true;
  if (resource.type === 'AWS::ElastiCache::ReplicationGroup') {
    return !!(
      property(resource, 'PrimaryClusterId') ||
      property(resource, 'GlobalReplicationGroupId') ||
      property(resource, 'SnapshotName')
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
    'CKV_AWS_26',
    'CKV_AWS_74',
    'CKV_AWS_44',
  ],
  fix: 'safe',
  resourceTypes: [
    ...Object.keys(switches),
    'AWS::SQS::Queue',
    'AWS::SNS::Topic',
    'AWS::EC2::LaunchTemplate',
    'AWS::EC2::Instance',
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
    topicWithoutKey:
      'SNS topic {{id}} keeps messages unencrypted while it delivers them (no KmsMasterKeyId).',
    volumeOff:
      '{{owner}} {{id}} creates the volume {{device}} unencrypted (Encrypted is false{{provenance}}).',
  },
  docs: {
    what:
      'RDS instances, Aurora, DocumentDB and Neptune clusters, EBS volumes, EFS file systems and ElastiCache replication groups whose encryption switch is missing or off; ' +
      'SQS queues with server-side encryption switched off; EBS mappings of instances and launch templates with `Encrypted: false`; and, as information, SNS topics without a KMS key. ' +
      'Resources that take their encryption from a snapshot, a source database or their cluster are left alone, as are SQS queues that do not switch off the encryption they get by default.',
    why:
      'Encryption at rest keeps data unreadable on disks, snapshots and backups that leave your control: a snapshot shared by mistake, a decommissioned drive, a copy in another account. ' +
      'It costs nothing noticeable in performance, and for these services it has to be chosen when the resource is created: switching it on later replaces the database, volume, file system or cache, ' +
      'so the quick fix is offered only where it changes nothing else (SQS queues and launch templates). For the others, turn it on before the first deployment, or migrate through an encrypted snapshot or copy. ' +
      'SNS topics hold messages only briefly, hence information; encrypt them with a customer-managed key if AWS services such as S3 or EventBridge publish to them, since the AWS-managed `alias/aws/sns` key does not let them.',
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
    fix: 'Turns SQS-managed encryption back on for a queue that switches it off, and sets `Encrypted: true` on the EBS mappings of a launch template (instances launched from it get encrypted volumes). Databases, volumes, file systems, caches and instances get no fix: the change replaces them.',
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
          if (inheritsEncryption(resource) || property(resource, 'KmsKeyId')) continue;
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
        } else if (type === 'AWS::SNS::Topic') {
          if (property(resource, 'KmsMasterKeyId')) continue;
          report({
            at: resource.idNode,
            resource,
            messageId: 'topicWithoutKey',
            data: { id },
            severity: 'info',
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
