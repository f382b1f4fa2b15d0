import rule from '../../../server/src/rules/cfn/lambda-no-failure-destination';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'SAM function fed by S3 events (SAM grants its own role the queue)',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  «Thumbnailer»:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # resize on upload
      Runtime: python3.12
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
`,
      messages: [
        'Function Thumbnailer is invoked asynchronously by S3 (Upload) but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace.',
      ],
      messageIds: ['noDestination'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Thumbnailer:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # resize on upload
      Runtime: python3.12
      Events:
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Uploads
            Events: s3:ObjectCreated:*
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt ThumbnailerDlq.Arn
  ThumbnailerDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'SAM function in flow style fed by a topic, Globals without a queue, derived name taken',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 30}
Resources:
  «Nightly»:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: nodejs20.x, Events: {Alerts: {Type: SNS, Properties: {Topic: !Ref Alerts}}}}
  NightlyDlq:
    Type: AWS::SNS::Topic
`,
      messages: [/by SNS \(Alerts\)/],
      messageIds: ['noDestination'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 30}
Resources:
  Nightly:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: nodejs20.x, Events: {Alerts: {Type: SNS, Properties: {Topic: !Ref Alerts}}}, DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt NightlyDlq2.Arn}}
  NightlyDlq:
    Type: AWS::SNS::Topic
  NightlyDlq2:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'plain Lambda subscribed to SNS (JSON): the role in the template gets the send permission',
      path: 'template.json',
      text: `{
  "Resources": {
    "WorkerRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {},
        "Policies": [
          { "PolicyName": "logs", "PolicyDocument": {} }
        ]
      }
    },
    «"Worker"»: {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Role": { "Fn::GetAtt": ["WorkerRole", "Arn"] } }
    },
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {
        "Subscription": [{ "Protocol": "lambda", "Endpoint": { "Fn::GetAtt": ["Worker", "Arn"] } }]
      }
    }
  }
}
`,
      messageIds: ['noDestination'],
      messages: [/by SNS \(Topic\)/],
      fixed: `{
  "Resources": {
    "WorkerRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {},
        "Policies": [
          { "PolicyName": "logs", "PolicyDocument": {} },
          {
            "PolicyName": "WorkerDeadLetters",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "sqs:SendMessage",
                  "Resource": {
                    "Fn::GetAtt": ["WorkerDlq", "Arn"]
                  }
                }
              ]
            }
          }
        ]
      }
    },
    "Worker": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Role": { "Fn::GetAtt": ["WorkerRole", "Arn"] }, "DeadLetterConfig": {
        "TargetArn": {
          "Fn::GetAtt": ["WorkerDlq", "Arn"]
        }
      } }
    },
    "Topic": {
      "Type": "AWS::SNS::Topic",
      "Properties": {
        "Subscription": [{ "Protocol": "lambda", "Endpoint": { "Fn::GetAtt": ["Worker", "Arn"] } }]
      }
    },
    "WorkerDlq": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "MessageRetentionPeriod": 1209600,
        "SqsManagedSseEnabled": true
      }
    }
  }
}
`,
    },
    {
      name: 'permissions are grants, not callers: named by the resource their SourceArn points at, or by their service alone',
      path: 'template.yaml',
      text: `Parameters:
  WorkerRoleArn:
    Type: String
Resources:
  «Worker»:
    Type: AWS::Lambda::Function
    Properties:
      Role: !Ref WorkerRoleArn
  OrderRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [shop.orders]}
      Targets:
        - Id: worker
          Arn: !GetAtt Worker.Arn
  OrderRulePermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Worker
      Principal: events.amazonaws.com
      SourceArn: !GetAtt OrderRule.Arn
  Uploads:
    Type: AWS::S3::Bucket
  UploadsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Worker.Arn
      Principal: s3.amazonaws.com
      SourceArn: !GetAtt Uploads.Arn
  AuditLogsPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Worker
      Principal: logs.amazonaws.com
      SourceArn: !Sub arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/shared/audit:*
`,
      messages: [
        'Function Worker is invoked asynchronously by EventBridge (OrderRule), S3 (Uploads) and CloudWatch Logs but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace.',
      ],
      messageIds: ['noDestination'],
    },
    {
      name: 'a permission alone, for a source outside the template',
      path: 'template.yaml',
      text: `Resources:
  «Notifier»:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/notifier
  NotifierPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Notifier
      Principal: sns.amazonaws.com
      SourceArn: arn:aws:sns:eu-west-1:123456789012:alerts
`,
      messages: [
        'Function Notifier is invoked asynchronously by SNS but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace.',
      ],
      messageIds: ['noDestination'],
    },
    {
      name: 'plain Lambda behind an EventBridge rule (long form), role without inline policies',
      path: 'template.yaml',
      text: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  «Handler»:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties:
      Role:
        Fn::GetAtt: [Role, Arn]
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Targets:
        - Id: handler
          Arn:
            Fn::GetAtt: [Handler, Arn]
`,
      messages: [/by EventBridge \(Rule\)/],
      messageIds: ['noDestination'],
      fixed: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: HandlerDeadLetters
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt HandlerDlq.Arn
  Handler:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties:
      Role:
        Fn::GetAtt: [Role, Arn]
      DeadLetterConfig:
        TargetArn: !GetAtt HandlerDlq.Arn
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Targets:
        - Id: handler
          Arn:
            Fn::GetAtt: [Handler, Arn]
  HandlerDlq:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'a schedule beside an upload event: only the upload is named, as it carries data a retry can lose',
      path: 'template.yaml',
      text: `Resources:
  Inbox:
    Type: AWS::S3::Bucket
  «Ingest»:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Sweep: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour)}}
        Dropped: {Type: S3, Properties: {Bucket: !Ref Inbox, Events: 's3:ObjectCreated:*'}}
`,
      messages: [
        'Function Ingest is invoked asynchronously by S3 (Dropped) but has no dead-letter queue or OnFailure destination: an event that fails every retry is dropped without a trace.',
      ],
      messageIds: ['noDestination'],
      fixed: `Resources:
  Inbox:
    Type: AWS::S3::Bucket
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Sweep: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 hour)}}
        Dropped: {Type: S3, Properties: {Bucket: !Ref Inbox, Events: 's3:ObjectCreated:*'}}
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt IngestDlq.Arn
  IngestDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'a role from outside the template: flagged without a fix',
      path: 'template.yaml',
      text: `Parameters:
  RoleArn: {Type: String}
Resources:
  «Handler»:
    Type: AWS::Lambda::Function
    Properties:
      Role: !Ref RoleArn
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Handler
      Principal: s3.amazonaws.com
`,
      messages: [/by S3 but has no dead-letter queue/],
      messageIds: ['noDestination'],
    },
    {
      name: 'an EventBridge target dead-letter queue does not catch function failures',
      path: 'template.yaml',
      text: `Resources:
  «Consumer»:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Orders:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [orders]}
            DeadLetterConfig: {Arn: !GetAtt Undeliverable.Arn}
  Undeliverable:
    Type: AWS::SQS::Queue
`,
      messages: [
        /by EventBridge \(Orders\).*\(the dead-letter settings of Orders only keep events that could not be delivered, not those the function failed on\)\.$/,
      ],
      messageIds: ['onlyDeliveryDeadLetters'],
      fixed: `Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Orders:
          Type: EventBridgeRule
          Properties:
            Pattern: {source: [orders]}
            DeadLetterConfig: {Arn: !GetAtt Undeliverable.Arn}
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt ConsumerDlq.Arn
  Undeliverable:
    Type: AWS::SQS::Queue
  ConsumerDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'an IoT topic rule action',
      path: 'template.yaml',
      text: `Parameters:
  Role: {Type: String}
Resources:
  «Telemetry»:
    Type: AWS::Lambda::Function
    Properties:
      Role: !Ref Role
  Rule:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: SELECT * FROM 'devices/+/telemetry'
        Actions:
          - Lambda: {FunctionArn: !GetAtt Telemetry.Arn}
`,
      messages: [/by IoT \(Rule\)/],
      messageIds: ['noDestination'],
    },
    {
      name: 'functions written inside Fn::ForEach: flagged, but one dead-letter queue cannot serve every copy',
      path: 'template.yaml',
      text: `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Fn::ForEach::Workers:
    - Size
    - [Small, Large]
    - «Thumbnailer\${Size}»:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Events:
            Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}
`,
      messageIds: ['noDestination'],
    },
  ],
  clean: [
    {
      name: 'dead-letter queue in SAM Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    DeadLetterQueue: {Type: SNS, TargetArn: !Ref Failures}
Resources:
  Failures:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Topic: {Type: SNS, Properties: {Topic: !Ref Failures}}
`,
    },
    {
      name: 'SAM OnFailure destination',
      path: 'template.yaml',
      text: `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      EventInvokeConfig:
        DestinationConfig:
          OnFailure: {Type: SQS, Destination: !GetAtt Failed.Arn}
      Events:
        Bus: {Type: EventBridgeRule, Properties: {Pattern: {source: [orders]}}}
  Failed:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'an AWS::Lambda::EventInvokeConfig with OnFailure for a plain function',
      path: 'template.yaml',
      text: `Resources:
  Fn:
    Type: AWS::Lambda::Function
  Invoke:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Fn
      Qualifier: $LATEST
      DestinationConfig:
        OnFailure:
          Destination: !GetAtt Failed.Arn
  Allow:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !GetAtt Fn.Arn, Principal: sns.amazonaws.com, Action: lambda:InvokeFunction}
  Failed:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'synchronous callers (API, SQS polling) need no dead-letter queue on the function',
      path: 'template.yaml',
      text: `Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
  Jobs:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'functions only schedules start: the next run repeats the work, and the event holds only the time',
      path: 'template.yaml',
      text: `Resources:
  Cleanup:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Hourly: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
        Nightly: {Type: ScheduleV2, Properties: {ScheduleExpression: cron(0 2 * * ? *)}}
  Rotate:
    Type: AWS::Lambda::Function
  RotateTick:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(10 minutes)
      Targets: [{Id: rotate, Arn: !GetAtt Rotate.Arn}]
  RotateInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Rotate
      Principal: events.amazonaws.com
      SourceArn: !GetAtt RotateTick.Arn
  Report:
    Type: AWS::Lambda::Function
  ReportTick:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: cron(0 6 * * ? *)
      Targets: [{Id: report, Arn: !GetAtt Report.Arn}]
  ReportInvoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Report.Arn
      Principal: events.amazonaws.com
`,
    },
    {
      name: 'a schedule beside an API: the API caller sees its own failures',
      path: 'template.yaml',
      text: `Resources:
  Warmup:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Tick: {Type: Schedule, Properties: {Schedule: rate(5 minutes)}}
`,
    },
    {
      name: 'an IoT custom authorizer is called synchronously',
      path: 'template.yaml',
      text: `Resources:
  Authorizer:
    Type: AWS::Lambda::Function
  IotAuthorizer:
    Type: AWS::IoT::Authorizer
    Properties:
      AuthorizerFunctionArn: !GetAtt Authorizer.Arn
  Allow:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Authorizer.Arn
      Principal: iot.amazonaws.com
`,
    },
    {
      name: 'suppressed with the checkov id in a comment',
      path: 'template.yaml',
      text: `Resources:
  Fn:
    #checkov:skip=CKV_AWS_116:events are replayed from the bucket inventory
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Upload: {Type: S3, Properties: {Bucket: !Ref B, Events: 's3:ObjectCreated:*'}}
`,
    },
  ],
});
