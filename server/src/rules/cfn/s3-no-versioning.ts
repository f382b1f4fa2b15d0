import { bucketRole } from '../../engine/cfn/buckets';
import { settingEdits } from '../../engine/cfn/values';
import { setPath } from '../../engine/edit';
import { possibleValues, provenance } from '../../engine/parse/cloudformation';
import { getPair, getPath } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

export default defineRule({
  id: 'plan-for-the-worst/s3-no-versioning',
  lesson: 'plan-for-the-worst',
  title: 'S3 bucket without versioning',
  severity: 'warning',
  equivalents: ['CKV_AWS_21'],
  fix: 'yes',
  resourceTypes: ['AWS::S3::Bucket'],
  docs: {
    what:
      'An S3 bucket whose `VersioningConfiguration` is missing or `Suspended`. ' +
      'Buckets whose content is disposable or rebuilt elsewhere are left alone: log and access-log targets, static websites and CloudFront origins (deployed from a build), ' +
      'pipeline artifact stores and query-result buckets, buckets named for temporary data, and buckets whose lifecycle expires every object within 30 days.',
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
    references: [
      {
        title: 'Amazon S3: retaining multiple versions of objects with S3 Versioning',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        if (resource.type !== 'AWS::S3::Bucket' || bucketRole(template, resource) !== 'data') continue;
        const pair = getPair(getPath(resource.properties, 'VersioningConfiguration'), 'Status');
        const path = ['Properties', 'VersioningConfiguration', 'Status'];
        if (!pair) {
          report({
            at: resource.idNode,
            message: `S3 bucket ${resource.logicalId} keeps no earlier versions: an overwrite or a delete is final (VersioningConfiguration is not set).`,
            fix: () => ({
              title: 'Turn on versioning',
              edits: [setPath(target, resource.node, path, 'Enabled')],
            }),
          });
          continue;
        }
        const values = possibleValues(template, pair.value);
        if (!values || !values.every((v) => v.absent || String(v.value) === 'Suspended')) continue;
        report({
          at: pair.value,
          message: `S3 bucket ${resource.logicalId} keeps no earlier versions: an overwrite or a delete is final (versioning is Suspended${provenance(values)}).`,
          fix: () => {
            const edits = settingEdits(target, template, resource.node, path, values, 'Enabled');
            return edits ? { title: 'Turn on versioning', edits } : undefined;
          },
        });
      }
    },
  },
});
