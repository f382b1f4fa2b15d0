import rule from '../../../server/src/rules/cfn/dynamodb-no-pitr';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'table without the specification (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  «Orders»:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST # on demand
`,
      messages: [
        'DynamoDB table Orders has no point-in-time recovery: PointInTimeRecoverySpecification is not set.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST # on demand
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
`,
    },
    {
      name: 'recovery switched off, flow style',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: «false»}
`,
      messages: [/PointInTimeRecoveryEnabled is false\.$/],
      messageIds: ['off'],
      fixed: `Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
`,
    },
    {
      name: 'JSON table without Properties',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Orders"»: { "Type": "AWS::DynamoDB::Table" }
  }
}
`,
      fixed: `{
  "Resources": {
    "Orders": { "Type": "AWS::DynamoDB::Table", "Properties": {
      "PointInTimeRecoverySpecification": {
        "PointInTimeRecoveryEnabled": true
      }
    } }
  }
}
`,
    },
    {
      name: 'a parameter default off on both branches of Fn::If',
      path: 'template.yaml',
      text: `Parameters:
  Recovery: {Type: String, Default: 'false'}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: «!If [IsProd, !Ref Recovery, false]»
`,
      messages: [/\(the default of parameter Recovery; whichever way condition IsProd goes\)\.$/],
      messageIds: ['off'],
      fixed: `Parameters:
  Recovery: {Type: String, Default: 'true'}
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !If [IsProd, !Ref Recovery, true]
`,
    },
    {
      name: 'a SAM SimpleTable cannot turn it on: flagged without a fix',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Customers»:
    Type: AWS::Serverless::SimpleTable
`,
      messages: [/a SAM SimpleTable cannot turn it on; declare it as AWS::DynamoDB::Table/],
      messageIds: ['simpleTable'],
    },
    {
      name: 'global table replicas',
      path: 'template.yaml',
      text: `Resources:
  «Global»:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: eu-west-1
        - Region: us-east-1
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
`,
      messages: [/no point-in-time recovery in 1 of its 2 replicas\.$/],
      messageIds: ['someReplicas'],
      fixed: `Resources:
  Global:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas:
        - Region: eu-west-1
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
        - Region: us-east-1
          PointInTimeRecoverySpecification:
            PointInTimeRecoveryEnabled: true
`,
    },
    {
      name: 'a specification that leaves out the switch',
      path: 'template.yaml',
      text: `Resources:
  «Invoices»:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        RecoveryPeriodInDays: 14
`,
      messages: [
        'DynamoDB table Invoices has no point-in-time recovery: its PointInTimeRecoverySpecification does not set PointInTimeRecoveryEnabled.',
      ],
      messageIds: ['enabledNotSet'],
      fixed: `Resources:
  Invoices:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      PointInTimeRecoverySpecification:
        RecoveryPeriodInDays: 14
        PointInTimeRecoveryEnabled: true
`,
    },
    {
      name: 'a global table whose replicas all go without it (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Orders"»: {
      "Type": "AWS::DynamoDB::GlobalTable",
      "Properties": {
        "Replicas": [
          {
            "Region": "eu-west-1"
          },
          {
            "Region": "us-east-1"
          }
        ]
      }
    }
  }
}
`,
      messages: ['DynamoDB global table Orders has no point-in-time recovery in any replica.'],
      messageIds: ['noReplica'],
      fixed: `{
  "Resources": {
    "Orders": {
      "Type": "AWS::DynamoDB::GlobalTable",
      "Properties": {
        "Replicas": [
          {
            "Region": "eu-west-1",
            "PointInTimeRecoverySpecification": {
              "PointInTimeRecoveryEnabled": true
            }
          },
          {
            "Region": "us-east-1",
            "PointInTimeRecoverySpecification": {
              "PointInTimeRecoveryEnabled": true
            }
          }
        ]
      }
    }
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'recovery on, or on in one branch, or unknowable',
      path: 'template.yaml',
      text: `Parameters:
  Recovery: {Type: String}
Resources:
  A:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
  B:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: !If [IsProd, true, false]}
  C:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: !Ref Recovery}
`,
    },
    {
      name: 'tables named for short-lived state',
      path: 'template.yaml',
      text: `Resources:
  WebSocketConnections:
    Type: AWS::DynamoDB::Table
  Locks:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: job-locks}
`,
    },
    {
      name: 'suppressed with the checkov id',
      path: 'template.yaml',
      text: `Resources:
  Scratch:
    # checkov:skip=CKV_AWS_28: rebuilt from S3 every night
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
`,
    },
  ],
});
