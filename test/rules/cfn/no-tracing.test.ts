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
