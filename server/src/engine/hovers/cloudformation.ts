import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lessons } from '../../lessons/catalogue';
import type { ParsedDocument } from '../document';
import type { HoverContext } from './context';
import { buildTemplate, type Resource, type Template } from '../parse/cloudformation';
import {
  asScalar,
  nodesAt,
  scalarBoolean,
  type DataNode,
  type MapNode,
  type Pair,
  type ScalarNode,
} from '../parse/tree';
import { intrinsicTags } from '../parse/yaml';
import type { Finding } from '../analyze';
import type { Rule } from '../rule';

/**
 * Hovers on templates: a resource type's documentation with the resource's lesson checklist,
 * and a property's documentation with the lessons it serves. The documentation comes from the
 * extract that scripts/cfn-docs.mjs writes at build time, one file per service, read on the
 * first hover that needs it.
 */

interface PropertyDoc {
  /** The type as people read it: `Boolean`, `List of Tag`, `VersioningConfiguration`. */
  t: string;
  doc?: string;
  req?: 1;
  /** Whether changing the value replaces the resource: `yes`, `maybe`; absent: updated in place. */
  upd?: 'yes' | 'maybe';
  def?: string;
  values?: string[];
  dep?: 1;
  /** The type definition whose properties the keys below this one are. */
  ref?: string;
  /** A map with names of the author's choosing, whose values are of type `ref`. */
  map?: 1;
}

interface ResourceDoc {
  doc?: string;
  url: string;
  properties: Record<string, PropertyDoc>;
  attributes?: Record<string, { t: string; doc?: string }>;
  stateful?: 1;
}

interface ServiceDocs {
  resources: Record<string, ResourceDoc>;
  types: Record<string, { name: string; doc?: string; properties: Record<string, PropertyDoc> }>;
}

/** dist/cfn-docs beside the bundled server, or in the repository when run from the sources. */
function docsDirectory(): string | undefined {
  for (const candidate of [
    join(__dirname, 'cfn-docs'),
    join(__dirname, '..', '..', '..', '..', 'dist', 'cfn-docs'),
  ]) {
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
  }
  return undefined;
}

let directory: string | null | undefined = null;
/** Services read so far; a few dozen at most stay in memory. */
const services = new Map<string, ServiceDocs | undefined>();
const maxCachedServices = 32;

/** The extracted docs of one namespace (`AWS::RDS`), or undefined when the extract has none. */
export function serviceDocs(namespace: string): ServiceDocs | undefined {
  if (services.has(namespace)) return services.get(namespace);
  if (directory === null) directory = docsDirectory();
  let docs: ServiceDocs | undefined;
  if (directory) {
    const file = join(directory, `${namespace.toLowerCase().replace(/::/g, '-')}.json`);
    try {
      docs = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServiceDocs) : undefined;
    } catch {
      docs = undefined;
    }
  }
  if (services.size >= maxCachedServices) services.delete(services.keys().next().value as string);
  services.set(namespace, docs);
  return docs;
}

/** The documentation of a resource type, and its service's property types. */
export function resourceDocs(type: string): { resource: ResourceDoc; service: ServiceDocs } | undefined {
  const namespace = type.split('::').slice(0, 2).join('::');
  const service = serviceDocs(namespace);
  const resource = service?.resources[type];
  return service && resource ? { resource, service } : undefined;
}

export function cloudFormationHover(
  document: ParsedDocument,
  offset: number,
  context: HoverContext,
): string | undefined {
  if (document.model?.kind !== 'cloudformation') return undefined;
  const template = document.model.template;
  const tag = unknownTagAt(document, template, offset);
  if (tag) return tag;
  const resource = template.resources.find((r) => r.span.start <= offset && offset <= r.span.end);
  if (!resource) return undefined;
  const chain = nodesAt(template.root, offset);
  const at = chain.findIndex((step) => step.node === resource.node);
  if (at < 0 || at + 1 >= chain.length) return undefined;
  const below = chain.slice(at + 1);
  const top = below[0].pair;
  if (!top) return undefined;
  const onKey = (step: { node: DataNode; pair?: Pair }) => step.pair?.key === step.node;
  const topKey = top.key.value;

  if (topKey === 'Type' && below.length <= 2) {
    return typeHover(template, resource, context);
  }
  const last = below[below.length - 1];
  if (!onKey(last) || !last.pair) return undefined;
  if (below.length === 1) {
    const attribute = typeof topKey === 'string' ? resourceAttributes[topKey] : undefined;
    if (!attribute) return undefined;
    return [
      `**${topKey}** · resource attribute${attribute.url ? ` · [documentation](${attribute.url})` : ''}`,
      '',
      attribute.doc,
      ...lessonLines(template, resource, chain, last.pair, context, undefined),
    ].join('\n');
  }
  if (topKey !== 'Properties') return undefined;
  return propertyHover(template, resource, chain, below, last.pair, context);
}

/** The keys of the resource map that are not properties, in our own words. */
const resourceAttributes: Record<string, { doc: string; url?: string }> = {
  DeletionPolicy: {
    doc: 'What CloudFormation does with the resource when it leaves the template or the stack is deleted: `Delete`, `Retain`, `RetainExceptOnCreate`, or `Snapshot` for resources that can be snapshotted. Without it most resources are deleted with their data.',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html',
  },
  UpdateReplacePolicy: {
    doc: 'What happens to the old physical resource when an update replaces it: `Delete`, `Retain` or `Snapshot`. A replacement with the default `Delete` loses the old data.',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html',
  },
  UpdatePolicy: {
    doc: 'How CloudFormation rolls out changes to Auto Scaling groups (rolling or replacing update), ElastiCache replication groups, OpenSearch domains and Lambda aliases (CodeDeploy).',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatepolicy.html',
  },
  CreationPolicy: {
    doc: 'Makes CloudFormation wait for success signals (from `cfn-signal` or the instances themselves) before it counts the resource as created, so a broken boot fails the deployment instead of going live.',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-creationpolicy.html',
  },
  DependsOn: {
    doc: 'Creates this resource only after the named resources, and deletes it before them. References through `Ref` and `Fn::GetAtt` already imply this order.',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html',
  },
  Condition: {
    doc: 'Creates the resource only when the named condition from the `Conditions` section is true.',
  },
  Metadata: {
    doc: 'Structured data attached to the resource. Tools read it: `cfn-init` (`AWS::CloudFormation::Init`), and the suppressions of cfn-lint, cfn_nag, checkov and Cloud Lessons (`cloud-lessons: ignore: [rule-id]`).',
    url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-metadata.html',
  },
};

function typeHover(template: Template, resource: Resource, context: HoverContext): string | undefined {
  const type = resource.type;
  if (!type) return undefined;
  const parts: string[] = [];
  const docs = resourceDocs(type);
  if (docs) {
    parts.push(`**${type}** · [documentation](${docs.resource.url})`, '');
    if (docs.resource.doc) parts.push(docs.resource.doc, '');
  } else if (type.startsWith('AWS::') && !type.startsWith('AWS::Serverless::')) {
    parts.push(
      `**${type}** is not a resource type in the CloudFormation specification this extension ships: check the spelling.`,
      '',
    );
  }
  const checklist = lessonChecklist(template, resource, context);
  if (checklist.length > 0) {
    parts.push('**Lesson checklist for this resource**', '', ...checklist);
  }
  const application = context.application?.(resource);
  if (application) parts.push('', application);
  while (parts[parts.length - 1] === '') parts.pop();
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** The rules that judge a resource type: those that ran, and any that reported. */
function rulesFor(type: string | undefined, context: HoverContext): Rule[] {
  const all = new Map<string, Rule>();
  for (const rule of context.rules) all.set(rule.id, rule);
  for (const finding of context.result.findings) all.set(finding.rule.id, finding.rule);
  return [...all.values()]
    .filter((rule) => !!type && rule.checks.cfn && rule.resourceTypes?.includes(type))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Whether a finding is about this resource: it names the resource, or (for findings about the
 * template as a whole) lies inside it or mentions it (a backup plan that lists the tables).
 */
function concerns(resource: Resource, template: Template, finding: Finding): boolean {
  if (finding.resource !== undefined) return finding.resource === resource.logicalId;
  const { span } = finding;
  if (resource.span.start <= span.start && span.end <= resource.span.end) return true;
  const inside = template.resources.some((r) => r.span.start <= span.start && span.end <= r.span.end);
  return !inside && new RegExp(`\\b${escapeRegExp(resource.logicalId)}\\b`).test(finding.message);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function ruleLink(rule: Rule, context: HoverContext): string {
  const url = context.pageUrl(rule.id);
  return url ? `[\`${rule.id}\`](${url})` : `\`${rule.id}\``;
}

function lessonChecklist(template: Template, resource: Resource, context: HoverContext): string[] {
  // Rules read no property of a resource whose Properties an Fn::If chooses: "passes" would mislead.
  if (resource.conditionalProperties && rulesFor(resource.type, context).length > 0)
    return [
      '- ○ Not judged: its `Properties` are chosen by an intrinsic function (`Fn::If`) when the stack deploys, so the rules cannot read them.',
    ];
  const lines: string[] = [];
  for (const rule of rulesFor(resource.type, context)) {
    const lesson = lessons[rule.lesson].title;
    const broken = context.result.findings.filter(
      (f) => f.ruleId === rule.id && concerns(resource, template, f),
    );
    if (broken.length > 0) {
      const first = broken[0];
      const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : '';
      lines.push(
        `- ✗ **${lesson}** — line ${first.range.start.line + 1}: ${first.message}${more} (${ruleLink(rule, context)})`,
      );
      continue;
    }
    // Nothing reported: either the resource meets the rule, or a suppression hides a finding.
    if (context.result.suppressed.some((f) => f.ruleId === rule.id && concerns(resource, template, f))) {
      lines.push(`- ○ **${lesson}** — suppressed here: *${rule.title}* (${ruleLink(rule, context)})`);
      continue;
    }
    lines.push(`- ✓ **${lesson}** — passes ${ruleLink(rule, context)}: *${rule.title}*`);
  }
  return lines;
}

/** Where the hovered key sits in the service's property types, following nested keys. */
function propertyDoc(
  docs: { resource: ResourceDoc; service: ServiceDocs },
  names: string[],
): { doc: PropertyDoc; owner: string } | undefined {
  let properties: Record<string, PropertyDoc> | undefined = docs.resource.properties;
  let owner = '';
  let skipName = false;
  let found: PropertyDoc | undefined;
  for (let i = 0; i < names.length; i++) {
    if (skipName) {
      skipName = false;
      if (i === names.length - 1) return undefined; // a name the author chose (SAM event, map key)
      continue;
    }
    found = properties?.[names[i]];
    if (!found) return undefined;
    if (i < names.length - 1) {
      if (/^(List of )?Tag$/.test(found.t)) {
        properties = tagProperties;
        owner = 'Tag';
        continue;
      }
      if (!found.ref) return undefined;
      const definition: ServiceDocs['types'][string] | undefined = docs.service.types[found.ref];
      owner = definition?.name ?? '';
      properties = definition?.properties;
      skipName = !!found.map;
    }
  }
  return found ? { doc: found, owner } : undefined;
}

/** The spec's `tag` type has no definition of its own: resource tags are key/value pairs. */
const tagProperties: Record<string, PropertyDoc> = {
  Key: {
    t: 'String',
    req: 1,
    doc: 'The tag name, up to 128 characters; names starting with `aws:` are reserved.',
  },
  Value: { t: 'String', req: 1, doc: 'The tag value, up to 256 characters.' },
};

const updateWords = {
  yes: 'changing it replaces the resource',
  maybe: 'changing it may replace the resource',
};

function propertyHover(
  template: Template,
  resource: Resource,
  chain: { node: DataNode; pair?: Pair }[],
  below: { node: DataNode; pair?: Pair }[],
  pair: Pair,
  context: HoverContext,
): string | undefined {
  // The property names from Properties down to the hovered key; lists and `Fn::If` branches are transparent.
  const names = below
    .slice(1)
    .filter((step) => step.pair && step.pair.key !== step.node)
    .map((step) => String(step.pair!.key.value))
    .filter((name) => !name.startsWith('Fn::'));
  names.push(String(pair.key.value));
  const docs = resource.type ? resourceDocs(resource.type) : undefined;
  const found = docs && propertyDoc(docs, names);
  const parts: string[] = [];
  if (found) {
    const { doc } = found;
    const facts = [doc.t, doc.req ? 'required' : 'optional'];
    if (doc.upd) facts.push(updateWords[doc.upd]);
    else if (!resource.type?.startsWith('AWS::Serverless::')) facts.push('updated in place');
    if (doc.dep) facts.push('deprecated');
    const where = found.owner ? `${found.owner} in ${resource.type}` : resource.type;
    parts.push(
      `**${names[names.length - 1]}** · ${facts.join(' · ')}`,
      `*${where}* · [documentation](${docs.resource.url})`,
    );
    if (doc.doc) parts.push('', doc.doc);
    const extras: string[] = [];
    if (doc.def !== undefined) extras.push(`Default: \`${doc.def}\``);
    if (doc.values) extras.push(`Allowed values: ${doc.values.map((v) => `\`${v}\``).join(', ')}`);
    if (extras.length > 0) parts.push('', extras.join(' · '));
  }
  const lessonsHere = lessonLines(template, resource, chain, pair, context, found?.doc.values);
  if (parts.length === 0 && lessonsHere.length === 0) return undefined;
  if (parts.length === 0) parts.push(`**${names[names.length - 1]}** · ${resource.type ?? 'resource'}`);
  parts.push(...lessonsHere);
  return parts.join('\n');
}

/**
 * The lessons a key serves, derived from the rules themselves: a rule that reports inside the
 * pair breaks its lesson here; a rule that would report if the pair were left out or took
 * another value (the other boolean, zero, another allowed value) is what the pair satisfies.
 */
function lessonLines(
  template: Template,
  resource: Resource,
  chain: { node: DataNode; pair?: Pair }[],
  pair: Pair,
  context: HoverContext,
  allowedValues: string[] | undefined,
): string[] {
  const rules = rulesFor(resource.type, context);
  if (rules.length === 0) return [];
  const lines: string[] = [];
  const index = chain.findIndex((step) => step.node.type === 'map' && step.node.pairs.includes(pair));
  if (index < 0) return [];
  const pathToContainer = chain.slice(0, index + 1).map((step) => step.node);
  const variants = mutations(pair, allowedValues);
  for (const rule of rules) {
    const lesson = lessons[rule.lesson].title;
    const here = context.result.findings.filter(
      (f) => f.ruleId === rule.id && pair.span.start <= f.span.start && f.span.end <= pair.span.end,
    );
    if (here.length > 0) {
      lines.push(`- ✗ breaks **${lesson}** · ${ruleLink(rule, context)}: ${here[0].message}`);
      continue;
    }
    const baseline = context.probe(rule, template)?.length;
    if (baseline === undefined) continue;
    const trigger = variants.find((variant) => {
      const mutated = buildMutated(template, pathToContainer, pair, variant.value);
      const count = mutated ? context.probe(rule, mutated)?.length : undefined;
      return count !== undefined && count > baseline;
    });
    if (trigger) {
      lines.push(`- ✓ serves **${lesson}** · ${ruleLink(rule, context)}: ${trigger.words} would be flagged`);
    }
  }
  return lines.length > 0 ? ['', '**Lessons**', '', ...lines] : [];
}

interface Variant {
  /** The new value, or undefined to leave the pair out. */
  value: DataNode | undefined;
  words: string;
}

function mutations(pair: Pair, allowedValues: string[] | undefined): Variant[] {
  const variants: Variant[] = [{ value: undefined, words: 'leaving it out' }];
  const scalar = asScalar(pair.value);
  if (!scalar) return variants;
  const key = String(pair.key.value);
  const withValue = (value: ScalarNode['value']): Variant => ({
    value: { ...scalar, value },
    words: `\`${key}: ${String(value)}\``,
  });
  const flag = scalarBoolean(scalar);
  if (flag !== undefined) variants.push(withValue(typeof scalar.value === 'string' ? String(!flag) : !flag));
  else if (typeof scalar.value === 'number' || /^\d+$/.test(String(scalar.value))) {
    if (Number(scalar.value) !== 0) variants.push(withValue(typeof scalar.value === 'number' ? 0 : '0'));
  }
  for (const value of (allowedValues ?? []).slice(0, 12)) {
    if (value !== scalar.value) variants.push(withValue(value));
  }
  return variants;
}

/** The template with one pair left out or given another value: the same nodes elsewhere, so the same spans. */
function buildMutated(
  template: Template,
  path: DataNode[],
  pair: Pair,
  value: DataNode | undefined,
): Template | undefined {
  const container = path[path.length - 1] as MapNode;
  let replacement: DataNode = {
    ...container,
    pairs: value
      ? container.pairs.map((p) => (p === pair ? { ...p, value } : p))
      : container.pairs.filter((p) => p !== pair),
  };
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = path[i];
    const child = path[i + 1];
    const next: DataNode = replacement;
    if (parent.type === 'map') {
      replacement = {
        ...parent,
        pairs: parent.pairs.map((p) => (p.value === child ? { ...p, value: next } : p)),
      };
    } else if (parent.type === 'seq') {
      replacement = { ...parent, items: parent.items.map((item) => (item === child ? next : item)) };
    } else {
      return undefined;
    }
  }
  return buildTemplate(replacement, template.format);
}

/** A YAML tag that CloudFormation does not know (`!Rain::Embed`), under the cursor. */
function unknownTagAt(document: ParsedDocument, template: Template, offset: number): string | undefined {
  if (template.format !== 'yaml') return undefined;
  const { text } = document;
  let start = offset;
  while (start > 0 && /[\w:.!-]/.test(text[start - 1]) && text[start] !== '!') start--;
  if (text[start] !== '!') return undefined;
  const match = /^![\w:.-]+/.exec(text.slice(start, start + 200));
  if (!match || offset > start + match[0].length) return undefined;
  const tag = match[0];
  if (intrinsicTags[tag] || !hasTag(template.root, tag)) return undefined;
  const rain = tag.startsWith('!Rain::')
    ? ' Rain expands `!Rain::…` tags when it packages or deploys the template (`rain pkg`, `rain deploy`).'
    : '';
  return [
    `**${tag}** is not a CloudFormation function: a tool has to replace it before CloudFormation reads the template.${rain}`,
    '',
    'Rules treat the tagged value as unknown and do not judge it.',
  ].join('\n');
}

function hasTag(node: DataNode, tag: string, depth = 0): boolean {
  if (node.tag === tag) return true;
  if (depth > 200) return false;
  if (node.type === 'map') return node.pairs.some((p) => hasTag(p.value, tag, depth + 1));
  if (node.type === 'seq') return node.items.some((item) => hasTag(item, tag, depth + 1));
  return false;
}
