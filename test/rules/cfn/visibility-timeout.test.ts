import rule from '../../../server/src/rules/cfn/visibility-timeout';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'default visibility against a SAM timeout from Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
Resources:
  «Jobs»:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Failed.Arn, maxReceiveCount: 5}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
`,
      messages: [
        'Queue Jobs hides a received message for 30 seconds (the SQS default), but function Worker (Jobs) may run for 60 seconds (from SAM Globals): the message is handed out again while it is still being processed, and Lambda refuses to create the mapping.',
      ],
      messageIds: ['shorterThanConsumer'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Failed.Arn, maxReceiveCount: 5}
      VisibilityTimeout: 360
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
`,
    },
    {
      name: 'literal visibility in flow style against an event source mapping (long form)',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: «'20'»}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 900}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: {"Fn::GetAtt": [Jobs, Arn]}
      FunctionName: {Ref: Worker}
`,
      messages: [/for 20 seconds, but function Worker \(Mapping\) may run for 900 seconds:/],
      fixed: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: '5400'}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Timeout: 900}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: {"Fn::GetAtt": [Jobs, Arn]}
      FunctionName: {Ref: Worker}
`,
    },
    {
      name: 'through parameter defaults: the message says so and the fix changes the default',
      path: 'template.yaml',
      text: `Parameters:
  Visibility:
    Type: Number
    Default: 30
  WorkerTimeout:
    Type: Number
    Default: 120
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: «!Ref Visibility»
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref WorkerTimeout
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
`,
      messages: [
        /for 30 seconds \(the default of parameter Visibility\), but function Worker \(Jobs\) may run for 120 seconds \(the default of parameter WorkerTimeout\)/,
      ],
      fixed: `Parameters:
  Visibility:
    Type: Number
    Default: 720
  WorkerTimeout:
    Type: Number
    Default: 120
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: !Ref Visibility
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref WorkerTimeout
      Events:
        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
`,
    },
    {
      name: 'Fn::If with both branches too short names the condition (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    "Jobs": {
      "Type": "AWS::SQS::Queue",
      "Properties": { "VisibilityTimeout": «{ "Fn::If": ["IsProd", 60, 30] }» }
    },
    "Worker": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Timeout": 300 }
    },
    "Mapping": {
      "Type": "AWS::Lambda::EventSourceMapping",
      "Properties": {
        "EventSourceArn": { "Fn::GetAtt": ["Jobs", "Arn"] },
        "FunctionName": { "Fn::GetAtt": ["Worker", "Arn"] }
      }
    }
  }
}
`,
      messages: [/for 60 seconds \(whichever way condition IsProd goes\)/],
      fixed: `{
  "Resources": {
    "Jobs": {
      "Type": "AWS::SQS::Queue",
      "Properties": { "VisibilityTimeout": { "Fn::If": ["IsProd", 1800, 1800] } }
    },
    "Worker": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Timeout": 300 }
    },
    "Mapping": {
      "Type": "AWS::Lambda::EventSourceMapping",
      "Properties": {
        "EventSourceArn": { "Fn::GetAtt": ["Jobs", "Arn"] },
        "FunctionName": { "Fn::GetAtt": ["Worker", "Arn"] }
      }
    }
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'visibility longer than the timeout',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 180}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 30
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
`,
    },
    {
      name: 'defaults on both sides: 30 seconds against 3',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
`,
    },
    {
      name: 'one branch of Fn::If is long enough',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: !If [IsProd, 600, 30]}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
`,
    },
    {
      name: 'a timeout from a parameter without a default is unknowable',
      path: 'template.yaml',
      text: `Parameters:
  Timeout: {Type: Number}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !Ref Timeout
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
`,
    },
    {
      name: 'an imported queue is not judged',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 900
      Events: {Jobs: {Type: SQS, Properties: {Queue: !ImportValue shared-jobs-arn}}}
`,
    },
    {
      name: 'suppressed with the cfn-lint id in resource metadata',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Metadata:
      cfn-lint:
        config:
          ignore_checks: [E3505]
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 120
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
`,
    },
    {
      name: 'a timeout from a custom resource attribute is unknowable',
      path: 'template.yaml',
      text: `Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: !GetAtt Tuning.Timeout
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
  Tuning:
    Type: Custom::Tuning
`,
    },
  ],
});
