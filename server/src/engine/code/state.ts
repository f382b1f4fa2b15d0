import type { Node } from 'web-tree-sitter';
import type { CodeModel } from '../parse/code';
import { codeChildren } from './edit';
import { bindingsOf, calleeQualifiedName, qualifiedName } from './imports';
import {
  enclosingFunctions,
  isFunction,
  ownDescendants,
  parameterNames,
  patternNames,
  unwrapExpression,
} from './syntax';

/**
 * What the values a module keeps at its top level are, and where code writes them. A module
 * lives as long as its process (or Lambda execution environment): a list written per request
 * there is data that only this one process sees, while a client, a compiled pattern or a frozen
 * table is shared set-up that is meant to be reused.
 */

/**
 * `collection`: a list, dict, set, Map, array or plain object that can be filled at run time.
 * `cache`: a collection meant as a cache (an LRU/TTL cache, or a name that says cache/memo).
 * `scalar`: a number, string, boolean or null in a variable that can be reassigned.
 * `unset`: a `let x;` declared without a value, typically filled lazily.
 * `fixed`: anything else: clients, pools, compiled regexes, frozen or `as const` values, calls.
 */
export type StateKind = 'collection' | 'cache' | 'scalar' | 'unset' | 'fixed';

export interface ModuleValue {
  /** The name code writes through: `items`, or `this.cats` for a class field. */
  name: string;
  /** Where it is declared. */
  declaration: Node;
  kind: StateKind;
  /** In words: `list`, `dict`, `Map`, `array`, `object`, `counter`, … */
  container: string;
  /** `let`/`var` in JS, any module name in Python (with `global`). */
  reassignable: boolean;
}

export interface StateWrite {
  value: ModuleValue;
  /** The written target, as a finding should underline it: `items.append`, `cache[key]`, `count`. */
  target: Node;
  /** `mutate`: a method that changes it; `assign`: into it (`x[k] = v`, `x.k = v`) or rebinding it; `increment`: `x += 1`, `x++`; `delete`. */
  operation: 'mutate' | 'assign' | 'increment' | 'delete';
  /** The expressions written (arguments, right-hand side, the key). */
  written: Node[];
  /** The statement or expression that writes. */
  node: Node;
}

const cacheName = /cache|memo|lru/i;

const javascriptMutators = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'fill',
  'copyWithin',
  'set',
  'add',
  'delete',
  'clear',
]);
const pythonMutators = new Set([
  'append',
  'extend',
  'insert',
  'remove',
  'pop',
  'clear',
  'update',
  'setdefault',
  'popitem',
  'add',
  'discard',
  'appendleft',
  'extendleft',
  'popleft',
  'difference_update',
  'intersection_update',
  'symmetric_difference_update',
  'put',
  'put_nowait',
  '__setitem__',
  '__delitem__',
]);

const pythonCollections: Record<string, string> = {
  list: 'list',
  dict: 'dict',
  set: 'set',
  bytearray: 'bytearray',
  'collections.defaultdict': 'defaultdict',
  'collections.OrderedDict': 'OrderedDict',
  'collections.Counter': 'Counter',
  'collections.deque': 'deque',
  'queue.Queue': 'queue',
  'queue.SimpleQueue': 'queue',
  'asyncio.Queue': 'queue',
};
const pythonCaches = /^(cachetools\.|cachetools$|expiringdict\.|pylru\.)/;
const javascriptCaches = /^(lru-cache|quick-lru|node-cache|memory-cache|lru_map|mnemonist)/;

const cache = new WeakMap<CodeModel, Map<string, ModuleValue>>();

/** The top-level values of a module, by name (JS `const`/`let`/`var`; Python assignments). */
export function moduleValues(model: CodeModel): Map<string, ModuleValue> {
  let values = cache.get(model);
  if (!values) {
    values = model.grammar === 'python' ? pythonModuleValues(model) : javascriptModuleValues(model);
    cache.set(model, values);
  }
  return values;
}

function javascriptModuleValues(model: CodeModel): Map<string, ModuleValue> {
  const values = new Map<string, ModuleValue>();
  const bindings = bindingsOf(model);
  for (const child of model.root.namedChildren) {
    const statement = child?.type === 'export_statement' ? child.childForFieldName('declaration') : child;
    if (!statement || (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration'))
      continue;
    const reassignable = !statement.text.startsWith('const');
    for (const declarator of codeChildren(statement)) {
      if (declarator.type !== 'variable_declarator') continue;
      const name = declarator.childForFieldName('name');
      if (name?.type !== 'identifier') continue;
      const { kind, container } = classifyJavascript(declarator.childForFieldName('value'), bindings);
      values.set(name.text, {
        name: name.text,
        declaration: name,
        kind: kind === 'collection' && cacheName.test(name.text) ? 'cache' : kind,
        container,
        reassignable,
      });
    }
  }
  return values;
}

function classifyJavascript(
  raw: Node | null,
  bindings: ReturnType<typeof bindingsOf>,
): { kind: StateKind; container: string } {
  if (!raw) return { kind: 'unset', container: 'variable' };
  if ((raw.type === 'as_expression' || raw.type === 'satisfies_expression') && /\bconst\s*$/.test(raw.text))
    return { kind: 'fixed', container: 'constant' };
  const value = unwrapExpression(raw);
  if (!value) return { kind: 'fixed', container: 'value' };
  switch (value.type) {
    case 'array':
      return { kind: 'collection', container: 'array' };
    case 'object':
      return { kind: 'collection', container: 'object' };
    case 'number':
      return { kind: 'scalar', container: 'counter' };
    case 'string':
    case 'template_string':
    case 'true':
    case 'false':
    case 'null':
    case 'undefined':
      return { kind: 'scalar', container: 'variable' };
    case 'new_expression': {
      const constructor = value.childForFieldName('constructor');
      const name = constructor?.type === 'identifier' ? constructor.text : '';
      if (name === 'Map' || name === 'Set' || name === 'Array')
        return { kind: 'collection', container: name };
      const module = calleeQualifiedName(value, bindings) ?? '';
      if (javascriptCaches.test(module)) return { kind: 'cache', container: 'cache' };
      return { kind: 'fixed', container: 'object' };
    }
    case 'call_expression': {
      const callee = value.childForFieldName('function')?.text;
      if (callee === 'Object.create') return { kind: 'collection', container: 'object' };
      if (callee === 'Array' || callee === 'Array.from' || callee === 'Array.of')
        return { kind: 'collection', container: 'array' };
      return { kind: 'fixed', container: 'value' };
    }
    default:
      return { kind: 'fixed', container: 'value' };
  }
}

function pythonModuleValues(model: CodeModel): Map<string, ModuleValue> {
  const values = new Map<string, ModuleValue>();
  const bindings = bindingsOf(model);
  const visit = (statements: Node[]) => {
    for (const statement of statements) {
      if (statement.type === 'expression_statement') {
        const assignment = statement.namedChildren[0];
        if (assignment?.type !== 'assignment') continue;
        const left = assignment.childForFieldName('left');
        if (left?.type !== 'identifier') continue;
        const { kind, container } = classifyPython(assignment.childForFieldName('right'), bindings);
        values.set(left.text, {
          name: left.text,
          declaration: left,
          kind: kind === 'collection' && cacheName.test(left.text) ? 'cache' : kind,
          container,
          reassignable: true,
        });
      } else if (
        statement.type === 'if_statement' ||
        statement.type === 'try_statement' ||
        statement.type === 'with_statement'
      ) {
        for (const part of codeChildren(statement)) {
          if (part.type === 'block') visit(codeChildren(part));
          else for (const inner of codeChildren(part)) if (inner.type === 'block') visit(codeChildren(inner));
        }
      }
    }
  };
  visit(codeChildren(model.root));
  return values;
}

function classifyPython(
  value: Node | null,
  bindings: ReturnType<typeof bindingsOf>,
): { kind: StateKind; container: string } {
  if (!value) return { kind: 'fixed', container: 'value' };
  switch (value.type) {
    case 'list':
    case 'list_comprehension':
      return { kind: 'collection', container: 'list' };
    case 'dictionary':
    case 'dictionary_comprehension':
      return { kind: 'collection', container: 'dict' };
    case 'set':
    case 'set_comprehension':
      return { kind: 'collection', container: 'set' };
    case 'integer':
    case 'float':
      return { kind: 'scalar', container: 'counter' };
    case 'string':
    case 'true':
    case 'false':
    case 'none':
      return { kind: 'scalar', container: 'variable' };
    case 'call': {
      const callee = value.childForFieldName('function');
      const name = qualifiedName(callee, bindings) ?? (callee?.type === 'identifier' ? callee.text : '');
      const collection = pythonCollections[name];
      if (collection) return { kind: 'collection', container: collection };
      if (pythonCaches.test(name)) return { kind: 'cache', container: 'cache' };
      return { kind: 'fixed', container: 'value' };
    }
    default:
      return { kind: 'fixed', container: 'value' };
  }
}

/**
 * Class fields that hold collections (`private cats: Cat[] = []`), by `this.name`: in a
 * singleton such as a NestJS controller or provider they live as long as the process.
 */
export function classFieldValues(classBody: Node): Map<string, ModuleValue> {
  const values = new Map<string, ModuleValue>();
  for (const member of codeChildren(classBody)) {
    if (member.type !== 'public_field_definition' && member.type !== 'field_definition') continue;
    if (member.children.some((c) => c?.type === 'static')) continue;
    const name = member.childForFieldName('name') ?? member.childForFieldName('property');
    if (!name) continue;
    const { kind, container } = classifyJavascript(member.childForFieldName('value'), new Map());
    if (kind !== 'collection' && kind !== 'cache') continue;
    values.set(`this.${name.text}`, {
      name: `this.${name.text}`,
      declaration: name,
      kind: kind === 'collection' && cacheName.test(name.text) ? 'cache' : kind,
      container,
      reassignable: false,
    });
  }
  return values;
}

/** The name an assignment target or mutated object is rooted at: `items` for `items[0].name`. */
function rootName(node: Node | null | undefined): { root: string; node: Node } | undefined {
  let current = node ?? undefined;
  while (current) {
    switch (current.type) {
      case 'identifier':
        return { root: current.text, node: current };
      case 'member_expression': {
        const object: Node | null = current.childForFieldName('object');
        if (object?.type === 'this') {
          return { root: `this.${current.childForFieldName('property')?.text ?? ''}`, node: current };
        }
        current = object ?? undefined;
        break;
      }
      case 'subscript_expression':
      case 'attribute':
        current = current.childForFieldName(current.type === 'attribute' ? 'object' : 'object') ?? undefined;
        break;
      case 'subscript':
        current = current.childForFieldName('value') ?? undefined;
        break;
      case 'parenthesized_expression':
      case 'non_null_expression':
        current = codeChildren(current)[0];
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

const localNames = new WeakMap<Node, Set<string>>();

/** Names a function declares for itself (parameters, variables), so module names are shadowed inside it. */
function declaredIn(fn: Node, python: boolean): Set<string> {
  let names = localNames.get(fn);
  if (names) return names;
  names = new Set(parameterNames(fn));
  const body = fn.childForFieldName('body') ?? fn;
  if (python) {
    const globals = new Set<string>();
    for (const statement of ownDescendants(body, ['global_statement', 'nonlocal_statement']))
      for (const name of codeChildren(statement)) globals.add(name.text);
    for (const assignment of ownDescendants(body, [
      'assignment',
      'augmented_assignment',
      'for_statement',
      'named_expression',
    ])) {
      const target = assignment.childForFieldName('left') ?? assignment.childForFieldName('name');
      for (const name of patternNames(target)) if (!globals.has(name)) names.add(name);
    }
    for (const alias of ownDescendants(body, 'as_pattern_target'))
      for (const name of codeChildren(alias).flatMap(patternNames)) if (!globals.has(name)) names.add(name);
    for (const nested of ownDescendants(body, ['function_definition', 'class_definition'])) {
      const name = nested.childForFieldName('name')?.text;
      if (name) names.add(name);
    }
    for (const name of globals) names.delete(name);
  } else {
    for (const declarator of ownDescendants(body, 'variable_declarator'))
      for (const name of patternNames(declarator.childForFieldName('name'))) names.add(name);
    for (const loop of ownDescendants(body, 'for_in_statement')) {
      if (/^for\s*(await\s*)?\(\s*(const|let|var)\b/.test(loop.text))
        for (const name of patternNames(loop.childForFieldName('left'))) names.add(name);
    }
    for (const clause of ownDescendants(body, 'catch_clause'))
      for (const name of patternNames(clause.childForFieldName('parameter'))) names.add(name);
    for (const nested of ownDescendants(body, ['function_declaration', 'class_declaration'])) {
      const name = nested.childForFieldName('name')?.text;
      if (name) names.add(name);
    }
  }
  localNames.set(fn, names);
  return names;
}

/** Whether `name`, used at `node`, means the module's value rather than a local one. */
export function refersToModule(node: Node, name: string, python: boolean): boolean {
  if (name.startsWith('this.')) return true;
  for (const fn of enclosingFunctions(node)) if (declaredIn(fn, python).has(name)) return false;
  return true;
}

/** Whether a Python function declares `global name` (needed to rebind a module name). */
function declaresGlobal(node: Node, name: string): boolean {
  for (const fn of enclosingFunctions(node)) {
    const body = fn.childForFieldName('body');
    if (!body) continue;
    for (const statement of ownDescendants(body, 'global_statement'))
      if (codeChildren(statement).some((n) => n.text === name)) return true;
  }
  return false;
}

/** Writes inside `scope` (nested callbacks included) to the given module or class values. */
export function writesIn(model: CodeModel, scope: Node, values: Map<string, ModuleValue>): StateWrite[] {
  const python = model.grammar === 'python';
  const writes: StateWrite[] = [];
  const lookup = (target: Node | null | undefined): { value: ModuleValue; node: Node } | undefined => {
    const root = rootName(target);
    const value = root && values.get(root.root);
    if (!root || !value || !refersToModule(root.node, root.root, python)) return undefined;
    return { value, node: root.node };
  };

  if (python) {
    for (const call of scope.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || callee?.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text ?? '';
      if (!pythonMutators.has(method)) continue;
      const found = lookup(callee.childForFieldName('object'));
      if (found && found.value.kind !== 'fixed')
        writes.push({
          value: found.value,
          target: callee,
          operation: 'mutate',
          written: codeChildren(call.childForFieldName('arguments')!),
          node: call,
        });
    }
    for (const assignment of scope.descendantsOfType(['assignment', 'augmented_assignment'])) {
      if (!assignment) continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (!left) continue;
      const increment = assignment.type === 'augmented_assignment';
      if (left.type === 'identifier') {
        const value = values.get(left.text);
        if (value && declaresGlobal(assignment, left.text))
          writes.push({
            value,
            target: left,
            operation: increment ? 'increment' : 'assign',
            written: right ? [right] : [],
            node: assignment,
          });
        continue;
      }
      if (left.type !== 'subscript' && left.type !== 'attribute') continue;
      const found = lookup(left);
      if (found && found.value.kind !== 'fixed' && found.value.kind !== 'scalar') {
        const key = left.type === 'subscript' ? left.childForFieldName('subscript') : null;
        writes.push({
          value: found.value,
          target: left,
          operation: increment ? 'increment' : 'assign',
          written: [right, key].filter((n): n is Node => !!n),
          node: assignment,
        });
      }
    }
    for (const statement of scope.descendantsOfType('delete_statement')) {
      if (!statement) continue;
      for (const target of codeChildren(statement).flatMap((t) =>
        t.type === 'expression_list' ? codeChildren(t) : [t],
      )) {
        if (target.type !== 'subscript' && target.type !== 'attribute') continue;
        const found = lookup(target);
        const key = target.childForFieldName('subscript');
        if (found && found.value.kind !== 'fixed')
          writes.push({
            value: found.value,
            target,
            operation: 'delete',
            written: key ? [key] : [],
            node: statement,
          });
      }
    }
    return writes;
  }

  for (const call of scope.descendantsOfType('call_expression')) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'member_expression') continue;
    const method = callee.childForFieldName('property')?.text ?? '';
    if (callee.text.startsWith('Object.assign') && call.childForFieldName('arguments')) {
      const [target, ...sources] = codeChildren(call.childForFieldName('arguments')!);
      const found = lookup(target);
      if (found && found.value.kind !== 'fixed')
        writes.push({
          value: found.value,
          target: target,
          operation: 'assign',
          written: sources,
          node: call,
        });
      continue;
    }
    if (!javascriptMutators.has(method)) continue;
    const found = lookup(callee.childForFieldName('object'));
    if (found && (found.value.kind === 'collection' || found.value.kind === 'cache'))
      writes.push({
        value: found.value,
        target: callee,
        operation: 'mutate',
        written: codeChildren(call.childForFieldName('arguments')!),
        node: call,
      });
  }
  for (const assignment of scope.descendantsOfType([
    'assignment_expression',
    'augmented_assignment_expression',
    'update_expression',
  ])) {
    if (!assignment) continue;
    const left = assignment.childForFieldName(assignment.type === 'update_expression' ? 'argument' : 'left');
    const right = assignment.childForFieldName('right');
    if (!left) continue;
    const increment = assignment.type !== 'assignment_expression';
    if (left.type === 'identifier') {
      const value = values.get(left.text);
      if (value && value.reassignable && refersToModule(left, left.text, false))
        writes.push({
          value,
          target: increment && assignment.type === 'update_expression' ? assignment : left,
          operation: increment ? 'increment' : 'assign',
          written: right ? [right] : [],
          node: assignment,
        });
      continue;
    }
    if (left.type !== 'subscript_expression' && left.type !== 'member_expression') continue;
    const found = lookup(left);
    if (
      !found ||
      found.value.kind === 'fixed' ||
      found.value.kind === 'scalar' ||
      found.value.kind === 'unset'
    )
      continue;
    // `this.cats = []` rebinding a field inside a method is a write too, but `this.x.y = …` on a
    // field that is not a collection was never tracked.
    const key = left.type === 'subscript_expression' ? left.childForFieldName('index') : null;
    writes.push({
      value: found.value,
      target: left,
      operation: increment ? 'increment' : 'assign',
      written: [right, key].filter((n): n is Node => !!n),
      node: assignment,
    });
  }
  for (const unary of scope.descendantsOfType('unary_expression')) {
    if (!unary || !unary.text.startsWith('delete')) continue;
    const target = unary.childForFieldName('argument');
    const found = lookup(target);
    if (found && target && (found.value.kind === 'collection' || found.value.kind === 'cache')) {
      const key = target.childForFieldName('index');
      writes.push({
        value: found.value,
        target,
        operation: 'delete',
        written: key ? [key] : [],
        node: unary,
      });
    }
  }
  return writes;
}

/**
 * Whether `expression` carries request data: it mentions one of `names` (the handler's request
 * parameters, Flask's `request`) or a local variable assigned from one inside `scope`.
 */
export function requestDerived(expression: Node, names: Set<string>, scope: Node): boolean {
  const tainted = taintedNames(scope, names);
  for (const identifier of [expression, ...expression.descendantsOfType('identifier')]) {
    if (identifier?.type === 'identifier' && tainted.has(identifier.text)) return true;
  }
  return false;
}

const taintCache = new WeakMap<Node, Set<string>>();

function taintedNames(scope: Node, names: Set<string>): Set<string> {
  let tainted = taintCache.get(scope);
  if (tainted) return tainted;
  tainted = new Set(names);
  const assignments = scope.descendantsOfType(['variable_declarator', 'assignment', 'assignment_expression']);
  // Two passes follow `data = req.body; item = {...data}`.
  for (let pass = 0; pass < 2; pass++) {
    for (const assignment of assignments) {
      if (!assignment) continue;
      const isDeclarator = assignment.type === 'variable_declarator';
      const target = assignment.childForFieldName(isDeclarator ? 'name' : 'left');
      const value = assignment.childForFieldName(isDeclarator ? 'value' : 'right');
      if (!target || !value) continue;
      const mentions = [value, ...value.descendantsOfType('identifier')].some(
        (n) => n?.type === 'identifier' && tainted.has(n.text),
      );
      if (mentions) for (const name of patternNames(target)) tainted.add(name);
    }
  }
  taintCache.set(scope, tainted);
  return tainted;
}

/** Whether a written value creates a client or connection (a pool of clients keyed by region is set-up, not data). */
export function createsClient(value: Node | undefined): boolean {
  const expression = unwrapExpression(value);
  if (!expression) return false;
  if (expression.type === 'new_expression') return true;
  if (expression.type !== 'call' && expression.type !== 'call_expression') return false;
  const callee = expression.childForFieldName('function');
  const last = (callee?.text ?? '').split('.').pop() ?? '';
  return /^(client|resource|connect|create_engine|create_pool|createPool|createClient|createConnection|[A-Z]\w*(Client|Pool|Session|Connection|Redis|Engine))$/.test(
    last,
  );
}

/** Whether `node` sits under an `if` that tests `name` (lazy set-up: `if not CONFIG: CONFIG.update(…)`). */
export function guardedBy(node: Node, name: string, scope: Node): boolean {
  for (let current = node.parent; current && current.id !== scope.id; current = current.parent) {
    if (isFunction(current)) return false;
    if (current.type !== 'if_statement') continue;
    const condition = current.childForFieldName('condition');
    if (!condition) continue;
    if (condition.text.includes(name)) return true;
  }
  return false;
}
