import { intrinsic, type Resource, type Template } from '../parse/cloudformation';
import { asMap, asSeq, get, getPath, scalarText, type DataNode } from '../parse/tree';
import { referencedNames, referenceTarget, stringsIn } from './references';
import { perTemplate } from './resources';
import { nameWords } from '../names';
import { asNumber } from './values';

/**
 * What an S3 bucket is for, as far as the template says: rules about protecting data judge
 * `data` buckets and leave log targets, static websites (and CloudFront origins, whose content
 * is deployed from a build) and scratch space (build artifacts, query results) alone.
 */
export type BucketRole = 'data' | 'logs' | 'website' | 'temporary' | 'stream' | 'derived';

const logWords = new Set(['log', 'logs', 'logging', 'trail', 'cloudtrail', 'accesslogs', 'flowlogs']);
const temporaryWords = new Set([
  'tmp',
  'temp',
  'temporary',
  'scratch',
  'cache',
  'artifact',
  'artifacts',
  'athena',
]);

/**
 * Words that name the two ends of a processing pipeline: a bucket for what comes out
 * (`DestinationBucket`, `ResizedImages`) beside a bucket for what goes in (`SourceBucket`,
 * `InputBucket`) holds what the pipeline makes again from the input.
 */
const outputWords = new Set([
  'destination',
  'output',
  'outputs',
  'resized',
  'thumbnail',
  'thumbnails',
  'processed',
  'converted',
  'transformed',
]);
const inputWords = new Set([
  'source',
  'input',
  'inputs',
  'upload',
  'uploads',
  'raw',
  'original',
  'originals',
  'incoming',
]);

/** Buckets that other resources in the template give a role: log targets, CloudFront origins, build artifacts. */
export interface BucketUses {
  logs: Set<string>;
  origins: Set<string>;
  scratch: Set<string>;
  /** Destinations of Kinesis Data Firehose streams, which write each batch under a new key. */
  streams: Set<string>;
  /** Buckets whose name says they hold a pipeline's input. */
  inputs: Set<string>;
}

/** Rules ask once per bucket: the template is scanned once. */
const usesOfTemplate = new WeakMap<Template, BucketUses>();

export function bucketUses(template: Template): BucketUses {
  let uses = usesOfTemplate.get(template);
  if (!uses) usesOfTemplate.set(template, (uses = collectBucketUses(template)));
  return uses;
}

function collectBucketUses(template: Template): BucketUses {
  const uses: BucketUses = {
    logs: new Set(),
    origins: new Set(),
    scratch: new Set(),
    streams: new Set(),
    inputs: new Set(),
  };
  const targets = uses.logs;
  const add = (node: DataNode | undefined, into = targets) =>
    referencedNames(node).forEach((name) => into.add(name));
  for (const resource of template.resources) {
    const p = resource.properties;
    switch (resource.type) {
      case 'AWS::S3::Bucket':
        add(getPath(p, 'LoggingConfiguration', 'DestinationBucketName'));
        if (bucketWords(resource).some((w) => inputWords.has(w))) uses.inputs.add(resource.logicalId);
        break;
      case 'AWS::CloudFront::Distribution':
        add(getPath(p, 'DistributionConfig', 'Logging', 'Bucket'));
        break;
      case 'AWS::ElasticLoadBalancing::LoadBalancer':
        add(getPath(p, 'AccessLoggingPolicy', 'S3BucketName'));
        break;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        for (const attribute of asSeq(get(p, 'LoadBalancerAttributes'))?.items ?? []) {
          if (scalarText(get(attribute, 'Key')) === 'access_logs.s3.bucket') add(get(attribute, 'Value'));
        }
        break;
      case 'AWS::CloudTrail::Trail':
      case 'AWS::Config::DeliveryChannel':
        add(get(p, 'S3BucketName'));
        break;
      case 'AWS::EC2::FlowLog':
        add(get(p, 'LogDestination'));
        break;
    }
    if (resource.type === 'AWS::CloudFront::Distribution') {
      for (const origin of asSeq(getPath(p, 'DistributionConfig', 'Origins'))?.items ?? []) {
        add(get(origin, 'DomainName'), uses.origins);
      }
    } else if (resource.type === 'AWS::CodePipeline::Pipeline') {
      add(get(p, 'ArtifactStore'), uses.scratch);
      add(get(p, 'ArtifactStores'), uses.scratch);
    } else if (resource.type === 'AWS::KinesisFirehose::DeliveryStream') {
      // Every destination type (S3, HTTP endpoint, Redshift, OpenSearch, Splunk, Snowflake, …) writes
      // to S3 through a configuration of its own: the batches themselves, the records it could not
      // deliver or transform, or a copy of all of them.
      for (const pair of asMap(p)?.pairs ?? []) {
        if (typeof pair.key.value !== 'string' || !pair.key.value.endsWith('DestinationConfiguration'))
          continue;
        add(get(pair.value, 'BucketARN'), uses.streams);
        add(getPath(pair.value, 'S3Configuration', 'BucketARN'), uses.streams);
        add(getPath(pair.value, 'S3BackupConfiguration', 'BucketARN'), uses.streams);
      }
    } else if (resource.type === 'AWS::Athena::WorkGroup') {
      add(getPath(p, 'WorkGroupConfiguration', 'ResultConfiguration', 'OutputLocation'), uses.scratch);
    }
  }
  return uses;
}

/** Whether every object expires within `days` under an unfiltered lifecycle rule. */
function expiresEverything(resource: Resource, days: number): boolean {
  const rules = asSeq(getPath(resource.properties, 'LifecycleConfiguration', 'Rules'))?.items ?? [];
  return rules.some((rule) => {
    if (scalarText(get(rule, 'Status')) !== 'Enabled') return false;
    if (scalarText(get(rule, 'Prefix')) || get(rule, 'TagFilters') || asMap(get(rule, 'Filter')))
      return false;
    const after = asNumber(scalarText(get(rule, 'ExpirationInDays')));
    return after !== undefined && after <= days;
  });
}

/** The words of a bucket's logical id and name. */
function bucketWords(resource: Resource): string[] {
  // The name may be built with Fn::Sub or Fn::Join: its literal pieces still say what it is for.
  const name = stringsIn(get(resource.properties, 'BucketName')).join(' ');
  return [...nameWords(resource.logicalId), ...nameWords(name)];
}

export function bucketRole(template: Template, resource: Resource, uses = bucketUses(template)): BucketRole {
  const words = bucketWords(resource);
  if (
    uses.logs.has(resource.logicalId) ||
    scalarText(get(resource.properties, 'AccessControl')) === 'LogDeliveryWrite' ||
    words.some((w) => logWords.has(w))
  ) {
    return 'logs';
  }
  if (get(resource.properties, 'WebsiteConfiguration') || uses.origins.has(resource.logicalId))
    return 'website';
  if (
    uses.scratch.has(resource.logicalId) ||
    words.some((w) => temporaryWords.has(w)) ||
    expiresEverything(resource, 30)
  ) {
    return 'temporary';
  }
  if (uses.streams.has(resource.logicalId)) return 'stream';
  if (words.some((w) => outputWords.has(w)) && uses.inputs.size > 0 && !uses.inputs.has(resource.logicalId))
    return 'derived';
  return 'data';
}

/** A bucket name as written: a literal, or the template of an `Fn::Sub` (the same template names the same bucket). */
function nameText(node: DataNode | undefined): string | undefined {
  const literal = scalarText(node);
  if (literal !== undefined) return literal;
  const fn = intrinsic(node);
  return fn?.name === 'Fn::Sub' ? `sub:${scalarText(fn.argument) ?? ''}` : undefined;
}

/** The template's bucket policies by the bucket they name: `ref:` its logical id, `name:` its name as written. */
const policiesByBucket = perTemplate((template) => {
  const index = new Map<string, Resource[]>();
  const add = (key: string, policy: Resource) => {
    const list = index.get(key);
    if (list) list.push(policy);
    else index.set(key, [policy]);
  };
  for (const policy of template.resourcesOfType(['AWS::S3::BucketPolicy'])) {
    const target = get(policy.properties, 'Bucket');
    const id = referenceTarget(target);
    if (id !== undefined) add(`ref:${id}`, policy);
    const name = nameText(target);
    if (name !== undefined) add(`name:${name}`, policy);
  }
  return index;
});

/**
 * The bucket policies of the template that apply to the bucket (by reference, by its name, or by
 * the parameter both take the name from: `BucketName: !Ref Name` and `Bucket: !Ref Name`), in
 * document order.
 */
export function bucketPolicies(template: Template, bucket: Resource): Resource[] {
  const byBucket = policiesByBucket(template);
  const nameNode = get(bucket.properties, 'BucketName');
  const name = nameText(nameNode);
  const nameParameter = referenceTarget(nameNode);
  const named = new Set([
    ...(byBucket.get(`ref:${bucket.logicalId}`) ?? []),
    ...(name === undefined ? [] : (byBucket.get(`name:${name}`) ?? [])),
    ...(nameParameter !== undefined && template.parameters.has(nameParameter)
      ? (byBucket.get(`ref:${nameParameter}`) ?? [])
      : []),
  ]);
  return [...named].sort((a, b) => a.span.start - b.span.start);
}
