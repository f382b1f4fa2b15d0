import type { Node } from 'web-tree-sitter';
import {
  afterImports,
  codeChildren,
  hasSpread,
  insertObjectProperty,
  objectProperty,
} from '../../engine/code/edit';
import { bindingsOf, importedCalls, isJavascriptImport, usesEsModules } from '../../engine/code/imports';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

/**
 * Session middlewares whose default store is a MemoryStore inside the process. express-session
 * is called (`session({…})`); the fastify plugins are registered (`register(plugin, {…})`).
 * koa-session is not here: its default keeps the session in a signed cookie, not in memory.
 */
const calledMiddlewares = new Set(['express-session']);
const fastifyPlugins = new Set(['@fastify/session', 'fastify-session']);

export default defineRule({
  id: 'local-state/in-memory-session-store',
  lesson: 'local-state',
  title: 'Sessions kept in the memory of one process',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  docs: {
    what: '`express-session` or `@fastify/session` set up without a `store`. Both then keep every session in a `MemoryStore` inside the Node.js process.',
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
      for (const { call, name } of importedCalls(model)) {
        const args = call.childForFieldName('arguments');
        if (!calledMiddlewares.has(name) || !args) continue;
        const options = codeChildren(args)[0];
        const at = call.childForFieldName('function') ?? call;
        if (options && options.type !== 'object') continue; // built elsewhere: unknowable here
        if (options && (objectProperty(options, 'store') || hasSpread(options))) continue;
        report({
          at: { span: { start: at.startIndex, end: at.endIndex } },
          message: `${name} is set up without a store, so sessions live in this process's memory: users are logged out whenever another instance answers, the process restarts or it scales in.`,
          fix: () => redisStoreFix(model, document.lines, call, args, options),
        });
      }
      for (const fastify of fastifyRegistrations(model)) {
        report({
          at: { span: { start: fastify.plugin.startIndex, end: fastify.plugin.endIndex } },
          message: `${fastify.module} is registered without a store, so sessions live in this process's memory: users are logged out whenever another instance answers, the process restarts or it scales in.`,
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
  if (sessionNames.size === 0) return found;
  for (const call of model.root.descendantsOfType('call_expression')) {
    const fn = call?.childForFieldName('function');
    if (!call || fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'register')
      continue;
    const args = call.childForFieldName('arguments');
    const [plugin, options] = args ? codeChildren(args) : [];
    const module = plugin?.type === 'identifier' ? sessionNames.get(plugin.text) : undefined;
    if (!args || !plugin || !module) continue;
    if (options && (options.type !== 'object' || objectProperty(options, 'store') || hasSpread(options)))
      continue;
    found.push({ call, args, plugin, options, module });
  }
  return found;
}

/** Adds a connect-redis store read from REDIS_URL, and the imports and client it needs. */
function redisStoreFix(
  model: CodeModel,
  lines: LineIndex,
  call: Node,
  args: Node,
  options: Node | undefined,
): Fix {
  const text = lines.text;
  const clientName = uniqueName(text, 'redisClient');
  const storeProperty = `store: new RedisStore({ client: ${clientName} })`;
  const eol = lines.eol;
  const esm = usesEsModules(model);
  const declared = (name: string) => new RegExp(`\\b${name}\\b`).test(text);
  const setup: string[] = [];
  if (!declared('RedisStore')) {
    setup.push(
      esm
        ? `import { RedisStore } from 'connect-redis';`
        : `const { RedisStore } = require('connect-redis');`,
    );
  }
  if (!declared('createClient')) {
    setup.push(esm ? `import { createClient } from 'redis';` : `const { createClient } = require('redis');`);
  }
  setup.push(
    '',
    '// Sessions live in Redis so that every instance can serve every user (REDIS_URL, e.g. redis://sessions:6379).',
    `const ${clientName} = createClient({ url: process.env.REDIS_URL });`,
    `${clientName}.connect().catch(console.error);`,
  );
  const at = afterImports(model.root, isJavascriptImport, call.startIndex);
  const setupEdit =
    at === 0
      ? { start: 0, end: 0, text: setup.join(eol) + eol + eol }
      : { start: at, end: at, text: eol + setup.join(eol) };
  const optionsEdit = options
    ? insertObjectProperty(lines, options, storeProperty)
    : codeChildren(args).length === 0
      ? { start: args.startIndex + 1, end: args.startIndex + 1, text: `{ ${storeProperty} }` }
      : {
          start: codeChildren(args)[0].endIndex,
          end: codeChildren(args)[0].endIndex,
          text: `, { ${storeProperty} }`,
        };
  return { title: 'Keep sessions in Redis (connect-redis, REDIS_URL)', edits: [setupEdit, optionsEdit] };
}

function uniqueName(text: string, base: string): string {
  if (!new RegExp(`\\b${base}\\b`).test(text)) return base;
  for (let i = 2; ; i++) if (!new RegExp(`\\b${base}${i}\\b`).test(text)) return `${base}${i}`;
}
