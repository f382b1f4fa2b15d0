import type { Node, Tree } from '../parse/syntax-tree';
import { checkBudget } from '../budget';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import { codeChildren } from './edit';

/** Syntax-tree helpers shared by the JS/TS and Python rules: strings, functions, calls, scopes. */

export const javascriptFunctionTypes = [
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
];
export const pythonFunctionTypes = ['function_definition', 'lambda'];
const functionTypes = new Set([...javascriptFunctionTypes, ...pythonFunctionTypes]);
const functionTypeList = [...functionTypes];

export function isFunction(node: Node | null | undefined): boolean {
  return !!node && functionTypes.has(node.type);
}

export function spanOfNode(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** A function of a tree with its place: the index (in document order) of the function around it. */
interface FunctionEntry {
  node: Node;
  start: number;
  end: number;
  outer: number;
}

/**
 * The tree's functions in document order, each with the one around it, and the innermost
 * function at every offset: the text cut at each function's start and end, with the function
 * that covers each piece. Listed once per tree: every `parent` step costs a descent from the
 * root in tree-sitter, so walking up from each node of a deep file is quadratic, while
 * functions nest by position.
 */
interface FunctionIndex {
  entries: FunctionEntry[];
  /** Where each piece of the text starts, ascending (equal offsets: the last one counts). */
  pieceStarts: number[];
  /** The innermost function over each piece, or -1. */
  pieceFunctions: number[];
}

const functionIndexes = new WeakMap<Tree, FunctionIndex>();

function functionIndex(tree: Tree): FunctionIndex {
  let index = functionIndexes.get(tree);
  if (index) return index;
  const entries: FunctionEntry[] = [];
  const pieceStarts: number[] = [0];
  const pieceFunctions: number[] = [-1];
  const open: number[] = [];
  const close = (upTo: number) => {
    while (open.length > 0 && entries[open[open.length - 1]].end <= upTo) {
      const closed = entries[open.pop()!];
      pieceStarts.push(closed.end);
      pieceFunctions.push(open[open.length - 1] ?? -1);
    }
  };
  for (const node of treeNodesOfType(tree, functionTypeList)) {
    close(node.startIndex);
    entries.push({ node, start: node.startIndex, end: node.endIndex, outer: open[open.length - 1] ?? -1 });
    open.push(entries.length - 1);
    pieceStarts.push(node.startIndex);
    pieceFunctions.push(entries.length - 1);
  }
  close(Infinity);
  index = { entries, pieceStarts, pieceFunctions };
  functionIndexes.set(tree, index);
  return index;
}

/** The innermost function that covers the offset `at`, or -1: a binary search over the pieces. */
function functionAt(index: FunctionIndex, at: number): number {
  let low = 0;
  let high = index.pieceStarts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.pieceStarts[middle] <= at) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? index.pieceFunctions[low - 1] : -1;
}

/** The index entry of the innermost function that `node` is inside (not `node` itself), or -1. */
function enclosingEntry(index: FunctionIndex, node: Node): number {
  const start = node.startIndex;
  const end = node.endIndex;
  // Syntax nodes nest: a function that covers the node's first character holds the whole node,
  // unless the node starts where that function starts (the function itself, or a statement
  // around it), which only functions sharing that start can do.
  for (let i = functionAt(index, start); i >= 0; i = index.entries[i].outer) {
    const entry = index.entries[i];
    if (entry.end < end || entry.node.id === node.id) continue;
    // A node with exactly a function's span and another id is a statement around it.
    if (entry.start === start && entry.end === end) continue;
    return i;
  }
  return -1;
}

/** The innermost function around `node` (not `node` itself). */
export function enclosingFunction(node: Node): Node | undefined {
  // An empty node (a missing token) may sit at a function's edge, inside or out: ask the tree.
  if (node.startIndex === node.endIndex) {
    for (let current = node.parent; current; current = current.parent)
      if (isFunction(current)) return current;
    return undefined;
  }
  const index = functionIndex(node.tree);
  const at = enclosingEntry(index, node);
  return at >= 0 ? index.entries[at].node : undefined;
}

/** Every function around `node`, innermost first. */
export function enclosingFunctions(node: Node): Node[] {
  const found: Node[] = [];
  if (node.startIndex === node.endIndex) {
    for (let current = node.parent; current; current = current.parent)
      if (isFunction(current)) found.push(current);
    return found;
  }
  const index = functionIndex(node.tree);
  for (let i = enclosingEntry(index, node); i >= 0; i = index.entries[i].outer)
    found.push(index.entries[i].node);
  return found;
}

/**
 * A string literal's value and where its content is: JS `'…'`, `"…"` and template strings
 * without substitutions; Python strings (any prefix) without f-string interpolations.
 * Escapes are kept as written, which is enough for names, URLs and SQL.
 */
export interface StringLiteral {
  value: string;
  /** The content between the quotes. */
  content: Span;
  node: Node;
}

export function stringLiteral(node: Node | null | undefined): StringLiteral | undefined {
  if (!node) return undefined;
  if (node.type === 'parenthesized_expression' && node.namedChildCount === 1)
    return stringLiteral(node.namedChildren[0]);
  if (node.type === 'string' || node.type === 'template_string') {
    const parts = codeChildren(node);
    if (parts.some((p) => p.type === 'template_substitution' || p.type === 'interpolation')) return undefined;
    if (node.type === 'string' && parts.some((p) => p.type === 'string_start')) {
      // Python: string_start (with its prefix), string_content…, string_end.
      const start = parts.find((p) => p.type === 'string_start');
      const end = parts.find((p) => p.type === 'string_end');
      if (!start || !end) return undefined;
      if (/b/i.test(start.text)) return undefined;
      const content = { start: start.endIndex, end: end.startIndex };
      return {
        value: node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex),
        content,
        node,
      };
    }
    const content = { start: node.startIndex + 1, end: node.endIndex - 1 };
    return { value: node.text.slice(1, -1), content, node };
  }
  return undefined;
}

/** Strings and template strings, with or without substitutions: the node types to look at. */
export const stringTypes = ['string', 'template_string'];

/** Python `f"…{x}…"` / JS `` `…${x}…` ``: the literal text before the first substitution. */
export function stringPrefix(node: Node): { value: string; content: Span } | undefined {
  if (node.type !== 'string' && node.type !== 'template_string') return undefined;
  const parts = codeChildren(node);
  const start = parts.find((p) => p.type === 'string_start');
  const contentStart = start ? start.endIndex : node.startIndex + 1;
  if (start && /b/i.test(start.text)) return undefined;
  const first = parts.find(
    (p) => p.type === 'template_substitution' || p.type === 'interpolation' || p.type === 'string_end',
  );
  const contentEnd = first ? first.startIndex : node.endIndex - 1;
  if (contentEnd < contentStart) return undefined;
  return {
    value: node.text.slice(contentStart - node.startIndex, contentEnd - node.startIndex),
    content: { start: contentStart, end: contentEnd },
  };
}

/** The dotted text of a callee made of names only: `app.route`, `this.cats.push`; else undefined. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'this':
    case 'property_identifier':
      return node.text;
    case 'member_expression': {
      const object = dottedName(node.childForFieldName('object'));
      const property = node.childForFieldName('property');
      return object && property?.type === 'property_identifier' ? `${object}.${property.text}` : undefined;
    }
    case 'attribute': {
      const object = dottedName(node.childForFieldName('object'));
      const attribute = node.childForFieldName('attribute');
      return object && attribute ? `${object}.${attribute.text}` : undefined;
    }
    default:
      return undefined;
  }
}

const calleeNames = new WeakMap<Tree, Map<number, string | undefined>>();

/** The last name of a callee: `push` for `items.push`, `open` for `open` (once per call and tree). */
export function calleeName(call: Node): string | undefined {
  let names = calleeNames.get(call.tree);
  if (!names) calleeNames.set(call.tree, (names = new Map()));
  if (names.has(call.id)) return names.get(call.id);
  const name = readCalleeName(call);
  names.set(call.id, name);
  return name;
}

function readCalleeName(call: Node): string | undefined {
  const fn = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'member_expression') return fn.childForFieldName('property')?.text;
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
}

/** The arguments of a JS call or `new`, or a Python call (comments left out). */
export function callArguments(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? codeChildren(args) : [];
}

/** Python: the keyword argument `name=` of a call. */
export function keywordArgument(call: Node, name: string): Node | undefined {
  return callArguments(call).find(
    (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name,
  );
}

/** Python: the positional arguments of a call. */
export function positionalArguments(call: Node): Node[] {
  return callArguments(call).filter(
    (a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat' && a.type !== 'list_splat',
  );
}

/** The innermost expression of `(x)`, `await x`, `x as T`, `x!`, `x satisfies T`. */
export function unwrapExpression(node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  while (current) {
    if (
      current.type === 'parenthesized_expression' ||
      current.type === 'await_expression' ||
      current.type === 'await' ||
      current.type === 'non_null_expression' ||
      current.type === 'as_expression' ||
      current.type === 'satisfies_expression' ||
      current.type === 'type_assertion'
    ) {
      const inner: Node | undefined = codeChildren(current).find(
        (c) => !c.type.endsWith('type') && c.type !== 'type_identifier' && c.type !== 'type_arguments',
      );
      if (!inner || inner === current) return current;
      current = inner;
    } else return current;
  }
  return current;
}

/** The parameters' names of a function (JS or Python), destructured names included. */
export function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  const parameters = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!parameters) return names;
  if (parameters.type === 'identifier') return [parameters.text];
  for (const parameter of codeChildren(parameters)) names.push(...patternNames(parameter));
  return names;
}

/** The first-level parameter names in order (undefined for a destructured one). */
export function parameterList(fn: Node): (string | undefined)[] {
  const parameters = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!parameters) return [];
  if (parameters.type === 'identifier') return [parameters.text];
  return codeChildren(parameters)
    .filter((p) => p.type !== 'decorator')
    .map((p) => {
      const names = patternNames(p);
      const simple =
        p.type === 'identifier' ||
        ((p.type === 'required_parameter' || p.type === 'optional_parameter') &&
          p.childForFieldName('pattern')?.type === 'identifier') ||
        ((p.type === 'typed_parameter' ||
          p.type === 'default_parameter' ||
          p.type === 'typed_default_parameter') &&
          names.length === 1) ||
        (p.type === 'assignment_pattern' && p.childForFieldName('left')?.type === 'identifier');
      return simple ? names[0] : undefined;
    });
}

/** The names a binding pattern introduces: `x`, `{a, b: c}`, `[d, ...e]`, `x = 1`, `x: int`. */
export function patternNames(pattern: Node | null | undefined): string[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'identifier':
    case 'shorthand_property_identifier_pattern':
      return [pattern.text];
    case 'required_parameter':
    case 'optional_parameter':
      return patternNames(pattern.childForFieldName('pattern'));
    case 'assignment_pattern':
      return patternNames(pattern.childForFieldName('left'));
    case 'pair_pattern':
      return patternNames(pattern.childForFieldName('value'));
    case 'rest_pattern':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return codeChildren(pattern).flatMap(patternNames);
    case 'object_pattern':
    case 'array_pattern':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'pattern_list':
      return codeChildren(pattern).flatMap(patternNames);
    case 'typed_parameter':
      return codeChildren(pattern)
        .filter((c) => c.type !== 'type')
        .flatMap(patternNames);
    case 'default_parameter':
    case 'typed_default_parameter':
      return patternNames(pattern.childForFieldName('name'));
    default:
      return [];
  }
}

/** Descendants of `node` of the given types that are not inside a nested function. */
export function ownDescendants(node: Node, types: string | string[]): Node[] {
  const found = node.descendantsOfType(types);
  return found.filter((d): d is Node => {
    if (!d) return false;
    const fn = enclosingFunction(d);
    // Its innermost function is `node` or one around it, not one nested inside it.
    return !fn || fn.id === node.id || fn.startIndex < node.startIndex || fn.endIndex > node.endIndex;
  });
}

/** Whether a JS/TS function is `async` (so `await` may be written inside it). */
export function isAsyncFunction(fn: Node): boolean {
  for (const child of fn.children) {
    if (!child) continue;
    if (child.type === 'async') return true;
    if (child.isNamed && child.type !== 'decorator' && child.type !== 'accessibility_modifier') break;
  }
  return false;
}

const occurrenceCache = new WeakMap<CodeModel, Map<string, number[]>>();

/**
 * `node.text.includes(word)`, from where `word` is written in the file (found once per parse and
 * word): asked of every call of a large file, slicing and searching each call's text (which holds
 * the calls inside it) costs far more.
 */
export function textIncludes(model: CodeModel, node: Node, word: string): boolean {
  let byWord = occurrenceCache.get(model);
  if (!byWord) occurrenceCache.set(model, (byWord = new Map()));
  let starts = byWord.get(word);
  if (!starts) {
    const text = model.tree.source;
    starts = [];
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) starts.push(at);
    byWord.set(word, starts);
  }
  // The first place at or after the node's start, and whether it ends inside the node.
  const start = node.startIndex;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle] < start) low = middle + 1;
    else high = middle;
  }
  return low < starts.length && starts[low] + word.length <= node.endIndex;
}

const textCache = new WeakMap<CodeModel, string>();

/** The whole source of a parse, for quick tests before walking the tree. */
export function sourceOf(model: CodeModel): string {
  let text = textCache.get(model);
  if (text === undefined) textCache.set(model, (text = model.root.text));
  return text;
}

/** A JS declarator or assignment whose value is a call or `new`: `const app = express()`. */
export interface AssignedCall {
  /** The declarator's name or the assignment's left side. */
  target: Node;
  /** The call or `new`, out of any parentheses, `await` or type assertion. */
  value: Node;
}

const assignedCallCache = new WeakMap<CodeModel, AssignedCall[]>();

/**
 * `x = f()`, `const x = new F()`, `this.app = await create()`: the declarators and assignments
 * of a JS/TS file whose value is a call or `new`, in document order, found once per parse for the
 * rules that look for app, router and server objects.
 */
export function assignedCalls(model: CodeModel): AssignedCall[] {
  let found = assignedCallCache.get(model);
  if (found) return found;
  found = [];
  for (const node of nodesOfType(model, ['variable_declarator', 'assignment_expression'])) {
    const isDeclarator = node.type === 'variable_declarator';
    const target = node.childForFieldName(isDeclarator ? 'name' : 'left');
    if (!target) continue;
    const value = unwrapExpression(node.childForFieldName(isDeclarator ? 'value' : 'right'));
    if (value && (value.type === 'call_expression' || value.type === 'new_expression'))
      found.push({ target, value });
  }
  assignedCallCache.set(model, found);
  return found;
}

const nodeCache = new WeakMap<Tree, Map<string, Node[]>>();

/**
 * `nodesOfType(model, types)`, computed once per parse: several rules ask for the same node
 * types (calls, strings, assignments). The tree keeps its nodes by type (one walk per parse);
 * a question for several types merges those lists in document order.
 */
export function nodesOfType(model: CodeModel, types: string | string[]): Node[] {
  return treeNodesOfType(model.tree, types);
}

/** `nodesOfType` for a tree: the functions, declarations and rules of one parse share its walk. */
export function treeNodesOfType(tree: Tree, types: string | string[]): Node[] {
  checkBudget();
  let cache = nodeCache.get(tree);
  if (!cache) nodeCache.set(tree, (cache = new Map()));
  const key = typeof types === 'string' ? types : types.join('\u0000');
  let nodes = cache.get(key);
  if (nodes) return nodes;
  nodes = typeof types === 'string' ? [...tree.ofType(types)] : tree.ofTypes(types);
  cache.set(key, nodes);
  return nodes;
}

/** Whether `inner` is inside `outer`, asked of the tree (for an empty node at `outer`'s end). */
function holds(outer: Node, inner: Node): boolean {
  for (let current = inner.parent; current; current = current.parent) {
    if (current.id === outer.id) return true;
    if (current.startIndex < outer.startIndex) return false;
  }
  return false;
}

/** Whether `outer` holds `inner` (both with the same span: asked of the tree, which is rare). */
function isAncestor(outer: Node, inner: Node): boolean {
  for (let current = inner.parent; current; current = current.parent) {
    if (current.id === outer.id) return true;
    if (current.startIndex !== inner.startIndex || current.endIndex !== inner.endIndex) return false;
  }
  return false;
}

/** `scope.descendantsOfType(types)`, from the parse's one walk when the scope is the whole file. */
export function descendantsIn(model: CodeModel, scope: Node, types: string | string[]): Node[] {
  if (scope.tree !== model.tree) return scope.descendantsOfType(types).filter((n): n is Node => !!n);
  const all = treeNodesOfType(model.tree, types);
  if (scope.id === model.root.id) return all;
  // The file's nodes of these types are in document order (pre-order): those of the scope (the
  // scope itself included, as tree-sitter counts it) are the run that starts inside it. Only the
  // nodes that start at one of its edges need a look at their end, or at the tree.
  const start = scope.startIndex;
  let low = 0;
  let high = all.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (all[middle].startIndex < start) low = middle + 1;
    else high = middle;
  }
  let end: number | undefined;
  const found: Node[] = [];
  for (let i = low; i < all.length; i++) {
    const node = all[i];
    const at = node.startIndex;
    if (at > start) {
      end ??= scope.endIndex;
      if (at > end) break;
      if (at < end || holds(scope, node)) found.push(node);
    } else if (node.id === scope.id) {
      found.push(node);
    } else {
      end ??= scope.endIndex;
      const nodeEnd = node.endIndex;
      // Same start: an ancestor of the scope ends at or after it, a descendant at or before.
      if (nodeEnd < end || (nodeEnd === end ? isAncestor(scope, node) : false)) found.push(node);
    }
  }
  return found;
}
