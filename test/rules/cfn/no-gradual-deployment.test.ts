import rule from '../../../server/src/rules/cfn/no-gradual-deployment';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a scheduled function that a queue also feeds',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      «AutoPublishAlias»: live
      Events:
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
`,
      messageIds: ['noPreference'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      AutoPublishAlias: live
      Events:
        Nightly:
          Type: Schedule
          Properties: {Schedule: rate(1 day)}
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Jobs.Arn}
      DeploymentPreference:
        Type: Canary10Percent5Minutes
`,
    },
    {
      name: 'an alias published for SnapStart on a function that serves an API',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: app.Handler::handleRequest
      «AutoPublishAlias»: live
      SnapStart:
        ApplyOn: PublishedVersions
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}
`,
      messageIds: ['noPreference'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: app.Handler::handleRequest
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}
      DeploymentPreference:
        Type: Canary10Percent5Minutes
`,
    },
    {
      name: 'API function with neither alias nor preference (YAML)',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «OrdersApi»:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # REST entry point
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}
`,
      messages: [
        'Function OrdersApi serves requests but every deploy switches all traffic to the new code at once: publish an alias and shift traffic gradually, so that a bad release can roll back.',
      ],
      messageIds: ['noAlias'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # REST entry point
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
`,
    },
    {
      name: 'an alias without a preference, in flow style',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, «AutoPublishAlias»: live}
`,
      messages: [/publishes an alias but has no DeploymentPreference/],
      messageIds: ['noPreference'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, AutoPublishAlias: live, DeploymentPreference: {Type: Canary10Percent5Minutes}}
`,
    },
    {
      name: 'an alias from Globals points at the function',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
Resources:
  «Http»:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Root: {Type: HttpApi}
`,
      messages: [/publishes an alias in Globals but has no DeploymentPreference/],
      messageIds: ['noPreference'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
Resources:
  Http:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Root: {Type: HttpApi}
      DeploymentPreference:
        Type: Canary10Percent5Minutes
`,
    },
    {
      name: 'AllAtOnce in JSON',
      path: 'template.json',
      text: `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "AutoPublishAlias": "live",
        "DeploymentPreference": { "Type": «"AllAtOnce"» }
      }
    }
  }
}
`,
      messages: [
        'Function Fn deploys each release to all traffic at once (DeploymentPreference Type is AllAtOnce).',
      ],
      messageIds: ['allAtOnce'],
      fixed: `{
  "Transform": "AWS::Serverless-2016-10-31",
  "Resources": {
    "Fn": {
      "Type": "AWS::Serverless::Function",
      "Properties": {
        "AutoPublishAlias": "live",
        "DeploymentPreference": { "Type": "Canary10Percent5Minutes" }
      }
    }
  }
}
`,
    },
    {
      name: 'AllAtOnce through a parameter default and Fn::If (long form)',
      path: 'template.yaml',
      text: `Parameters:
  Rollout:
    Type: String
    AllowedValues: [AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute]
    Default: AllAtOnce
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: «{"Fn::If": [IsProd, {Ref: Rollout}, AllAtOnce]}»
`,
      messages: [/AllAtOnce \(the default of parameter Rollout; whichever way condition IsProd goes\)/],
      messageIds: ['allAtOnce'],
      fixed: `Parameters:
  Rollout:
    Type: String
    AllowedValues: [AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute]
    Default: Canary10Percent5Minutes
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: {"Fn::If": [IsProd, {Ref: Rollout}, Canary10Percent5Minutes]}
`,
    },
    {
      name: 'a preference switched off on purpose is reported, never switched back on',
      path: 'template.yaml',
      text: `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Linear10PercentEvery1Minute
        Enabled: «false»   # CodeDeploy is not available in this partition yet
`,
      messages: [/deployment preference disabled: each release/],
      messageIds: ['disabled'],
    },
    {
      name: 'a preference switched off through a parameter default gets no fix either',
      path: 'template.yaml',
      text: `Parameters:
  GradualRollout:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'false'
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Enabled: «!Ref GradualRollout»
`,
      messageIds: ['disabled'],
    },
    {
      name: 'a function that reads its own API’s URL: an alias would make a cycle, so no fix',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  «Fn»:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          SELF_URL: !Sub 'https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/prod'
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /, Method: get}}
`,
      messageIds: ['noAlias'],
    },
    {
      name: 'a function behind an explicit SAM API gets the alias fix',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  «Fn»:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /, Method: get}}
`,
      messageIds: ['noAlias'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {StageName: prod}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /, Method: get}}
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
`,
    },
  ],
  clean: [
    {
      name: 'functions that only schedules start: SAM events, or a Scheduler schedule on the alias',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  NightlyReport:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      AutoPublishAlias: live
      Events:
        Nightly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 2 * * ? *)
  Reconciler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      AutoPublishAlias: live
  ReconcilerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: scheduler.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:InvokeFunction
                Resource: !Ref Reconciler.Alias
  EveryHour:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: rate(1 hour)
      FlexibleTimeWindow: {Mode: 'OFF'}
      Target:
        Arn: !Ref Reconciler.Alias
        RoleArn: !GetAtt ReconcilerRole.Arn
`,
    },
    {
      name: 'an alias published for SnapStart on an S3-triggered function',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Thumbnails:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: app.Handler::handleRequest
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
      Events:
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
  Uploads:
    Type: AWS::S3::Bucket
`,
    },
    {
      name: 'a canary, and one set in Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
    DeploymentPreference: {Type: Linear10PercentEvery1Minute}
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Get: {Type: Api}}
  B:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live
      DeploymentPreference: {Type: !If [IsProd, Canary10Percent5Minutes, AllAtOnce]}
`,
    },
    {
      name: 'a queue worker without an alias, and a custom resource handler',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
  Seeder:
    Type: AWS::Serverless::Function
    Properties: {AutoPublishAlias: live}
  Seed:
    Type: Custom::Seed
    Properties: {ServiceToken: !GetAtt Seeder.Arn}
`,
    },
  ],
});
