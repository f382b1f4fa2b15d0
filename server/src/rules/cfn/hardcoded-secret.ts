import { isNonSecretTemplateValue, secretSites, type SecretSite } from '../../engine/cfn/secrets';
import { nameWords } from '../../engine/names';
import { addResource, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { replaceScalar, replaceValue, type EditTarget } from '../../engine/edit';
import { possibleValues, provenance, type Resource, type Template } from '../../engine/parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  scalarText,
  type DataNode,
  type ScalarNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix, type ReportedFinding, type SourceDocument } from '../../engine/rule';

/** The literal (never a parameter default, which the parameter rule reports) that every branch gives, or undefined. */
function literalSecret(template: Template, node: DataNode, passwordLike: boolean) {
  const values = possibleValues(template, node);
  if (!values || values.length === 0) return undefined;
  for (const v of values) {
    if (v.absent || v.parameter) return undefined;
    if (typeof v.value === 'number') {
      if (!passwordLike) return undefined;
    } else if (typeof v.value !== 'string' || isNonSecretTemplateValue(v.value)) {
      return undefined;
    }
  }
  return values;
}

const passwordWord = /pass(word|wd|phrase)?$|pwd$/;

/** Secrets written in shell code: `PASSWORD=…`, `--password …`, `IDENTIFIED BY '…'`. */
const scriptSecret =
  /\b([A-Za-z_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY)[A-Za-z_]*)\s*[=:]\s*["']?([^\s"'$`;{}()]{6,})|--(password|passwd|token|secret)[= ]["']?([^\s"'$`;{}()-][^\s"'$`;{}()]{5,})|IDENTIFIED\s+BY\s+'([^'$]{6,})'/gi;

const messages = {
  written:
    '{{owner}} has {{name}} written in the template{{provenance}}: anyone who can read the repository or the stack can read it. Rotate it and keep it in Secrets Manager.',
  writtenInSecret:
    '{{owner}} has {{name}} written in the template{{provenance}}: anyone who can read the repository or the stack can read it. Rotate it, create the secret with GenerateSecretString or empty, and set the value outside the template.',
  inUserData:
    'Resource {{id}} writes a secret ({{label}}) in its UserData: anyone who can describe the instance or read the template can read it. Fetch it at boot from Secrets Manager or Parameter Store instead.',
};

/** A finding of this rule, with one of its message ids. */
type Finding = ReportedFinding<keyof typeof messages>;

function scriptFindings(document: SourceDocument, resource: Resource, userData: DataNode): Finding[] {
  const found: Finding[] = [];
  const seen = new Set<ScalarNode>();
  const visit = (node: DataNode | undefined) => {
    const scalar = asScalar(node);
    if (scalar && typeof scalar.value === 'string' && !seen.has(scalar)) {
      seen.add(scalar);
      for (const match of scalar.value.matchAll(scriptSecret)) {
        const secret = match[2] ?? match[4] ?? match[5];
        if (!secret || isNonSecretTemplateValue(secret)) continue;
        const label = match[1] ?? (match[3] ? `--${match[3]}` : 'a database password');
        // Point at the secret itself when the text holds it verbatim, else at the whole string.
        const source = document.text.slice(scalar.span.start, scalar.span.end);
        const at = source.indexOf(secret);
        found.push({
          at:
            at >= 0 ? { start: scalar.span.start + at, end: scalar.span.start + at + secret.length } : scalar,
          messageId: 'inUserData',
          data: { id: resource.logicalId, label },
          resource,
        });
      }
      return;
    }
    const map = asMap(node);
    if (map) for (const pair of map.pairs) visit(pair.value);
    for (const item of asSeq(node)?.items ?? []) visit(item);
  };
  visit(userData);
  return found;
}

export default defineRule({
  id: 'secrets-management/hardcoded-secret',
  lesson: 'secrets-management',
  title: 'Secret written in the template',
  severity: 'error',
  equivalents: ['CKV_AWS_45', 'CKV_AWS_46', 'CKV_AWS_384', 'F23', 'W1011'],
  fix: 'scaffold',
  resourceTypes: [
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
    'AWS::DocDB::DBCluster',
    'AWS::Redshift::Cluster',
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::AmazonMQ::Broker',
    'AWS::Lambda::Function',
    'AWS::Serverless::Function',
    'AWS::ECS::TaskDefinition',
    'AWS::CodeBuild::Project',
    'AWS::SSM::Parameter',
    'AWS::SecretsManager::Secret',
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::AutoScaling::LaunchConfiguration',
    'AWS::ApiGateway::ApiKey',
  ],
  messages,
  docs: {
    what:
      'Literal values in properties whose name says they hold a secret (`MasterUserPassword`, `Password`, `AuthToken`, `OAuthToken`, `SecretString`, `ApiKey`, …), ' +
      'in secret-named environment variables (Lambda, SAM `Globals`, ECS, CodeBuild), in SSM parameters named like a secret, in `Mappings`, and in `UserData` scripts (`DB_PASSWORD=…`, `--password …`, `IDENTIFIED BY …`). ' +
      'Dynamic references, references to parameters, ARNs and obvious placeholders are not secrets. Messages never repeat the value.',
    why:
      "A template lives in version control, in every clone and CI log, in the S3 bucket CloudFormation uploads it to, and in the stack's own history where anyone with read access can fetch it. " +
      'A password written there is shared with all of them and cannot be taken back: rotate it. ' +
      'Keep the value in Secrets Manager and let CloudFormation resolve it at deployment with a dynamic reference, or let RDS manage the master password itself (`ManageMasterUserPassword: true`). ' +
      'The fix does one of those, generating a new value: put the real one in the secret afterwards, and rotate the one that was written down.',
    example: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: app
    MasterUserPassword: Sup3rS3cret!`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: app
    ManageMasterUserPassword: true     # RDS keeps it in Secrets Manager and can rotate it
ApiFunction:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        PAYMENTS_API_KEY: !Sub '{{resolve:secretsmanager:\${PaymentsApiKeySecret}}}'`,
    },
    references: [
      {
        title: 'CloudFormation: dynamic references to Secrets Manager',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html',
      },
      {
        title: 'Amazon RDS: password management with Secrets Manager',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html',
      },
    ],
    fix:
      'Replaces an RDS master password with `ManageMasterUserPassword: true`, or moves the value to a new Secrets Manager secret with a generated value, read by a dynamic reference. ' +
      'A scaffold: put the real value in the secret, make the applications that used the old one read it there, and rotate the value that was written down.',
  },
  checks: {
    cfn({ model: template, document, target, report }) {
      const sites = secretSites(template);
      // Scripts and secret-named properties are judged in every resource, not only the types the hover lists.
      for (const resource of template.resources) {
        const userData =
          get(resource.properties, 'UserData') ??
          get(get(resource.properties, 'LaunchTemplateData'), 'UserData');
        if (userData) scriptFindings(document, resource, userData).forEach((f) => report(f));
      }
      const reported = new Set<number>();
      for (const site of sites) {
        const passwordLike = passwordWord.test(nameWords(site.name).join(''));
        const values = literalSecret(template, site.value, passwordLike);
        if (!values || reported.has(site.value.span.start)) continue;
        reported.add(site.value.span.start);
        report({
          at: site.value,
          messageId: site.resource?.type === 'AWS::SecretsManager::Secret' ? 'writtenInSecret' : 'written',
          data: { owner: site.owner, name: site.name, provenance: provenance(values) },
          resource: site.resource,
          fix: values.length === 1 ? () => secretFix(template, target, site) : undefined,
        });
      }
    },
  },
});

function secretFix(template: Template, target: EditTarget, site: SecretSite): Fix | undefined {
  const resource = site.resource;
  if (!site.replaceable) return undefined;
  const type = resource?.type ?? '';
  if (
    resource &&
    site.pair &&
    site.name === 'MasterUserPassword' &&
    (type === 'AWS::RDS::DBInstance' || type === 'AWS::RDS::DBCluster') &&
    !getPair(resource.properties, 'ManageMasterUserPassword') &&
    scalarText(get(resource.properties, 'EngineMode')) !== 'serverless'
  ) {
    return {
      title: 'Let RDS manage the master password in Secrets Manager (ManageMasterUserPassword)',
      edits: [
        replaceScalar(target, site.pair.key, 'ManageMasterUserPassword'),
        // A boolean, whatever quotes the password had.
        { start: site.value.span.start, end: site.value.span.end, text: 'true' },
      ],
    };
  }
  if (!asScalar(site.value)) return undefined;
  const owner =
    resource && !resource.logicalId.includes('${')
      ? resource.logicalId
      : site.owner === 'Globals'
        ? 'Globals'
        : undefined;
  if (!owner) return undefined;
  const base = `${owner}${nameWords(site.name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}`.replace(/Secret$/, '');
  const id = uniqueLogicalId(template, `${base}Secret`);
  return {
    title: `Move ${site.name} to a new Secrets Manager secret ${id} (generated: put the real value in it)`,
    edits: [
      addResource(target, template, id, {
        Type: 'AWS::SecretsManager::Secret',
        Properties: {
          Description: { 'Fn::Sub': `${site.name} of ${owner} in \${AWS::StackName}` },
          GenerateSecretString: { PasswordLength: 32, ExcludeCharacters: '"@/\\\'' },
        },
      }),
      replaceValue(target, site.value, { 'Fn::Sub': `{{resolve:secretsmanager:\${${id}}}}` }),
    ],
  };
}
