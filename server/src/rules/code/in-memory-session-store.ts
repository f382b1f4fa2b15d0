import { defaultRedisConnection, inMemorySessions } from '../../engine/code/sessions';
import { defineRule } from '../../engine/rule';

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
      for (const session of inMemorySessions(model, document.lines)) {
        const redisFix = session.redisFix;
        report({
          at: session.span,
          messageId:
            session.how === 'noStore' && session.module === 'koa-generic-session'
              ? 'koaNoStore'
              : session.how,
          data: session.how === 'memoryStore' ? undefined : { module: session.module },
          // koa-generic-session takes koa stores (koa-redis), not connect ones: the hover says so.
          fix: redisFix && (() => ({ ...redisFix(defaultRedisConnection), needs })),
        });
      }
    },
  },
});

const needs = [
  'Install connect-redis and redis (npm install connect-redis redis)',
  'Set REDIS_URL to a Redis that every instance reaches (ElastiCache, for one)',
];
