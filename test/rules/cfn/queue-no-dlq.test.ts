import rule from '../../../server/src/rules/cfn/queue-no-dlq';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'queue without a redrive policy (YAML block style, comment kept)',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  «OrdersQueue»:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60 # twice the worker's timeout
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
`,
      messages: [/^Queue OrdersQueue has no dead-letter queue: /],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60 # twice the worker's timeout
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt OrdersQueueDlq.Arn
        maxReceiveCount: 5
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
  OrdersQueueDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'FIFO queue with a KMS key in flow style: the dead-letter queue is FIFO, uses the key and keeps the condition',
      path: 'template.yaml',
      text: `Resources:
  «Payments»:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties: {FifoQueue: true, KmsMasterKeyId: !Ref QueueKey}
`,
      fixed: `Resources:
  Payments:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties: {FifoQueue: true, KmsMasterKeyId: !Ref QueueKey, RedrivePolicy: {deadLetterTargetArn: !GetAtt PaymentsDlq.Arn, maxReceiveCount: 5}}
  PaymentsDlq:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      MessageRetentionPeriod: 1209600
      FifoQueue: true
      KmsMasterKeyId: !Ref QueueKey
`,
    },
    {
      name: 'JSON queue without Properties; the derived name is taken by a parameter',
      path: 'template.json',
      text: `{
  "Parameters": {
    "JobsDlq": { "Type": "String" }
  },
  "Resources": {
    «"Jobs"»: {
      "Type": "AWS::SQS::Queue"
    }
  }
}
`,
      fixed: `{
  "Parameters": {
    "JobsDlq": { "Type": "String" }
  },
  "Resources": {
    "Jobs": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "RedrivePolicy": {
          "deadLetterTargetArn": {
            "Fn::GetAtt": ["JobsDlq2", "Arn"]
          },
          "maxReceiveCount": 5
        }
      }
    },
    "JobsDlq2": {
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
      name: 'Fn::If whose branches both leave the policy out names the condition',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: «!If [UseDlq, !Ref AWS::NoValue, !Ref AWS::NoValue]»
`,
      messages: [/whichever way condition UseDlq goes/],
      fixed: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt JobsDlq.Arn, maxReceiveCount: 5}
  JobsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'queues written inside Fn::ForEach: flagged, but one dead-letter queue cannot serve every copy',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Queues:
    - Name
    - [Orders, Refunds]
    - «\${Name}Queue»:
        Type: AWS::SQS::Queue
        Properties: {VisibilityTimeout: 120}
`,
      messageIds: ['noDeadLetterQueue'],
    },
    {
      name: 'queues that something in the template receives from: a SAM event, a mapping, a pipe, a grant, a poller policy, a configured task',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Signups»:
    Type: AWS::SQS::Queue
  Welcome:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        New: {Type: SQS, Properties: {Queue: !GetAtt Signups.Arn}}
  «Refunds»:
    Type: AWS::SQS::Queue
  RefundsMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Refunds.Arn, FunctionName: !Ref RefundWorker}
  «Clicks»:
    Type: AWS::SQS::Queue
  ClicksPipe:
    Type: AWS::Pipes::Pipe
    Properties: {Source: !GetAtt Clicks.Arn, Target: !GetAtt Archive.Arn, RoleArn: !GetAtt PipeRole.Arn}
  «Reports»:
    Type: AWS::SQS::Queue
  ReportsReader:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read-reports
      Roles: [!Ref WorkerRole]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: !GetAtt Reports.Arn}
  «Thumbnails»:
    Type: AWS::SQS::Queue
  Poller:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - SQSPollerPolicy: {QueueName: !GetAtt Thumbnails.QueueName}
  «Jobs»:
    Type: AWS::SQS::Queue
  JobsTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: worker
          Environment: [{Name: JOBS_URL, Value: !Ref Jobs}]
`,
      messageIds: [
        'noDeadLetterQueue',
        'noDeadLetterQueue',
        'noDeadLetterQueue',
        'noDeadLetterQueue',
        'noDeadLetterQueue',
        'noDeadLetterQueue',
      ],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Signups:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt SignupsDlq.Arn
        maxReceiveCount: 5
  Welcome:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        New: {Type: SQS, Properties: {Queue: !GetAtt Signups.Arn}}
  Refunds:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt RefundsDlq.Arn
        maxReceiveCount: 5
  RefundsMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Refunds.Arn, FunctionName: !Ref RefundWorker}
  Clicks:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt ClicksDlq.Arn
        maxReceiveCount: 5
  ClicksPipe:
    Type: AWS::Pipes::Pipe
    Properties: {Source: !GetAtt Clicks.Arn, Target: !GetAtt Archive.Arn, RoleArn: !GetAtt PipeRole.Arn}
  Reports:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt ReportsDlq.Arn
        maxReceiveCount: 5
  ReportsReader:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: read-reports
      Roles: [!Ref WorkerRole]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: !GetAtt Reports.Arn}
  Thumbnails:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt ThumbnailsDlq.Arn
        maxReceiveCount: 5
  Poller:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - SQSPollerPolicy: {QueueName: !GetAtt Thumbnails.QueueName}
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt JobsDlq.Arn
        maxReceiveCount: 5
  JobsTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: worker
          Environment: [{Name: JOBS_URL, Value: !Ref Jobs}]
  SignupsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  RefundsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  ClicksDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  ReportsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  ThumbnailsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  JobsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
  ],
  clean: [
    {
      name: 'queues the template only sends to (an EventBridge target, a publisher function) belong to the strict-only twin',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  AuditSink:
    Type: AWS::SQS::Queue
  AuditRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {source: [aws.s3]}
      Targets: [{Arn: !GetAtt AuditSink.Arn, Id: audit}]
  AuditSinkPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref AuditSink]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sqs:SendMessage, Resource: !GetAtt AuditSink.Arn}
  Outbox:
    Type: AWS::SQS::Queue
  Publisher:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {OUTBOX: !Ref Outbox}}
      Policies:
        - SQSSendMessagePolicy: {QueueName: !GetAtt Outbox.QueueName}
Outputs:
  AuditSinkUrl:
    Value: !Ref AuditSink
    Export: {Name: audit-sink}
`,
    },
    {
      name: 'queue with a redrive policy, and its dead-letter queue (long form)',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn:
          Fn::GetAtt: [Failed, Arn]
        maxReceiveCount: 3
  Failed:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'redrive policy on one branch of Fn::If',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !If [IsProd, {deadLetterTargetArn: !GetAtt Held.Arn, maxReceiveCount: 3}, !Ref AWS::NoValue]
  Held:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'a queue that is the dead-letter queue of a SAM function in Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    DeadLetterQueue:
      Type: SQS
      TargetArn: !GetAtt Undelivered.Arn
Resources:
  Undelivered:
    Type: AWS::SQS::Queue
`,
    },
    {
      name: 'a queue that is an OnFailure destination in JSON',
      path: 'template.json',
      text: `{
  "Resources": {
    "Sink": { "Type": "AWS::SQS::Queue" },
    "Invoke": {
      "Type": "AWS::Lambda::EventInvokeConfig",
      "Properties": {
        "FunctionName": "worker",
        "Qualifier": "$LATEST",
        "DestinationConfig": { "OnFailure": { "Destination": { "Fn::GetAtt": ["Sink", "Arn"] } } }
      }
    }
  }
}
`,
    },
    {
      name: 'queues named or declared as dead-letter queues for other stacks',
      path: 'template.yaml',
      text: `Resources:
  OrdersDLQ:
    Type: AWS::SQS::Queue
  Parking:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-dead-letter'
  Shared:
    Type: AWS::SQS::Queue
    Properties:
      RedriveAllowPolicy: {redrivePermission: allowAll}
`,
    },
    {
      name: 'suppressed through resource Metadata',
      path: 'template.yaml',
      text: `Resources:
  Events:
    Type: AWS::SQS::Queue
    Metadata:
      cloud-lessons:
        ignore: [async-event-driven/queue-no-dlq]
`,
    },
  ],
});
