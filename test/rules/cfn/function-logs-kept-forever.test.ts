import rule from '../../../server/src/rules/cfn/function-logs-kept-forever';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a SAM function without a log group gets one, kept 90 days',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Orders»:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
`,
      messages: [
        'Function Orders has no log group in the template: Lambda creates /aws/lambda/… on first use and keeps its logs forever, billed every month.',
      ],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: nodejs20.x
      LoggingConfig:
        LogGroup: !Ref OrdersLogs
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
`,
    },
    {
      name: 'a plain function whose log group names another function',
      path: 'template.yaml',
      text: `Resources:
  «Billing»:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: 'def handler(e, c): pass'}}
  OtherLogs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/lambda/other, RetentionInDays: 30}
`,
      fixed: `Resources:
  Billing:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: 'def handler(e, c): pass'}, LoggingConfig: {LogGroup: !Ref BillingLogs}}
  OtherLogs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/lambda/other, RetentionInDays: 30}
  BillingLogs:
    Type: AWS::Logs::LogGroup
    Condition: IsProd
    Properties:
      RetentionInDays: 90
`,
    },
  ],
  clean: [
    {
      name: 'log groups by Sub, by literal name, through LoggingConfig or Globals; custom resource handlers',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    LoggingConfig: {LogGroup: !Ref SharedLogs}
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: nodejs20.x}
  Worker:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: orders-worker, Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: x}}
  WorkerLogs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/lambda/orders-worker, RetentionInDays: 14}
  Mailer:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: x}}
  MailerLogs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: !Sub '/aws/lambda/\${Mailer}', RetentionInDays: 14}
  Seeder:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: !GetAtt Role.Arn, Code: {ZipFile: x}}
  Seed:
    Type: Custom::Seed
    Properties: {ServiceToken: !GetAtt Seeder.Arn}
  SharedLogs:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 30}
`,
    },
  ],
});
