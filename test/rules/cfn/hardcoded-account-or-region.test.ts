import rule from '../../../server/src/rules/cfn/hardcoded-account-or-region';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a fill-in account keeps its ARN quiet, but a region written on its own still counts',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::000000000000:role/worker
      Environment:
        Variables:
          TABLE_ARN: arn:aws:dynamodb:us-west-2:123456789012:table/orders
          AWS_REGION: «us-west-2»
`,
      messages: [/^Worker hard-codes region us-west-2: the template only works there\./],
      messageIds: ['hardCoded'],
      fixed: `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::000000000000:role/worker
      Environment:
        Variables:
          TABLE_ARN: arn:aws:dynamodb:us-west-2:123456789012:table/orders
          AWS_REGION: !Ref AWS::Region
`,
    },
    {
      name: 'environment variables in block YAML: a bare region and an ARN',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          REGION: «eu-west-1» # where the queue lives
          QUEUE_ARN: arn:aws:sqs:«eu-west-1:481516234201»:orders
`,
      messages: [
        'Worker hard-codes region eu-west-1: the template only works there. Use the pseudo parameters AWS::Region and AWS::AccountId, or a parameter for another account.',
        /hard-codes region eu-west-1 and account 481516234201:/,
      ],
      messageIds: ['hardCoded', 'hardCoded'],
      fixed: `Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          REGION: !Ref AWS::Region # where the queue lives
          QUEUE_ARN: !Sub 'arn:aws:sqs:\${AWS::Region}:\${AWS::AccountId}:orders'
`,
    },
    {
      name: 'a literal block script inside Fn::Sub is edited in place',
      path: 'template.yaml',
      text: `Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-signal -e $? --stack \${AWS::StackName} --region «us-east-1»
`,
      fixed: `Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          /opt/aws/bin/cfn-signal -e $? --stack \${AWS::StackName} --region \${AWS::Region}
`,
    },
    {
      name: 'JSON: a string becomes an Fn::Sub',
      path: 'template.json',
      text: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Role": "arn:aws:iam::«481516234201»:role/worker"
      }
    }
  }
}
`,
      messages: [/hard-codes account 481516234201:/],
      fixed: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Role": { "Fn::Sub": "arn:aws:iam::\${AWS::AccountId}:role/worker" }
      }
    }
  }
}
`,
    },
    {
      name: 'a layer exists in its region only: reported, but ${AWS::Region} would name another account’s missing layer, so no fix',
      path: 'template.json',
      text: `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Layers": ["arn:aws:lambda:«us-east-1»:017000801446:layer:AWSLambdaPowertoolsPythonV2:68"]
      }
    }
  }
}
`,
      messageIds: ['layerRegion'],
      messages: [/uses a Lambda layer published in region us-east-1: the template only works there/],
    },
    {
      name: 'container environment in flow style and a numeric source account',
      path: 'template.yaml',
      text: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: 481516234201.dkr.ecr.«eu-central-1».amazonaws.com/app:1.4.2
          Environment: [{Name: AWS_REGION, Value: «eu-central-1»}]
  Allow:
    Type: AWS::Lambda::Permission
    Properties:
      SourceAccount: «481516234201»
`,
      fixed: `Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !Sub '481516234201.dkr.ecr.\${AWS::Region}.amazonaws.com/app:1.4.2'
          Environment: [{Name: AWS_REGION, Value: !Ref AWS::Region}]
  Allow:
    Type: AWS::Lambda::Permission
    Properties:
      SourceAccount: !Ref AWS::AccountId
`,
    },
    {
      name: 'SAM Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        TABLE_ENDPOINT: 'https://dynamodb.«us-west-2».amazonaws.com'
Resources:
  Fn:
    Type: AWS::Serverless::Function
`,
      messages: [/^Globals hard-codes region us-west-2:/],
      fixed: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        TABLE_ENDPOINT: !Sub 'https://dynamodb.\${AWS::Region}.amazonaws.com'
Resources:
  Fn:
    Type: AWS::Serverless::Function
`,
    },
    {
      name: 'a Sub that already uses the account keeps its form (double quotes)',
      path: 'template.yaml',
      text: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: kms
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: !Sub "arn:aws:kms:«us-east-1»:\${AWS::AccountId}:key/\${KeyId}"
`,
      fixed: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: kms
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: kms:Decrypt
                Resource: !Sub "arn:aws:kms:\${AWS::Region}:\${AWS::AccountId}:key/\${KeyId}"
`,
    },
  ],
  clean: [
    {
      name: 'placeholder accounts of the documentation and obvious fill-ins, with the regions of their ARNs and queue URLs',
      path: 'template.yaml',
      text: `Resources:
  Sample:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/sample
      Environment:
        Variables:
          KEY_ARN: arn:aws:kms:us-west-2:123456789012:key/a8f4be2b-5fcd-zzzz-yyyy-xxxxxxxxxxxx
          QUEUE_URL: https://sqs.eu-west-1.amazonaws.com/111111111111/jobs
          ACCOUNT_ID: '999999999999'
          PEER: <account>
`,
    },
    {
      name: 'pseudo parameters, parameters and conditions',
      path: 'template.yaml',
      text: `Parameters:
  PartnerAccount: {Type: String, Default: '481516234201'}
Conditions:
  InVirginia: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !Sub 'arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/worker'
      Environment:
        Variables: {REGION: !Ref 'AWS::Region', NOTE: us-east-1, BEDROCK_REGION: us-west-2}
`,
    },
    {
      name: 'other accounts and regions on purpose: principals, replication, CloudFront certificates, latency records',
      path: 'template.yaml',
      text: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: 'arn:aws:iam::210987654321:root'}
            Action: sts:AssumeRole
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      ReplicationConfiguration:
        Rules:
          - Destination: {Bucket: 'arn:aws:s3:::dr-copy', EncryptionConfiguration: {ReplicaKmsKeyID: 'arn:aws:kms:us-west-2:210987654321:key/abc'}}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        ViewerCertificate: {AcmCertificateArn: !Sub 'arn:aws:acm:us-east-1:\${AWS::AccountId}:certificate/abc'}
  Record:
    Type: AWS::Route53::RecordSet
    Properties: {Region: eu-west-1}
`,
    },
  ],
});
