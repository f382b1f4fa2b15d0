import rule from '../../../server/src/rules/cfn/log-retention';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'log group without retention (YAML)',
      path: 'template.yaml',
      text: `Resources:
  «OrdersLogs»:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/aws/lambda/\${Orders}' # the function's group
`,
      messages: [
        'Log group OrdersLogs keeps its logs forever: set RetentionInDays so that storage and cost stop growing.',
      ],
      messageIds: ['forever'],
      fixed: `Resources:
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/aws/lambda/\${Orders}' # the function's group
      RetentionInDays: 90
`,
    },
    {
      name: 'log group without Properties in flow style',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  «Logs»: {Type: AWS::Logs::LogGroup}
`,
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Logs: {Type: AWS::Logs::LogGroup, Properties: {RetentionInDays: 90}}
`,
    },
    {
      name: 'JSON log group',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Logs"»: {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {
        "LogGroupName": "/orders"
      }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Logs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {
        "LogGroupName": "/orders",
        "RetentionInDays": 90
      }
    }
  }
}
`,
    },
    {
      name: 'AWS::NoValue on every branch',
      path: 'template.yaml',
      text: `Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: «!If [IsProd, !Ref AWS::NoValue, !Ref AWS::NoValue]»
`,
      messages: [/forever \(whichever way condition IsProd goes\)/],
      messageIds: ['forever'],
      fixed: `Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
`,
    },
  ],
  clean: [
    {
      name: 'retention set, literally or through a parameter',
      path: 'template.yaml',
      text: `Parameters:
  Days: {Type: Number}
Resources:
  A:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 30}
  B:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !Ref Days
`,
    },
    {
      name: 'retention on one branch',
      path: 'template.yaml',
      text: `Resources:
  A:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !If [IsProd, 365, !Ref AWS::NoValue]
`,
    },
    {
      name: 'suppressed for the file',
      path: 'template.yaml',
      text: `# cloud-lessons-disable measure-everything/log-retention -- audit logs are kept forever by policy
Resources:
  A:
    Type: AWS::Logs::LogGroup
`,
    },
    {
      name: 'long-form Fn::If that sets retention on one branch (JSON)',
      path: 'template.json',
      text: `{
  "Resources": {
    "Logs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": { "RetentionInDays": { "Fn::If": ["IsProd", 365, { "Ref": "AWS::NoValue" }] } }
    }
  }
}
`,
    },
  ],
});
