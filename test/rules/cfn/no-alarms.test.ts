import rule from '../../../server/src/rules/cfn/no-alarms';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a function, a queue and its dead-letter queue: an alarm each, sent to a new topic parameter',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
«Resources»:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
  Jobs:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Failed.Arn, maxReceiveCount: 5}
  Failed:
    Type: AWS::SQS::Queue
`,
      messages: [
        'This template runs a function and 2 queues but defines no CloudWatch alarm: errors and backlogs go unnoticed until users notice them.',
      ],
      fixed: `Transform: AWS::Serverless-2016-10-31
Parameters:
  AlarmTopicArn:
    Type: String
    Description: ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions).
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
  Jobs:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Failed.Arn, maxReceiveCount: 5}
  Failed:
    Type: AWS::SQS::Queue
  WorkerErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Worker failed invocations
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Worker
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
  JobsAgeAlarm:
    Type: AWS::CloudWatch::Alarm
    Condition: IsProd
    Properties:
      AlarmDescription: The oldest message in Jobs has waited five minutes
      Namespace: AWS/SQS
      MetricName: ApproximateAgeOfOldestMessage
      Dimensions:
        - Name: QueueName
          Value: !GetAtt Jobs.QueueName
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 300
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
  FailedMessagesAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Messages that failed processing are waiting in Failed
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions:
        - Name: QueueName
          Value: !GetAtt Failed.QueueName
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
`,
    },
    {
      name: 'JSON database with an existing alerts topic; the alarm name is taken',
      path: 'template.json',
      text: `{
  «"Resources"»: {
    "OpsAlerts": { "Type": "AWS::SNS::Topic" },
    "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres" } },
    "DbCpuAlarm": { "Type": "AWS::SNS::Topic" }
  }
}
`,
      messages: [/runs a database but defines no CloudWatch alarm/],
      fixed: `{
  "Resources": {
    "OpsAlerts": { "Type": "AWS::SNS::Topic" },
    "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres" } },
    "DbCpuAlarm": { "Type": "AWS::SNS::Topic" },
    "DbCpuAlarm2": {
      "Type": "AWS::CloudWatch::Alarm",
      "Properties": {
        "AlarmDescription": "Db has been busy for 15 minutes",
        "Namespace": "AWS/RDS",
        "MetricName": "CPUUtilization",
        "Dimensions": [
          {
            "Name": "DBInstanceIdentifier",
            "Value": { "Ref": "Db" }
          }
        ],
        "Statistic": "Average",
        "Period": 300,
        "EvaluationPeriods": 3,
        "Threshold": 80,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [
          { "Ref": "OpsAlerts" }
        ]
      }
    }
  }
}
`,
    },
    {
      name: 'an ECS service and an Auto Scaling group',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AlarmTopicArn: {Type: String}
«Resources»:
  Web:
    Type: AWS::ECS::Service
    Properties: {Cluster: !GetAtt Cluster.Arn}
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
`,
      messages: [/runs a container service and an Auto Scaling group but/],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AlarmTopicArn: {Type: String}
Resources:
  Web:
    Type: AWS::ECS::Service
    Properties: {Cluster: !GetAtt Cluster.Arn}
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
  WebCpuAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Web has been busy for 15 minutes
      Namespace: AWS/ECS
      MetricName: CPUUtilization
      Dimensions:
        - Name: ClusterName
          Value: !Ref Cluster
        - Name: ServiceName
          Value: !GetAtt Web.Name
      Statistic: Average
      Period: 300
      EvaluationPeriods: 3
      Threshold: 80
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
  HostsCpuAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Hosts has been busy for 15 minutes
      Namespace: AWS/EC2
      MetricName: CPUUtilization
      Dimensions:
        - Name: AutoScalingGroupName
          Value: !Ref Hosts
      Statistic: Average
      Period: 300
      EvaluationPeriods: 3
      Threshold: 80
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
`,
    },
    {
      name: 'tables written inside Fn::ForEach: flagged, but no single id to point an alarm at',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
«Resources»:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - DynamoDB\${TableName}:
        Type: AWS::DynamoDB::Table
        Properties:
          BillingMode: PAY_PER_REQUEST
`,
      messages: [/runs a table but defines no CloudWatch alarm/],
    },
    {
      name: 'tables inside Fn::ForEach beside a plain function: only the function gets an alarm',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
«Resources»:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - Table\${TableName}:
        Type: AWS::DynamoDB::Table
        Properties: {BillingMode: PAY_PER_REQUEST}
  Scorer:
    Type: AWS::Lambda::Function
`,
      messages: [/runs a table and a function but/],
      messageIds: ['noAlarm'],
      fixed: `Transform: AWS::LanguageExtensions
Parameters:
  AlarmTopicArn:
    Type: String
    Description: ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions).
Resources:
  Fn::ForEach::Tables:
    - TableName
    - [Points, Score]
    - Table\${TableName}:
        Type: AWS::DynamoDB::Table
        Properties: {BillingMode: PAY_PER_REQUEST}
  Scorer:
    Type: AWS::Lambda::Function
  ScorerErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmDescription: Scorer failed invocations
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Scorer
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
      AlarmActions:
        - !Ref AlarmTopicArn
`,
    },
  ],
  clean: [
    {
      name: 'a template with an alarm',
      path: 'template.yaml',
      text: `Resources:
  Fn:
    Type: AWS::Lambda::Function
  Errors:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmActions: [!Ref Topic]}
`,
    },
    {
      name: 'nothing that runs: buckets, roles, and a custom resource handler',
      path: 'template.yaml',
      text: `Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Role:
    Type: AWS::IAM::Role
  Seeder:
    Type: AWS::Lambda::Function
  Seed:
    Type: Custom::Seed
    Properties: {ServiceToken: !GetAtt Seeder.Arn}
`,
    },
  ],
});
