import {
  identityPolicies,
  identityPolicyTypes,
  listItems,
  managedPolicies,
  statementGroups,
  type Statement,
} from '../../engine/cfn/iam';
import { get, getPair, scalarText, type DataNode } from '../../engine/parse/tree';
import type { Resource } from '../../engine/parse/cloudformation';
import { defineRule, type ReportedFinding, type Severity } from '../../engine/rule';

/** Services whose wildcard on every resource hands over the account: granting IAM or role assumption is granting everything. */
const escalating = new Set(['iam', 'sts', 'organizations']);
/** Services whose wildcard on every resource reads, rewrites or deletes all the data of that kind in the account. */
const dataServices = new Set(['s3', 'dynamodb', 'kms', 'secretsmanager', 'rds', 'ssm']);

/** AWS-managed policies that amount to the same grants. */
const broadManagedPolicies = new Map<string, { severity: Severity; what: string }>([
  ['AdministratorAccess', { severity: 'error', what: 'every action on every resource' }],
  ['IAMFullAccess', { severity: 'error', what: 'every IAM action, which lets it grant itself anything' }],
  ['PowerUserAccess', { severity: 'warning', what: 'every action outside IAM on every resource' }],
  ['AmazonS3FullAccess', { severity: 'warning', what: 'every S3 action on every bucket of the account' }],
  [
    'AmazonDynamoDBFullAccess',
    { severity: 'warning', what: 'every DynamoDB action on every table of the account' },
  ],
  ['SecretsManagerReadWrite', { severity: 'warning', what: 'every secret of the account' }],
]);

const nouns: Record<string, string> = {
  'AWS::IAM::Role': 'Role',
  'AWS::IAM::User': 'IAM user',
  'AWS::IAM::Group': 'IAM group',
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::StateMachine': 'State machine',
};

/** What holds a policy, in messages: "Role", "Function", … */
function holder(resource: Resource): string {
  return (resource.type && nouns[resource.type]) ?? 'Policy';
}

/** The kinds of grant least privilege forbids, by message id. */
type GrantKind =
  | 'notAction'
  | 'everything'
  | 'everyAction'
  | 'escalatingService'
  | 'dataService'
  | 'stackService'
  | 'everySecret';

/** Reading a secret's value: on every resource, every secret of the account. */
const readsSecrets = /^secretsmanager:(GetSecretValue|Get\*|\*SecretValue|GetSecret\*)$/i;

interface Grant {
  at: DataNode;
  kind: GrantKind;
  /** The service whose every action is granted. */
  service?: string;
  severity: Severity;
}

/** What a statement grants that least privilege forbids, if anything. */
function broadGrant(statement: Statement): Grant | undefined {
  if (scalarText(get(statement.node, 'Effect')) !== 'Allow') return undefined;
  const resources = listItems(get(statement.node, 'Resource')).map((r) => String(r.value));
  const everywhere = resources.includes('*');
  const notAction = getPair(statement.node, 'NotAction');
  if (notAction && (everywhere || !get(statement.node, 'Resource'))) {
    return { at: notAction.value, kind: 'notAction', severity: 'warning' };
  }
  for (const action of listItems(get(statement.node, 'Action'))) {
    const text = String(action.value).trim();
    if (text === '*') {
      return everywhere
        ? { at: action, kind: 'everything', severity: 'error' }
        : { at: action, kind: 'everyAction', severity: 'warning' };
    }
    const service = /^([\w-]+):\*$/.exec(text)?.[1]?.toLowerCase();
    if (!service || !everywhere) continue;
    if (escalating.has(service)) return { at: action, kind: 'escalatingService', service, severity: 'error' };
    if (dataServices.has(service)) return { at: action, kind: 'dataService', service, severity: 'warning' };
    if (service === 'cloudformation')
      return { at: action, kind: 'stackService', service, severity: 'warning' };
  }
  // A condition (a tag, the calling service) narrows which secrets those are.
  if (everywhere && !get(statement.node, 'Condition')) {
    const secrets = listItems(get(statement.node, 'Action')).find((a) =>
      readsSecrets.test(String(a.value).trim()),
    );
    if (secrets) return { at: secrets, kind: 'everySecret', severity: 'warning' };
  }
  return undefined;
}

const messages = {
  notAction:
    '{{holder}} {{id}} is allowed every action except the few it lists, on every resource{{conditions}}: grant only the actions and resources its code uses.',
  everything:
    '{{holder}} {{id}} is allowed every action on every resource (Action and Resource are both *){{conditions}}: grant only the actions and resources its code uses.',
  everyAction:
    '{{holder}} {{id}} is allowed every action of every service on its resources (Action is *){{conditions}}: grant only the actions and resources its code uses.',
  escalatingService:
    '{{holder}} {{id}} is allowed every {{service}} action on every resource, which lets it grant itself anything{{conditions}}: grant only the actions and resources its code uses.',
  dataService:
    '{{holder}} {{id}} is allowed every {{service}} action on every resource of the account{{conditions}}: grant only the actions and resources its code uses.',
  stackService:
    '{{holder}} {{id}} is allowed every cloudformation action on every stack of the account, which lets it delete any stack or change what it deploys{{conditions}}: grant only the actions and resources its code uses.',
  everySecret:
    '{{holder}} {{id}} may read every secret of the account (secretsmanager:GetSecretValue on every resource){{conditions}}: name the secrets its code reads.',
  managedPolicy:
    '{{holder}} {{id}} gets the AWS-managed policy {{policy}}: {{grants}}. Grant only the actions and resources its code uses.',
};

/** A finding of this rule, with one of its message ids. */
type Finding = ReportedFinding<keyof typeof messages>;

export default defineRule({
  id: 'least-privilege/wildcard-iam',
  lesson: 'least-privilege',
  title: 'IAM policy grants everything',
  severity: 'warning',
  equivalents: ['CKV_AWS_62', 'CKV_AWS_63', 'F4', 'F5'],
  fix: 'no',
  resourceTypes: identityPolicyTypes,
  messages,
  docs: {
    what:
      'Identity policies of roles, users, groups, SAM functions and state machines that allow `Action: "*"`, `NotAction` on every resource, ' +
      'or every action of IAM, STS or Organizations (errors: they let the holder grant itself anything) or of S3, DynamoDB, KMS, Secrets Manager, RDS, SSM or CloudFormation on every resource, ' +
      'or `secretsmanager:GetSecretValue` on every resource (every secret of the account); ' +
      'and the AWS-managed policies that do the same (`AdministratorAccess`, `IAMFullAccess`, `PowerUserAccess`, `AmazonS3FullAccess`, …). ' +
      '`Action: "*"` with `Resource: "*"` is an error. Resource policies (bucket, queue and key policies) are not judged here: their principal decides who is trusted.',
    why:
      'A role that may do everything turns any bug in the code that uses it, a vulnerable dependency, an SSRF to the metadata service, a leaked key, into control of the account: ' +
      'read every bucket and table, delete the backups, create users for later. ' +
      'List the actions the code calls and the ARNs it touches; IAM Access Analyzer can generate that list from CloudTrail after a test run, and SAM policy templates cover the common cases.',
    example: {
      language: 'yaml',
      code: `WorkerRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
    Policies:
      - PolicyName: everything
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: '*'
              Resource: '*'`,
    },
    useInstead: {
      language: 'yaml',
      code: `WorkerRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
    Policies:
      - PolicyName: orders-queue-and-table
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
              Resource: !GetAtt OrdersQueue.Arn
            - Effect: Allow
              Action: [dynamodb:PutItem, dynamodb:UpdateItem]
              Resource: !GetAtt OrdersTable.Arn`,
    },
    references: [
      {
        title: 'IAM: apply least-privilege permissions',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      },
      {
        title: 'IAM Access Analyzer: policy generation',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html',
      },
      {
        title: 'AWS SAM policy templates',
        url: 'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, report }) {
      const found: Finding[] = [];
      for (const { resource, document } of identityPolicies(template)) {
        for (const group of statementGroups(resource, document)) {
          const grants = group.map(broadGrant);
          if (!grants.every((g): g is Grant => !!g)) continue;
          const conditions = [...new Set(group.flatMap((s) => s.conditions))];
          const [first] = grants;
          const severity: Severity = grants.some((g) => g.severity === 'error') ? 'error' : 'warning';
          found.push({
            at: first.at,
            resource,
            messageId: first.kind,
            data: {
              holder: holder(resource),
              id: resource.logicalId,
              service: first.service ?? '',
              conditions:
                conditions.length > 0 ? ` whichever way condition ${conditions.join(', ')} goes` : '',
            },
            severity: severity === 'warning' ? undefined : severity,
          });
        }
      }
      for (const { resource, node, name } of managedPolicies(template)) {
        const broad = broadManagedPolicies.get(name);
        if (!broad) continue;
        found.push({
          at: node,
          resource,
          messageId: 'managedPolicy',
          data: { holder: holder(resource), id: resource.logicalId, policy: name, grants: broad.what },
          severity: broad.severity === 'warning' ? undefined : broad.severity,
        });
      }
      for (const finding of found) report(finding);
    },
  },
});
