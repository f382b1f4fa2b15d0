import { provenance } from '../../engine/parse/cloudformation';
import { defineRule } from '../../engine/rule';
import { keepFix, policyState } from './no-deletion-policy';

export default defineRule({
  id: 'plan-for-the-worst/bucket-deleted-with-stack',
  lesson: 'plan-for-the-worst',
  title: 'S3 bucket deleted with the stack',
  severity: 'info',
  equivalents: ['I3011'],
  fix: 'safe',
  strictOnly: true,
  resourceTypes: ['AWS::S3::Bucket'],
  messages: {
    bucketNotSet:
      'S3 bucket {{id}}: deleting the stack deletes it, or fails half-way while it still holds objects (DeletionPolicy is not set).',
    bucketDelete:
      'S3 bucket {{id}}: deleting the stack deletes it, or fails half-way while it still holds objects (DeletionPolicy is Delete{{provenance}}).',
  },
  docs: {
    what:
      'An S3 bucket whose `DeletionPolicy` is left out (the default is Delete) or set to `Delete` on every branch. ' +
      'In the `strict` preset only, unlike `plan-for-the-worst/no-deletion-policy` for databases, tables and volumes: CloudFormation never deletes a bucket that still holds objects (the stack deletion stops with an error instead), ' +
      'so data is lost this way only when something empties the bucket first; and most buckets in templates hold what their stack can recreate (build artifacts, access logs, website assets) and are meant to go with it. ' +
      'Turn it on to decide bucket by bucket.',
    why:
      'A bucket that holds what the business cannot recreate (uploads, exports, records kept for the law) should outlive a mistaken stack deletion or a template edit that drops it. ' +
      'With `Retain` the bucket stays, objects included, when the stack goes; without it, a clean-up script that empties buckets before deleting stacks (a common one) deletes the data for good, and a stack deletion stops half-way on the first bucket that is not empty.',
    example: {
      language: 'yaml',
      code: `Uploads:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Uploads:
  Type: AWS::S3::Bucket
  DeletionPolicy: Retain        # kept, with its objects, when the stack is deleted
  UpdateReplacePolicy: Retain   # kept when a change (a new BucketName) replaces it
  Properties:
    VersioningConfiguration: {Status: Enabled}`,
    },
    fix: 'Sets `DeletionPolicy` (and `UpdateReplacePolicy` when it deletes too) to `Retain`: added after `Type` when missing (a safe fix), changed where it is written or in the parameter default it comes from (a scaffold: a written `Delete` may be a choice).',
    references: [
      {
        title: 'CloudFormation DeletionPolicy attribute',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
      },
      {
        title: 'Amazon S3: deleting a bucket',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const deletion = policyState(template, resource, 'DeletionPolicy');
        if (!deletion.deletes) continue;
        const replacement = policyState(template, resource, 'UpdateReplacePolicy');
        report({
          at: deletion.pair ? deletion.pair.value : resource.idNode,
          resource,
          messageId: deletion.pair ? 'bucketDelete' : 'bucketNotSet',
          data: { id: resource.logicalId, provenance: provenance(deletion.values) },
          fix: keepFix(
            target,
            template,
            resource,
            replacement.deletes ? [deletion, replacement] : [deletion],
            'Retain',
          ),
        });
      }
    },
  },
});
