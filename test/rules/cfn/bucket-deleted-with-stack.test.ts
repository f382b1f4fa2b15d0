import rule from '../../../server/src/rules/cfn/bucket-deleted-with-stack';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'no DeletionPolicy: the fix writes both policies',
      path: 'template.yaml',
      text: `Resources:
  «Uploads»:
    Type: AWS::S3::Bucket
`,
      messages: [
        'S3 bucket Uploads: deleting the stack deletes it, or fails half-way while it still holds objects (DeletionPolicy is not set).',
      ],
      messageIds: ['bucketNotSet'],
      fixed: `Resources:
  Uploads:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
`,
    },
    {
      name: 'an S3 bucket with DeletionPolicy Delete: changed in place, the replace policy added',
      fixKind: 'scaffold',
      path: 'template.yaml',
      text: `Resources:
  Reports:
    Type: AWS::S3::Bucket
    DeletionPolicy: «Delete» # tear down with the stack
`,
      messages: [
        'S3 bucket Reports: deleting the stack deletes it, or fails half-way while it still holds objects (DeletionPolicy is Delete).',
      ],
      messageIds: ['bucketDelete'],
      fixed: `Resources:
  Reports:
    Type: AWS::S3::Bucket
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain # tear down with the stack
`,
    },
    {
      name: 'Delete from a parameter default (JSON)',
      fixKind: 'scaffold',
      path: 'template.json',
      text: `{
  "Parameters": {"Keep": {"Type": "String", "Default": "Delete"}},
  "Resources": {
    "Exports": {"Type": "AWS::S3::Bucket", "DeletionPolicy": «{"Ref": "Keep"}», "UpdateReplacePolicy": "Retain"}
  }
}
`,
      messages: [
        'S3 bucket Exports: deleting the stack deletes it, or fails half-way while it still holds objects (DeletionPolicy is Delete (the default of parameter Keep)).',
      ],
      messageIds: ['bucketDelete'],
      fixed: `{
  "Parameters": {"Keep": {"Type": "String", "Default": "Retain"}},
  "Resources": {
    "Exports": {"Type": "AWS::S3::Bucket", "DeletionPolicy": {"Ref": "Keep"}, "UpdateReplacePolicy": "Retain"}
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'a retained bucket needs no replace policy',
      path: 'template.yaml',
      text: `Resources:
  Logs:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
`,
    },
    {
      name: 'kept on one branch of Fn::If, and databases (no-deletion-policy judges those)',
      path: 'template.yaml',
      text: `Resources:
  Logs:
    Type: AWS::S3::Bucket
    DeletionPolicy: !If [IsProd, Retain, Delete]
  Db:
    Type: AWS::RDS::DBInstance
`,
    },
  ],
});
