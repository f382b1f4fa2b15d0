import rule from '../../../server/src/rules/cfn/open-trust-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'every AWS principal, in short and long form',
      path: 'template.yaml',
      text: `Resources:
  Auditor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: «'*'», Action: sts:AssumeRole}
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: «{AWS: ['*']}»
            Action: [sts:AssumeRole, sts:TagSession]
`,
      messages: [
        "Role Auditor trusts every AWS principal (Principal '*' with no Condition): any account in the world can assume it and act with its permissions.",
        "Role Deployer trusts every AWS principal (Principal {AWS: '*'} with no Condition): any account in the world can assume it and act with its permissions.",
      ],
      messageIds: ['everyone', 'everyone'],
    },
    {
      name: 'GitHub Actions tokens from any repository, through an ARN or the template’s provider',
      path: 'template.yaml',
      text: `Resources:
  GitHub:
    Type: AWS::IAM::OIDCProvider
    Properties:
      Url: https://token.actions.githubusercontent.com
      ClientIdList: [sts.amazonaws.com]
  Release:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: «{Federated: !Ref GitHub}»
            Action: sts:AssumeRoleWithWebIdentity
            Condition: {StringEquals: {'token.actions.githubusercontent.com:aud': sts.amazonaws.com}}
  Publish:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              «Federated: !Sub 'arn:aws:iam::\${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com'»
            Action: sts:AssumeRoleWithWebIdentity
`,
      messageIds: ['anyRepository', 'anyRepository'],
    },
  ],
  clean: [
    {
      name: 'named principals, conditions on who, a pinned repository, a deny, a statement only one branch keeps',
      path: 'template.yaml',
      text: `Conditions:
  Open: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Worker:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
          - {Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::\${AWS::AccountId}:root'}, Action: sts:AssumeRole}
          - Effect: Allow
            Principal: {AWS: '*'}
            Action: sts:AssumeRole
            Condition: {StringEquals: {'aws:PrincipalOrgID': o-abc123}}
          - {Effect: Deny, Principal: '*', Action: sts:AssumeRole}
          - !If [Open, {Effect: Allow, Principal: '*', Action: sts:AssumeRole}, !Ref AWS::NoValue]
  Release:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Federated: !Sub 'arn:aws:iam::\${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com'}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals: {'token.actions.githubusercontent.com:aud': sts.amazonaws.com}
              StringLike: {'token.actions.githubusercontent.com:sub': 'repo:example-org/orders:*'}
`,
    },
  ],
});
