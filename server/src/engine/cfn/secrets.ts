import type { Resource, Template } from '../parse/cloudformation';
import { asMap, asScalar, asSeq, get, getPair, scalarText, type DataNode, type Pair } from '../parse/tree';
import { nameWords } from '../names';
import { stringsIn } from './references';

/**
 * Which names in a template hold secret values (passwords, tokens, keys) and which values are
 * already kept out of it (dynamic references). Shared by the rules about literal secrets and
 * about secret parameters; neither ever repeats a value it finds.
 */

const secretWords = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
]);
const secretPairs = [
  ['api', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['auth', 'key'],
  ['access', 'token'],
  ['client', 'secret'],
  ['signing', 'key'],
];

/**
 * Words that, at the end of a name, say it holds something about a secret rather than the
 * secret itself: `SecretArn`, `PasswordLength`, `TokenValidity`, `ApiKeyRequired`.
 */
const describingWords = new Set([
  'arn',
  'arns',
  'name',
  'names',
  'id',
  'ids',
  'length',
  'type',
  'path',
  'parameter',
  'param',
  'ref',
  'version',
  'rotation',
  'policy',
  'validity',
  'ttl',
  'expiry',
  'expiration',
  'units',
  'enabled',
  'required',
  'strategy',
  'prefix',
  'endpoint',
  'url',
  'uri',
  'location',
  'kms',
  'template',
  'count',
  'table',
  'bucket',
  'queue',
  'topic',
  'field',
  'attribute',
  'header',
  'duration',
  'minutes',
  'seconds',
  'days',
  'hours',
  'manager',
  'store',
  'source',
  'mode',
  'format',
  'selection',
  'schedule',
  'lambda',
  'function',
  'role',
  'usage',
  'limit',
  'config',
  'configuration',
  'settings',
  'option',
  'options',
  'reset',
  'update',
  'generation',
  'generate',
  'target',
  'attachment',
  'region',
  'key',
]);

/** Property names repeat across resources and templates: judge each one once. */
function remembered(judge: (name: string) => boolean): (name: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return (name) => {
    let verdict = verdicts.get(name);
    if (verdict === undefined) {
      verdict = judge(name);
      if (verdicts.size > 20_000) verdicts.clear();
      verdicts.set(name, verdict);
    }
    return verdict;
  };
}

/** Whether a name mentions a secret at all, even to describe it (`TokenValidityUnits`, `PasswordPolicy`). */
export const mentionsSecret = remembered((name) => {
  const words = nameWords(name);
  return words.some((w) => secretWords.has(w) || w === 'pass');
});

/** Whether a property, variable or parameter name says it holds a secret value. */
export const isSecretName = remembered((name) => {
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  // `SecretKey`, `ApiKey`, `PrivateKey` end in `key` and are secrets; other names ending in a describing word are not.
  const endsInKeyPair =
    last === 'key' &&
    (words.includes('secret') || secretPairs.some(([a, b]) => b === 'key' && words[words.length - 2] === a));
  if (describingWords.has(last) && !endsInKeyPair) return false;
  if (words.some((w) => secretWords.has(w))) {
    // `SecretString` is the secret itself; `Secrets` lists names of secrets (ECS `Secrets: [{Name, ValueFrom}]`).
    return !(words.length === 1 && last === 'secrets');
  }
  if (last === 'pass') return true;
  return secretPairs.some(([a, b]) => words.some((w, i) => w === a && words[i + 1] === b));
});

/** A dynamic reference (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`): the value is not in the template. */
export function isDynamicReference(value: string): boolean {
  return /\{\{resolve:/.test(value);
}

/**
 * Literal values that are not secrets whatever the name says: empty strings, switches, and
 * pointers to where a secret lives (ARNs, SSM parameter paths, environment lookups).
 */
export function isNonSecretValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^(true|false|yes|no|none|null|enabled|disabled|undefined)$/i.test(v)) return true;
  if (isDynamicReference(v)) return true;
  if (/^arn:/.test(v)) return true;
  if (/^\/[\w.\-/]+$/.test(v)) return true;
  if (/^\$\{[^}]+\}$|^\$[A-Z_][A-Z0-9_]*$/.test(v)) return true;
  // JSONPath into a state machine's input or context (`$.token`, `$$.Task.Token`).
  if (/^\$\$?(\.|\[)/.test(v)) return true;
  return false;
}

/** A place whose name says it holds a secret: a property, an environment variable, an SSM parameter, a mapping. */
export interface SecretSite {
  /** "RDS database instance OrdersDb", "Globals", "Mappings". */
  owner: string;
  resource?: Resource;
  /** The property or variable name that says it is a secret. */
  name: string;
  value: DataNode;
  /** The pair to rename for RDS (`MasterUserPassword` → `ManageMasterUserPassword`). */
  pair?: Pair;
  /** False where a dynamic reference cannot stand (Mappings, custom resources, ECS definitions, SSM values). */
  replaceable: boolean;
}

const databaseNouns: Record<string, string> = {
  'AWS::RDS::DBInstance': 'RDS database instance',
  'AWS::RDS::DBCluster': 'RDS cluster',
  'AWS::DocDB::DBCluster': 'DocumentDB cluster',
  'AWS::Redshift::Cluster': 'Redshift cluster',
};

function ownerOf(resource: Resource): string {
  return `${(resource.type && databaseNouns[resource.type]) ?? 'Resource'} ${resource.logicalId}`;
}

/** Walk a node for secret-named pairs and `{Name: SECRET_NAME, Value: …}` entries, whatever their values. */
function collect(
  node: DataNode | undefined,
  site: Omit<SecretSite, 'name' | 'value' | 'pair'>,
  found: SecretSite[],
  depth = 0,
): void {
  if (!node || depth > 40) return;
  const map = asMap(node);
  if (map) {
    const entryName = scalarText(get(map, 'Name'));
    const entryValue = getPair(map, 'Value');
    const entryType = scalarText(get(map, 'Type'));
    if (entryName && entryValue && isSecretName(entryName) && (!entryType || entryType === 'PLAINTEXT')) {
      found.push({ ...site, name: entryName, value: entryValue.value });
    }
    for (const pair of map.pairs) {
      const key = String(pair.key.value);
      // Scripts are read line by line elsewhere; Name/Value entries were judged together above.
      if (key === 'Name' || key === 'Value' || key === 'UserData') continue;
      // A JSONPath key (`token.$`) takes a path, not a value.
      if (key.endsWith('.$')) continue;
      if (isSecretName(key) && (asScalar(pair.value) || pair.value.type === 'map')) {
        found.push({ ...site, name: key, value: pair.value, pair });
      }
      // Settings about secrets (`TokenValidityUnits`, `PasswordPolicy`) hold no secrets of their own.
      if (mentionsSecret(key) && !isSecretName(key)) continue;
      collect(pair.value, site, found, depth + 1);
    }
    return;
  }
  for (const item of asSeq(node)?.items ?? []) collect(item, site, found, depth + 1);
}

/**
 * Every place in the template whose name says it holds a secret, whatever its value: resource
 * properties at any depth, `{Name, Value}` environment entries, SSM parameters named like a
 * secret, API Gateway key values, SAM `Globals` and `Mappings`. UserData scripts are not included.
 * Computed once per parsed template: two rules read it.
 */
export function secretSites(template: Template): readonly SecretSite[] {
  let sites = sitesOf.get(template);
  if (!sites) {
    sites = findSecretSites(template);
    sitesOf.set(template, sites);
  }
  return sites;
}

const sitesOf = new WeakMap<Template, SecretSite[]>();

function findSecretSites(template: Template): SecretSite[] {
  const sites: SecretSite[] = [];
  for (const resource of template.resources) {
    const type = resource.type ?? '';
    const custom = type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
    // A dynamic reference cannot stand in custom resources; in an ECS definition it would only move the value
    // into the task definition, where container Secrets (ValueFrom) belong; a secret cannot point at itself.
    const replaceable =
      !custom && type !== 'AWS::ECS::TaskDefinition' && type !== 'AWS::SecretsManager::Secret';
    const base = { owner: ownerOf(resource), resource, replaceable };
    if (type === 'AWS::SSM::Parameter') {
      const name = stringsIn(get(resource.properties, 'Name')).join('/');
      const value = get(resource.properties, 'Value');
      const words = nameWords(name);
      if (value && words.length > 0 && isSecretName(words.join('_'))) {
        sites.push({ ...base, name: `parameter ${name || resource.logicalId}`, value, replaceable: false });
      }
      continue;
    }
    if (type === 'AWS::ApiGateway::ApiKey') {
      const value = get(resource.properties, 'Value');
      if (value) sites.push({ ...base, name: 'Value (an API key)', value, replaceable: true });
    }
    collect(resource.properties, base, sites);
  }
  if (template.globals) collect(template.globals, { owner: 'Globals', replaceable: true }, sites);
  collect(get(template.root, 'Mappings'), { owner: 'Mappings', replaceable: false }, sites);
  return sites;
}
