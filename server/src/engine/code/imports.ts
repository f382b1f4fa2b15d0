import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import { nodesOfType, treeNodesOfType } from './syntax';

/**
 * What a local name refers to: `module` and the path inside it. `import session from
 * 'express-session'` binds `session` to {module: 'express-session', path: []};
 * `from requests import Session as S` binds `S` to {module: 'requests', path: ['Session']}.
 * CommonJS `require` and ES default/namespace imports all bind the module itself (path []),
 * because code calls them the same way.
 */
export interface Binding {
  module: string;
  path: string[];
}

export type Bindings = Map<string, Binding>;

const bindingCache = new WeakMap<CodeModel, Bindings>();

/** The module-level imports of a file, computed once per parse. */
export function bindingsOf(model: CodeModel): Bindings {
  let bindings = bindingCache.get(model);
  if (!bindings) {
    bindings = model.grammar === 'python' ? pythonBindings(model.root) : javascriptBindings(model.root);
    bindingCache.set(model, bindings);
  }
  return bindings;
}

function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || (node.type !== 'string' && node.type !== 'template_string')) return undefined;
  const fragment = node.namedChildren.find((c) => c?.type === 'string_fragment');
  return fragment ? fragment.text : node.text.slice(1, -1);
}

/** `require('m')` → 'm'. */
export function requiredModule(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'call_expression') return undefined;
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'identifier' || fn.text !== 'require') return undefined;
  return stringValue(node.childForFieldName('arguments')?.namedChildren[0]);
}

function javascriptBindings(root: Node): Bindings {
  const bindings: Bindings = new Map();
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      const source = stringValue(statement.childForFieldName('source'));
      const clause = statement.namedChildren.find(
        (c) => c?.type === 'import_clause' || c?.type === 'import_require_clause',
      );
      if (!clause) continue;
      if (clause.type === 'import_require_clause') {
        const name = clause.namedChildren.find((c) => c?.type === 'identifier');
        const module = stringValue(clause.childForFieldName('source'));
        if (name && module) bindings.set(name.text, { module, path: [] });
        continue;
      }
      if (!source) continue;
      for (const part of clause.namedChildren) {
        if (!part) continue;
        if (part.type === 'identifier') bindings.set(part.text, { module: source, path: [] });
        else if (part.type === 'namespace_import') {
          const name = part.namedChildren.find((c) => c?.type === 'identifier');
          if (name) bindings.set(name.text, { module: source, path: [] });
        } else if (part.type === 'named_imports') {
          for (const specifier of part.namedChildren) {
            if (specifier?.type !== 'import_specifier') continue;
            const imported = specifier.childForFieldName('name')?.text;
            const local = specifier.childForFieldName('alias')?.text ?? imported;
            if (imported && local)
              bindings.set(local, { module: source, path: imported === 'default' ? [] : [imported] });
          }
        }
      }
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of statement.namedChildren) {
        if (declarator?.type !== 'variable_declarator') continue;
        bindRequire(declarator.childForFieldName('name'), declarator.childForFieldName('value'), bindings);
      }
    }
  }
  return bindings;
}

/** `const x = require('m')`, `const {a, b: c} = require('m')`, `const x = require('m').y`. */
function bindRequire(name: Node | null, value: Node | null, bindings: Bindings): void {
  if (!name || !value) return;
  let module = requiredModule(value);
  const path: string[] = [];
  if (!module && value.type === 'member_expression') {
    module = requiredModule(value.childForFieldName('object'));
    const property = value.childForFieldName('property')?.text;
    if (property && property !== 'default') path.push(property);
  }
  if (!module) return;
  if (name.type === 'identifier') bindings.set(name.text, { module, path });
  else if (name.type === 'object_pattern') {
    for (const part of name.namedChildren) {
      if (part?.type === 'shorthand_property_identifier_pattern') {
        bindings.set(part.text, { module, path: [...path, part.text] });
      } else if (part?.type === 'pair_pattern') {
        const key = part.childForFieldName('key')?.text;
        const local = part.childForFieldName('value');
        if (key && local?.type === 'identifier') bindings.set(local.text, { module, path: [...path, key] });
      }
    }
  }
}

const localBindings = new WeakMap<Bindings, Set<string>>();

/** Whether a name is bound by an import at the top of the file (not only inside a function). */
export function importedAtTop(model: CodeModel, name: string): boolean {
  const bindings = bindingsOf(model);
  return bindings.has(name) && !localBindings.get(bindings)?.has(name);
}

function pythonBindings(root: Node): Bindings {
  const bindings: Bindings = new Map();
  const localNames = new Set<string>();
  const visit = (statements: (Node | null)[], into: Bindings) => {
    for (const statement of statements) {
      if (!statement) continue;
      if (statement.type === 'import_statement') {
        for (const name of statement.childrenForFieldName('name')) {
          if (!name) continue;
          if (name.type === 'aliased_import') {
            const dotted = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (dotted && alias) into.set(alias, { module: dotted, path: [] });
          } else {
            // `import urllib.request` binds `urllib`; calls read `urllib.request.urlopen`.
            const top = name.text.split('.')[0];
            into.set(top, { module: top, path: [] });
          }
        }
      } else if (statement.type === 'import_from_statement') {
        const module = statement.childForFieldName('module_name')?.text;
        if (!module || module.startsWith('.')) continue;
        for (const name of statement.childrenForFieldName('name')) {
          if (!name) continue;
          if (name.type === 'aliased_import') {
            const imported = name.childForFieldName('name')?.text;
            const alias = name.childForFieldName('alias')?.text;
            if (imported && alias) into.set(alias, { module, path: imported.split('.') });
          } else {
            into.set(name.text, { module, path: name.text.split('.') });
          }
        }
      } else if (statement.type === 'try_statement' || statement.type === 'if_statement') {
        // Imports guarded by try/except ImportError or `if TYPE_CHECKING` still bind names.
        for (const block of statement.namedChildren) {
          if (block?.type === 'block') visit(block.namedChildren, into);
          else
            for (const inner of block?.namedChildren ?? [])
              if (inner?.type === 'block') visit(inner.namedChildren, into);
        }
      }
    }
  };
  visit(root.namedChildren, bindings);
  // An import inside a function (`from requests import post` where it is used) binds the name
  // too, unless the module binds it to something else.
  const local: Bindings = new Map();
  const topLevel = new Set(root.namedChildren.map((c) => c?.id));
  visit(
    (root.tree.rootNode.id === root.id
      ? treeNodesOfType(root.tree, ['import_statement', 'import_from_statement'])
      : root.descendantsOfType(['import_statement', 'import_from_statement'])
    ).filter((s) => s && !topLevel.has(s.id)),
    local,
  );
  for (const [name, binding] of local) {
    if (bindings.has(name)) continue;
    bindings.set(name, binding);
    localNames.add(name);
  }
  localBindings.set(bindings, localNames);
  return bindings;
}

/**
 * The fully qualified name of an expression that refers to an imported thing:
 * `axios.get` → 'axios.get', `r.get` (import requests as r) → 'requests.get',
 * `session` (from express-session) → 'express-session'. Undefined for local values.
 */
export function qualifiedName(node: Node | null | undefined, bindings: Bindings): string | undefined {
  // The name at the root first: most expressions are not imported, and need nothing more.
  const root = memberRoot(node);
  if (!root || root.type !== 'identifier') return undefined;
  const binding = bindings.get(root.text);
  if (!binding) return undefined;
  return [binding.module, ...binding.path, ...memberNames(node!)].join('.');
}

/**
 * The object at the bottom of `a.b.c` (JS member expressions, Python attributes): `a`. Null when
 * a step has no property (a syntax error).
 */
function memberRoot(node: Node | null | undefined): Node | null | undefined {
  let current = node;
  while (current && memberTypes.has(current.type)) {
    if (!current.childForFieldName(current.type === 'attribute' ? 'attribute' : 'property')) return null;
    current = current.childForFieldName('object');
  }
  return current;
}

const memberTypes = new Set(['member_expression', 'attribute']);

/** The property names of `a.b.c`, outermost last: `['b', 'c']` (`memberRoot` found none missing). */
function memberNames(node: Node): string[] {
  const parts: string[] = [];
  for (let current: Node | null = node; current && memberTypes.has(current.type);) {
    parts.push(current.childForFieldName(current.type === 'attribute' ? 'attribute' : 'property')!.text);
    current = current.childForFieldName('object');
  }
  return parts.reverse();
}

/** Every call in the file with its callee's qualified name, when the callee is imported. */
export function importedCalls(model: CodeModel): { call: Node; name: string }[] {
  return callSites(model)
    .filter((site) => site.name !== undefined && site.call.type !== 'new_expression')
    .map((site) => ({ call: site.call, name: site.name! }));
}

/** A top-level `import …` or `const … = require(…)` statement. */
export function isJavascriptImport(statement: Node): boolean {
  if (statement.type === 'import_statement') return true;
  if (statement.type !== 'lexical_declaration' && statement.type !== 'variable_declaration') return false;
  return statement.namedChildren.some((d) => {
    const value = d?.type === 'variable_declarator' ? d.childForFieldName('value') : null;
    return (
      !!requiredModule(value) ||
      (value?.type === 'member_expression' && !!requiredModule(value.childForFieldName('object')))
    );
  });
}

/** Whether the file uses ES module syntax (then new imports are `import`, else `require`). */
export function usesEsModules(model: CodeModel): boolean {
  return model.root.namedChildren.some(
    (s) => s?.type === 'import_statement' || s?.type === 'export_statement',
  );
}

/**
 * The qualified name of what a call or `new` calls: `express()` → 'express',
 * `new Koa()` → 'koa', `require('express').Router()` → 'express.Router',
 * `boto3.client(…)` → 'boto3.client'. Undefined when the callee is not imported.
 */
export function calleeQualifiedName(call: Node, bindings: Bindings): string | undefined {
  // Several rules resolve the same calls: remember each answer for the life of the tree.
  let resolved = resolvedCallees.get(call.tree);
  if (!resolved) resolvedCallees.set(call.tree, (resolved = new Map()));
  if (resolved.has(call.id)) return resolved.get(call.id);
  const name = resolveCallee(call, bindings);
  resolved.set(call.id, name);
  return name;
}

const resolvedCallees = new WeakMap<object, Map<number, string | undefined>>();

function resolveCallee(call: Node, bindings: Bindings): string | undefined {
  const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
  if (!callee) return undefined;
  // One walk down to the object at the bottom of the callee: an imported name, or (JavaScript,
  // whose grammars have no `attribute`) an inline require.
  let root = memberRoot(callee);
  if (!root) return undefined;
  if (root.type === 'identifier') {
    const binding = bindings.get(root.text);
    return (binding && [binding.module, ...binding.path, ...memberNames(callee)].join('.')) || undefined;
  }
  // Inline require: `require('m')(…)`, `require('m').x(…)`, `new (require('m'))()`.
  while (root?.type === 'parenthesized_expression') root = root.namedChildren[0] ?? null;
  const module = requiredModule(root);
  if (!module) return undefined;
  return [module, ...memberNames(callee).filter((p) => p !== 'default')].join('.');
}

/** A call or `new` of the file with what it calls: the imported name (if any) and the method name. */
export interface CallSite {
  call: Node;
  /** `calleeQualifiedName`: 'requests.get', 'express', 'fs.promises.writeFile'; undefined when not imported. */
  name: string | undefined;
  /** The last name of the callee: `append` for `items.append(…)`, `open` for `open(…)`. */
  method: string | undefined;
}

const callSiteCache = new WeakMap<CodeModel, CallSite[]>();

/** Every call (and JS `new`) of the file, in document order, resolved once per parse. */
export function callSites(model: CodeModel): CallSite[] {
  let sites = callSiteCache.get(model);
  if (sites) return sites;
  const bindings = bindingsOf(model);
  sites = [];
  for (const call of nodesOfType(
    model,
    model.grammar === 'python' ? 'call' : ['call_expression', 'new_expression'],
  )) {
    const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    let method: string | undefined;
    if (callee?.type === 'identifier') method = callee.text;
    else if (callee?.type === 'member_expression') method = callee.childForFieldName('property')?.text;
    else if (callee?.type === 'attribute') method = callee.childForFieldName('attribute')?.text;
    sites.push({
      call,
      name:
        bindings.size > 0 || callee?.type !== 'identifier' ? calleeQualifiedName(call, bindings) : undefined,
      method,
    });
  }
  callSiteCache.set(model, sites);
  return sites;
}
