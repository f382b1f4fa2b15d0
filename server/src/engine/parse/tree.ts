import type { Span } from '../text';

/**
 * One tree for YAML and JSON documents (templates and compose files), with exact source spans.
 * Short-form CloudFormation tags (`!Ref X`) are represented as their long form (`{Ref: X}`)
 * with `shortForm` set, so rules read both forms the same way.
 */
export type DataNode = MapNode | SeqNode | ScalarNode | AliasNode;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'json';

interface NodeBase {
  span: Span;
  /** A YAML tag that is not a CloudFormation intrinsic (`!Rain::Embed`, `!ValueOf`, …). */
  tag?: string;
}

export interface ScalarNode extends NodeBase {
  type: 'scalar';
  value: string | number | boolean | null;
  style: ScalarStyle;
}

export interface Pair {
  key: ScalarNode;
  value: DataNode;
  /** From the key's first character to the value's last. */
  span: Span;
}

export interface MapNode extends NodeBase {
  type: 'map';
  pairs: Pair[];
  /** `{…}` in YAML, and every JSON object. */
  flow: boolean;
  /** Set for `!Ref X`-style intrinsics: the single pair's key span is the tag. */
  shortForm?: boolean;
}

export interface SeqNode extends NodeBase {
  type: 'seq';
  items: DataNode[];
  flow: boolean;
}

/** A YAML alias. Walkers do not follow it (alias bombs); lookups resolve it once. */
export interface AliasNode extends NodeBase {
  type: 'alias';
  name: string;
  target?: DataNode;
}

export type DocumentFormat = 'yaml' | 'json';

/** The value behind an alias (one level; aliases of aliases are resolved by the parser). */
export function resolved(node: DataNode | undefined): Exclude<DataNode, AliasNode> | undefined {
  if (!node) return undefined;
  if (node.type === 'alias') return node.target && node.target.type !== 'alias' ? node.target : undefined;
  return node;
}

/**
 * The pair for `key` in a map, looking through YAML merge keys (`<<: *defaults`). With
 * duplicate keys the last one wins, as in JSON parsers.
 */
export function getPair(map: DataNode | undefined, key: string): Pair | undefined {
  const m = resolved(map);
  if (!m || m.type !== 'map') return undefined;
  let merges = false;
  for (let i = m.pairs.length - 1; i >= 0; i--) {
    const name = m.pairs[i].key.value;
    if (name === key) return m.pairs[i];
    if (name === '<<') merges = true;
  }
  if (!merges) return undefined;
  for (const pair of m.pairs) {
    if (pair.key.value !== '<<') continue;
    const source = resolved(pair.value);
    const sources = source?.type === 'seq' ? source.items : [pair.value];
    for (const s of sources) {
      const target = resolved(s);
      if (target?.type !== 'map') continue;
      const found = target.pairs.find((p) => p.key.value === key);
      if (found) return found;
    }
  }
  return undefined;
}

export function get(map: DataNode | undefined, key: string): DataNode | undefined {
  return getPair(map, key)?.value;
}

/** Follow a path of keys and indexes: `getPath(resource, 'Properties', 'Tags', 0)`. */
export function getPath(node: DataNode | undefined, ...path: (string | number)[]): DataNode | undefined {
  let current = node;
  for (const step of path) {
    const r = resolved(current);
    if (!r) return undefined;
    if (typeof step === 'number') current = r.type === 'seq' ? r.items[step] : undefined;
    else current = get(r, step);
  }
  return current;
}

export function asMap(node: DataNode | undefined): MapNode | undefined {
  const r = resolved(node);
  return r?.type === 'map' ? r : undefined;
}

export function asSeq(node: DataNode | undefined): SeqNode | undefined {
  const r = resolved(node);
  return r?.type === 'seq' ? r : undefined;
}

export function asScalar(node: DataNode | undefined): ScalarNode | undefined {
  const r = resolved(node);
  return r?.type === 'scalar' ? r : undefined;
}

/** The text of a scalar (numbers and booleans as written in JSON/YAML core schema). */
export function scalarText(node: DataNode | undefined): string | undefined {
  const s = asScalar(node);
  if (!s || s.value === null) return undefined;
  return String(s.value);
}

/** `true`/`false` for boolean scalars and the strings CloudFormation accepts for them. */
export function scalarBoolean(node: DataNode | undefined): boolean | undefined {
  const s = asScalar(node);
  if (!s) return undefined;
  if (typeof s.value === 'boolean') return s.value;
  if (typeof s.value === 'string') {
    const v = s.value.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/** Every node that contains `offset`, outermost first. Does not enter aliases. */
export function nodesAt(root: DataNode, offset: number): { node: DataNode; pair?: Pair }[] {
  const path: { node: DataNode; pair?: Pair }[] = [];
  let current: DataNode | undefined = root;
  let viaPair: Pair | undefined;
  while (current && current.span.start <= offset && offset <= current.span.end) {
    path.push({ node: current, pair: viaPair });
    let next: DataNode | undefined;
    viaPair = undefined;
    if (current.type === 'map') {
      for (const pair of current.pairs) {
        if (pair.key.span.start <= offset && offset <= pair.key.span.end) {
          path.push({ node: pair.key, pair });
          return path;
        }
        if (pair.value.span.start <= offset && offset <= pair.value.span.end) {
          next = pair.value;
          viaPair = pair;
          break;
        }
      }
    } else if (current.type === 'seq') {
      next = current.items.find((item) => item.span.start <= offset && offset <= item.span.end);
    }
    current = next;
  }
  return path;
}
