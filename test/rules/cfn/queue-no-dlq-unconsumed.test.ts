import rule from '../../../server/src/rules/cfn/queue-no-dlq-unconsumed';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'an SNS fan-out queue that nothing here reads: scaffolded like the recommended rule',
      path: 'template.yaml',
      text: `Resources:
  «Shipments»:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 90}
  Orders:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Protocol: sqs, Endpoint: !GetAtt Shipments.Arn}]
`,
      messages: [
        'Queue Shipments has no dead-letter queue, and nothing in this template receives from it: if a consumer elsewhere does, a message it keeps failing on is received again and again until its retention period ends, and then it is lost.',
      ],
      messageIds: ['noDeadLetterQueueUnconsumed'],
      fixed: `Resources:
  Shipments:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 90, RedrivePolicy: {deadLetterTargetArn: !GetAtt ShipmentsDlq.Arn, maxReceiveCount: 5}}
  Orders:
    Type: AWS::SNS::Topic
    Properties:
      Subscription: [{Protocol: sqs, Endpoint: !GetAtt Shipments.Arn}]
  ShipmentsDlq:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
`,
    },
    {
      name: 'an EventBridge target exported for others, and a queue whose only role may just send',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Uploads"»: {"Type": "AWS::SQS::Queue"},
    "UploadRule": {
      "Type": "AWS::Events::Rule",
      "Properties": {"Targets": [{"Arn": {"Fn::GetAtt": ["Uploads", "Arn"]}, "Id": "uploads"}]}
    },
    «"Emails"»: {"Type": "AWS::SQS::Queue"},
    "SenderRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {"Policies": [{"PolicyName": "send", "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": {"Fn::GetAtt": ["Emails", "Arn"]}},
        {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}
      ]}}]}
    },
    "Sender": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Role": {"Fn::GetAtt": ["SenderRole", "Arn"]}, "Environment": {"Variables": {"EMAILS": {"Ref": "Emails"}}}}
    }
  },
  "Outputs": {
    "UploadsQueue": {"Value": {"Ref": "Uploads"}, "Export": {"Name": "uploads-queue"}},
    "UploadsArn": {"Value": {"Fn::GetAtt": ["Uploads", "Arn"]}, "Export": {"Name": "uploads-arn"}}
  }
}
`,
      messages: [
        'Queue Uploads has no dead-letter queue; nothing in this template receives from it, but it is exported (UploadsQueue, UploadsArn): if a stack or program that imports it consumes it, a message it keeps failing on is received again and again until its retention period ends, and then it is lost.',
        /^Queue Emails has no dead-letter queue, and nothing in this template receives from it: /,
      ],
      messageIds: ['noDeadLetterQueueExported', 'noDeadLetterQueueUnconsumed'],
      fixed: `{
  "Resources": {
    "Uploads": {"Type": "AWS::SQS::Queue", "Properties": {
      "RedrivePolicy": {
        "deadLetterTargetArn": {
          "Fn::GetAtt": ["UploadsDlq", "Arn"]
        },
        "maxReceiveCount": 5
      }
    }},
    "UploadRule": {
      "Type": "AWS::Events::Rule",
      "Properties": {"Targets": [{"Arn": {"Fn::GetAtt": ["Uploads", "Arn"]}, "Id": "uploads"}]}
    },
    "Emails": {"Type": "AWS::SQS::Queue", "Properties": {
      "RedrivePolicy": {
        "deadLetterTargetArn": {
          "Fn::GetAtt": ["EmailsDlq", "Arn"]
        },
        "maxReceiveCount": 5
      }
    }},
    "SenderRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {"Policies": [{"PolicyName": "send", "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": {"Fn::GetAtt": ["Emails", "Arn"]}},
        {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}
      ]}}]}
    },
    "Sender": {
      "Type": "AWS::Lambda::Function",
      "Properties": {"Role": {"Fn::GetAtt": ["SenderRole", "Arn"]}, "Environment": {"Variables": {"EMAILS": {"Ref": "Emails"}}}}
    },
    "UploadsDlq": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "MessageRetentionPeriod": 1209600,
        "SqsManagedSseEnabled": true
      }
    },
    "EmailsDlq": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "MessageRetentionPeriod": 1209600,
        "SqsManagedSseEnabled": true
      }
    }
  },
  "Outputs": {
    "UploadsQueue": {"Value": {"Ref": "Uploads"}, "Export": {"Name": "uploads-queue"}},
    "UploadsArn": {"Value": {"Fn::GetAtt": ["Uploads", "Arn"]}, "Export": {"Name": "uploads-arn"}}
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'queues with a consumer here are the recommended rule’s; one nothing sends to or reads (an alarm only watches) has unknown users, so it is too',
      path: 'template.yaml',
      text: `Resources:
  Work:
    Type: AWS::SQS::Queue
  WorkMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {EventSourceArn: !GetAtt Work.Arn, FunctionName: worker}
  Standalone:
    Type: AWS::SQS::Queue
  Watched:
    Type: AWS::SQS::Queue
  WatchedBacklog:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateAgeOfOldestMessage
      Dimensions: [{Name: QueueName, Value: !GetAtt Watched.QueueName}]
  Handed:
    Type: AWS::SQS::Queue
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/child.yaml
      Parameters: {QueueUrl: !Ref Handed}
  Polled:
    Type: AWS::SQS::Queue
  PolledRule:
    Type: AWS::Events::Rule
    Properties: {Targets: [{Arn: !GetAtt Polled.Arn, Id: p}]}
  FleetRole:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]
`,
    },
    {
      name: 'a dead-letter queue itself, and a queue with a redrive policy',
      path: 'template.yaml',
      text: `Resources:
  Main:
    Type: AWS::SQS::Queue
    Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt MainDlq.Arn, maxReceiveCount: 4}}
  MainDlq:
    Type: AWS::SQS::Queue
  Rule:
    Type: AWS::Events::Rule
    Properties: {Targets: [{Arn: !GetAtt Main.Arn, Id: m}]}
`,
    },
  ],
});
