import { isEveryone, listItems, statementGroups } from '../../engine/cfn/iam';
import { referenceTarget, stringsIn } from '../../engine/cfn/references';
import { property, type Template } from '../../engine/parse/cloudformation';
import { asMap, get, getPair, type DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** A condition block that names a key ending in `:sub` (the subject of a web identity token). */
function limitsSubject(condition: DataNode | undefined): boolean {
  return (asMap(condition)?.pairs ?? []).some((operator) =>
    (asMap(operator.value)?.pairs ?? []).some((entry) => /:sub$/i.test(String(entry.key.value))),
  );
}

/** A federated principal that is GitHub's token issuer: named in an ARN, or an OIDC provider of the template with its URL. */
function trustsGitHub(template: Template, federated: DataNode | undefined): boolean {
  const provider = template.resourceById.get(referenceTarget(federated) ?? '');
  const texts =
    provider?.type === 'AWS::IAM::OIDCProvider'
      ? stringsIn(get(provider.properties, 'Url'))
      : stringsIn(federated);
  return texts.some((t) => t.includes('token.actions.githubusercontent.com'));
}

export default defineRule({
  id: 'least-privilege/open-trust-policy',
  lesson: 'least-privilege',
  title: 'Role that anybody can assume',
  severity: 'error',
  equivalents: ['CKV_AWS_60', 'CKV_AWS_61', 'F2', 'F3'],
  fix: 'no',
  resourceTypes: ['AWS::IAM::Role'],
  messages: {
    everyone:
      'Role {{id}} trusts every AWS principal (Principal {{principal}} with no Condition): any account in the world can assume it and act with its permissions.',
    anyRepository:
      'Role {{id}} trusts GitHub Actions tokens without a condition on their subject: a workflow in any repository on GitHub can assume it.',
  },
  docs: {
    what:
      'An IAM role whose trust policy (`AssumeRolePolicyDocument`) allows `Principal: "*"` or `{AWS: "*"}` without a `Condition`, ' +
      'and a role trusted by the GitHub Actions identity provider without a condition on the token’s `sub` (which repository and branch may assume it). ' +
      'A statement with a condition (an organisation, an external id, a source account) is left alone, as is any statement that one branch of an `Fn::If` leaves out.',
    why:
      'A trust policy decides who may become the role. With every principal trusted, anyone with an AWS account who learns or guesses the role’s ARN gets its permissions, from outside your accounts and without a trace in your own logins. ' +
      'A GitHub identity provider without a `sub` condition trusts every repository on GitHub, not only yours. ' +
      'Name the accounts, services or roles that need it, and for web identities pin the audience and the subject.',
    example: {
      language: 'yaml',
      code: `DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {AWS: '*'}
          Action: sts:AssumeRole`,
    },
    useInstead: {
      language: 'yaml',
      code: `DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Federated: !Ref GitHubOidcProvider}
          Action: sts:AssumeRoleWithWebIdentity
          Condition:
            StringEquals: {'token.actions.githubusercontent.com:aud': sts.amazonaws.com}
            StringLike: {'token.actions.githubusercontent.com:sub': 'repo:example-org/orders:ref:refs/heads/main'}`,
    },
    references: [
      {
        title: 'IAM: roles terms and concepts (trust policy)',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html',
      },
      {
        title: 'GitHub: configuring OpenID Connect in Amazon Web Services',
        url: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, report }) {
      for (const role of resources) {
        const document = asMap(property(role, 'AssumeRolePolicyDocument')?.value);
        if (!document) continue;
        for (const group of statementGroups(role, document)) {
          const allows = group.every((s) =>
            listItems(get(s.node, 'Effect')).some((e) => e.value === 'Allow'),
          );
          if (!allows) continue;
          const principals = group.map((s) => getPair(s.node, 'Principal'));
          if (
            group.every(
              (s, i) => principals[i] && isEveryone(principals[i]!.value) && !get(s.node, 'Condition'),
            )
          ) {
            report({
              at: principals[0]!.value,
              resource: role,
              messageId: 'everyone',
              data: { id: role.logicalId, principal: asMap(principals[0]!.value) ? "{AWS: '*'}" : "'*'" },
            });
            continue;
          }
          const github = group.every(
            (s) =>
              trustsGitHub(template, get(get(s.node, 'Principal'), 'Federated')) &&
              !limitsSubject(get(s.node, 'Condition')),
          );
          if (github)
            report({
              at: getPair(group[0].node, 'Principal')!.value,
              resource: role,
              messageId: 'anyRepository',
              data: { id: role.logicalId },
            });
        }
      }
    },
  },
});
