import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren, hasSpread, objectProperty } from '../../engine/code/edit';
import { callSites } from '../../engine/code/imports';
import { callArguments, keywordArgument, spanOfNode, stringLiteral } from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/**
 * Rate limiters whose counts live in the process by default, by qualified callee name: the
 * option that gives them a shared store, and the store to suggest.
 */
const limiters: { name: RegExp; library: string; storeOption: string; store: string }[] = [
  {
    name: /^express-rate-limit(\.default|\.rateLimit)?$/,
    library: 'express-rate-limit',
    storeOption: 'store',
    store: 'rate-limit-redis',
  },
  {
    name: /^express-slow-down(\.default|\.slowDown)?$/,
    library: 'express-slow-down',
    storeOption: 'store',
    store: 'rate-limit-redis',
  },
  {
    name: /^@nestjs\/throttler\.ThrottlerModule\.forRoot$/,
    library: '@nestjs/throttler',
    storeOption: 'storage',
    store: 'a Redis ThrottlerStorage such as @nest-lab/throttler-storage-redis',
  },
  {
    name: /^flask_limiter(\.extension)?\.Limiter$/,
    library: 'Flask-Limiter',
    storeOption: 'storage_uri',
    store: 'storage_uri="redis://…"',
  },
  {
    name: /^slowapi(\.extension)?\.Limiter$/,
    library: 'slowapi',
    storeOption: 'storage_uri',
    store: 'storage_uri="redis://…"',
  },
];

/** Limiters that say so in their name: rate-limiter-flexible's memory classes. */
const memoryLimiters = /^rate-limiter-flexible\.(RateLimiterMemory|BurstyRateLimiter)$/;

export default defineRule({
  id: 'local-state/in-memory-rate-limit',
  lesson: 'local-state',
  title: 'Rate limit counted in the memory of one process',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    defaultStore:
      "{{library}} is set up without a store, so it counts requests in this process's memory: each instance counts on its own, the real limit grows with every instance, and every restart or deployment resets the counts. Give it a shared store ({{store}}).",
    memoryStore:
      "This limiter counts requests in this process's memory: each instance counts on its own, the real limit grows with every instance, and every restart or deployment resets the counts. Use a shared one ({{store}}).",
  },
  docs: {
    what:
      "Rate limiters that count in the process: express-rate-limit and express-slow-down without a `store`, `@nestjs/throttler` without a `storage`, Flask-Limiter and slowapi without a `storage_uri` (or with `memory://`), and rate-limiter-flexible's `RateLimiterMemory`. " +
      'Options kept in a variable or spread from elsewhere are not guessed at. There is no fix: the shared store depends on what the platform has (Redis, Memcached, DynamoDB).',
    why:
      'A limit protects a login form, an expensive endpoint or a partner from abuse, and it only holds if every instance sees the same count. ' +
      'With counts in memory, each instance and each worker process allows the full limit, so three instances allow three times as many attempts, and a deployment or a scale-out resets every count at once. ' +
      'A store every instance shares (Redis or ElastiCache, Memcached, DynamoDB) keeps one count per client, whichever instance answers.',
    example: {
      language: 'javascript',
      code: `const rateLimit = require('express-rate-limit');

app.use('/login', rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 }));`,
    },
    useInstead: {
      language: 'javascript',
      code: `const rateLimit = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');

app.use('/login', rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  store: new RedisStore({ sendCommand: (...args) => redisClient.sendCommand(args) }),
}));`,
    },
    references: [
      {
        title: 'express-rate-limit: stores',
        url: 'https://express-rate-limit.mintlify.app/reference/stores',
      },
      {
        title: 'Flask-Limiter: storage backends',
        url: 'https://flask-limiter.readthedocs.io/en/stable/configuration.html',
      },
      {
        title: 'OWASP: blocking brute-force attacks',
        url: 'https://owasp.org/www-community/controls/Blocking_Brute_Force_Attacks',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, report }: CheckContext<CodeModel>): void {
  const python = model.grammar === 'python';
  for (const { call, name } of callSites(model)) {
    if (!name) continue;
    const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    if (!callee) continue;
    if (memoryLimiters.test(name)) {
      report({ at: spanOfNode(callee), messageId: 'memoryStore', data: { store: 'RateLimiterRedis' } });
      continue;
    }
    const limiter = limiters.find((l) => l.name.test(name));
    if (!limiter) continue;
    if (python) {
      if (codeChildren(call.childForFieldName('arguments')!).some((a) => a.type === 'dictionary_splat'))
        continue;
      const storage = keywordArgument(call, limiter.storeOption)?.childForFieldName('value');
      if (storage) {
        // `storage_uri="memory://"` says it outright; anything else is a shared store.
        if (/^memory:\/\//.test(stringLiteral(storage)?.value ?? ''))
          report({ at: spanOfNode(storage), messageId: 'memoryStore', data: { store: limiter.store } });
        continue;
      }
      report({
        at: spanOfNode(callee),
        messageId: 'defaultStore',
        data: { library: limiter.library, store: limiter.store },
      });
      continue;
    }
    if (!hasNoStore(call, limiter.storeOption)) continue;
    report({
      at: spanOfNode(callee),
      messageId: 'defaultStore',
      data: { library: limiter.library, store: limiter.store },
    });
  }
}

/**
 * Whether a limiter's options leave out the store: no options, an options object without it,
 * or NestJS's list of throttlers (the storage goes beside the list). Options from a variable, a
 * spread or a factory are unknowable here.
 */
function hasNoStore(call: Node, storeOption: string): boolean {
  const args = callArguments(call);
  const first = args[0];
  if (!first) return true;
  if (first.type === 'array') return true;
  if (first.type !== 'object' || hasSpread(first)) return false;
  if (objectProperty(first, 'useFactory') || objectProperty(first, 'useClass')) return false;
  return !objectProperty(first, storeOption);
}
