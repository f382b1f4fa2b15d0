import rule from '../../../server/src/rules/cfn/alarm-without-action';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'alarm without actions: a topic parameter is added above Resources',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  «OrdersErrors»:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: Errors # from the orders function
      Namespace: AWS/Lambda
`,
      messages: ['Alarm OrdersErrors has no AlarmActions: when it goes off, nobody is told.'],
      messageIds: ['noActions'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AlarmTopicArn:
    Type: String
    Description: ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions).
Resources:
  OrdersErrors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: Errors # from the orders function
      Namespace: AWS/Lambda
      AlarmActions:
        - !Ref AlarmTopicArn
`,
    },
    {
      name: 'an empty list in flow style uses the template’s alerts topic',
      path: 'template.yaml',
      text: `Resources:
  Alerts:
    Type: AWS::SNS::Topic
  Latency:
    Type: AWS::CloudWatch::Alarm
    Properties: {MetricName: Latency, «AlarmActions»: []}
`,
      fixed: `Resources:
  Alerts:
    Type: AWS::SNS::Topic
  Latency:
    Type: AWS::CloudWatch::Alarm
    Properties: {MetricName: Latency, AlarmActions: [!Ref Alerts]}
`,
    },
    {
      name: 'JSON composite alarm; the parameter joins the existing ones',
      path: 'template.json',
      text: `{
  "Parameters": {
    "Env": { "Type": "String" }
  },
  "Resources": {
    «"Outage"»: {
      "Type": "AWS::CloudWatch::CompositeAlarm",
      "Properties": { "AlarmRule": "ALARM(a) OR ALARM(b)" }
    }
  }
}
`,
      fixed: `{
  "Parameters": {
    "Env": { "Type": "String" },
    "AlarmTopicArn": {
      "Type": "String",
      "Description": "ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions)."
    }
  },
  "Resources": {
    "Outage": {
      "Type": "AWS::CloudWatch::CompositeAlarm",
      "Properties": { "AlarmRule": "ALARM(a) OR ALARM(b)", "AlarmActions": [
        { "Ref": "AlarmTopicArn" }
      ] }
    }
  }
}
`,
    },
    {
      name: 'actions left out on every branch',
      path: 'template.yaml',
      text: `Parameters:
  AlarmTopicArn: {Type: String}
Resources:
  Cpu:
    Type: AWS::CloudWatch::Alarm
    Properties:
      «AlarmActions»: !If [IsProd, !Ref AWS::NoValue, !Ref AWS::NoValue]
`,
      messages: [/no AlarmActions \(whichever way condition IsProd goes\)/],
      fixed: `Parameters:
  AlarmTopicArn: {Type: String}
Resources:
  Cpu:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmActions: [!Ref AlarmTopicArn]
`,
    },
    {
      name: 'an empty Parameters section is filled, not repeated',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
Resources:
  «Cpu»:
    Type: AWS::CloudWatch::Alarm
    Properties: {MetricName: CPUUtilization}
`,
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AlarmTopicArn:
    Type: String
    Description: ARN of the SNS topic that alerts whoever is on call (chat, e-mail or pager subscriptions).
Resources:
  Cpu:
    Type: AWS::CloudWatch::Alarm
    Properties: {MetricName: CPUUtilization, AlarmActions: [!Ref AlarmTopicArn]}
`,
    },
    {
      name: 'long-form Fn::If leaving actions out on both branches (JSON)',
      path: 'template.json',
      text: `{
  "Parameters": { "AlarmTopicArn": { "Type": "String" } },
  "Resources": {
    "Cpu": {
      "Type": "AWS::CloudWatch::Alarm",
      "Properties": {
        «"AlarmActions"»: { "Fn::If": ["IsProd", { "Ref": "AWS::NoValue" }, { "Ref": "AWS::NoValue" }] }
      }
    }
  }
}
`,
      messages: [/whichever way condition IsProd goes/],
      fixed: `{
  "Parameters": { "AlarmTopicArn": { "Type": "String" } },
  "Resources": {
    "Cpu": {
      "Type": "AWS::CloudWatch::Alarm",
      "Properties": {
        "AlarmActions": [
          { "Ref": "AlarmTopicArn" }
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
      name: 'alarms with actions, also on one branch only',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmActions: [!Ref Topic]}
  B:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmActions: !If [IsProd, [!Ref Topic], !Ref AWS::NoValue]
`,
    },
    {
      name: 'alarms that drive a rollback or a composite alarm',
      path: 'template.yaml',
      text: `Resources:
  Errors:
    Type: AWS::CloudWatch::Alarm
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference: {Type: Canary10Percent5Minutes, Alarms: [!Ref Errors]}
  Latency:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmName: orders-latency}
  Throttles:
    Type: AWS::CloudWatch::Alarm
    Properties: {AlarmName: orders-throttles}
  Outage:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmRule: ALARM("orders-latency") OR ALARM("orders-throttles")
      AlarmActions: [!Ref Topic]
`,
    },
  ],
});
