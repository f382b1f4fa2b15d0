import rule from '../../../server/src/rules/cfn/public-bucket';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a public-read ACL with Block Public Access off: the ACL is reported and made private',
      path: 'template.yaml',
      text: `Resources:
  Exports:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: «PublicRead»
      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
`,
      messages: [
        'S3 bucket Exports has the canned ACL PublicRead: anyone on the internet can list and read its objects.',
      ],
      messageIds: ['publicAcl'],
      fixed: `Resources:
  Exports:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: Private
      OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}
`,
    },
    {
      name: 'anyone may write: an error',
      path: 'template.json',
      text: `{
  "Resources": {
    "Drop": { "Type": "AWS::S3::Bucket", "Properties": { "AccessControl": «"PublicReadWrite"» } }
  }
}
`,
      messages: [/anyone on the internet can read, overwrite and delete its objects/],
      fixed: `{
  "Resources": {
    "Drop": { "Type": "AWS::S3::Bucket", "Properties": { "AccessControl": "Private" } }
  }
}
`,
    },
    {
      name: 'a bucket policy open to everybody, by reference and by name (no fix: the principal must be chosen)',
      path: 'template.yaml',
      text: `Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub 'assets-\${AWS::AccountId}'}
  AssetsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Assets
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: «'*'»
            Action: s3:GetObject
            Resource: !Sub '\${Assets.Arn}/*'
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads-inbox}
  UploadsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: uploads-inbox
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: «{AWS: '*'}», Action: [s3:PutObject, s3:GetObject], Resource: 'arn:aws:s3:::uploads-inbox/*'}
`,
      messages: [
        'S3 bucket Assets has a bucket policy (AssetsPolicy) that lets everybody read its objects, with no condition on who: anyone who learns an object’s name can download it.',
        'S3 bucket Uploads has a bucket policy (UploadsPolicy) that lets everybody read and change its objects, with no condition on who: anyone who learns an object’s name can change or delete it.',
      ],
      messageIds: ['publicPolicy', 'publicPolicy'],
    },
    {
      name: 'a static website served straight from S3 is information',
      path: 'template.yaml',
      text: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration: {IndexDocument: index.html}
      PublicAccessBlockConfiguration: {BlockPublicPolicy: false, RestrictPublicBuckets: false}
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Statement: [{Effect: Allow, Principal: «'*'», Action: s3:GetObject, Resource: !Sub '\${Site.Arn}/*'}]
`,
      messages: [
        'S3 bucket Site serves a website straight from S3, open to everybody (its bucket policy): put CloudFront in front with origin access control and keep the bucket private.',
      ],
      messageIds: ['website'],
    },
    {
      name: 'Block Public Access switched off, with a parameter feeding two switches',
      path: 'template.yaml',
      text: `Parameters:
  BlockPublic:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'false'
Resources:
  Shared:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: «!Ref BlockPublic»
        BlockPublicPolicy: !Ref BlockPublic
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`,
      messages: [
        'S3 bucket Shared turns off 2 switches (BlockPublicAcls, BlockPublicPolicy) of Block Public Access (the default of parameter BlockPublic): a public ACL or policy written later, inside or outside the template, takes effect.',
      ],
      messageIds: ['blockOff'],
      fixed: `Parameters:
  BlockPublic:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'true'
Resources:
  Shared:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: !Ref BlockPublic
        BlockPublicPolicy: !Ref BlockPublic
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`,
    },
  ],
  clean: [
    {
      name: 'private buckets: defaults, Block Public Access on, policies for named principals or with conditions, a deny for everybody',
      path: 'template.yaml',
      text: `Resources:
  Plain:
    Type: AWS::S3::Bucket
  Blocked:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: LogDeliveryWrite
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
  Origin:
    Type: AWS::S3::Bucket
  OriginPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Origin
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: cloudfront.amazonaws.com}
            Action: s3:GetObject
            Resource: !Sub '\${Origin.Arn}/*'
            Condition: {StringEquals: {'AWS:SourceArn': !Sub 'arn:aws:cloudfront::\${AWS::AccountId}:distribution/\${Cdn}'}}
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '\${Origin.Arn}/*'
            Condition: {StringEquals: {'aws:PrincipalOrgID': o-abc123}}
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: !Sub '\${Origin.Arn}/*'
            Condition: {Bool: {'aws:SecureTransport': false}}
`,
    },
  ],
});
