import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { LineIndex, Span, TextEdit } from '../text';
import { afterImports, topLevelStatements } from './edit';
import { bindingsOf, calleeQualifiedName, importedAtTop } from './imports';
import { upperSnake } from '../names';
import { dottedName, nodesOfType, sourceOf, stringLiteral } from './syntax';

/**
 * The one place that writes an environment read (twelve-factor configuration) and names its
 * variable (`environmentName`). The node, a literal or a whole read with a literal fall-back,
 * becomes `process.env.NAME` / `os.environ["NAME"]`. A literal that is not a secret may stay as
 * the default (`process.env.NAME ?? '…'`, `os.environ.get("NAME", "…")`) so that local runs keep
 * working; a secret never does. Without a default TypeScript gets the non-null `!`, so that the
 * value stays a `string` as the literal was; Python gets `import os` when the file has none.
 */
export function environmentEdits(
  model: CodeModel,
  lines: LineIndex,
  replaced: Node,
  name: string,
  options: { keepDefault: boolean },
): TextEdit[] {
  const at = { start: replaced.startIndex, end: replaced.endIndex };
  if (model.grammar === 'python') {
    const key = JSON.stringify(name);
    const read = options.keepDefault ? `os.environ.get(${key}, ${replaced.text})` : `os.environ[${key}]`;
    return [{ ...at, text: read }, ...ensurePythonImport(model, lines, 'os')];
  }
  const variable = /^[A-Za-z_$][\w$]*$/.test(name)
    ? `process.env.${name}`
    : `process.env[${JSON.stringify(name)}]`;
  // TypeScript wants to be told that a read without a default is a string.
  const typescript = model.grammar === 'typescript' || model.grammar === 'tsx';
  let read = options.keepDefault ? `${variable} ?? ${replaced.text}` : `${variable}${typescript ? '!' : ''}`;
  if (options.keepDefault && !standsAlone(replaced)) read = `(${read})`;
  return [{ ...at, text: read }];
}

/** Whether an expression in this position needs no parentheses around `a ?? b`. */
function standsAlone(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return true;
  switch (parent.type) {
    case 'arguments':
    case 'array':
    case 'variable_declarator':
    case 'return_statement':
    case 'expression_statement':
    case 'spread_element':
      return true;
    case 'pair':
      return parent.childForFieldName('value')?.id === node.id;
    case 'assignment_expression':
    case 'assignment_pattern':
      return parent.childForFieldName('right')?.id === node.id;
    default:
      return false;
  }
}

/** `import os` (or another module) after the file's imports, unless the name is already bound to it. */
export function ensurePythonImport(model: CodeModel, lines: LineIndex, module: string): TextEdit[] {
  const binding = bindingsOf(model).get(module);
  // An `import os` inside a function does not serve code at the top.
  if (binding && binding.module === module && binding.path.length === 0 && importedAtTop(model, module))
    return [];
  return [importEdit(model, lines, `import ${module}`)];
}

/**
 * `from flask import g, request` for the names not imported yet. Undefined when one of them is
 * already bound to something else (the fix would shadow it).
 */
export function ensurePythonFromImport(
  model: CodeModel,
  lines: LineIndex,
  module: string,
  names: string[],
): TextEdit[] | undefined {
  const bindings = bindingsOf(model);
  const missing: string[] = [];
  for (const name of names) {
    const binding = bindings.get(name);
    if (!binding) missing.push(name);
    else if (binding.module !== module || binding.path.join('.') !== name) return undefined;
  }
  return missing.length === 0
    ? []
    : [importEdit(model, lines, `from ${module} import ${missing.join(', ')}`)];
}

/** Imports, and a module docstring (which comes before them), at the top of a Python file. */
function isPythonPreamble(statement: Node): boolean {
  return (
    statement.type === 'import_statement' ||
    statement.type === 'import_from_statement' ||
    statement.type === 'future_import_statement' ||
    (statement.type === 'expression_statement' &&
      statement.namedChildren[0]?.type === 'string' &&
      statement.startIndex === firstCodeStart(statement.tree.rootNode))
  );
}

function importEdit(model: CodeModel, lines: LineIndex, statement: string): TextEdit {
  const at = afterImports(model.root, isPythonPreamble);
  return at === 0
    ? { start: 0, end: 0, text: `${statement}${lines.eol}` }
    : { start: at, end: at, text: `${lines.eol}${statement}` };
}

function firstCodeStart(root: Node): number {
  const first = topLevelStatements(root).find((c) => c.type !== 'comment');
  return first?.startIndex ?? -1;
}

const genericNames =
  /^(PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|KEY|API_KEY|HOST|HOSTNAME|URL|URI|ENDPOINT|CONNECTION_STRING|USER|USERNAME|PORT)$/;
const clientPrefixes: Record<string, string> = {
  pg: 'PG',
  'pg-promise': 'PG',
  postgres: 'PG',
  psycopg2: 'PG',
  psycopg: 'PG',
  asyncpg: 'PG',
  mysql: 'MYSQL',
  mysql2: 'MYSQL',
  pymysql: 'MYSQL',
  'mysql.connector': 'MYSQL',
  mongoose: 'MONGO',
  mongodb: 'MONGO',
  pymongo: 'MONGO',
  redis: 'REDIS',
  ioredis: 'REDIS',
  sequelize: 'DB',
  knex: 'DB',
  sqlalchemy: 'DB',
  typeorm: 'DB',
  amqplib: 'AMQP',
  pika: 'AMQP',
  kafkajs: 'KAFKA',
  nodemailer: 'SMTP',
  smtplib: 'SMTP',
  jsonwebtoken: 'JWT',
  jwt: 'JWT',
  'express-session': 'SESSION',
  'cookie-session': 'SESSION',
  '@fastify/session': 'SESSION',
  'koa-session': 'SESSION',
};

/**
 * An environment variable name for a literal, from where it is written: `db_password = "…"` →
 * DB_PASSWORD, `{ password: '…' }` inside `new Pool(…)` → PGPASSWORD, `app.config["SECRET_KEY"]`
 * → SECRET_KEY. `fallback` when nothing around it names it, or only a letter or two (`k`, `s`).
 */
export function environmentName(model: CodeModel, literal: Node, fallback: string): string {
  const own = ownName(literal);
  if (!own) return fallback;
  const name = upperSnake(own.name);
  if (name.length < 3 || !/^[A-Z_][A-Z0-9_]*$/.test(name)) return fallback;
  if (!genericNames.test(name)) return name;
  const context = own.container && contextPrefix(model, own.container);
  if (!context) return name;
  return context === 'PG' ? `PG${name.replace(/_/g, '')}` : `${context}_${name}`;
}

/** The name a literal is written to, and the node holding it (an object or argument list). */
function ownName(literal: Node): { name: string; container?: Node } | undefined {
  let node = literal;
  // `process.env.X || 'literal'`, `os.environ.get("X", "literal")` name the variable already.
  while (node.parent?.type === 'binary_expression' || node.parent?.type === 'parenthesized_expression')
    node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'variable_declarator':
      return { name: parent.childForFieldName('name')?.text ?? '' };
    case 'assignment':
    case 'assignment_expression':
    case 'augmented_assignment': {
      const left = parent.childForFieldName('left');
      if (left?.type === 'subscript' || left?.type === 'subscript_expression') {
        const key = stringLiteral(left.childForFieldName(left.type === 'subscript' ? 'subscript' : 'index'));
        if (key) return { name: key.value };
      }
      return { name: (dottedName(left) ?? '').split('.').pop() ?? '' };
    }
    case 'pair': {
      const key = parent.childForFieldName('key');
      const name = stringLiteral(key)?.value ?? key?.text ?? '';
      return { name, container: parent.parent ?? undefined };
    }
    case 'keyword_argument':
      return { name: parent.childForFieldName('name')?.text ?? '', container: parent.parent ?? undefined };
    case 'default_parameter':
    case 'typed_default_parameter':
    case 'assignment_pattern':
      return { name: (parent.childForFieldName('name') ?? parent.childForFieldName('left'))?.text ?? '' };
    default:
      return undefined;
  }
}

/** What the object or argument list holding a generic name belongs to: `db: {…}` → DB, `new Pool({…})` → PG. */
function contextPrefix(model: CodeModel, container: Node): string | undefined {
  const holder = container.parent;
  if (!holder) return undefined;
  if (
    ['pair', 'variable_declarator', 'keyword_argument', 'assignment', 'assignment_expression'].includes(
      holder.type,
    )
  ) {
    const key = holder.childForFieldName(
      holder.type === 'pair' ? 'key' : holder.type.startsWith('assignment') ? 'left' : 'name',
    );
    const name = upperSnake(
      (stringLiteral(key)?.value ?? key?.text ?? '').replace(/(config|options|settings|opts|conf)$/i, ''),
    );
    // Django's DATABASES = {"default": {...}}: the entry's name says less than the table's.
    if (name === 'DEFAULT' && holder.parent) return contextPrefix(model, holder.parent);
    if (/^(DATABASES?|DB)$/.test(name)) return 'DB';
    if (name) return name;
  }
  const call =
    holder.type === 'arguments' || holder.type === 'argument_list'
      ? holder.parent
      : container.type === 'argument_list'
        ? holder
        : undefined;
  if (call && (call.type === 'call_expression' || call.type === 'new_expression' || call.type === 'call')) {
    const module = calleeQualifiedName(call, bindingsOf(model));
    if (module) {
      for (const [prefix, env] of Object.entries(clientPrefixes)) {
        if (module === prefix || module.startsWith(`${prefix}.`)) return env;
      }
    }
  }
  return undefined;
}

/** A read of an environment variable by name, and whether the code goes on without it. */
export interface EnvironmentRead {
  name: string;
  /** The read expression (`process.env.REDIS_URL`, `os.environ["REDIS_URL"]`). */
  span: Span;
  /**
   * Read without a default, and nothing in the file checks first: `os.environ["X"]`,
   * `process.env.X` used as a value. `os.environ.get("X")`, `process.env.X ?? '…'`,
   * `if (process.env.X)` are not.
   */
  required: boolean;
}

/** Every read of a named environment variable in a file, in document order. */
export function environmentReads(model: CodeModel): EnvironmentRead[] {
  return model.grammar === 'python' ? pythonReads(model) : javascriptReads(model);
}

function javascriptReads(model: CodeModel): EnvironmentRead[] {
  const reads: EnvironmentRead[] = [];
  const text = sourceOf(model);
  if (!text.includes('process.env')) return reads;
  for (const node of nodesOfType(model, ['member_expression', 'subscript_expression'])) {
    const object = node.childForFieldName('object');
    if (dottedName(object) !== 'process.env') continue;
    const name =
      node.type === 'member_expression'
        ? node.childForFieldName('property')?.text
        : stringLiteral(node.childForFieldName('index'))?.value;
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    // `process.env.X = …` sets it; `delete process.env.X` removes it.
    const parent = node.parent;
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.id === node.id)
      continue;
    reads.push({
      name,
      span: { start: node.startIndex, end: node.endIndex },
      required: javascriptRequired(node, name, text),
    });
  }
  return reads;
}

/** Operators whose left side may be missing: a default, a guard, a comparison. */
const guarding = /^(\?\?|\|\||&&|===|!==|==|!=)$/;

function javascriptRequired(read: Node, name: string, text: string): boolean {
  let node = read;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (!parent) return true;
  switch (parent.type) {
    case 'non_null_expression':
      return true;
    case 'binary_expression': {
      const operator = parent.childForFieldName('operator')?.text ?? '';
      return !guarding.test(operator);
    }
    case 'unary_expression':
    case 'if_statement':
    case 'while_statement':
    case 'switch_statement':
      return false;
    case 'ternary_expression':
      return parent.childForFieldName('condition')?.id !== node.id;
    case 'assignment_pattern':
      return false;
    case 'variable_declarator': {
      // `const url = process.env.X;` then `if (!url) …`, `url ?? …`: the code checks it.
      const variable = parent.childForFieldName('name')?.text;
      if (!variable || !/^[A-Za-z_$][\w$]*$/.test(variable)) return true;
      return !checksVariable(text, variable);
    }
    default:
      // `process.env.X` compared or checked anywhere else in the file counts as handled.
      return !checksVariable(text, `process\\.env\\.${name}`, true);
  }
}

/** Whether the file tests a value before relying on it (`!x`, `x ??`, `x ||`, `if (x)`, `x === undefined`). */
function checksVariable(text: string, name: string, escaped = false): boolean {
  // No real variable has a name this long; a pattern built from one would be too large to compile.
  if (name.length > 256) return true;
  const word = escaped ? name : name.replace(/\$/g, '\\$');
  const literal = escaped ? name.replace(/\\/g, '') : name;
  let pattern = checkPatterns.get(word);
  if (!pattern) {
    if (checkPatterns.size > 500) checkPatterns.clear();
    pattern = new RegExp(
      `(!\\s*${word}\\b|\\b${word}\\s*(\\?\\?|\\|\\||&&|[!=]==?)|\\bif\\s*\\(\\s*${word}\\s*\\)|typeof\\s+${word}\\b)`,
    );
    checkPatterns.set(word, pattern);
  }
  // Only the text around each place the name is written can match: each such stretch is tried,
  // widened to whole words at both ends so that `\b` means what it means in the whole text.
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
    let start = Math.max(0, at - checkReach);
    while (start > 0 && isWordCharacter(text.charCodeAt(start - 1))) start--;
    let end = Math.min(text.length, at + literal.length + checkReach);
    while (end < text.length && isWordCharacter(text.charCodeAt(end))) end++;
    if (pattern.test(text.slice(start, end))) return true;
  }
  return false;
}

/** How far from the name a check may start or end (`if (`, `!`, `typeof`, `??` and the spaces between). */
const checkReach = 200;
const checkPatterns = new Map<string, RegExp>();

function isWordCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 36
  );
}

function pythonReads(model: CodeModel): EnvironmentRead[] {
  const reads: EnvironmentRead[] = [];
  const text = sourceOf(model);
  if (!text.includes('environ') && !text.includes('getenv')) return reads;
  const bindings = bindingsOf(model);
  const isEnviron = (node: Node | null) => {
    const name = dottedName(node);
    if (!name) return false;
    const [head, ...rest] = name.split('.');
    const binding = bindings.get(head);
    const qualified = binding ? [binding.module, ...binding.path, ...rest].join('.') : name;
    return qualified === 'os.environ';
  };
  for (const node of nodesOfType(model, ['subscript', 'call'])) {
    if (node.type === 'subscript') {
      if (!isEnviron(node.childForFieldName('value'))) continue;
      const name = stringLiteral(node.childForFieldName('subscript'))?.value;
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      const parent = node.parent;
      // `os.environ["X"] = …` sets it.
      if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === node.id) continue;
      const handled =
        insideTry(node) ||
        name.length > 256 ||
        new RegExp(`["']${name}["']\\s+(not\\s+)?in\\s+(os\\.)?environ\\b`).test(text);
      reads.push({ name, span: { start: node.startIndex, end: node.endIndex }, required: !handled });
      continue;
    }
    const callee = node.childForFieldName('function');
    const calleeName = dottedName(callee);
    const getenv =
      calleeName !== undefined &&
      (calleeName.endsWith('.get') ? isEnviron(callee?.childForFieldName('object') ?? null) : false);
    const qualified = calleeName ? calleeQualifiedName(node, bindings) : undefined;
    if (!getenv && qualified !== 'os.getenv') continue;
    const first = node.childForFieldName('arguments')?.namedChildren[0];
    const name = stringLiteral(first)?.value;
    if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      reads.push({ name, span: { start: node.startIndex, end: node.endIndex }, required: false });
  }
  return reads.sort((a, b) => a.span.start - b.span.start);
}

/** Inside a `try:` body (a KeyError is expected and handled there). */
function insideTry(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'try_statement') return true;
    if (current.type === 'function_definition' || current.type === 'class_definition') return false;
  }
  return false;
}
