import rule from '../../../server/src/rules/cfn/secret-parameter-echo';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a password parameter with a default: an error on the default, which the fix removes, hiding the parameter too',
      path: 'template.yaml',
      text: `Parameters:
  DbPassword:
    Type: String
    Default: «changeme» # for the demo
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {MasterUserPassword: !Ref DbPassword}
`,
      messages: [
        'Secret parameter DbPassword has a default, so its value is written in the template, and without NoEcho the stack shows it to anyone who can describe it: remove the default.',
      ],
      messageIds: ['hasDefaultAndShown'],
      fixKind: 'scaffold',
      fixed: `Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {MasterUserPassword: !Ref DbPassword}
`,
    },
    {
      name: 'a parameter without NoEcho that a secret property reads, whatever its name (JSON)',
      path: 'template.json',
      text: `{
  "Parameters": {
    «"AdminCredential2"»: { "Type": "String", "MinLength": 12 },
    "Token": { "Type": "String", "NoEcho": «"false"», "Default": "" }
  },
  "Resources": {
    "Db": { "Type": "AWS::DocDB::DBCluster", "Properties": { "MasterUserPassword": { "Ref": "AdminCredential2" } } }
  }
}
`,
      messages: [
        'Secret parameter AdminCredential2 (it feeds MasterUserPassword) is shown to anyone who can describe the stack: set NoEcho: true.',
        'Secret parameter Token is shown to anyone who can describe the stack: set NoEcho: true.',
      ],
      messageIds: ['shown', 'shown'],
      fixed: `{
  "Parameters": {
    "AdminCredential2": { "Type": "String", "MinLength": 12, "NoEcho": true },
    "Token": { "Type": "String", "NoEcho": true, "Default": "" }
  },
  "Resources": {
    "Db": { "Type": "AWS::DocDB::DBCluster", "Properties": { "MasterUserPassword": { "Ref": "AdminCredential2" } } }
  }
}
`,
    },
    {
      name: 'flow style with a default in the middle, NoEcho already on',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  GitHubToken: {Type: String, Default: «ghp_placeholder_value», NoEcho: true}
Resources: {}
`,
      messages: [
        /^Secret parameter GitHubToken has a default, so its value is written in the template: remove the default\.$/,
      ],
      messageIds: ['hasDefault'],
      fixKind: 'scaffold',
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  GitHubToken: {Type: String, NoEcho: true}
Resources: {}
`,
    },
  ],
  clean: [
    {
      name: 'hidden secrets, pointers, unrelated names, pieces of a larger secret value',
      path: 'template.yaml',
      text: `Parameters:
  DbPassword: {Type: String, NoEcho: true}
  SecretArn: {Type: String, Default: arn:aws:secretsmanager:eu-west-1:123456789012:secret:x}
  PasswordParameterName: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /app/db/password}
  KeyName: {Type: 'AWS::EC2::KeyPair::KeyName'}
  TokenTtl: {Type: Number, Default: 3600}
  Environment: {Type: String, Default: prod}
  UserName: {Type: String, Default: admin}
  MqSecretArn: {Type: String}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Environment: {Variables: {STAGE: !Ref Environment}}}
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties: {SecretString: !Sub '{"username": "\${UserName}"}'}
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties: {SourceParameters: {ActiveMQBrokerParameters: {Credentials: {BasicAuth: !Ref MqSecretArn}}}}
`,
    },
  ],
});
