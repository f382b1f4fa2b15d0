import { Alias, Document, isAlias, isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import type { ScalarTag, CollectionTag } from 'yaml';
import type { DataNode, MapNode, Pair, ScalarNode, ScalarStyle } from './tree';
import { problemFromException, type ParseProblem } from './problems';
import { parseYamlFast } from './yaml-fast';

/** CloudFormation's short-form tags and the long-form key each stands for. */
export const intrinsicTags: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
};
for (const name of [
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
]) {
  intrinsicTags[`!${name}`] = `Fn::${name}`;
}

const keepAsIs = <T>(value: T) => value;
const customTags: (ScalarTag | CollectionTag)[] = Object.keys(intrinsicTags).flatMap((tag) => [
  { tag, resolve: keepAsIs } as ScalarTag,
  { tag, collection: 'seq', resolve: keepAsIs } as unknown as CollectionTag,
  { tag, collection: 'map', resolve: keepAsIs } as unknown as CollectionTag,
]);

export interface YamlParseResult {
  root: DataNode | undefined;
  problems: ParseProblem[];
}

const styleOf: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded',
};

/**
 * Parse YAML into the shared tree. Most templates take the hand-written fast path, which gives
 * exactly the reference tree or declines; everything else goes through the `yaml` package.
 */
export function parseYaml(text: string): YamlParseResult {
  // YAML counts a lone carriage return as a line break, the `yaml` package does not: the same
  // text with `\n` in its place has the same offsets, so spans still point into the original.
  const lines = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const fast = parseYamlFast(lines, intrinsicTags);
  if (fast) return fast;
  // The `yaml` package recurses once per level: refused before it can exhaust the stack, where
  // V8 may abort the whole process instead of throwing (a regular expression compiled there).
  const deep = nestedDeeperThan(lines, maxDepth);
  if (deep !== undefined)
    return {
      root: undefined,
      problems: [
        {
          message: `The document is nested more than ${maxDepth} levels deep: it was not analysed.`,
          span: { start: deep, end: Math.min(lines.length, deep + 1) },
          severity: 'error',
          fatal: true,
        },
      ],
    };
  return parseYamlReference(lines);
}

/**
 * Where the nesting of a YAML text first goes deeper than `limit`, or undefined. Flow brackets
 * outside quotes and comments count, and so do block levels (an indentation stack per line, plus
 * compact `- ` and `? ` indicators): a bound from above, linear in the text.
 */
export function nestedDeeperThan(text: string, limit: number): number | undefined {
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      let indent = 0;
      while (text.charCodeAt(i + indent) === 32) indent++;
      const next = text.charCodeAt(i + indent);
      if (flow === 0 && next !== 10 && next !== 35 && i + indent < text.length) {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        let compact = 0;
        for (let j = i + indent; (text[j] === '-' || text[j] === '?') && text[j + 1] === ' '; j += 2) {
          while (text.charCodeAt(j + 2) === 32) j++;
          compact++;
        }
        if (indents.length + compact > limit) return i;
      }
      i += indent;
      c = text.charCodeAt(i);
    }
    if (c === 10) lineStart = true;
    else if (c === 35 && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if (c === 34 || c === 39) {
      // A quoted scalar: skip to its end ("…" with backslash escapes, '…' with '' escapes).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (c === 34 && d === 92) i++;
        else if (d === c) {
          if (c === 39 && text.charCodeAt(i + 1) === 39) i++;
          else break;
        }
      }
    } else if (c === 91 || c === 123) {
      if (++flow > limit) return i;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return undefined;
}

/**
 * The reference path: the `yaml` package and a converter to the shared tree. Aliases stay
 * references to their anchor, never expanded (alias bombs).
 */
export function parseYamlReference(text: string): YamlParseResult {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      customTags,
      uniqueKeys: false,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (error) {
    return { root: undefined, problems: [problemFromException(error, text.length)] };
  }
  const problems: ParseProblem[] = doc.errors.map((e) => ({
    message: yamlMessage(e.message),
    span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) },
    severity: 'error' as const,
    fatal: true,
  }));
  if (problems.length > 0 || !doc.contents) return { root: undefined, problems };
  try {
    const converter = new Converter(text, problems);
    return { root: converter.convert(doc.contents as Node, 0), problems };
  } catch (error) {
    return { root: undefined, problems: [problemFromException(error, text.length)] };
  }
}

function yamlMessage(message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/call stack/i.test(first)) return 'The document is nested too deeply to analyse.';
  return `YAML syntax error: ${first}`;
}

const maxDepth = 500;

class Converter {
  /** The latest node converted under each anchor name, as YAML resolves aliases. */
  private readonly anchors = new Map<string, DataNode>();

  constructor(
    private readonly text: string,
    private readonly problems: ParseProblem[],
  ) {}

  convert(node: Node, depth: number): DataNode {
    if (depth > maxDepth) throw new RangeError('Maximum call stack size exceeded');
    const result = this.convertNode(node, depth);
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, result);
    return result;
  }

  private convertNode(node: Node, depth: number): DataNode {
    const [start, valueEnd] = node.range ?? [0, 0];
    if (isAlias(node)) return this.alias(node as Alias, start, valueEnd);

    let result: DataNode;
    if (isMap(node)) {
      const pairs: Pair[] = [];
      const seen = new Set<unknown>();
      for (const item of node.items) {
        const key = item.key as Node | null;
        if (!key || !isScalar(key) || !key.range) continue; // complex keys say nothing a rule reads
        const keyNode = this.scalar(key);
        if (seen.has(keyNode.value) && keyNode.value !== '<<') {
          this.problems.push({
            message: `Duplicate key "${keyNode.value}": most tools keep only one of them.`,
            span: keyNode.span,
            severity: 'warning',
            fatal: false,
          });
        }
        seen.add(keyNode.value);
        const value = item.value
          ? this.convert(item.value as Node, depth + 1)
          : this.emptyValue(keyNode.span.end);
        pairs.push({ key: keyNode, value, span: { start: keyNode.span.start, end: value.span.end } });
      }
      const end = node.flow ? valueEnd : Math.max(start, ...pairs.map((p) => p.span.end));
      result = { type: 'map', pairs, flow: !!node.flow, span: { start, end } };
    } else if (isSeq(node)) {
      const items = node.items.map((item) => this.convert(item as Node, depth + 1));
      const end = node.flow ? valueEnd : Math.max(start, ...items.map((i) => i.span.end));
      result = { type: 'seq', items, flow: !!node.flow, span: { start, end } };
    } else if (isScalar(node)) {
      result = this.scalar(node);
    } else {
      result = { type: 'scalar', value: null, style: 'plain', span: { start, end: valueEnd } };
    }

    const tag = node.tag;
    if (tag && tag.startsWith('!')) {
      const longKey = intrinsicTags[tag];
      const tagStart = this.tagStart(tag, start);
      if (longKey) {
        const key: ScalarNode = {
          type: 'scalar',
          value: longKey,
          style: 'plain',
          span: { start: tagStart, end: tagStart + tag.length },
        };
        const span = { start: tagStart, end: result.span.end };
        const intrinsic: MapNode = { type: 'map', pairs: [{ key, value: result, span }], flow: true, span };
        intrinsic.shortForm = true;
        return intrinsic;
      }
      result.tag = tag;
    }
    return result;
  }

  private scalar(node: Scalar): ScalarNode {
    const [start, end] = node.range ?? [0, 0];
    const raw = node.value;
    let value: ScalarNode['value'];
    if (raw === null || raw === undefined) value = null;
    else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') value = raw;
    else if (typeof raw === 'bigint') value = Number(raw);
    else value = this.text.slice(start, end);
    return { type: 'scalar', value, style: styleOf[node.type ?? 'PLAIN'] ?? 'plain', span: { start, end } };
  }

  private emptyValue(at: number): ScalarNode {
    return { type: 'scalar', value: null, style: 'plain', span: { start: at, end: at } };
  }

  private alias(node: Alias, start: number, end: number): DataNode {
    // An alias names an anchor defined earlier in the document, so its target is already converted.
    const target = this.anchors.get(node.source);
    if (!target) {
      this.problems.push({
        message: `The alias *${node.source} refers to no anchor defined before it.`,
        span: { start, end },
        severity: 'warning',
        fatal: false,
      });
    }
    return { type: 'alias', name: node.source, target, span: { start, end } };
  }

  /** Tags are not inside a node's range: find `!Tag` just before the value. */
  private tagStart(tag: string, valueStart: number): number {
    let i = valueStart;
    while (i > 0 && /\s/.test(this.text[i - 1])) i--;
    return this.text.slice(i - tag.length, i) === tag ? i - tag.length : valueStart;
  }
}
