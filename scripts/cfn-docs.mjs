// Extracts the CloudFormation resource documentation that template hovers show from
// @aws-cdk/aws-service-spec (a dev dependency) into dist/cfn-docs/: one small JSON file per
// service namespace (AWS::RDS → aws-rds.json), so that the language server reads only the
// service under the cursor, never the 80 MB database. Run by the build; skipped when the
// extract already matches the installed spec and this script.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cfnDocsDir = join(root, 'dist', 'cfn-docs');

/** Longest documentation kept per resource and per property; the rest is on the linked page. */
const maxResourceDoc = 900;
const maxPropertyDoc = 1200;

/** SAM's spec entries carry a link instead of a description: these say what each type is. */
const samSummaries = {
  'AWS::Serverless::Function':
    'A Lambda function with its execution role, event sources, alias and gradual deployment, expanded by the SAM transform into `AWS::Lambda::*`, IAM and CodeDeploy resources.',
  'AWS::Serverless::Api':
    'An API Gateway REST API with its stages and deployment, defined inline or from an OpenAPI document, expanded by the SAM transform.',
  'AWS::Serverless::HttpApi':
    'An API Gateway HTTP API (API Gateway v2) with its stage, expanded by the SAM transform.',
  'AWS::Serverless::Application':
    'A nested application from the AWS Serverless Application Repository or a local template, deployed as a nested stack.',
  'AWS::Serverless::SimpleTable':
    'A DynamoDB table with a single-attribute primary key, expanded by the SAM transform into `AWS::DynamoDB::Table`.',
  'AWS::Serverless::LayerVersion': 'A Lambda layer version, expanded by the SAM transform.',
  'AWS::Serverless::StateMachine':
    'A Step Functions state machine with its role and event sources, expanded by the SAM transform.',
};

/** The file a namespace's docs go to: `AWS::RDS` → `aws-rds.json`. */
export function serviceFileName(namespace) {
  return `${namespace.toLowerCase().replace(/::/g, '-')}.json`;
}

function specVersion() {
  return JSON.parse(readFileSync(require.resolve('@aws-cdk/aws-service-spec/package.json'), 'utf8')).version;
}

function scriptHash() {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
}

/** What the extract was made from: a test compares it with the installed spec and this script. */
export function expectedManifestStamp() {
  return { specVersion: specVersion(), script: scriptHash() };
}

/** Markdown cut at a paragraph (or sentence) boundary, with a mark when something was left out. */
function shorten(text, max) {
  if (!text) return undefined;
  const clean = text.replace(/\r\n/g, '\n').trim();
  if (clean.length <= max) return clean;
  const paragraphs = clean.split(/\n\n+/);
  let kept = '';
  for (const paragraph of paragraphs) {
    if ((kept + '\n\n' + paragraph).length > max) break;
    kept = kept ? `${kept}\n\n${paragraph}` : paragraph;
  }
  if (!kept) {
    const sentences = paragraphs[0].split(/(?<=\.) /);
    for (const sentence of sentences) {
      if ((kept + ' ' + sentence).length > max) break;
      kept = kept ? `${kept} ${sentence}` : sentence;
    }
  }
  return `${kept || clean.slice(0, max)} …`;
}

function resourcePage(type) {
  const [, service, name] = type.split('::');
  if (service === 'Serverless') {
    return `https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-${name.toLowerCase()}.html`;
  }
  return `https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-${service.toLowerCase()}-${name.toLowerCase()}.html`;
}

const primitiveNames = {
  string: 'String',
  number: 'Number',
  integer: 'Integer',
  boolean: 'Boolean',
  json: 'JSON',
  'date-time': 'Timestamp',
  tag: 'Tag',
  null: 'Null',
};

class Extractor {
  constructor(db) {
    this.types = new Map(db.schema.typeDefinition.entities.map((t) => [t.$id, t]));
    this.resources = db.schema.resource.entities;
  }

  typeLabel(type) {
    switch (type.type) {
      case 'array':
        return `List of ${this.typeLabel(type.element)}`;
      case 'map':
        return `Map of ${this.typeLabel(type.element)}`;
      case 'ref':
        return this.types.get(type.reference.$ref)?.name ?? 'Object';
      case 'union':
        return type.types.map((t) => this.typeLabel(t)).join(' or ');
      default:
        return primitiveNames[type.type] ?? type.type;
    }
  }

  /** The type definition a key below this property is looked up in, and whether a map's own keys come first. */
  nested(type) {
    if (type.type === 'ref') return { ref: type.reference.$ref };
    if (type.type === 'array') return this.nested(type.element);
    if (type.type === 'map') {
      const inner = this.nested(type.element);
      return inner ? { ref: inner.ref, map: true } : undefined;
    }
    return undefined;
  }

  allowedValues(type) {
    if (type.allowedValues) return type.allowedValues;
    if (type.type === 'array') return this.allowedValues(type.element);
    return undefined;
  }

  property(spec, sam, reached) {
    const entry = { t: this.typeLabel(spec.type) };
    const doc = shorten(spec.documentation, maxPropertyDoc);
    if (doc) entry.doc = doc;
    if (spec.required) entry.req = 1;
    // SAM's spec marks nearly everything as replacing: it describes the transform, not updates.
    if (!sam && spec.causesReplacement) entry.upd = spec.causesReplacement;
    if (spec.defaultValue !== undefined) entry.def = String(spec.defaultValue).replace(/^"(.*)"$/, '$1');
    const values = this.allowedValues(spec.type);
    if (values) entry.values = values;
    if (spec.deprecated) entry.dep = 1;
    const nested = this.nested(spec.type);
    if (nested) {
      entry.ref = nested.ref;
      if (nested.map) entry.map = 1;
      reached.add(nested.ref);
    }
    return entry;
  }

  properties(properties, sam, reached) {
    const result = {};
    for (const name of Object.keys(properties ?? {}).sort()) {
      result[name] = this.property(properties[name], sam, reached);
    }
    return result;
  }

  /** Every service namespace with its resources and the property types they reach. */
  services() {
    const services = new Map();
    for (const resource of this.resources) {
      const type = resource.cloudFormationType;
      const namespace = type.split('::').slice(0, 2).join('::');
      let service = services.get(namespace);
      if (!service) {
        service = { resources: {}, types: {}, reached: new Set() };
        services.set(namespace, service);
      }
      const sam = type.startsWith('AWS::Serverless::');
      const documentation = sam ? samSummaries[type] : resource.documentation;
      const entry = { doc: shorten(documentation, maxResourceDoc), url: resourcePage(type) };
      entry.properties = this.properties(resource.properties, sam, service.reached);
      const attributes = {};
      for (const name of Object.keys(resource.attributes ?? {}).sort()) {
        const attribute = resource.attributes[name];
        attributes[name] = { t: this.typeLabel(attribute.type) };
        const doc = shorten(attribute.documentation, maxPropertyDoc);
        if (doc) attributes[name].doc = doc;
      }
      if (Object.keys(attributes).length > 0) entry.attributes = attributes;
      if (resource.isStateful) entry.stateful = 1;
      service.resources[type] = entry;
    }
    for (const service of services.values()) {
      const pending = [...service.reached];
      const done = new Set();
      while (pending.length > 0) {
        const id = pending.pop();
        if (done.has(id)) continue;
        done.add(id);
        const definition = this.types.get(id);
        if (!definition) continue;
        const reached = new Set();
        const sam = Object.keys(service.resources).some((t) => t.startsWith('AWS::Serverless::'));
        const entry = {
          name: definition.name,
          properties: this.properties(definition.properties, sam, reached),
        };
        const doc = shorten(definition.documentation, maxPropertyDoc);
        if (doc) entry.doc = doc;
        service.types[id] = entry;
        pending.push(...reached);
      }
      delete service.reached;
    }
    return services;
  }
}

/** Writes dist/cfn-docs/ unless it is current. Returns what it did, for the build log and tests. */
export function writeCfnDocs({ force = false, dir = cfnDocsDir } = {}) {
  const stamp = expectedManifestStamp();
  const manifestPath = join(dir, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.specVersion === stamp.specVersion && manifest.script === stamp.script) {
      return { written: false, manifest };
    }
  }
  const dbPath = join(dirname(require.resolve('@aws-cdk/aws-service-spec/package.json')), 'db.json.gz');
  const db = JSON.parse(gunzipSync(readFileSync(dbPath)).toString('utf8'));
  const services = new Extractor(db).services();

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = {};
  let bytes = 0;
  let resources = 0;
  for (const [namespace, service] of [...services].sort(([a], [b]) => a.localeCompare(b))) {
    const text = JSON.stringify(service);
    files[namespace] = serviceFileName(namespace);
    writeFileSync(join(dir, files[namespace]), text);
    bytes += text.length;
    resources += Object.keys(service.resources).length;
  }
  const manifest = { ...stamp, resources, bytes, files };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  return { written: true, manifest };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { written, manifest } = writeCfnDocs({ force: process.argv.includes('--force') });
  const sizes = readdirSync(cfnDocsDir)
    .filter((f) => f !== 'manifest.json')
    .map((f) => ({ f, size: readFileSync(join(cfnDocsDir, f)).length }))
    .sort((a, b) => b.size - a.size);
  console.log(
    `${written ? 'Wrote' : 'Up to date:'} ${manifest.resources} resource types in ${sizes.length} files, ` +
      `${(manifest.bytes / 1e6).toFixed(1)} MB, largest ${sizes[0].f} ${(sizes[0].size / 1e6).toFixed(2)} MB ` +
      `(${Date.now() - started} ms)`,
  );
}
