import type { Resource, Template } from '../parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  resolved,
  scalarText,
  type DataNode,
  type Pair,
} from '../parse/tree';
import { nameWords } from '../names';
import { describesSecret, isNonSecretValue, isSecretName } from '../secret-names';
import { stringsIn } from './references';

/**
 * Where a template holds secret values (the names are judged in secret-names.ts, as in every
 * other kind of file) and which values are already kept out of it (dynamic references). Shared
 * by the rules about literal secrets and about secret parameters; neither ever repeats a value
 * it finds.
 */

/** A dynamic reference (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`): the value is not in the template. */
export function isDynamicReference(value: string): boolean {
  return /\{\{resolve:/.test(value);
}

/**
 * Literal values in a template that are not secrets whatever the name says: those of any file
 * (switches, paths, ARNs, placeholders), short strings, dynamic references and environment
 * lookups.
 */
export function isNonSecretTemplateValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4 || isNonSecretValue(v) || isDynamicReference(v)) return true;
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

/**
 * Walk a node for secret-named pairs and `{Name: SECRET_NAME, Value: …}` entries, whatever their
 * values. Aliases are followed (a secret may sit behind one), but each node is read once: nine
 * levels of nine aliases would otherwise be read 9^9 times.
 */
function collect(
  node: DataNode | undefined,
  site: Omit<SecretSite, 'name' | 'value' | 'pair'>,
  found: SecretSite[],
  visited: Set<DataNode>,
  depth = 0,
): void {
  if (!node || depth > 40) return;
  const target = resolved(node);
  if (!target || visited.has(target)) return;
  visited.add(target);
  const map = asMap(target);
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
      if (describesSecret(key)) continue;
      collect(pair.value, site, found, visited, depth + 1);
    }
    return;
  }
  for (const item of asSeq(target)?.items ?? []) collect(item, site, found, visited, depth + 1);
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
  const visited = new Set<DataNode>();
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
    // Properties chosen by an Fn::If are still read: a secret on either branch is written down.
    collect(get(resource.node, 'Properties'), base, sites, visited);
  }
  if (template.globals) collect(template.globals, { owner: 'Globals', replaceable: true }, sites, visited);
  collect(get(template.root, 'Mappings'), { owner: 'Mappings', replaceable: false }, sites, visited);
  return sites;
}
