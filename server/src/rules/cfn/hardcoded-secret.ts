import { isNonSecretTemplateValue, secretSites, type SecretSite } from '../../engine/cfn/secrets';
import { nameWords } from '../../engine/names';
import { addResource, canAddResource, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { replaceScalar, replaceValue, type EditTarget } from '../../engine/edit';
import { possibleValues, provenance, type Resource, type Template } from '../../engine/parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  getPath,
  resolved,
  scalarText,
  type DataNode,
  type ScalarNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix, type ReportedFinding, type SourceDocument } from '../../engine/rule';

/** Words a placeholder is made of, besides the words of the name it stands in for. */
const placeholderWords = [
  'my',
  'your',
  'the',
  'a',
  'this',
  'some',
  'api',
  'key',
  'value',
  'secret',
  'token',
  'here',
  'example',
  'sample',
  'placeholder',
  'dummy',
  'fake',
  'test',
  'change',
  'replace',
  'me',
  'with',
  'real',
  'id',
];

/**
 * A value that only restates what belongs there (`ApiKeyValue: MyAPIkey`, `Token: your-token-here`):
 * a sample's placeholder, made only of the name's own words and filler, without a digit.
 */
function restatesName(value: string, name: string): boolean {
  if (/\d/.test(value) || value.length > 40) return false;
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  const vocabulary = new Set([...nameWords(name), ...placeholderWords]);
  // Whether `letters` splits into words of the vocabulary, read left to right.
  const reachable = [true];
  for (let end = 1; end <= letters.length; end++) {
    reachable[end] = false;
    for (let start = Math.max(0, end - 12); start < end && !reachable[end]; start++)
      reachable[end] = reachable[start] && vocabulary.has(letters.slice(start, end));
  }
  return letters.length > 0 && reachable[letters.length];
}

/** The literal (never a parameter default, which the parameter rule reports) that every branch gives, or undefined. */
function literalSecret(template: Template, node: DataNode, name: string, passwordLike: boolean) {
  const values = possibleValues(template, node);
  if (!values || values.length === 0) return undefined;
  for (const v of values) {
    if (v.absent || v.parameter) return undefined;
    if (typeof v.value === 'number') {
      if (!passwordLike) return undefined;
    } else if (typeof v.value !== 'string' || isNonSecretTemplateValue(v.value)) {
      return undefined;
    } else if (!passwordLike && restatesName(v.value, name)) {
      // A password that says "password" is still the one deployed; a key named for itself is a sample's.
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
  inConnectionString:
    'Resource {{id}} has a password written in the connection string {{name}}: anyone who can read the repository or the stack can read it. Rotate it and keep it in Secrets Manager.',
  inEncodedUserData:
    'Resource {{id}} writes a secret ({{label}}) in its base64-encoded UserData: encoding hides nothing, anyone who can describe the instance or read the template can decode it. Fetch it at boot from Secrets Manager or Parameter Store instead.',
};

/** A finding of this rule, with one of its message ids. */
type Finding = ReportedFinding<keyof typeof messages>;

/**
 * The script a literal UserData holds when it is written already encoded (EC2 takes UserData in
 * base64): undefined for anything that is not base64 of mostly printable text.
 */
function decodedScript(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length < 16 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    return undefined;
  const text = Buffer.from(compact, 'base64').toString('utf8');
  let printable = 0;
  for (const ch of text) if (ch >= ' ' || ch === '\n' || ch === '\r' || ch === '\t') printable++;
  return printable >= text.length * 0.95 ? text : undefined;
}

/** `Password=…` in an ADO.NET or ODBC connection string (`Server=db;User Id=app;Password=…;`). */
const connectionPassword = /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;'"\s][^;'"]{3,})/gi;

/** The environment variables a resource gives its code: Lambda and SAM, ECS containers, CodeBuild. */
function environmentValues(resource: Resource): { name: string; value: DataNode }[] {
  const found: { name: string; value: DataNode }[] = [];
  for (const pair of asMap(getPath(resource.properties, 'Environment', 'Variables'))?.pairs ?? [])
    found.push({ name: String(pair.key.value), value: pair.value });
  const entries = [
    ...(asSeq(getPath(resource.properties, 'Environment', 'EnvironmentVariables'))?.items ?? []),
    ...(asSeq(get(resource.properties, 'ContainerDefinitions'))?.items ?? []).flatMap(
      (definition) => asSeq(get(definition, 'Environment'))?.items ?? [],
    ),
  ];
  for (const entry of entries) {
    const name = scalarText(get(entry, 'Name'));
    const value = get(entry, 'Value');
    const type = scalarText(get(entry, 'Type'));
    if (name && value && (!type || type === 'PLAINTEXT')) found.push({ name, value });
  }
  return found;
}

/** Passwords written inside connection strings of environment variables whose names do not say so. */
function connectionStringFindings(
  document: SourceDocument,
  resource: Resource,
  skip: ReadonlySet<number>,
): Finding[] {
  const found: Finding[] = [];
  for (const { name, value } of environmentValues(resource)) {
    const scalar = asScalar(value);
    if (!scalar || typeof scalar.value !== 'string' || skip.has(scalar.span.start)) continue;
    for (const match of scalar.value.matchAll(connectionPassword)) {
      const secret = match[1].trim();
      if (isNonSecretTemplateValue(secret)) continue;
      const source = document.text.slice(scalar.span.start, scalar.span.end);
      const at = source.indexOf(secret);
      found.push({
        at: at >= 0 ? { start: scalar.span.start + at, end: scalar.span.start + at + secret.length } : scalar,
        messageId: 'inConnectionString',
        data: { id: resource.logicalId, name },
        resource,
      });
    }
  }
  return found;
}

function scriptFindings(document: SourceDocument, resource: Resource, userData: DataNode): Finding[] {
  const found: Finding[] = [];
  // Aliases are followed, each node once (a script behind an alias is still a script).
  const seen = new Set<DataNode>();
  const scan = (scalar: ScalarNode, text: string, encoded: boolean) => {
    for (const match of text.matchAll(scriptSecret)) {
      const secret = match[2] ?? match[4] ?? match[5];
      if (!secret || isNonSecretTemplateValue(secret)) continue;
      const label = match[1] ?? (match[3] ? `--${match[3]}` : 'a database password');
      // Point at the secret itself when the text holds it verbatim, else at the whole string.
      const source = document.text.slice(scalar.span.start, scalar.span.end);
      const at = encoded ? -1 : source.indexOf(secret);
      found.push({
        at: at >= 0 ? { start: scalar.span.start + at, end: scalar.span.start + at + secret.length } : scalar,
        messageId: encoded ? 'inEncodedUserData' : 'inUserData',
        data: { id: resource.logicalId, label },
        resource,
      });
    }
  };
  const visit = (node: DataNode | undefined, top: boolean) => {
    const target = resolved(node);
    if (!target || seen.has(target)) return;
    seen.add(target);
    if (target.type === 'scalar') {
      if (typeof target.value !== 'string') return;
      // Only a literal UserData is sent as written; the argument of Fn::Base64 is the script itself.
      const decoded = top ? decodedScript(target.value) : undefined;
      scan(target, decoded ?? target.value, decoded !== undefined);
      return;
    }
    if (target.type === 'map') for (const pair of target.pairs) visit(pair.value, false);
    else if (target.type === 'seq') for (const item of target.items) visit(item, false);
  };
  visit(userData, true);
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
      'in secret-named environment variables (Lambda, SAM `Globals`, ECS, CodeBuild), in SSM parameters named like a secret, in `Mappings`, in `Password=` of connection strings in environment variables, ' +
      'and in `UserData` scripts (`DB_PASSWORD=…`, `--password …`, `IDENTIFIED BY …`), also when the UserData is written already base64-encoded. ' +
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
        const values = literalSecret(template, site.value, site.name, passwordLike);
        if (!values || reported.has(site.value.span.start)) continue;
        reported.add(site.value.span.start);
        report({
          at: site.value,
          messageId: site.resource?.type === 'AWS::SecretsManager::Secret' ? 'writtenInSecret' : 'written',
          data: { owner: site.owner, name: site.name, provenance: provenance(values) },
          resource: site.resource,
          // The secret is a new resource: a template without `Resources` (SAM Globals alone) gets none.
          fix:
            values.length === 1 && canAddResource(template)
              ? () => secretFix(template, target, site)
              : undefined,
        });
      }
      for (const resource of template.resources)
        connectionStringFindings(document, resource, reported).forEach((f) => report(f));
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
      needs: [
        `Make the applications read the master password from the secret RDS creates for ${resource.logicalId} (MasterUserSecret)`,
        'Treat the password that was written down as leaked: it stops working once RDS takes over',
      ],
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
    needs: [
      `Put the real value of ${site.name} in ${id} (the template generates a new one), or make the other side accept the new one`,
      `Rotate the value that was written in the template: it stays in the repository's history`,
    ],
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
