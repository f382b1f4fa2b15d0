import { getPair, scalarText, type Pair } from '../parse/tree';
import type { Resource, Template } from '../parse/cloudformation';

/** The SAM `Globals` section that supplies defaults for each serverless type. */
const globalsSection: Record<string, string> = {
  'AWS::Serverless::Function': 'Function',
  'AWS::Serverless::Api': 'Api',
  'AWS::Serverless::HttpApi': 'HttpApi',
  'AWS::Serverless::SimpleTable': 'SimpleTable',
  'AWS::Serverless::StateMachine': 'StateMachine',
  'AWS::Serverless::LayerVersion': 'LayerVersion',
};

/** A property as the deployed resource sees it: its own, else SAM's Globals default. */
export interface EffectiveProperty {
  pair: Pair;
  /** True when the value comes from `Globals`, not from the resource. */
  fromGlobals: boolean;
}

export function effectiveProperty(
  template: Template,
  resource: Resource,
  name: string,
): EffectiveProperty | undefined {
  const own = getPair(resource.properties, name);
  if (own) return { pair: own, fromGlobals: false };
  const section = resource.type ? globalsSection[resource.type] : undefined;
  const global = section ? getPair(getPair(template.globals, section)?.value, name) : undefined;
  return global ? { pair: global, fromGlobals: true } : undefined;
}

/**
 * Types that hold data which cannot be rebuilt from the template: losing one loses data.
 * SAM's SimpleTable is a DynamoDB table.
 */
export const statefulTypes = new Set([
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Serverless::SimpleTable',
  'AWS::S3::Bucket',
  'AWS::EC2::Volume',
  'AWS::EFS::FileSystem',
  'AWS::FSx::FileSystem',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::ElastiCache::ServerlessCache',
  'AWS::MemoryDB::Cluster',
  'AWS::DocDB::DBCluster',
  'AWS::DocDB::DBInstance',
  'AWS::Neptune::DBCluster',
  'AWS::Neptune::DBInstance',
  'AWS::Redshift::Cluster',
  'AWS::OpenSearchService::Domain',
  'AWS::Elasticsearch::Domain',
]);

/** `DeletionPolicy` / `UpdateReplacePolicy` as written (literal values only). */
export function resourcePolicy(
  resource: Resource,
  name: 'DeletionPolicy' | 'UpdateReplacePolicy',
): string | undefined {
  return scalarText(getPair(resource.node, name)?.value);
}

/** Whether the template is processed by the SAM transform. */
export function isSam(template: Template): boolean {
  return template.transforms.some((t) => t.startsWith('AWS::Serverless'));
}

/**
 * A lookup computed once per parsed template and kept with it: for what checks and fixes ask
 * about every resource (the template's log bucket, its monitoring role), so that asking once per
 * resource stays linear in the size of the template.
 */
export function perTemplate<T>(compute: (template: Template) => T): (template: Template) => T {
  const known = new WeakMap<Template, { value: T }>();
  return (template) => {
    let entry = known.get(template);
    if (!entry) known.set(template, (entry = { value: compute(template) }));
    return entry.value;
  };
}
