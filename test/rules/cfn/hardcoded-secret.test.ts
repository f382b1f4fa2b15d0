import rule from '../../../server/src/rules/cfn/hardcoded-secret';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'UserData written already in base64 is decoded before it is read (no fix)',
      path: 'template.yaml',
      text: `Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: ami-0abcdef1234567890
        UserData: «IyEvYmluL2Jhc2gKZXhwb3J0IERCX1BBU1NXT1JEPVRyMHViNGRvcjN4eXoKL29wdC9hcHAvc3RhcnQK»
`,
      messages: [
        'Resource App writes a secret (DB_PASSWORD) in its base64-encoded UserData: encoding hides nothing, anyone who can describe the instance or read the template can decode it. Fetch it at boot from Secrets Manager or Parameter Store instead.',
      ],
      messageIds: ['inEncodedUserData'],
    },
    {
      name: 'a password inside a connection string whose variable name does not say so (no fix)',
      path: 'template.yaml',
      text: `Resources:
  Reports:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: dotnet8
      Handler: Reports::Reports.Function::Handler
      Environment:
        Variables:
          ConnectionStrings__Main: 'Server=reports-db;Database=reports;User Id=app;Password=«Qw7rT2pL9sXe»;Encrypt=true'
`,
      messages: [
        'Resource Reports has a password written in the connection string ConnectionStrings__Main: anyone who can read the repository or the stack can read it. Rotate it and keep it in Secrets Manager.',
      ],
      messageIds: ['inConnectionString'],
    },
    {
      name: 'an RDS master password: RDS manages it instead, and the message does not repeat it',
      path: 'template.yaml',
      text: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: app
      MasterUserPassword: «'Sup3r-S3cret!'» # from the wiki
      AllocatedStorage: '20'
`,
      messages: [
        'RDS database instance OrdersDb has MasterUserPassword written in the template: anyone who can read the repository or the stack can read it. Rotate it and keep it in Secrets Manager.',
      ],
      messageIds: ['written'],
      fixed: `Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: app
      ManageMasterUserPassword: true # from the wiki
      AllocatedStorage: '20'
`,
    },
    {
      name: 'a Lambda environment variable in JSON moves to a generated secret named after the function',
      path: 'template.json',
      text: `{
  "Resources": {
    "Api": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Environment": { "Variables": { "STRIPE_API_KEY": «"sk_live_51Habc123"» } } }
    }
  }
}
`,
      messages: [/^Resource Api has STRIPE_API_KEY written in the template: /],
      fixed: `{
  "Resources": {
    "Api": {
      "Type": "AWS::Lambda::Function",
      "Properties": { "Environment": { "Variables": { "STRIPE_API_KEY": { "Fn::Sub": "{{resolve:secretsmanager:\${ApiStripeApiKeySecret}}}" } } } }
    },
    "ApiStripeApiKeySecret": {
      "Type": "AWS::SecretsManager::Secret",
      "Properties": {
        "Description": { "Fn::Sub": "STRIPE_API_KEY of Api in \${AWS::StackName}" },
        "GenerateSecretString": {
          "PasswordLength": 32,
          "ExcludeCharacters": "\\"@/\\\\'"
        }
      }
    }
  }
}
`,
    },
    {
      name: 'SAM Globals in a template with no Resources yet: nowhere to add the secret (no fix)',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        DB_PASSWORD: «hunter2hunter2»
`,
      messages: [/^Globals has DB_PASSWORD written in the template/],
    },
    {
      name: 'SAM Globals in YAML flow style',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Environment: {Variables: {DB_PASSWORD: «hunter2hunter2»}}}
Resources:
  Fn: {Type: AWS::Serverless::Function}
`,
      messages: [/^Globals has DB_PASSWORD written in the template/],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Environment: {Variables: {DB_PASSWORD: !Sub '{{resolve:secretsmanager:\${GlobalsDbPasswordSecret}}}'}}}
Resources:
  Fn: {Type: AWS::Serverless::Function}
  GlobalsDbPasswordSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: !Sub DB_PASSWORD of Globals in \${AWS::StackName}
      GenerateSecretString:
        PasswordLength: 32
        ExcludeCharacters: '"@/\\'''
`,
    },
    {
      name: 'ECS, SSM, Mappings, a secret string and Fn::If literals are flagged without a fix',
      path: 'template.yaml',
      text: `Mappings:
  Env:
    prod: {ApiToken: «tok-prod-8f2a»}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Environment:
            - {Name: JWT_SECRET, Value: «s3cr3t-value»}
  Param:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/db/password, Type: String, Value: «p4ssw0rd-x»}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties: {SecretString: «'{"password":"abc12345"}'»}
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties: {AuthToken: «!If [Prod, averylongtokenvalue1, averylongtokenvalue2]»}
`,
      messages: [
        /^Resource Mappings|^Mappings has ApiToken/,
        /^Resource Task has JWT_SECRET/,
        /^Resource Param has parameter \/app\/db\/password/,
        /^Resource Secret has SecretString .*create the secret with GenerateSecretString or empty/,
        /^Resource Cache has AuthToken written in the template \(whichever way condition Prod goes\)/,
      ],
      messageIds: ['written', 'written', 'written', 'writtenInSecret', 'written'],
    },
    {
      name: 'an EventBridge connection key inside its auth parameters moves to a generated secret',
      path: 'template.yaml',
      text: `Resources:
  PaymentsConnection:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters:
          ApiKeyName: x-api-key
          ApiKeyValue: «b7f3e2a9c4d1»
`,
      messages: [/^Resource PaymentsConnection has ApiKeyValue written in the template: /],
      messageIds: ['written'],
      fixed: `Resources:
  PaymentsConnection:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters:
          ApiKeyName: x-api-key
          ApiKeyValue: !Sub '{{resolve:secretsmanager:\${PaymentsConnectionApiKeyValueSecret}}}'
  PaymentsConnectionApiKeyValueSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: !Sub ApiKeyValue of PaymentsConnection in \${AWS::StackName}
      GenerateSecretString:
        PasswordLength: 32
        ExcludeCharacters: '"@/\\'''
`,
    },
    {
      name: 'a password in UserData points at the password itself',
      path: 'template.yaml',
      text: `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export DB_PASSWORD=«Tr0ub4dor3»
          mysql -u root -e "CREATE USER app IDENTIFIED BY '«correct-horse»'"
`,
      messages: [
        /writes a secret \(DB_PASSWORD\) in its UserData/,
        /writes a secret \(a database password\) in its UserData/,
      ],
      messageIds: ['inUserData', 'inUserData'],
    },
  ],
  clean: [
    {
      name: 'sample placeholders that only restate the name: not a leaked key',
      path: 'template.yaml',
      text: `Resources:
  Webhook:
    Type: AWS::Events::Connection
    Properties:
      AuthorizationType: API_KEY
      AuthParameters:
        ApiKeyAuthParameters: {ApiKeyName: x-api-key, ApiKeyValue: MyAPIkey}
  Notifier:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          SLACK_TOKEN: your-token-here
          API_KEY: replace-with-real-key
`,
    },
    {
      name: 'base64 UserData without secrets, and connection strings that take the password from elsewhere',
      path: 'template.yaml',
      text: `Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData: IyEvYmluL2Jhc2gKc3lzdGVtY3RsIHN0YXJ0IGFwcAo=
  Reports:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          MAIN: !Sub 'Server=\${Db.Endpoint.Address};User Id=app;Password={{resolve:secretsmanager:\${DbSecret}:SecretString:password}}'
          OTHER: 'Server=reports-db;User Id=app;Password=\${DB_PASSWORD}'
          PLAIN: 'Server=reports-db;Integrated Security=true'
`,
    },
    {
      name: 'dynamic references, parameters, generated secrets, ARNs, placeholders and settings about secrets',
      path: 'template.yaml',
      text: `Parameters:
  DbPassword: {Type: String, NoEcho: true}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: '{{resolve:secretsmanager:orders-db:SecretString:password}}'
  Db2:
    Type: AWS::RDS::DBInstance
    Properties: {MasterUserPassword: !Ref DbPassword, ManageMasterUserPassword: false}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties: {GenerateSecretString: {PasswordLength: 32}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          SECRET_ARN: !Ref Secret
          API_KEY_PARAMETER: /app/api-key
          DB_PASSWORD: '<your password here>'
          TOKEN_TTL: 3600
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      GenerateSecret: true
      TokenValidityUnits: {AccessToken: hours, IdToken: hours, RefreshToken: days}
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        States:
          Wait: {Parameters: {token.$: $$.Task.Token, Token: $.token}}
  Queue:
    Type: AWS::ApiGateway::Method
    Properties:
      Integration: {Credentials: 'arn:aws:iam::123456789012:role/apigw-sqs'}
  Build:
    Type: AWS::CodeBuild::Project
    Properties: {EncryptionKey: alias/aws/s3}
  Seed:
    Type: Custom::Seed
    Properties: {ServiceToken: !GetAtt SeedFunction.Arn, AdminPassword: dummy}
  Web:
    Type: AWS::EC2::Instance
    Properties:
      UserData: !Base64 |
        TOKEN=$(curl -X PUT http://169.254.169.254/latest/api/token)
        PASSWORD=\${DbPassword}
        docker login --password-stdin < /run/secret
`,
    },
  ],
});
