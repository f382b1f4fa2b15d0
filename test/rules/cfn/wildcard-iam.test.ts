import rule from '../../../server/src/rules/cfn/wildcard-iam';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'every secret of the account, and every CloudFormation action on every stack',
      path: 'template.yaml',
      text: `Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [«secretsmanager:GetSecretValue», secretsmanager:DescribeSecret]
                Resource: '*'
              - Effect: Allow
                Action: «cloudformation:*»
                Resource: '*'
`,
      messages: [
        'Role DeployRole may read every secret of the account (secretsmanager:GetSecretValue on every resource): name the secrets its code reads.',
        'Role DeployRole is allowed every cloudformation action on every stack of the account, which lets it delete any stack or change what it deploys: grant only the actions and resources its code uses.',
      ],
      messageIds: ['everySecret', 'stackService'],
    },
    {
      name: 'a role with Action * on Resource * is an error (YAML block)',
      path: 'template.yaml',
      text: `Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: «'*'»
                Resource: '*'
`,
      messages: [
        'Role WorkerRole is allowed every action on every resource (Action and Resource are both *): grant only the actions and resources its code uses.',
      ],
      messageIds: ['everything'],
    },
    {
      name: 'a stand-alone policy in JSON: Action * on one table, iam:* and NotAction',
      path: 'template.json',
      text: `{
  "Resources": {
    "Policy": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {
          "Statement": [
            { "Effect": "Allow", "Action": [«"*"»], "Resource": { "Fn::GetAtt": ["Table", "Arn"] } },
            { "Effect": "Allow", "Action": ["s3:GetObject", «"iam:*"»], "Resource": "*" },
            { "Effect": "Allow", "NotAction": «["iam:*"]», "Resource": "*" },
            { "Effect": "Allow", "Action": «"s3:*"», "Resource": ["*"] }
          ]
        }
      }
    }
  }
}
`,
      messages: [
        /every action of every service on its resources \(Action is \*\)/,
        /every iam action on every resource, which lets it grant itself anything/,
        /every action except the few it lists, on every resource/,
        /every s3 action on every resource of the account/,
      ],
      messageIds: ['everyAction', 'escalatingService', 'notAction', 'dataService'],
    },
    {
      name: 'SAM function: an inline statement under an Fn::If whose branches are both wide, and AdministratorAccess by ARN',
      path: 'template.yaml',
      text: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaBasicExecutionRole
        - «!Sub 'arn:\${AWS::Partition}:iam::aws:policy/AdministratorAccess'»
        - Statement:
            - !If [Prod, {Effect: Allow, Action: «'*'», Resource: '*'}, {Effect: Allow, Action: 'dynamodb:*', Resource: '*'}]
`,
      messages: [
        /^Function Fn gets the AWS-managed policy AdministratorAccess: every action on every resource\./,
        /^Function Fn is allowed every action on every resource .* whichever way condition Prod goes: /,
      ],
      messageIds: ['managedPolicy', 'everything'],
    },
  ],
  clean: [
    {
      name: 'secrets and stacks named by ARN; describing every stack',
      path: 'template.yaml',
      text: `Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: !Ref DbSecret}
              - {Effect: Allow, Action: 'cloudformation:*', Resource: !Sub 'arn:\${AWS::Partition}:cloudformation:\${AWS::Region}:\${AWS::AccountId}:stack/app-*'}
              - {Effect: Allow, Action: [cloudformation:DescribeStacks, cloudformation:ListStacks], Resource: '*'}
`,
    },
    {
      name: 'named actions, service wildcards on named resources, Deny statements, resource policies, one narrow branch',
      path: 'template.yaml',
      text: `Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole, !Ref CustomerPolicy]
      Policies:
        - PolicyName: ok
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: [s3:GetObject, s3:PutObject], Resource: !Sub '\${Bucket.Arn}/*'}
              - {Effect: Allow, Action: 'dynamodb:*', Resource: !GetAtt Table.Arn}
              - {Effect: Allow, Action: ['logs:*', 'ssmmessages:*'], Resource: '*'}
              - {Effect: Deny, Action: '*', Resource: '*'}
              - !If [Debug, {Effect: Allow, Action: '*', Resource: '*'}, {Effect: Allow, Action: s3:GetObject, Resource: '*'}]
  KeyPolicy:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]
`,
    },
  ],
});
