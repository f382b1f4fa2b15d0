import rule from '../../../server/src/rules/cfn/s3-no-versioning';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'the input bucket of a pipeline is still judged',
      path: 'template.yaml',
      text: `Resources:
  «SourceBucket»:
    Type: AWS::S3::Bucket
  DestinationBucket:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: Enabled}}
`,
      messageIds: ['notSet'],
      fixed: `Resources:
  SourceBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
  DestinationBucket:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: Enabled}}
`,
    },
    {
      name: 'an output bucket with no input bucket beside it',
      path: 'template.yaml',
      text: `Resources:
  «OutputBucket»:
    Type: AWS::S3::Bucket
`,
      messageIds: ['notSet'],
      fixed: `Resources:
  OutputBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
    },
    {
      name: 'a bucket without versioning (YAML block, no Properties)',
      path: 'template.yaml',
      text: `Resources:
  «Uploads»:
    Type: AWS::S3::Bucket # user files
`,
      messages: [
        'S3 bucket Uploads keeps no earlier versions: an overwrite or a delete is final (VersioningConfiguration is not set).',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Uploads:
    Type: AWS::S3::Bucket # user files
    Properties:
      VersioningConfiguration:
        Status: Enabled
`,
    },
    {
      name: 'versioning suspended, flow style, quoted',
      path: 'template.yaml',
      text: `Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: «"Suspended"»}}
`,
      messages: [/\(versioning is Suspended\)\.$/],
      messageIds: ['suspended'],
      fixed: `Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: "Enabled"}}
`,
    },
    {
      name: 'JSON bucket with other properties',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Documents"»: {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "acme-documents"
      }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Documents": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": "acme-documents",
        "VersioningConfiguration": {
          "Status": "Enabled"
        }
      }
    }
  }
}
`,
    },
    {
      name: 'a parameter default on both branches names both',
      path: 'template.yaml',
      text: `Parameters:
  Versioning: {Type: String, Default: Suspended, AllowedValues: [Enabled, Suspended]}
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: «!If [IsProd, !Ref Versioning, Suspended]»
`,
      messages: [
        /\(versioning is Suspended \(the default of parameter Versioning; whichever way condition IsProd goes\)\)\.$/,
      ],
      fixed: `Parameters:
  Versioning: {Type: String, Default: Enabled, AllowedValues: [Enabled, Suspended]}
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: !If [IsProd, !Ref Versioning, Enabled]
`,
    },
  ],
  clean: [
    {
      name: 'the output bucket of a pipeline, which its input bucket can fill again',
      path: 'template.yaml',
      text: `Resources:
  OriginalPhotos:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
  ResizedPhotos:
    Type: AWS::S3::Bucket
`,
    },
    {
      name: 'the destination of a delivery stream, which writes each batch as a new object',
      path: 'template.yaml',
      text: `Resources:
  ClickDestination:
    Type: AWS::S3::Bucket
  ClickStream:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      DeliveryStreamType: DirectPut
      ExtendedS3DestinationConfiguration:
        BucketARN: !GetAtt ClickDestination.Arn
        RoleARN: !GetAtt StreamRole.Arn
`,
    },
    {
      name: 'the S3 backup of a delivery stream to an HTTP endpoint',
      path: 'template.yaml',
      text: `Resources:
  FailedDeliveries:
    Type: AWS::S3::Bucket
  Events:
    Type: AWS::KinesisFirehose::DeliveryStream
    Properties:
      HttpEndpointDestinationConfiguration:
        EndpointConfiguration: {Url: 'https://ingest.example.com/events'}
        S3Configuration:
          BucketARN: !GetAtt FailedDeliveries.Arn
          RoleARN: !GetAtt StreamRole.Arn
`,
    },
    {
      name: 'waived for cfn-guard on the bucket (S3_BUCKET_VERSIONING_ENABLED, in a list of other S3 checks)',
      path: 'template.yaml',
      text: `Resources:
  Scratch:
    Type: AWS::S3::Bucket
    Metadata:
      guard:
        SuppressedRules:
          - S3_BUCKET_LOGGING_ENABLED
          - S3_BUCKET_VERSIONING_ENABLED
          - S3_BUCKET_REPLICATION_ENABLED
`,
    },
    {
      name: 'versioned, or versioned on one branch, or unknowable',
      path: 'template.yaml',
      text: `Parameters:
  Versioning: {Type: String}
Resources:
  A:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: Enabled}}
  B:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: !If [IsProd, Enabled, Suspended]}}
  C:
    Type: AWS::S3::Bucket
    Properties: {VersioningConfiguration: {Status: !Ref Versioning}}
`,
    },
    {
      name: 'log targets, websites and scratch space',
      path: 'template.yaml',
      text: `Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: {Status: Enabled}
      LoggingConfiguration: {DestinationBucketName: !Ref Audit}
  Audit:
    Type: AWS::S3::Bucket
  AccessLogsBucket:
    Type: AWS::S3::Bucket
  Named:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Sub '\${AWS::StackName}-alb-logs'}
  Site:
    Type: AWS::S3::Bucket
    Properties: {WebsiteConfiguration: {IndexDocument: index.html}}
  QueryScratch:
    Type: AWS::S3::Bucket
  Results:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules: [{Status: Enabled, ExpirationInDays: 7}]
  FrontEnd:
    Type: AWS::S3::Bucket
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins: [{Id: site, DomainName: !GetAtt FrontEnd.RegionalDomainName}]
  PipelineStore:
    Type: AWS::S3::Bucket
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      ArtifactStore: {Type: S3, Location: !Ref PipelineStore}
`,
    },
  ],
});
