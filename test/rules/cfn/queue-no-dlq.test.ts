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
  ],
  clean: [
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
