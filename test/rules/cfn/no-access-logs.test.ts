import rule from '../../../server/src/rules/cfn/no-access-logs';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'access logs switched off by the default of a parameter',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Parameters:
  EnableApiLogs:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'false'
Conditions:
  ApiLogsOn: !Equals [!Ref EnableApiLogs, 'true']
Resources:
  «OrdersApi»:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting: !If
        - ApiLogsOn
        - DestinationArn: !GetAtt ApiLogGroup.Arn
          Format: '$context.requestId'
        - !Ref AWS::NoValue
  ApiLogGroup:
    Type: AWS::Logs::LogGroup
    Condition: ApiLogsOn
    Properties: {RetentionInDays: 30}
`,
      messages: [
        'API stage OrdersApi keeps no access logs by default: they are written only when condition ApiLogsOn holds, which it does not with the default of parameter EnableApiLogs.',
      ],
      messageIds: ['apiStageOffByDefault'],
    },
    {
      name: 'ALB without attributes: logs go to the template’s log bucket',
      path: 'template.yaml',
      text: `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
  «Web»:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: !Ref PublicSubnets # two zones
`,
      messages: ['Load balancer Web keeps no access logs: requests it rejects or times out leave no trace.'],
      messageIds: ['loadBalancer'],
      fixed: `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: !Ref PublicSubnets # two zones
      LoadBalancerAttributes:
        - Key: access_logs.s3.enabled
          Value: 'true'
        - Key: access_logs.s3.bucket
          Value: !Ref LogBucket
`,
    },
    {
      name: 'ALB with logging switched off in flow style: a bucket parameter is added',
      path: 'template.yaml',
      text: `Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      LoadBalancerAttributes: [{Key: idle_timeout.timeout_seconds, Value: '60'}, {Key: access_logs.s3.enabled, Value: «'false'»}]
`,
      messages: [/\(access_logs\.s3\.enabled is false\)/],
      messageIds: ['loadBalancerDisabled'],
      fixed: `Parameters:
  AccessLogsBucket:
    Type: String
    Description: 'Name of the S3 bucket that keeps access logs; its policy must let the load balancer or CloudFront write to it.'
Resources:
  Web:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      LoadBalancerAttributes: [{Key: idle_timeout.timeout_seconds, Value: '60'}, {Key: access_logs.s3.enabled, Value: 'true'}, {Key: access_logs.s3.bucket, Value: !Ref AccessLogsBucket}]
`,
    },
    {
      name: 'REST stage (JSON): a log group with retention is created',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Prod"»: {
      "Type": "AWS::ApiGateway::Stage",
      "Properties": { "StageName": "prod" }
    }
  }
}
`,
      messageIds: ['apiStage'],
      fixed: `{
  "Resources": {
    "Prod": {
      "Type": "AWS::ApiGateway::Stage",
      "Properties": { "StageName": "prod", "AccessLogSetting": {
        "DestinationArn": {
          "Fn::GetAtt": ["ProdAccessLogs", "Arn"]
        },
        "Format": "{\\"requestId\\":\\"$context.requestId\\",\\"ip\\":\\"$context.identity.sourceIp\\",\\"requestTime\\":\\"$context.requestTime\\",\\"httpMethod\\":\\"$context.httpMethod\\",\\"resourcePath\\":\\"$context.resourcePath\\",\\"status\\":\\"$context.status\\",\\"responseLength\\":\\"$context.responseLength\\"}"
      } }
    },
    "ProdAccessLogs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {
        "RetentionInDays": 90
      }
    }
  }
}
`,
    },
    {
      name: 'SAM HTTP API and a CloudFront distribution',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Parameters:
  AccessLogsBucket: {Type: String}
Resources:
  «Http»:
    Type: AWS::Serverless::HttpApi
    Condition: IsProd
  «Cdn»:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
`,
      messageIds: ['apiStage', 'distribution'],
      fixed: `Transform: AWS::Serverless-2016-10-31
Parameters:
  AccessLogsBucket: {Type: String}
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Condition: IsProd
    Properties:
      AccessLogSettings:
        DestinationArn: !GetAtt HttpAccessLogs.Arn
        Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status"}'
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Logging:
          Bucket: !Sub \${AccessLogsBucket}.s3.amazonaws.com
          IncludeCookies: false
  HttpAccessLogs:
    Type: AWS::Logs::LogGroup
    Condition: IsProd
    Properties:
      RetentionInDays: 90
`,
    },
    {
      name: 'a deployment that creates its stage, and a classic load balancer',
      path: 'template.yaml',
      text: `Resources:
  «Deploy»:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: v1
  «Classic»:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{LoadBalancerPort: '80', InstancePort: '80', Protocol: HTTP}]
`,
      messages: [
        'The stage that deployment Deploy creates keeps no access logs: who called what, and which requests were throttled or rejected, is not recorded.',
        'Load balancer Classic keeps no access logs: requests it rejects or times out leave no trace.',
      ],
      messageIds: ['deploymentStage', 'loadBalancer'],
      fixed: `Parameters:
  AccessLogsBucket:
    Type: String
    Description: 'Name of the S3 bucket that keeps access logs; its policy must let the load balancer or CloudFront write to it.'
Resources:
  Deploy:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !Ref Api
      StageName: v1
      StageDescription:
        AccessLogSetting:
          DestinationArn: !GetAtt DeployAccessLogs.Arn
          Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","responseLength":"$context.responseLength"}'
  Classic:
    Type: AWS::ElasticLoadBalancing::LoadBalancer
    Properties:
      Listeners: [{LoadBalancerPort: '80', InstancePort: '80', Protocol: HTTP}]
      AccessLoggingPolicy:
        Enabled: true
        S3BucketName: !Ref AccessLogsBucket
        EmitInterval: 60
  DeployAccessLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 90
`,
    },
    {
      name: 'a mock beside a Lambda integration: the API fronts real work, so its stage is reported',
      path: 'template.yaml',
      text: `Resources:
  Shop:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: shop}
  Health:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Shop, HttpMethod: GET, Integration: {Type: MOCK}}
  Checkout:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Shop, HttpMethod: POST, Integration: {Type: AWS_PROXY, Uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/x'}}
  «Live»:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Shop, StageName: live, AccessLogSetting: {Format: '$context.requestId'}}
`,
      messageIds: ['apiStage'],
    },
    {
      name: 'stages written inside Fn::ForEach: flagged, but one log group cannot serve every copy',
      path: 'template.yaml',
      text: `Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Stages:
    - Name
    - [Blue, Green]
    - «Stage\${Name}»:
        Type: AWS::ApiGatewayV2::Stage
        Properties: {ApiId: !Ref Api, StageName: !Ref Name}
`,
      messageIds: ['apiStage'],
    },
  ],
  clean: [
    {
      name: 'access logs chosen by a condition that holds with the default',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Parameters:
  ApiLogs:
    Type: String
    AllowedValues: ['on', 'off']
    Default: 'on'
Conditions:
  LogsOn: !Equals [!Ref ApiLogs, 'on']
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting: !If
        - LogsOn
        - DestinationArn: !GetAtt ApiLogGroup.Arn
          Format: '$context.requestId'
        - !Ref AWS::NoValue
  ApiLogGroup:
    Type: AWS::Logs::LogGroup
    Properties: {RetentionInDays: 30}
`,
    },
    {
      name: 'Properties chosen by Fn::If are decided at deployment: not judged, and no fix writes into the branches',
      path: 'template.yaml',
      text: `Conditions:
  Public: !Equals [!Ref Exposure, public]
Resources:
  Balancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: !If
      - Public
      - Scheme: internet-facing
        Subnets: [subnet-1, subnet-2]
      - Scheme: internal
        Subnets: [subnet-3, subnet-4]
`,
    },
    {
      name: 'an API whose only methods are mocks: API Gateway answers alone, nothing behind it to audit',
      path: 'template.yaml',
      text: `Resources:
  Stub:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: stub}
  StubGet:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Stub
      ResourceId: !GetAtt Stub.RootResourceId
      HttpMethod: GET
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}}
  StubRelease:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [StubGet]
    Properties: {RestApiId: !Ref Stub, StageName: test}
  StubStage:
    Type: AWS::ApiGateway::Stage
    Properties: {StageName: demo, RestApiId: !Ref Stub, DeploymentId: !Ref StubRelease}
`,
    },
    {
      name: 'logged entry points, also through SAM Globals and a log delivery',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    AccessLogSetting: {DestinationArn: !GetAtt Logs.Arn, Format: $context.requestId}
Resources:
  Api:
    Type: AWS::Serverless::Api
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      LoadBalancerAttributes:
        - {Key: access_logs.s3.enabled, Value: !If [IsProd, 'true', 'false']}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties: {DistributionConfig: {Enabled: true}}
  CdnLogs:
    Type: AWS::Logs::DeliverySource
    Properties: {LogType: ACCESS_LOGS, ResourceArn: !Sub 'arn:aws:cloudfront::\${AWS::AccountId}:distribution/\${Cdn}'}
`,
    },
  ],
});
