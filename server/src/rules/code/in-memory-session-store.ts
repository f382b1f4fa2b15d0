import type { Node } from 'web-tree-sitter';
import {
  afterImports,
  codeChildren,
  hasSpread,
  insertObjectProperty,
  objectProperty,
} from '../../engine/code/edit';
import {
  bindingsOf,
  calleeQualifiedName,
  isJavascriptImport,
  requiredModule,
  usesEsModules,
} from '../../engine/code/imports';
import {
  dottedName,
  enclosingFunctions,
  nodesOfType,
  sourceOf,
  spanOfNode,
  unwrapExpression,
} from '../../engine/code/syntax';
import { uniqueName, usesIdentifier } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

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

export default defineRule({
  id: 'local-state/in-memory-session-store',
  lesson: 'local-state',
  title: 'Sessions kept in the memory of one process',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    memoryStore:
      'This session store is memory inside the process: users are logged out whenever another instance answers, the process restarts or it scales in, and the memory grows with every session.',
    noStore:
      "{{module}} is set up without a store, so sessions live in this process's memory: users are logged out whenever another instance answers, the process restarts or it scales in.",
    koaNoStore:
      "koa-generic-session is set up without a store, so sessions live in this process's memory: users are logged out whenever another instance answers, the process restarts or it scales in. Give it a shared store such as koa-redis.",
    registeredWithoutStore:
      "{{module}} is registered without a store, so sessions live in this process's memory: users are logged out whenever another instance answers, the process restarts or it scales in.",
  },
  docs: {
    what:
      '`express-session`, `@fastify/session` or `koa-generic-session` set up without a `store` (they then keep every session in a `MemoryStore` inside the Node.js process), or given an in-memory store by name (`new session.MemoryStore()`, the `memorystore` package). ' +
      'Imports under any name, inline `require()`, and options or a store kept in a variable of the same file are followed; options built elsewhere are not guessed at. koa-session is not flagged: it keeps sessions in a signed cookie by default.',
    why:
      'With a second instance behind the load balancer, a user logged in on one instance is a stranger to the other. ' +
      'Every deployment, crash or scale-in logs everyone out. The MemoryStore also never frees expired sessions, so the process slowly runs out of memory; ' +
      'express-session prints a warning about this at start-up. A shared store such as Redis, DynamoDB or a database keeps sessions valid whichever instance answers.',
    example: {
      language: 'javascript',
      code: `const session = require('express-session');

app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));`,
    },
    useInstead: {
      language: 'javascript',
      code: `const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);

app.use(session({
  store: new RedisStore({ client: redisClient }),
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
}));`,
    },
    fix: 'Gives express-session or the fastify plugin a connect-redis store on a Redis client read from `REDIS_URL`, with the imports it needs. A scaffold: install `connect-redis` and `redis`, and set `REDIS_URL` to a Redis that every instance reaches.',
    references: [
      {
        title: 'express-session: compatible session stores',
        url: 'https://github.com/expressjs/session#compatible-session-stores',
      },
      { title: 'connect-redis', url: 'https://github.com/tj/connect-redis' },
      { title: '@fastify/session: stores', url: 'https://github.com/fastify/session#options' },
    ],
  },
  checks: {
    js({ model, document, report }) {
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
            report({
              at: spanOfNode(memory),
              messageId: 'memoryStore',
              fix: () => replaceStoreFix(model, document.lines, call, memory),
            });
          continue;
        }
        if (options && (hasSpread(options) || assignsStore(options))) continue;
        report({
          at: spanOfNode(at),
          messageId: name === 'koa-generic-session' ? 'koaNoStore' : 'noStore',
          data: { module: name },
          // koa-generic-session takes koa stores (koa-redis), not connect ones: the hover says so.
          fix:
            name === 'express-session'
              ? () => redisStoreFix(model, document.lines, call, args, options)
              : undefined,
        });
      }
      for (const fastify of fastifyRegistrations(model)) {
        report({
          at: { span: { start: fastify.plugin.startIndex, end: fastify.plugin.endIndex } },
          messageId: 'registeredWithoutStore',
          data: { module: fastify.module },
          fix: () => redisStoreFix(model, document.lines, fastify.call, fastify.args, fastify.options),
        });
      }
    },
  },
});

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

/** The imports and Redis client a connect-redis store needs, placed after the imports before `before`. */
function redisSetup(
  model: CodeModel,
  lines: LineIndex,
  before: Node,
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
      '// (REDIS_URL, e.g. redis://sessions:6379).',
      `const ${clientName} = createClient({ url: process.env.REDIS_URL });`,
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

/** Adds a connect-redis store read from REDIS_URL, and the imports and client it needs. */
function redisStoreFix(
  model: CodeModel,
  lines: LineIndex,
  call: Node,
  args: Node,
  options: Node | undefined,
): Fix {
  const { edits, storeName } = redisSetup(model, lines, call, true);
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
  return {
    title: 'Keep sessions in Redis (connect-redis, REDIS_URL)',
    edits: [...edits, optionsEdit],
    needs,
  };
}

const needs = [
  'Install connect-redis and redis (npm install connect-redis redis)',
  'Set REDIS_URL to a Redis that every instance reaches (ElastiCache, for one)',
];

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
function replaceStoreFix(model: CodeModel, lines: LineIndex, call: Node, store: Node): Fix {
  // Inside the options the store gets a variable of its own, as a missing one would; a store
  // declared in a variable already is replaced where it is made.
  const inline = store.startIndex >= call.startIndex && store.endIndex <= call.endIndex;
  const { edits, clientName, storeName } = redisSetup(model, lines, call, inline);
  return {
    title: 'Keep sessions in Redis (connect-redis, REDIS_URL)',
    edits: [
      ...edits,
      {
        start: store.startIndex,
        end: store.endIndex,
        text: inline ? storeName : `new RedisStore({ client: ${clientName} })`,
      },
    ],
    needs,
  };
}
