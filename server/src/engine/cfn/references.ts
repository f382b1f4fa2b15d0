import { intrinsic, type Resource, type Template } from '../parse/cloudformation';
import { checkBudget } from '../budget';
import { asMap, asScalar, asSeq, resolved, scalarText, type DataNode } from '../parse/tree';

/**
 * How resources point at each other: `Ref`, `Fn::GetAtt` and the `${…}` names inside `Fn::Sub`,
 * in short and long form.
 */

/** Visit every node under `node` (not through aliases, which would let alias bombs in). */
export function walk(node: DataNode | undefined, visit: (node: DataNode) => void, depth = 0): void {
  if (!node || node.type === 'alias' || depth > 200) return;
  checkBudget();
  visit(node);
  if (node.type === 'map') for (const pair of node.pairs) walk(pair.value, visit, depth + 1);
  else if (node.type === 'seq') for (const item of node.items) walk(item, visit, depth + 1);
}

/** The names a `Fn::Sub` string interpolates (`${Bucket}`, `${Bucket.Arn}` → `Bucket`), not `${!…}`. */
export function subNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) names.push(match[1].split('.')[0].trim());
  return names;
}

/** The logical id a node stands for when it is exactly `Ref X`, `GetAtt X.Attr` or `Sub '${X…}'`. */
export function referenceTarget(node: DataNode | undefined): string | undefined {
  const fn = intrinsic(node);
  if (!fn) return undefined;
  if (fn.name === 'Ref') return scalarText(fn.argument);
  if (fn.name === 'Fn::GetAtt') {
    const items = asSeq(fn.argument)?.items;
    if (items) return scalarText(items[0]);
    return scalarText(fn.argument)?.split('.')[0];
  }
  if (fn.name === 'Fn::Sub') {
    const text = scalarText(fn.argument) ?? scalarText(asSeq(fn.argument)?.items[0]);
    const match = text && /^\$\{([^}!.]+)(\.[^}]*)?\}$/.exec(text.trim());
    return match ? match[1] : undefined;
  }
  return undefined;
}

/** Every logical id or parameter name that `node` mentions through Ref, GetAtt or Sub. */
export function referencedNames(node: DataNode | undefined): Set<string> {
  const names = new Set<string>();
  walk(node, (n) => {
    const fn = intrinsic(n);
    if (!fn) return;
    if (fn.name === 'Ref' || fn.name === 'Fn::GetAtt') {
      const target = referenceTarget(n);
      if (target) names.add(target);
    } else if (fn.name === 'Fn::Sub') {
      const args = asSeq(fn.argument)?.items;
      const text = scalarText(args ? args[0] : fn.argument);
      const local = new Set((asMap(args?.[1])?.pairs ?? []).map((p) => String(p.key.value)));
      for (const name of subNames(text ?? '')) if (!local.has(name)) names.add(name);
    }
  });
  return names;
}

/** Whether `node` mentions the resource or parameter `name` anywhere inside it. */
export function mentions(node: DataNode | undefined, name: string): boolean {
  return referencedNames(node).has(name);
}

/** For each template, what each resource mentions and who mentions each name: read in one walk. */
interface MentionIndex {
  byName: Map<string, Resource[]>;
  byResource: Map<Resource, ReadonlySet<string>>;
}

const mentionsByTemplate = new WeakMap<Template, MentionIndex>();

function mentionIndex(template: Template): MentionIndex {
  let index = mentionsByTemplate.get(template);
  if (!index) {
    index = { byName: new Map(), byResource: new Map() };
    for (const resource of template.resources) {
      const names = referencedNames(resource.node);
      index.byResource.set(resource, names);
      for (const mentioned of names) {
        const list = index.byName.get(mentioned);
        if (list) list.push(resource);
        else index.byName.set(mentioned, [resource]);
      }
    }
    mentionsByTemplate.set(template, index);
  }
  return index;
}

/**
 * The other resources whose definition mentions `name` (for "is this bucket's policy in the
 * template?", "what uses this security group?").
 */
export function resourcesMentioning(template: Template, name: string): readonly Resource[] {
  const found = mentionIndex(template).byName.get(name) ?? [];
  return found.some((r) => r.logicalId === name) ? found.filter((r) => r.logicalId !== name) : found;
}

/** Every logical id or parameter name that a resource's definition mentions (read once per template). */
export function namesMentionedBy(template: Template, resource: Resource): ReadonlySet<string> {
  return mentionIndex(template).byResource.get(resource) ?? referencedNames(resource.node);
}

/**
 * The attributes of `name` that the template reads (`Fn::GetAtt Db.Endpoint.Address`,
 * `\${Db.Endpoint.Port}` in a `Fn::Sub`), in other resources and in the outputs it exports.
 */
export function attributesRead(template: Template, name: string): Set<string> {
  const read = new Set<string>();
  const visit = (n: DataNode) => {
    const fn = intrinsic(n);
    if (fn?.name === 'Fn::GetAtt') {
      const items = asSeq(fn.argument)?.items;
      const parts = items
        ? items.map((i) => scalarText(i) ?? '')
        : (scalarText(fn.argument) ?? '').split('.');
      if (parts[0] === name && parts.length > 1) read.add(parts.slice(1).join('.'));
    } else if (fn?.name === 'Fn::Sub') {
      const text = scalarText(asSeq(fn.argument)?.items[0] ?? fn.argument) ?? '';
      for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
        const [target, ...attribute] = match[1].trim().split('.');
        if (target === name && attribute.length > 0) read.add(attribute.join('.'));
      }
    }
  };
  for (const resource of resourcesMentioning(template, name)) walk(resource.node, visit);
  // Outputs that other stacks import; one shown to whoever deployed the stack is read by no program.
  const outputs = asMap(asMap(template.root)?.pairs.find((p) => p.key.value === 'Outputs')?.value);
  for (const output of outputs?.pairs ?? []) {
    const value = asMap(output.value);
    if (value?.pairs.some((p) => p.key.value === 'Export')) walk(value, visit);
  }
  return read;
}

/** A plain string, or the literal text of a one-piece `Fn::Sub` without variables. */
export function literalText(node: DataNode | undefined): string | undefined {
  const scalar = asScalar(node);
  if (scalar) return typeof scalar.value === 'string' ? scalar.value : undefined;
  return undefined;
}

/** Every string scalar under `node`, with the intrinsic it sits in stripped away (for text searches). */
export function stringsIn(node: DataNode | undefined): string[] {
  const strings: string[] = [];
  walk(node, (n) => {
    const r = resolved(n);
    if (r?.type === 'scalar' && typeof r.value === 'string') strings.push(r.value);
  });
  return strings;
}
