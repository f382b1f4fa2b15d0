import rule from '../../../server/src/rules/cfn/no-tracing';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'SAM API function without tracing (SAM grants its own role)',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «OrdersApi»:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # GET /orders
      Events:
        Get: {Type: Api, Properties: {Path: /orders, Method: get}}
`,
      messages: [
        'Function OrdersApi is not traced with X-Ray: a slow or failing request cannot be followed through the services it calls.',
      ],
      messageIds: ['function'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler # GET /orders
      Events:
        Get: {Type: Api, Properties: {Path: /orders, Method: get}}
      Tracing: Active
`,
    },
    {
      name: 'PassThrough from Globals: the function gets its own setting',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough
Resources:
  «Web»:
    Type: AWS::Serverless::Function
    Properties: {FunctionUrlConfig: {AuthType: NONE}}
`,
      messages: [/\(Tracing in Globals is PassThrough\)/],
      messageIds: ['functionSetting'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: PassThrough
Resources:
  Web:
    Type: AWS::Serverless::Function
    Properties: {FunctionUrlConfig: {AuthType: NONE}, Tracing: Active}
`,
    },
    {
      name: 'plain Lambda behind API Gateway (JSON): its role gets the X-Ray policy',
      path: 'template.json',
      text: `{
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
      }
    },
    «"Handler"»: {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Role": { "Fn::GetAtt": ["Role", "Arn"] } }
    },
    "Invoke": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "FunctionName": { "Ref": "Handler" }, "Principal": "apigateway.amazonaws.com", "Action": "lambda:InvokeFunction" }
    }
  }
}
`,
      messageIds: ['function'],
      // The role gains a permission: a reviewer looks at that.
      fixKind: 'scaffold',
      fixed: `{
  "Resources": {
    "Role": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", { "Fn::Sub": "arn:\${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess" }]
      }
    },
    "Handler": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Role": { "Fn::GetAtt": ["Role", "Arn"] }, "TracingConfig": {
        "Mode": "Active"
      } }
    },
    "Invoke": {
      "Type": "AWS::Lambda::Permission",
      "Properties": { "FunctionName": { "Ref": "Handler" }, "Principal": "apigateway.amazonaws.com", "Action": "lambda:InvokeFunction" }
    }
  }
}
`,
    },
    {
      name: 'API Gateway stage with tracing off, and a deployment that creates its stage',
      path: 'template.yaml',
      text: `Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: prod
      TracingEnabled: «false»
  «Deploy»:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: v1
`,
      messageIds: ['stageSetting', 'deploymentStage'],
      fixed: `Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      StageName: prod
      TracingEnabled: true
  Deploy:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: v1
      StageDescription:
        TracingEnabled: true
`,
    },
    {
      name: 'SAM API through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  Trace: {Type: String, Default: 'false'}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      TracingEnabled: «!Ref Trace»
`,
      messages: [/\(TracingEnabled is false \(the default of parameter Trace\)\)/],
      messageIds: ['stageSetting'],
      fixed: `Parameters:
  Trace: {Type: String, Default: 'true'}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      TracingEnabled: !Ref Trace
`,
    },
    {
      name: 'a stage that never mentions tracing',
      path: 'template.yaml',
      text: `Resources:
  «Prod»:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}
`,
      messages: [
        'API stage Prod is not traced with X-Ray: requests cannot be followed from the API into the backends.',
      ],
      messageIds: ['stage'],
      fixed: `Resources:
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod, TracingEnabled: true}
`,
    },
    {
      name: 'plain Lambda whose role may already write traces: only the mode changes',
      path: 'template.yaml',
      text: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      TracingConfig: {Mode: «PassThrough»}
  Url:
    Type: AWS::Lambda::Url
    Properties: {AuthType: AWS_IAM, TargetFunctionArn: !GetAtt Handler.Arn}
`,
      messages: [/\(TracingConfig Mode is PassThrough\)/],
      messageIds: ['functionSetting'],
      fixed: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
  Handler:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      TracingConfig: {Mode: Active}
  Url:
    Type: AWS::Lambda::Url
    Properties: {AuthType: AWS_IAM, TargetFunctionArn: !GetAtt Handler.Arn}
`,
    },
    {
      name: 'SAM function with a role of its own: the role gets the X-Ray policy',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
  «Web»:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Events:
        Get: {Type: HttpApi}
`,
      fixKind: 'scaffold',
      messageIds: ['function'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, !Sub 'arn:\${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess']
  Web:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt Role.Arn
      Events:
        Get: {Type: HttpApi}
      Tracing: Active
`,
    },
  ],
  clean: [
    {
      name: 'traced functions and APIs, also through Globals',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: Active
  Api:
    TracingEnabled: true
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Get: {Type: Api}}
  Api:
    Type: AWS::Serverless::Api
  B:
    Type: AWS::Lambda::Function
    Properties:
      TracingConfig: {Mode: Active}
  BUrl:
    Type: AWS::Lambda::Url
    Properties: {TargetFunctionArn: !GetAtt B.Arn, AuthType: AWS_IAM}
`,
    },
    {
      name: 'event consumers, functions traced by another tool, a role from elsewhere',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Events: {Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}}
  Datadog:
    Type: AWS::Serverless::Function
    Properties:
      Layers: [!Sub 'arn:aws:lambda:\${AWS::Region}:464622532012:layer:Datadog-Python312:98']
      Events: {Get: {Type: HttpApi}}
  Otel:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {AWS_LAMBDA_EXEC_WRAPPER: /opt/otel-instrument}}
      Events: {Get: {Type: HttpApi}}
`,
    },
  ],
});
