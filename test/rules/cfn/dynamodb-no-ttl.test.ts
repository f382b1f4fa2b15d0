import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/cfn/dynamodb-no-ttl';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'WebSocket connections beside a $disconnect route: info, the route cleans most of them up',
      path: 'template.yaml',
      text: `Resources:
  «ConnectionsTable»:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: connectionId, AttributeType: S}]
      KeySchema: [{AttributeName: connectionId, KeyType: HASH}]
  DisconnectRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref ChatApi
      RouteKey: $disconnect
      Target: !Sub integrations/\${DisconnectIntegration}
`,
      messages: [
        /the \$disconnect route removes most of them, but API Gateway delivers \$disconnect on a best-effort basis/,
      ],
      messageIds: ['connectionsCleaned'],
      fixed: `Resources:
  ConnectionsTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: connectionId, AttributeType: S}]
      KeySchema: [{AttributeName: connectionId, KeyType: HASH}]
      TimeToLiveSpecification:
        AttributeName: expiresAt
        Enabled: true
  DisconnectRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref ChatApi
      RouteKey: $disconnect
      Target: !Sub integrations/\${DisconnectIntegration}
`,
    },
    {
      name: 'a sessions table without TTL (YAML)',
      path: 'template.yaml',
      text: `Resources:
  «Sessions»:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST # spiky logins
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
      KeySchema:
        - {AttributeName: id, KeyType: HASH}
`,
      messages: [
        'DynamoDB table Sessions never expires its items although its logical id Sessions says it holds session data: the table grows forever and stale entries stay readable.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST # spiky logins
      AttributeDefinitions:
        - {AttributeName: id, AttributeType: S}
      KeySchema:
        - {AttributeName: id, KeyType: HASH}
      TimeToLiveSpecification:
        AttributeName: expiresAt
        Enabled: true
`,
    },
    {
      name: 'a lock table named by its key (JSON) reuses its ttl attribute',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Coordination"»: {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "AttributeDefinitions": [
          { "AttributeName": "lockKey", "AttributeType": "S" },
          { "AttributeName": "ttl", "AttributeType": "N" }
        ],
        "KeySchema": [{ "AttributeName": "lockKey", "KeyType": "HASH" }]
      }
    }
  }
}
`,
      messages: [/its key lockKey says it holds lock data/],
      fixed: `{
  "Resources": {
    "Coordination": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "AttributeDefinitions": [
          { "AttributeName": "lockKey", "AttributeType": "S" },
          { "AttributeName": "ttl", "AttributeType": "N" }
        ],
        "KeySchema": [{ "AttributeName": "lockKey", "KeyType": "HASH" }],
        "TimeToLiveSpecification": {
          "AttributeName": "ttl",
          "Enabled": true
        }
      }
    }
  }
}
`,
    },
    {
      name: 'TTL switched off in flow style, table named through Fn::Sub',
      path: 'template.yaml',
      text: `Resources:
  Store:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${AWS::StackName}-shopping-carts'
      TimeToLiveSpecification: {AttributeName: expires, Enabled: «false»}
`,
      messages: [
        /time to live switched off although its table name .*-shopping-carts says it holds shopping cart data/,
      ],
      messageIds: ['off'],
      fixed: `Resources:
  Store:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${AWS::StackName}-shopping-carts'
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
`,
    },
    {
      name: 'TTL off through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  Expire:
    Type: String
    Default: 'false'
Resources:
  IdempotencyTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TimeToLiveSpecification:
        AttributeName: expiration
        Enabled: «!Ref Expire»
`,
      messages: [
        /switched off \(the default of parameter Expire\) although its logical id IdempotencyTable says it holds idempotency data/,
      ],
      fixed: `Parameters:
  Expire:
    Type: String
    Default: 'true'
Resources:
  IdempotencyTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TimeToLiveSpecification:
        AttributeName: expiration
        Enabled: !Ref Expire
`,
    },
    {
      name: 'a global table of tokens',
      path: 'template.yaml',
      text: `Resources:
  «RefreshTokens»:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas: [{Region: eu-west-1}]
`,
      fixed: `Resources:
  RefreshTokens:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      Replicas: [{Region: eu-west-1}]
      TimeToLiveSpecification:
        AttributeName: expiresAt
        Enabled: true
`,
    },
    {
      name: 'a WebSocket connection table in flow style',
      path: 'template.yaml',
      text: `Resources:
  «Registry»:
    Type: AWS::DynamoDB::Table
    Properties: {KeySchema: [{AttributeName: connectionId, KeyType: HASH}], BillingMode: PAY_PER_REQUEST}
`,
      messages: [/its key connectionId says it holds connection data/],
      fixed: `Resources:
  Registry:
    Type: AWS::DynamoDB::Table
    Properties: {KeySchema: [{AttributeName: connectionId, KeyType: HASH}], BillingMode: PAY_PER_REQUEST, TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}}
`,
    },
    {
      name: 'a SAM SimpleTable keyed by cart: flagged without a fix',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  «Store»:
    Type: AWS::Serverless::SimpleTable
    Properties:
      PrimaryKey: {Name: cartId, Type: String}
`,
      messages: [/SimpleTable cannot use time to live/],
      messageIds: ['simpleTable'],
    },
  ],
  clean: [
    {
      name: 'a session table with TTL, and one that expires only in production',
      path: 'template.yaml',
      text: `Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
  UserSessions:
    Type: AWS::DynamoDB::Table
    Properties:
      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: !If [IsProd, true, false]}
`,
    },
    {
      name: 'tables whose names only contain the words inside others',
      path: 'template.yaml',
      text: `Resources:
  Blocks:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: tokenizer-results}
  Clocks:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: cartographerId, KeyType: HASH}]
  Orders:
    Type: AWS::DynamoDB::Table
`,
    },
    {
      name: 'a word that every JavaScript object has as a property',
      path: 'template.yaml',
      text: `Resources:
  ConstructorParts:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: partNumber, KeyType: HASH}]
`,
    },
  ],
});

describe(`${rule.id}: WebSocket connections`, () => {
  it('are an info where a $disconnect route cleans up, a warning where none does', async () => {
    const table = `  Connections:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: connectionId, KeyType: HASH}]
`;
    const route = `  Disconnect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: $disconnect}
`;
    const analyzer = new Analyzer({ rules: [rule] });
    const severity = async (text: string) =>
      (await analyzer.analyze({ path: '/w/template.yaml', text })).findings.map((f) => f.severity);
    assert.deepEqual(await severity(`Resources:\n${table}${route}`), ['info']);
    assert.deepEqual(await severity(`Resources:\n${table}`), ['warning']);
  });
});
