import type { Node, Tree } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import { codeChildren } from './edit';
import { bindingsOf, calleeQualifiedName, qualifiedName } from './imports';
import {
  descendantsIn,
  enclosingFunction,
  isFunction,
  parameterNames,
  patternNames,
  treeNodesOfType,
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

/** What each function of a tree declares for itself, and which module names it claims with `global`. */
interface Declarations {
  python: boolean;
  /** By function id: the names declared in its own body (not in functions nested in it). */
  own: Map<number, Set<string>>;
  /** By function id: the names of its `global` and `nonlocal` statements (Python), not its own. */
  outer: Map<number, Set<string>>;
  /** By function id: the names of its `global` statements. */
  globals: Map<number, Set<string>>;
  /** By function id: its parameters and own names, shadowing the module's. */
  locals: Map<number, Set<string>>;
  /** By function id and name: whether the name means a local value there or further out. */
  shadowed: Map<string, boolean>;
  claimed: Map<string, boolean>;
}

const declarationCache = new WeakMap<Tree, Declarations>();

/**
 * One pass over the tree's declarations, each given to the function it is written in: asking a
 * function for its names must not walk its body (nested functions would make that quadratic).
 */
function declarationsOf(tree: Tree, python: boolean): Declarations {
  let declarations = declarationCache.get(tree);
  if (declarations) return declarations;
  const own = new Map<number, Set<string>>();
  const outer = new Map<number, Set<string>>();
  const globals = new Map<number, Set<string>>();
  const add = (map: Map<number, Set<string>>, node: Node, names: string[]) => {
    if (names.length === 0) return;
    const fn = enclosingFunction(node);
    if (!fn) return;
    let set = map.get(fn.id);
    if (!set) map.set(fn.id, (set = new Set()));
    for (const name of names) set.add(name);
  };
  const nodes = (types: string[]) => treeNodesOfType(tree, types);
  if (python) {
    for (const statement of nodes(['global_statement', 'nonlocal_statement'])) {
      const names = codeChildren(statement).map((n) => n.text);
      add(outer, statement, names);
      if (statement.type === 'global_statement') add(globals, statement, names);
    }
    for (const node of nodes([
      'assignment',
      'augmented_assignment',
      'for_statement',
      'named_expression',
      'as_pattern_target',
      'function_definition',
      'class_definition',
    ])) {
      if (node.type === 'as_pattern_target') add(own, node, codeChildren(node).flatMap(patternNames));
      else if (node.type === 'function_definition' || node.type === 'class_definition') {
        const name = node.childForFieldName('name')?.text;
        if (name) add(own, node, [name]);
      } else add(own, node, patternNames(node.childForFieldName('left') ?? node.childForFieldName('name')));
    }
  } else {
    for (const node of nodes([
      'variable_declarator',
      'for_in_statement',
      'catch_clause',
      'function_declaration',
      'class_declaration',
    ])) {
      if (node.type === 'variable_declarator') add(own, node, patternNames(node.childForFieldName('name')));
      else if (node.type === 'for_in_statement') {
        if (node.childForFieldName('kind')) add(own, node, patternNames(node.childForFieldName('left')));
      } else if (node.type === 'catch_clause')
        add(own, node, patternNames(node.childForFieldName('parameter')));
      else {
        const name = node.childForFieldName('name')?.text;
        if (name) add(own, node, [name]);
      }
    }
  }
  declarations = { python, own, outer, globals, locals: new Map(), shadowed: new Map(), claimed: new Map() };
  declarationCache.set(tree, declarations);
  return declarations;
}

/** Names a function declares for itself (parameters, variables), so module names are shadowed inside it. */
function declaredIn(fn: Node, declarations: Declarations): Set<string> {
  let names = declarations.locals.get(fn.id);
  if (names) return names;
  names = new Set(parameterNames(fn));
  const outer = declarations.outer.get(fn.id);
  for (const name of declarations.own.get(fn.id) ?? []) if (!outer?.has(name)) names.add(name);
  declarations.locals.set(fn.id, names);
  return names;
}

/**
 * Whether some function from `fn` outwards answers yes for `name`, remembered for every
 * function on the way: nested callbacks ask about the same outer functions again and again.
 */
function outwards(
  fn: Node | undefined,
  name: string,
  memo: Map<string, boolean>,
  test: (fn: Node) => boolean,
): boolean {
  const chain: string[] = [];
  let answer = false;
  for (let current = fn; current; current = enclosingFunction(current)) {
    const key = `${current.id}\u0000${name}`;
    const known = memo.get(key);
    if (known !== undefined) {
      answer = known;
      break;
    }
    chain.push(key);
    if (test(current)) {
      answer = true;
      break;
    }
  }
  for (const key of chain) memo.set(key, answer);
  return answer;
}

/** Whether `name`, used at `node`, means the module's value rather than a local one. */
export function refersToModule(node: Node, name: string, python: boolean): boolean {
  if (name.startsWith('this.')) return true;
  const declarations = declarationsOf(node.tree, python);
  return !outwards(enclosingFunction(node), name, declarations.shadowed, (fn) =>
    declaredIn(fn, declarations).has(name),
  );
}

/** Whether a Python function declares `global name` (needed to rebind a module name). */
function declaresGlobal(node: Node, name: string): boolean {
  const declarations = declarationsOf(node.tree, true);
  return outwards(
    enclosingFunction(node),
    name,
    declarations.claimed,
    (fn) => declarations.globals.get(fn.id)?.has(name) ?? false,
  );
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
    for (const call of descendantsIn(model, scope, 'call')) {
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
    for (const assignment of descendantsIn(model, scope, ['assignment', 'augmented_assignment'])) {
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
    for (const statement of descendantsIn(model, scope, 'delete_statement')) {
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

  for (const call of descendantsIn(model, scope, 'call_expression')) {
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
  for (const assignment of descendantsIn(model, scope, [
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
  for (const unary of descendantsIn(model, scope, 'unary_expression')) {
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
  // `clients[region] || new S3Client(…)`, `cached ?? createPool(…)`, `a if a else boto3.client(…)`.
  if (expression.type === 'binary_expression' || expression.type === 'boolean_operator')
    return createsClient(expression.childForFieldName('right') ?? undefined);
  if (expression.type === 'ternary_expression')
    return (
      createsClient(expression.childForFieldName('consequence') ?? undefined) ||
      createsClient(expression.childForFieldName('alternative') ?? undefined)
    );
  if (expression.type === 'conditional_expression')
    return codeChildren(expression).some((c) => createsClient(c));
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
