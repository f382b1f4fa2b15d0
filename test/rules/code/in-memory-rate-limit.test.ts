import rule from '../../../server/src/rules/code/in-memory-rate-limit';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'express-rate-limit and express-slow-down without a store',
      path: 'src/middleware/limits.js',
      text: `const rateLimit = require('express-rate-limit');
const slowDown = require('express-slow-down');

exports.loginLimiter = «rateLimit»({ windowMs: 10 * 60 * 1000, limit: 5 });
exports.searchBrake = «slowDown»({ windowMs: 60 * 1000, delayAfter: 50 });
exports.anyLimiter = «rateLimit»();
`,
      messages: [
        "express-rate-limit is set up without a store, so it counts requests in this process's memory: each instance counts on its own, the real limit grows with every instance, and every restart or deployment resets the counts. Give it a shared store (rate-limit-redis).",
        /^express-slow-down is set up without a store/,
        /^express-rate-limit/,
      ],
      messageIds: ['defaultStore', 'defaultStore', 'defaultStore'],
    },
    {
      name: 'ES module import, rate-limiter-flexible in memory, NestJS throttlers without storage',
      path: 'src/app.module.ts',
      text: `import { rateLimit } from 'express-rate-limit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { ThrottlerModule } from '@nestjs/throttler';

export const apiLimiter = «rateLimit»({ windowMs: 60_000, limit: 100, standardHeaders: true });
export const otpLimiter = new «RateLimiterMemory»({ points: 3, duration: 300 });
export const throttling = «ThrottlerModule.forRoot»([{ ttl: 60_000, limit: 20 }]);
`,
      messageIds: ['defaultStore', 'memoryStore', 'defaultStore'],
    },
    {
      name: 'Flask-Limiter without storage, and slowapi told to use memory',
      path: 'api/limits.py',
      text: `from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from slowapi import Limiter as SlowLimiter

limiter = «Limiter»(get_remote_address, default_limits=["200 per day"])
api_limiter = SlowLimiter(key_func=get_remote_address, storage_uri=«"memory://"»)
`,
      messages: [
        /^Flask-Limiter is set up without a store/,
        /^This limiter counts requests in this process's memory/,
      ],
    },
  ],
  clean: [
    {
      name: 'shared stores: rate-limit-redis, Redis limiters and storage URIs',
      path: 'src/limits.js',
      text: `const rateLimit = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');
const { RateLimiterRedis } = require('rate-limiter-flexible');

exports.login = rateLimit({ limit: 5, store: new RedisStore({ sendCommand: (...a) => client.sendCommand(a) }) });
exports.otp = new RateLimiterRedis({ storeClient: client, points: 3 });
exports.fromConfig = rateLimit(options);
exports.spread = rateLimit({ ...defaults, limit: 5 });
`,
    },
    {
      name: 'Flask-Limiter with Redis, NestJS throttler with a factory or a storage',
      path: 'app/limits.py',
      text: `import os
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, storage_uri=os.environ["RATE_LIMIT_STORAGE"])
`,
    },
    {
      name: 'NestJS throttler configured by a factory or with a storage',
      path: 'src/app.module.ts',
      text: `import { ThrottlerModule } from '@nestjs/throttler';
export const a = ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 20 }], storage: redisStorage });
export const b = ThrottlerModule.forRootAsync({ useFactory: () => ({ throttlers: [] }) });
`,
    },
    {
      name: 'test files',
      path: 'test/limits.test.js',
      text: `const rateLimit = require('express-rate-limit');\nconst limiter = rateLimit({ limit: 1 });\n`,
    },
  ],
});
