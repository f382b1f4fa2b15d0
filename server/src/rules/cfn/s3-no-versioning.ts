import { bucketRole } from '../../engine/cfn/buckets';
import { settingEdits } from '../../engine/cfn/values';
import { possibleValues, provenance } from '../../engine/parse/cloudformation';
import { getPair, getPath } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

export default defineRule({
  id: 'plan-for-the-worst/s3-no-versioning',
  lesson: 'plan-for-the-worst',
  title: 'S3 bucket without versioning',
  severity: 'warning',
  equivalents: ['CKV_AWS_21'],
  fix: 'safe',
  resourceTypes: ['AWS::S3::Bucket'],
  messages: {
    notSet:
      'S3 bucket {{id}} keeps no earlier versions: an overwrite or a delete is final (VersioningConfiguration is not set).',
    suspended:
      'S3 bucket {{id}} keeps no earlier versions: an overwrite or a delete is final (versioning is Suspended{{provenance}}).',
  },
  docs: {
    what:
      'An S3 bucket whose `VersioningConfiguration` is missing or `Suspended`. ' +
      'Buckets whose content is disposable or rebuilt elsewhere are left alone: log and access-log targets, static websites and CloudFront origins (deployed from a build), ' +
      'pipeline artifact stores and query-result buckets, buckets named for temporary data, buckets whose lifecycle expires every object within 30 days, the S3 destinations and backups of Kinesis Data Firehose streams, whatever their destination type (the stream writes every batch as a new object under a key of its own and never overwrites one, so there is no earlier version to keep), and the output bucket of a processing pipeline (`DestinationBucket`, `OutputBucket`, `ResizedImages`… beside a `SourceBucket` or `InputBucket` of the same template), which holds what the pipeline makes again from the input; the input bucket is still judged.',
    why:
      'Without versioning, a `PUT` over an existing key or a `DELETE` is final: a bug that rewrites objects, a sync run with `--delete` in the wrong direction, or a compromised key that wipes the bucket leaves nothing to restore. ' +
      'With versioning on, the previous version stays behind and a deleted object only gets a delete marker, so recovery is a copy away. ' +
      'Add a lifecycle rule that expires noncurrent versions after a few weeks to keep the cost in check; versioning is also what S3 replication and AWS Backup for S3 require.',
    example: {
      language: 'yaml',
      code: `Uploads:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Uploads:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}
    VersioningConfiguration:
      Status: Enabled
    LifecycleConfiguration:
      Rules:
        - Id: expire-old-versions
          Status: Enabled
          NoncurrentVersionExpiration: {NoncurrentDays: 30}`,
    },
    fix: 'Sets `VersioningConfiguration` to `Status: Enabled`: added when missing, else changed where it is written or in the parameter default it comes from. Earlier versions are then kept, and billed, until a lifecycle rule (`NoncurrentVersionExpiration`) expires them.',
    references: [
      {
        title: 'Amazon S3: retaining multiple versions of objects with S3 Versioning',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      const path = ['Properties', 'VersioningConfiguration', 'Status'];
      for (const bucket of resources) {
        if (bucketRole(template, bucket) !== 'data') continue;
        const pair = getPair(getPath(bucket.properties, 'VersioningConfiguration'), 'Status');
        const values = pair ? possibleValues(template, pair.value) : undefined;
        if (pair && (!values || !values.every((v) => v.absent || String(v.value) === 'Suspended'))) continue;
        report({
          at: pair ? pair.value : bucket.idNode,
          resource: bucket,
          messageId: pair ? 'suspended' : 'notSet',
          data: { id: bucket.logicalId, provenance: values ? provenance(values) : '' },
          fix: () => {
            const edits = settingEdits(target, template, bucket.node, path, values, 'Enabled');
            return edits ? { title: 'Turn on versioning', edits } : undefined;
          },
        });
      }
    },
  },
});
