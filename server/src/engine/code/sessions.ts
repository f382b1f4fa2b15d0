import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { Span, TextEdit } from '../text';
import type { LineIndex } from '../text';
import { uniqueName, usesIdentifier } from '../names';
import { afterImports, codeChildren, hasSpread, insertObjectProperty, objectProperty } from './edit';
import {
  bindingsOf,
  calleeQualifiedName,
  isJavascriptImport,
  requiredModule,
  usesEsModules,
} from './imports';
import {
  dottedName,
  enclosingFunctions,
  nodesOfType,
  sourceOf,
  spanOfNode,
  unwrapExpression,
} from './syntax';

/**
 * Session middlewares of Node.js apps that keep sessions in the memory of the process, and the
 * Redis store that replaces them: shared by the single-file rule and the rule that knows how
 * many copies of the app run.
 */

/**
 * Session middlewares whose default store is a MemoryStore inside the process. express-session
 * and koa-generic-session are called (`session({…})`); the fastify plugins are registered
 * (`register(plugin, {…})`). koa-session is not here: its default keeps the session in a signed
 * cookie, not in memory.
 */
const calledMiddlewares = new Set(['express-session', 'koa-generic-session']);
/** Stores that are memory inside the process even though they are named explicitly. */
const memoryStores =
  /^(express-session\.MemoryStore|memorystore|koa-generic-session\.MemoryStore|@fastify\/session\.MemoryStore)$/;
const fastifyPlugins = new Set(['@fastify/session', 'fastify-session']);

/** How the Redis client reaches the server: the variable it reads, and what the variable holds. */
export interface RedisConnection {
  variable: string;
  /** `url`: a whole `redis://…` URL; `host`: a host name, on Redis's default port. */
  form: 'url' | 'host';
  /** Connect with TLS (`rediss://`) when the variable holds a host name. */
  tls: boolean;
}

export const defaultRedisConnection: RedisConnection = { variable: 'REDIS_URL', form: 'url', tls: false };

/** A session set-up that keeps sessions in the process. */
export interface InMemorySession {
  span: Span;
  /**
   * `memoryStore`: an in-memory store by name; `noStore`: express-session or koa-generic-session
   * without a store; `registeredWithoutStore`: a fastify session plugin without one.
   */
  how: 'memoryStore' | 'noStore' | 'registeredWithoutStore';
  module: string;
  /** The set-up with a connect-redis store on this connection; undefined where none fits (koa). */
  redisFix?: (connection: RedisConnection) => { title: string; edits: TextEdit[] };
}

/** Every session set-up of a JavaScript or TypeScript file that keeps sessions in memory. */
export function inMemorySessions(model: CodeModel, lines: LineIndex): InMemorySession[] {
  const found: InMemorySession[] = [];
  const bindings = bindingsOf(model);
  for (const call of nodesOfType(model, 'call_expression')) {
    if (!call) continue;
    const name = calleeQualifiedName(call, bindings);
    const args = call.childForFieldName('arguments');
    if (!name || !calledMiddlewares.has(name) || !args) continue;
    const at = call.childForFieldName('function') ?? call;
    const given = codeChildren(args)[0];
    // Options kept in a variable of this file (`const sess = {…}; app.use(session(sess))`).
    const options = given?.type === 'identifier' ? (declaredObject(given) ?? given) : given;
    if (options && options.type !== 'object') continue; // built elsewhere: unknowable here
    const store = options && objectProperty(options, 'store');
    if (store) {
      // `store: new session.MemoryStore()`, `store: memoryStore`, or the shorthand `{ store }`.
      const memory = inMemoryStore(
        store.type === 'pair' ? store.childForFieldName('value') : store,
        bindings,
      );
      if (memory)
        found.push({
          span: spanOfNode(memory),
          how: 'memoryStore',
          module: name,
          redisFix: (connection) => replaceStoreFix(model, lines, call, memory, connection),
        });
      continue;
    }
    if (options && (hasSpread(options) || assignsStore(options))) continue;
    found.push({
      span: spanOfNode(at),
      how: 'noStore',
      module: name,
      // koa-generic-session takes koa stores (koa-redis), not connect ones.
      redisFix:
        name === 'express-session'
          ? (connection) => redisStoreFix(model, lines, call, args, options, connection)
          : undefined,
    });
  }
  for (const fastify of fastifyRegistrations(model)) {
    found.push({
      span: { start: fastify.plugin.startIndex, end: fastify.plugin.endIndex },
      how: 'registeredWithoutStore',
      module: fastify.module,
      redisFix: (connection) =>
        redisStoreFix(model, lines, fastify.call, fastify.args, fastify.options, connection),
    });
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

/** `fastify.register(fastifySession, { secret })`: the plugin is passed, not called. */
function fastifyRegistrations(model: CodeModel) {
  const found: { call: Node; args: Node; plugin: Node; options: Node | undefined; module: string }[] = [];
  const sessionNames = new Map<string, string>();
  for (const [local, binding] of bindingsOf(model)) {
    if (fastifyPlugins.has(binding.module) && binding.path.length === 0) {
      sessionNames.set(local, binding.module);
    }
  }
  if (
    sessionNames.size === 0 &&
    !/require\(\s*['"](@fastify\/session|fastify-session)['"]/.test(sourceOf(model))
  )
    return found;
  for (const call of nodesOfType(model, 'call_expression')) {
    const fn = call?.childForFieldName('function');
    if (!call || fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'register')
      continue;
    const args = call.childForFieldName('arguments');
    const [plugin, options] = args ? codeChildren(args) : [];
    const inline = requiredModule(plugin);
    const module =
      plugin?.type === 'identifier'
        ? sessionNames.get(plugin.text)
        : inline && fastifyPlugins.has(inline)
          ? inline
          : undefined;
    if (!args || !plugin || !module) continue;
    if (options && (options.type !== 'object' || objectProperty(options, 'store') || hasSpread(options)))
      continue;
    found.push({ call, args, plugin, options, module });
  }
  return found;
}

/** The expression a Redis client is created with, for this connection. */
function clientOptions(connection: RedisConnection): string {
  const read = `process.env.${connection.variable}`;
  if (connection.form === 'url') return `{ url: ${read} }`;
  return `{ url: \`${connection.tls ? 'rediss' : 'redis'}://\${${read}}:6379\` }`;
}

/** The imports and Redis client a connect-redis store needs, placed after the imports before `before`. */
function redisSetup(
  model: CodeModel,
  lines: LineIndex,
  before: Node,
  connection: RedisConnection,
  storeVariable = false,
): { edits: TextEdit[]; clientName: string; storeName: string } {
  const text = lines.text;
  // A Redis client this file already creates (an earlier fix, or the user's) is reused.
  const existing = /\b(?:const|let|var)\s+(\w+)\s*=\s*(?:redis\.)?createClient\(/.exec(text)?.[1];
  const clientName = existing ?? uniqueName('redisClient', (name) => usesIdentifier(text, name));
  const eol = lines.eol;
  const esm = usesEsModules(model);
  const declared = (name: string) => usesIdentifier(text, name);
  const setup: string[] = [];
  if (!declared('RedisStore')) {
    setup.push(
      esm
        ? `import { RedisStore } from 'connect-redis';`
        : `const { RedisStore } = require('connect-redis');`,
    );
  }
  if (!existing && !declared('createClient')) {
    setup.push(esm ? `import { createClient } from 'redis';` : `const { createClient } = require('redis');`);
  }
  if (!existing)
    setup.push(
      '',
      '// Sessions live in Redis, so that every instance can serve every user',
      connection.form === 'url'
        ? `// (${connection.variable}, e.g. redis://sessions:6379).`
        : `// (${connection.variable}: the host name of the Redis server).`,
      `const ${clientName} = createClient(${clientOptions(connection)});`,
      `${clientName}.connect().catch(console.error);`,
    );
  // A store of its own keeps the session options on a short line.
  const existingStore = /\b(?:const|let|var)\s+(\w+)\s*=\s*new RedisStore\(/.exec(text)?.[1];
  const storeName = storeVariable
    ? (existingStore ?? uniqueName('sessionStore', (name) => usesIdentifier(text, name)))
    : '';
  if (storeVariable && !existingStore)
    setup.push(`const ${storeName} = new RedisStore({ client: ${clientName} });`);
  if (setup.length === 0) return { edits: [], clientName, storeName };
  const at = afterImports(model.root, isJavascriptImport, before.startIndex);
  return {
    clientName,
    storeName,
    edits: [
      at === 0
        ? { start: 0, end: 0, text: setup.join(eol) + eol + eol }
        : { start: at, end: at, text: eol + setup.join(eol) },
    ],
  };
}

function fixTitle(connection: RedisConnection): string {
  return `Keep sessions in Redis (connect-redis, ${connection.variable})`;
}

/** Adds a connect-redis store on the connection, and the imports and client it needs. */
function redisStoreFix(
  model: CodeModel,
  lines: LineIndex,
  call: Node,
  args: Node,
  options: Node | undefined,
  connection: RedisConnection,
): { title: string; edits: TextEdit[] } {
  const { edits, storeName } = redisSetup(model, lines, call, connection, true);
  const storeProperty = `store: ${storeName}`;
  const optionsEdit = options
    ? insertObjectProperty(lines, options, storeProperty)
    : codeChildren(args).length === 0
      ? { start: args.startIndex + 1, end: args.startIndex + 1, text: `{ ${storeProperty} }` }
      : {
          start: codeChildren(args)[0].endIndex,
          end: codeChildren(args)[0].endIndex,
          text: `, { ${storeProperty} }`,
        };
  return { title: fixTitle(connection), edits: [...edits, optionsEdit] };
}

/** The object literal a variable of this file (or of an enclosing function) is declared with. */
function declaredObject(identifier: Node): Node | undefined {
  const scopes = [...enclosingFunctions(identifier), identifier.tree.rootNode];
  for (const scope of scopes) {
    for (const declarator of scope.descendantsOfType('variable_declarator')) {
      if (declarator?.childForFieldName('name')?.text !== identifier.text) continue;
      const value = unwrapExpression(declarator.childForFieldName('value'));
      return value ?? undefined;
    }
  }
  return undefined;
}

/** `sess.store = …` somewhere in the file, for options kept in a variable. */
function assignsStore(options: Node): boolean {
  const holder =
    options.parent?.type === 'variable_declarator'
      ? options.parent.childForFieldName('name')?.text
      : undefined;
  if (!holder) return false;
  return options.tree.rootNode
    .descendantsOfType('assignment_expression')
    .some((a) => dottedName(a?.childForFieldName('left')) === `${holder}.store`);
}

/**
 * `new session.MemoryStore()`, `new MemoryStore({ checkPeriod })` (memorystore): memory by
 * another name, written in the options or kept in a variable of the file first.
 */
function inMemoryStore(value: Node | null, bindings: ReturnType<typeof bindingsOf>): Node | undefined {
  let store = unwrapExpression(value);
  if (store?.type === 'identifier' || store?.type === 'shorthand_property_identifier')
    store = declaredObject(store);
  if (store?.type !== 'new_expression') return undefined;
  const name = calleeQualifiedName(store, bindings);
  if (name && memoryStores.test(name)) return store;
  // const MemoryStore = require('memorystore')(session)
  const constructor = store.childForFieldName('constructor');
  if (constructor?.type !== 'identifier') return undefined;
  const declared = declaredObject(constructor);
  const factory = declared?.type === 'call_expression' ? calleeQualifiedName(declared, bindings) : undefined;
  return factory && memoryStores.test(factory) ? store : undefined;
}

/** Replace an in-memory store with a Redis one (the same set-up as for a missing store). */
function replaceStoreFix(
  model: CodeModel,
  lines: LineIndex,
  call: Node,
  store: Node,
  connection: RedisConnection,
): { title: string; edits: TextEdit[] } {
  // Inside the options the store gets a variable of its own, as a missing one would; a store
  // declared in a variable already is replaced where it is made.
  const inline = store.startIndex >= call.startIndex && store.endIndex <= call.endIndex;
  const { edits, clientName, storeName } = redisSetup(model, lines, call, connection, inline);
  return {
    title: fixTitle(connection),
    edits: [
      ...edits,
      {
        start: store.startIndex,
        end: store.endIndex,
        text: inline ? storeName : `new RedisStore({ client: ${clientName} })`,
      },
    ],
  };
}
