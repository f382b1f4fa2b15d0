import type { Node, Tree } from '../parse/syntax-tree';
import type { LineIndex, TextEdit } from '../text';

/** Named children that are code, not comments (the node's own list when it holds none: do not change it). */
export function codeChildren(node: Node): Node[] {
  const named = node.namedChildren;
  // Most nodes hold no comment: their list needs no copy.
  for (const child of named) if (child.type === 'comment') return named.filter((c) => c.type !== 'comment');
  return named;
}

/** The property `name` of a JS object literal (`name: v`, `'name': v`, shorthand `name`, method `name()`). */
export function objectProperty(object: Node, name: string): Node | undefined {
  for (const child of codeChildren(object)) {
    if (child.type === 'shorthand_property_identifier' && child.text === name) return child;
    if (child.type === 'pair' || child.type === 'method_definition') {
      const key = child.childForFieldName(child.type === 'pair' ? 'key' : 'name');
      const keyText = key?.type === 'string' ? key.text.slice(1, -1) : key?.text;
      if (keyText === name) return child;
    }
  }
  return undefined;
}

/** Whether a JS object literal spreads another object (`{...defaults}`): its keys are then unknowable. */
export function hasSpread(object: Node): boolean {
  return codeChildren(object).some((c) => c.type === 'spread_element');
}

/**
 * Insert `property` (e.g. `timeout: 10_000`) as the last entry of an object literal, on its own
 * line at the other entries' indent when the object spans lines, keeping a trailing comma.
 */
export function insertObjectProperty(lines: LineIndex, object: Node, property: string): TextEdit {
  const entries = codeChildren(object);
  const last = entries[entries.length - 1];
  const open = object.startIndex;
  const close = object.endIndex - 1;
  if (!last) return { start: open + 1, end: close, text: ` ${property} ` };
  const text = lines.text;
  let after = last.endIndex;
  const trailingComma = /^\s*,/.exec(text.slice(after, close));
  if (trailingComma) after += trailingComma[0].length;
  const multiline = lines.lineOf(last.startIndex) !== lines.lineOf(open);
  if (multiline) {
    const indent = lines.indentAt(last.startIndex);
    return trailingComma
      ? { start: after, end: after, text: `${lines.eol}${indent}${property},` }
      : { start: last.endIndex, end: last.endIndex, text: `,${lines.eol}${indent}${property}` };
  }
  return trailingComma
    ? { start: after, end: after, text: ` ${property},` }
    : { start: last.endIndex, end: last.endIndex, text: `, ${property}` };
}

/** Append an argument to a call's argument list (JS `arguments` or Python `argument_list`). */
export function appendArgument(lines: LineIndex, argumentList: Node, argument: string): TextEdit {
  const args = codeChildren(argumentList);
  const last = args[args.length - 1];
  if (!last) return { start: argumentList.startIndex + 1, end: argumentList.startIndex + 1, text: argument };
  const text = lines.text;
  const close = argumentList.endIndex - 1;
  const trailingComma = /^\s*,/.exec(text.slice(last.endIndex, close));
  if (trailingComma && lines.lineOf(last.startIndex) !== lines.lineOf(close)) {
    const at = last.endIndex + trailingComma[0].length;
    return { start: at, end: at, text: `${lines.eol}${lines.indentAt(last.startIndex)}${argument},` };
  }
  return { start: last.endIndex, end: last.endIndex, text: `, ${argument}` };
}

const topLevelCache = new WeakMap<Tree, Node[]>();

/** The statements at the top of a file (comments included), listed once per tree. */
export function topLevelStatements(root: Node): Node[] {
  let statements = topLevelCache.get(root.tree);
  if (!statements) {
    statements = root.namedChildren.filter((c): c is Node => !!c);
    topLevelCache.set(root.tree, statements);
  }
  return statements;
}

interface ImportEnds {
  /** Where each top-level statement starts. */
  starts: number[];
  /** The end of the last import among the statements up to each one (0 when none). */
  ends: number[];
}

const importEndCache = new WeakMap<Tree, Map<(statement: Node) => boolean, ImportEnds>>();

/**
 * The offset just after the last top-level import or require that comes before `before`: where
 * set-up code that needs those imports can go. 0 when there is none. Fixes ask this for every
 * finding of a file: the statements are read once per tree and predicate, then searched.
 */
export function afterImports(root: Node, isImport: (statement: Node) => boolean, before = Infinity): number {
  let byPredicate = importEndCache.get(root.tree);
  if (!byPredicate) importEndCache.set(root.tree, (byPredicate = new Map()));
  let index = byPredicate.get(isImport);
  if (!index) {
    index = { starts: [], ends: [] };
    let end = 0;
    for (const statement of topLevelStatements(root)) {
      if (isImport(statement)) end = statement.endIndex;
      index.starts.push(statement.startIndex);
      index.ends.push(end);
    }
    byPredicate.set(isImport, index);
  }
  let low = 0;
  let high = index.starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.starts[middle] < before) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? index.ends[low - 1] : 0;
}

/**
 * Remove one entry of a comma-separated list (an object's property, a call's argument, an array
 * item) with its comma, keeping the others' layout: whole lines when the entry has them to itself.
 */
export function removeListItem(lines: LineIndex, item: Node): TextEdit {
  const text = lines.text;
  const siblings = item.parent ? codeChildren(item.parent) : [item];
  const index = siblings.findIndex((s) => s.id === item.id);
  const next = siblings[index + 1];
  const previous = siblings[index - 1];
  const first = lines.lineOf(item.startIndex);
  const last = lines.lineOf(item.endIndex);
  const ownLines =
    text.slice(lines.lineStart(first), item.startIndex).trim() === '' &&
    /^\s*(?:,\s*)?(?:\/\/.*|#.*)?$/.test(text.slice(item.endIndex, lines.lineEnd(last))) &&
    (!next || lines.lineOf(next.startIndex) > last);
  // A trailing comma left on the entry before is valid in JS and Python lists.
  if (ownLines && (next || previous)) {
    const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : text.length;
    return { start: lines.lineStart(first), end, text: '' };
  }
  if (next) return { start: item.startIndex, end: next.startIndex, text: '' };
  if (previous) return { start: previous.endIndex, end: item.endIndex, text: '' };
  return { start: item.startIndex, end: item.endIndex, text: '' };
}

/** Remove a whole statement with its line when it has the line to itself. */
export function removeStatement(lines: LineIndex, statement: Node): TextEdit {
  const text = lines.text;
  const first = lines.lineOf(statement.startIndex);
  const last = lines.lineOf(statement.endIndex);
  const before = text.slice(lines.lineStart(first), statement.startIndex);
  const after = text.slice(statement.endIndex, lines.lineEnd(last));
  if (before.trim() === '' && /^\s*(?:;\s*)?$/.test(after)) {
    const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : text.length;
    return { start: lines.lineStart(first), end, text: '' };
  }
  const semicolon = /^\s*;/.exec(after);
  return {
    start: statement.startIndex,
    end: statement.endIndex + (semicolon ? semicolon[0].length : 0),
    text: '',
  };
}
