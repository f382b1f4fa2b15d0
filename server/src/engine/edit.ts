import { intrinsicTags } from './parse/yaml';
import type { DataNode, DocumentFormat, MapNode, Pair, ScalarNode, SeqNode } from './parse/tree';
import { asMap, getPair } from './parse/tree';
import type { TextEdit } from './text';
import type { LineIndex } from './text';

/**
 * Edits of YAML and JSON documents that keep the user's formatting: they touch the smallest
 * span, reuse the document's indentation, quoting and line breaks, and work in YAML block and
 * flow style and in JSON. Values are plain data; a one-key map whose key is an intrinsic
 * (`{Ref: 'X'}`, `{'Fn::Sub': '…'}`) is written in short form (`!Ref X`) in YAML.
 */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export interface EditTarget {
  text: string;
  lines: LineIndex;
  format: DocumentFormat;
}

const shortTagOf = new Map(Object.entries(intrinsicTags).map(([tag, key]) => [key, tag]));

/** The document's indentation step: the smallest indent of a nested key, 2 when unknown. */
export function indentUnit(target: EditTarget): string {
  const m = /\n( +|\t)["\w]/.exec(target.text);
  if (!m) return '  ';
  if (m[1] === '\t') return '\t';
  return ' '.repeat(Math.min(m[1].length, 4));
}

/** Replace a scalar's value, keeping its quoting (a quoted "true" stays a quoted string). */
export function replaceScalar(
  target: EditTarget,
  node: ScalarNode,
  value: string | number | boolean,
): TextEdit {
  let text: string;
  if (target.format === 'json') {
    text = typeof node.value === 'string' ? JSON.stringify(String(value)) : JSON.stringify(value);
  } else if (node.style === 'single') {
    text = `'${String(value).replace(/'/g, "''")}'`;
  } else if (node.style === 'double') {
    text = JSON.stringify(String(value));
  } else {
    text = typeof value === 'string' ? yamlScalar(value) : String(value);
  }
  return { start: node.span.start, end: node.span.end, text };
}

/** Replace any value node (scalar or collection) with a new value, written in place. */
export function replaceValue(target: EditTarget, node: DataNode, value: PlainValue): TextEdit {
  if (
    node.type === 'scalar' &&
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
  ) {
    return replaceScalar(target, node, value);
  }
  const text =
    target.format === 'json'
      ? jsonValue(value, target.lines.indentAt(node.span.start), indentUnit(target), target.lines.eol)
      : yamlFlow(value);
  return { start: node.span.start, end: node.span.end, text };
}

/**
 * Set `path` under `map` to `value`: replaces the value when the whole path exists, otherwise
 * inserts the missing part (`['Properties', 'MultiAZ']` creates `Properties:` when needed).
 */
export function setPath(target: EditTarget, map: MapNode, path: string[], value: PlainValue): TextEdit {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    const pair = getPair(current, path[i]);
    if (!pair) {
      let nested: PlainValue = value;
      for (let j = path.length - 1; j > i; j--) nested = { [path[j]]: nested };
      return insertPair(target, current, path[i], nested);
    }
    if (i === path.length - 1) return replaceValue(target, pair.value, value);
    const next = asMap(pair.value);
    if (!next) {
      let nested: PlainValue = value;
      for (let j = path.length - 1; j > i; j--) nested = { [path[j]]: nested };
      return current.flow ? replaceValue(target, pair.value, nested) : replacePairValue(target, pair, nested);
    }
    current = next;
  }
  throw new Error('setPath needs a non-empty path');
}

/**
 * Replace a pair's value; a block-style value goes on the lines below the key. The pair must
 * belong to a block map in YAML (in a flow map, use `replaceValue`).
 */
export function replacePairValue(target: EditTarget, pair: Pair, value: PlainValue): TextEdit {
  if (target.format === 'json' || !isCollection(value) || isIntrinsic(value)) {
    return replaceValue(target, pair.value, value);
  }
  const keyIndent = ' '.repeat(columnOf(target, pair.key.span.start));
  const body = yamlBlockBody(value, keyIndent + indentUnit(target), indentUnit(target), target.lines.eol);
  return { start: pair.key.span.end + 1, end: pair.value.span.end, text: body };
}

/** Insert `key: value` as the last entry of `map`. */
export function insertPair(target: EditTarget, map: MapNode, key: string, value: PlainValue): TextEdit {
  const { text, lines } = target;
  const eol = lines.eol;
  const unit = indentUnit(target);
  const last = map.pairs[map.pairs.length - 1];

  if (target.format === 'json' || map.flow) {
    const json = target.format === 'json';
    const keyText = json ? JSON.stringify(key) : yamlKey(key);
    const closing = map.span.end - 1; // the `}`
    if (!last) {
      const indent = lines.indentAt(map.span.start);
      const valueText = json ? jsonValue(value, indent + unit, unit, eol) : yamlFlow(value, true);
      const inner = json
        ? `${eol}${indent}${unit}${keyText}: ${valueText}${eol}${indent}`
        : `${keyText}: ${valueText}`;
      return { start: map.span.start + 1, end: closing, text: inner };
    }
    const multiline = lines.lineOf(last.key.span.start) !== lines.lineOf(map.span.start);
    const indent = multiline ? lines.indentAt(last.key.span.start) : '';
    // In a one-line JSON object, a nested value's lines line up with the line the object is on.
    const valueIndent = multiline ? indent : lines.indentAt(map.span.start);
    const valueText = json ? jsonValue(value, valueIndent, unit, eol) : yamlFlow(value, true);
    const separator = multiline ? `,${eol}${indent}` : ', ';
    return { start: last.span.end, end: last.span.end, text: `${separator}${keyText}: ${valueText}` };
  }

  // Block YAML: a new line after the last entry (after any comment on its line), at its indent.
  const indent = ' '.repeat(columnOf(target, (last ?? map.pairs[0])?.key.span.start ?? map.span.start));
  const entry = yamlBlockEntry(key, value, indent, unit, eol);
  const endsWithBreak = last && text[last.span.end - 1] === '\n';
  if (endsWithBreak) return { start: last.span.end, end: last.span.end, text: entry + eol };
  const lineEnd = lines.lineEnd(lines.lineOf(last ? last.span.end : map.span.end));
  return { start: lineEnd, end: lineEnd, text: eol + entry };
}

/**
 * Insert `key: value` just before `before`, an entry of `map` (a new template section above
 * `Resources:`). In block YAML the entry goes above the comments that lead into `before`.
 */
export function insertPairBefore(
  target: EditTarget,
  map: MapNode,
  before: Pair,
  key: string,
  value: PlainValue,
): TextEdit {
  const { lines } = target;
  const eol = lines.eol;
  const unit = indentUnit(target);
  if (target.format === 'json' || map.flow) {
    const json = target.format === 'json';
    const keyText = json ? JSON.stringify(key) : yamlKey(key);
    const multiline = lines.lineOf(before.key.span.start) !== lines.lineOf(map.span.start);
    const indent = multiline ? lines.indentAt(before.key.span.start) : '';
    const valueText = json ? jsonValue(value, indent, unit, eol) : yamlFlow(value, true);
    const separator = multiline ? `,${eol}${indent}` : ', ';
    return { start: before.span.start, end: before.span.start, text: `${keyText}: ${valueText}${separator}` };
  }
  const keyLine = lines.lineOf(before.key.span.start);
  const column = columnOf(target, before.key.span.start);
  let line = keyLine;
  while (line > 0 && /^\s*#/.test(lines.lineText(line - 1))) line--;
  const entry = yamlBlockEntry(key, value, ' '.repeat(column), unit, eol);
  const blankAbove = line > 0 && lines.lineText(line - 1).trim() === '';
  return {
    start: lines.lineStart(line),
    end: lines.lineStart(line),
    text: entry + eol + (blankAbove ? eol : ''),
  };
}

/** Append `value` as the last item of a sequence, in its style (block, flow or JSON). */
export function appendItem(target: EditTarget, seq: SeqNode, value: PlainValue): TextEdit {
  const { text, lines } = target;
  const eol = lines.eol;
  const unit = indentUnit(target);
  const last = seq.items[seq.items.length - 1];
  if (target.format === 'json' || seq.flow) {
    const json = target.format === 'json';
    if (!last) {
      const indent = lines.indentAt(seq.span.start);
      const valueText = json ? jsonValue(value, indent + unit, unit, eol) : yamlFlow(value, true);
      const inner =
        json && isCollection(value) ? `${eol}${indent}${unit}${valueText}${eol}${indent}` : valueText;
      return { start: seq.span.start + 1, end: seq.span.end - 1, text: inner };
    }
    const multiline = lines.lineOf(last.span.start) !== lines.lineOf(seq.span.start);
    const indent = multiline ? lines.indentAt(last.span.start) : '';
    const valueText = json ? jsonValue(value, indent, unit, eol) : yamlFlow(value, true);
    const separator = multiline ? `,${eol}${indent}` : ', ';
    return { start: last.span.end, end: last.span.end, text: `${separator}${valueText}` };
  }
  // Block YAML: the dash of the last item gives the column of the new one.
  let dash = last.span.start - 1;
  while (dash > 0 && text[dash] !== '-') dash--;
  const indent = ' '.repeat(columnOf(target, dash));
  const body = yamlBlockBody([value], indent, unit, eol);
  const endsWithBreak = text[last.span.end - 1] === '\n';
  if (endsWithBreak) return { start: last.span.end, end: last.span.end, text: body.slice(eol.length) + eol };
  const lineEnd = lines.lineEnd(lines.lineOf(last.span.end));
  return { start: lineEnd, end: lineEnd, text: body };
}

/** Remove a pair with its line (block YAML) or its comma (JSON and flow YAML). */
export function removePair(target: EditTarget, map: MapNode, pair: Pair): TextEdit {
  const { text, lines } = target;
  if (target.format === 'json' || map.flow) {
    const index = map.pairs.indexOf(pair);
    const next = map.pairs[index + 1];
    const previous = map.pairs[index - 1];
    if (next) return { start: pair.span.start, end: next.span.start, text: '' };
    if (previous) return { start: previous.span.end, end: pair.span.end, text: '' };
    return { start: map.span.start + 1, end: map.span.end - 1, text: '' };
  }
  const firstLine = lines.lineOf(pair.span.start);
  const endOffset = text[pair.span.end - 1] === '\n' ? pair.span.end - 1 : pair.span.end;
  const lastLine = lines.lineOf(endOffset);
  const start = lines.lineStart(firstLine);
  const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : text.length;
  return { start, end, text: '' };
}

/**
 * Remove several pairs of one map in a single fix. In JSON and flow YAML, removing the last pairs
 * one by one would make overlapping edits (each takes the comma before it), so the trailing run
 * of removed pairs goes as one edit.
 */
export function removePairs(target: EditTarget, map: MapNode, pairs: Pair[]): TextEdit[] {
  const removed = new Set(pairs);
  if (target.format !== 'json' && !map.flow) return pairs.map((pair) => removePair(target, map, pair));
  let lastKept = -1;
  map.pairs.forEach((pair, i) => {
    if (!removed.has(pair)) lastKept = i;
  });
  if (lastKept === -1) return [{ start: map.span.start + 1, end: map.span.end - 1, text: '' }];
  const edits: TextEdit[] = [];
  map.pairs.forEach((pair, i) => {
    if (removed.has(pair) && i < lastKept)
      edits.push({ start: pair.span.start, end: map.pairs[i + 1].span.start, text: '' });
  });
  const tail = map.pairs.slice(lastKept + 1);
  if (tail.length > 0) {
    edits.push({ start: map.pairs[lastKept].span.end, end: tail[tail.length - 1].span.end, text: '' });
  }
  return edits;
}

function columnOf(target: EditTarget, offset: number): number {
  return target.lines.positionAt(offset).character;
}

function isCollection(value: PlainValue): value is PlainValue[] | { [key: string]: PlainValue } {
  return typeof value === 'object' && value !== null;
}

function isIntrinsic(value: PlainValue): boolean {
  if (!isCollection(value) || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && shortTagOf.has(keys[0]);
}

const plainSafe = /^[A-Za-z_/$.][\w ./$@:{}()+=,-]*$/;
const yamlSpecial = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/**
 * A YAML scalar: plain when that reads back as the same string, single-quoted otherwise. Inside a
 * flow collection (`inFlow`), `{ } [ ] ,` would end a plain scalar, so strings with them are quoted.
 */
export function yamlScalar(value: string | number | boolean | null, inFlow = false): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  // Durations (`30s`, `1m30s`, `500ms`) read back as strings in YAML 1.1 and 1.2 alike.
  if (/^\d+(ns|us|ms|s|m|h)(\d+(ns|us|ms|s|m|h))*$/.test(value)) return value;
  if (
    value !== '' &&
    plainSafe.test(value) &&
    !yamlSpecial.test(value) &&
    !value.endsWith(' ') &&
    !/: |:$| #/.test(value) &&
    !/^[{[]/.test(value) &&
    !(inFlow && /[{}[\],]/.test(value))
  ) {
    return value;
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function yamlKey(key: string): string {
  return yamlScalar(key);
}

/** A value on one line: scalars, `!Tag arg` intrinsics, `[a, b]`, `{k: v}`; `inFlow` inside a flow collection. */
export function yamlFlow(value: PlainValue, inFlow = false): string {
  if (!isCollection(value)) return yamlScalar(value, inFlow);
  if (Array.isArray(value)) return `[${value.map((item) => yamlFlow(item, true)).join(', ')}]`;
  if (isIntrinsic(value)) {
    const [[key, argument]] = Object.entries(value);
    if (key === 'Fn::GetAtt' && Array.isArray(argument) && argument.every((a) => typeof a === 'string')) {
      return `${shortTagOf.get(key)} ${argument.join('.')}`;
    }
    // A node takes one tag: `!ImportValue !Sub x` is invalid, so the outer intrinsic goes long form.
    if (isIntrinsic(argument)) return `{${yamlKey(key)}: ${yamlFlow(argument, true)}}`;
    return `${shortTagOf.get(key)} ${yamlFlow(argument, inFlow)}`;
  }
  return `{${Object.entries(value)
    .map(([k, v]) => `${yamlKey(k)}: ${yamlFlow(v, true)}`)
    .join(', ')}}`;
}

/** `key: value` in block style at `indent`, nested collections on the following lines. */
export function yamlBlockEntry(
  key: string,
  value: PlainValue,
  indent: string,
  unit: string,
  eol: string,
): string {
  if (!isCollection(value) || isIntrinsic(value) || isEmpty(value)) {
    return `${indent}${yamlKey(key)}: ${isEmpty(value) ? (Array.isArray(value) ? '[]' : '{}') : yamlFlow(value)}`;
  }
  return `${indent}${yamlKey(key)}:${yamlBlockBody(value, indent + unit, unit, eol)}`;
}

function isEmpty(value: PlainValue): boolean {
  return isCollection(value) && (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);
}

/** The lines of a block collection, each starting with a line break, at `indent`. */
function yamlBlockBody(
  value: PlainValue[] | { [key: string]: PlainValue },
  indent: string,
  unit: string,
  eol: string,
): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        if (isCollection(item) && !Array.isArray(item) && !isIntrinsic(item) && !isEmpty(item)) {
          // A map inside a list: the first key follows the dash, the others align with it (two
          // columns in, whatever the document's indent step: the dash and its space).
          const entries = Object.entries(item).map(([k, v]) =>
            yamlBlockEntry(k, v, indent + '  ', unit, eol),
          );
          return `${eol}${indent}- ${entries.join(eol).slice(indent.length + 2)}`;
        }
        return `${eol}${indent}- ${yamlFlow(item)}`;
      })
      .join('');
  }
  return Object.entries(value)
    .map(([k, v]) => `${eol}${yamlBlockEntry(k, v, indent, unit, eol)}`)
    .join('');
}

/** JSON in the document's style: nested collections on their own lines at `indent` + unit. */
export function jsonValue(value: PlainValue, indent: string, unit: string, eol: string): string {
  if (!isCollection(value)) return JSON.stringify(value);
  if (isEmpty(value)) return Array.isArray(value) ? '[]' : '{}';
  const inner = indent + unit;
  if (Array.isArray(value)) {
    if (value.every((v) => !isCollection(v))) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[${eol}${value.map((v) => inner + jsonValue(v, inner, unit, eol)).join(`,${eol}`)}${eol}${indent}]`;
  }
  const entries = Object.entries(value);
  if (isIntrinsic(value) && !isCollection(entries[0][1])) {
    return `{ ${JSON.stringify(entries[0][0])}: ${JSON.stringify(entries[0][1])} }`;
  }
  return `{${eol}${entries
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonValue(v, inner, unit, eol)}`)
    .join(`,${eol}`)}${eol}${indent}}`;
}
