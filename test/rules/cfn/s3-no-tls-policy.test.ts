import rule from '../../../server/src/rules/cfn/s3-no-tls-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a bucket with no policy gets one named after it',
      path: 'template.yaml',
      text: `Resources:
  «Documents»:
    Type: AWS::S3::Bucket
  DocumentsPolicy:
    Type: AWS::SNS::Topic
`,
      messages: [
        'S3 bucket Documents accepts requests without TLS: no bucket policy denies aws:SecureTransport false.',
      ],
      messageIds: ['noPolicy'],
      fixed: `Resources:
  Documents:
    Type: AWS::S3::Bucket
  DocumentsPolicy:
    Type: AWS::SNS::Topic
  DocumentsPolicy2:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Documents
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyRequestsWithoutTls
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !GetAtt Documents.Arn
              - !Sub '\${Documents.Arn}/*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'
`,
    },
    {
      name: 'an existing policy without the deny gets a statement appended (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Data"»: { "Type": "AWS::S3::Bucket" },
    "DataPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": { "Ref": "Data" },
        "PolicyDocument": {
          "Statement": [
            { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "s3:GetObject", "Resource": "*" }
          ]
        }
      }
    }
  }
}
`,
      messages: [/its policy DataPolicy has no statement denying aws:SecureTransport false\.$/],
      messageIds: ['policyAllowsHttp'],
      fixed: `{
  "Resources": {
    "Data": { "Type": "AWS::S3::Bucket" },
    "DataPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": { "Ref": "Data" },
        "PolicyDocument": {
          "Statement": [
            { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "s3:GetObject", "Resource": "*" },
            {
              "Sid": "DenyRequestsWithoutTls",
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": [
                {
                  "Fn::GetAtt": ["Data", "Arn"]
                },
                { "Fn::Sub": "\${Data.Arn}/*" }
              ],
              "Condition": {
                "Bool": {
                  "aws:SecureTransport": "false"
                }
              }
            }
          ]
        }
      }
    }
  }
}
`,
    },
    {
      name: 'a flow-style statement list gets the statement in flow style',
      path: 'template.yaml',
      text: `Resources:
  «Data»: {Type: AWS::S3::Bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument: {Statement: [{Effect: Deny, Principal: '*', Action: 's3:DeleteBucket', Resource: '*'}]}
`,
      messageIds: ['policyAllowsHttp'],
      fixed: `Resources:
  Data: {Type: AWS::S3::Bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument: {Statement: [{Effect: Deny, Principal: '*', Action: 's3:DeleteBucket', Resource: '*'}, {Sid: DenyRequestsWithoutTls, Effect: Deny, Principal: '*', Action: 's3:*', Resource: [!GetAtt Data.Arn, !Sub '\${Data.Arn}/*'], Condition: {Bool: {aws:SecureTransport: 'false'}}}]}
`,
    },
    {
      name: 'a bucket created under a condition gets its policy under the same condition',
      path: 'template.yaml',
      text: `Conditions:
  CreateBucket: !Equals [!Ref Create, 'yes']
Resources:
  «Uploads»:
    Type: AWS::S3::Bucket
    Condition: CreateBucket
`,
      messageIds: ['noPolicy'],
      fixed: `Conditions:
  CreateBucket: !Equals [!Ref Create, 'yes']
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Condition: CreateBucket
  UploadsPolicy:
    Type: AWS::S3::BucketPolicy
    Condition: CreateBucket
    Properties:
      Bucket: !Ref Uploads
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyRequestsWithoutTls
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !GetAtt Uploads.Arn
              - !Sub '\${Uploads.Arn}/*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'
`,
    },
    {
      name: 'buckets written inside Fn::ForEach: flagged, but one new policy cannot serve every copy',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [Reports, Exports]
    - «\${Name}Bucket»:
        Type: AWS::S3::Bucket
`,
      messageIds: ['noPolicy'],
    },
  ],
  clean: [
    {
      name: 'the bucket and its policy both take the bucket name from one parameter',
      path: 'template.yaml',
      text: `Parameters:
  UploadsBucketName:
    Type: String
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref UploadsBucketName
  UploadsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref UploadsBucketName
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: !Sub 'arn:aws:s3:::\${UploadsBucketName}/*'
            Condition: {Bool: {'aws:SecureTransport': false}}
`,
    },
    {
      name: 'waived for cfn-guard on the bucket (S3_BUCKET_SSL_REQUESTS_ONLY, in a list of other S3 checks)',
      path: 'template.yaml',
      text: `Resources:
  Scratch:
    Type: AWS::S3::Bucket
    Metadata:
      guard:
        SuppressedRules:
          - S3_BUCKET_LOGGING_ENABLED
          - S3_BUCKET_SSL_REQUESTS_ONLY
          - S3_BUCKET_REPLICATION_ENABLED
`,
    },
    {
      name: 'a deny on insecure transport, in any case and with a boolean, or a minimum TLS version; policies naming the bucket by its name',
      path: 'template.yaml',
      text: `Resources:
  A: {Type: AWS::S3::Bucket}
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: acme-b}}
  PolicyA:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref A
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: '*'
            Condition: {Bool: {'aws:securetransport': false}}
  C:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub '\${AWS::StackName}-c-\${AWS::AccountId}'}
  PolicyC:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Sub '\${AWS::StackName}-c-\${AWS::AccountId}'
      PolicyDocument:
        Statement:
          - {Effect: Deny, Principal: '*', Action: 's3:*', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'false'}}}
  PolicyB:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: acme-b
      PolicyDocument:
        Statement:
          Effect: Deny
          Principal: '*'
          Action: 's3:*'
          Resource: '*'
          Condition: {NumericLessThan: {'s3:TlsVersion': '1.2'}}
`,
    },
    {
      name: 'website buckets and policies that cannot be read statically',
      path: 'template.yaml',
      text: `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  Data: {Type: AWS::S3::Bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument: !If [Strict, {Statement: []}, {Statement: []}]
`,
    },
  ],
});
