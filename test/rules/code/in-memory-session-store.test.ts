import rule from '../../../server/src/rules/code/in-memory-session-store';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'express-session through require, CommonJS fix',
      path: 'app.js',
      text: `const express = require('express');
const session = require('express-session');

const app = express();
app.use(«session»({
  secret: process.env.SESSION_SECRET,
  resave: false,
}));
`,
      messages: [/express-session is set up without a store/],
      fixed: `const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });

const app = express();
app.use(session({
  secret: process.env.SESSION_SECRET,
  resave: false,
  store: sessionStore,
}));
`,
    },
    {
      name: 'ES module import under another name, options on one line',
      path: 'src/server.ts',
      text: `import express from 'express';
import expressSession from 'express-session';

const app = express();
app.use(«expressSession»({ secret: 'x', saveUninitialized: false }));
`,
      fixed: `import express from 'express';
import expressSession from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });

const app = express();
app.use(expressSession({ secret: 'x', saveUninitialized: false, store: sessionStore }));
`,
    },
    {
      name: 'no options at all',
      path: 'app.js',
      text: `const session = require('express-session');
app.use(«session»());
`,
      fixed: `const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });
app.use(session({ store: sessionStore }));
`,
    },
    {
      name: 'fastify session plugin registered without a store',
      path: 'server.mjs',
      text: `import Fastify from 'fastify';
import fastifySession from '@fastify/session';
const fastify = Fastify();
fastify.register(«fastifySession», { secret: process.env.SESSION_SECRET });
`,
      messages: [/@fastify\/session is registered without a store/],
      fixed: `import Fastify from 'fastify';
import fastifySession from '@fastify/session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });
const fastify = Fastify();
fastify.register(fastifySession, { secret: process.env.SESSION_SECRET, store: sessionStore });
`,
    },
    {
      name: 'options kept in a variable (the express-session README pattern)',
      path: 'app.js',
      text: `const session = require('express-session');
const sess = {
  secret: process.env.SESSION_SECRET,
  cookie: {},
};
app.use(«session»(sess));
`,
      fixed: `const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });
const sess = {
  secret: process.env.SESSION_SECRET,
  cookie: {},
  store: sessionStore,
};
app.use(session(sess));
`,
    },
    {
      name: 'inline require and an explicit MemoryStore',
      path: 'server.js',
      text: `const express = require('express');
const session = require('express-session');
const app = express();
app.use(«require('express-session')»({ secret: process.env.SESSION_SECRET }));
app.use(session({ store: «new session.MemoryStore()», secret: process.env.SESSION_SECRET }));
`,
      messages: [
        /express-session is set up without a store/,
        /^This session store is memory inside the process/,
      ],
      fixed: `const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });
const app = express();
app.use(require('express-session')({ secret: process.env.SESSION_SECRET, store: sessionStore }));
app.use(session({ store: sessionStore, secret: process.env.SESSION_SECRET }));
`,
    },
    {
      name: 'a MemoryStore created first and handed over in a variable, by name and in shorthand',
      path: 'src/sessions.js',
      text: `const express = require('express');
const session = require('express-session');
const store = «new session.MemoryStore()»;
const memory = «new session.MemoryStore()»;

const app = express();
app.use(session({ store, secret: process.env.SESSION_SECRET }));
app.use('/admin', session({ store: memory, secret: process.env.SESSION_SECRET }));
`,
      messageIds: ['memoryStore', 'memoryStore'],
      fixed: `const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const store = new RedisStore({ client: redisClient });
const memory = new RedisStore({ client: redisClient });

const app = express();
app.use(session({ store, secret: process.env.SESSION_SECRET }));
app.use('/admin', session({ store: memory, secret: process.env.SESSION_SECRET }));
`,
    },
    {
      name: 'the memorystore package is memory too',
      path: 'app.js',
      text: `const session = require('express-session');
const MemoryStore = require('memorystore')(session);
app.use(session({ store: «new MemoryStore({ checkPeriod: 86400000 })», secret: process.env.SESSION_SECRET }));
`,
      fixed: `const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

// Sessions live in Redis, so that every instance can serve every user
// (REDIS_URL, e.g. redis://sessions:6379).
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.connect().catch(console.error);
const sessionStore = new RedisStore({ client: redisClient });
const MemoryStore = require('memorystore')(session);
app.use(session({ store: sessionStore, secret: process.env.SESSION_SECRET }));
`,
    },
    {
      name: 'koa-generic-session defaults to memory',
      path: 'app.mjs',
      text: `import Koa from 'koa';
import session from 'koa-generic-session';
const app = new Koa();
app.use(«session»());
`,
    },
  ],
  clean: [
    {
      name: 'options in a variable with a store assigned later',
      path: 'app.js',
      text: `const session = require('express-session');
const sess = { secret: process.env.SESSION_SECRET };
sess.store = new RedisStore({ client });
app.use(session(sess));
`,
    },
    {
      name: 'connect-mongo store',
      path: 'app.js',
      text: `const session = require('express-session');
const MongoStore = require('connect-mongo');
app.use(session({ secret: process.env.SESSION_SECRET, store: MongoStore.create({ mongoUrl: process.env.MONGODB_URI }) }));
`,
    },
    {
      name: 'a store is given',
      path: 'app.js',
      text: `const session = require('express-session');
const RedisStore = require('connect-redis').default;
app.use(session({ store: new RedisStore({ client }), secret: 's' }));
`,
    },
    {
      name: 'options built elsewhere are not guessed at',
      path: 'app.js',
      text: `const session = require('express-session');
app.use(session(sessionOptions));
app.use(session({ ...defaults, secret: 's' }));
`,
    },
    {
      name: 'a local function that happens to be called session',
      path: 'app.js',
      text: `function session(opts) { return opts; }
app.use(session({ secret: 's' }));
`,
    },
    {
      name: 'koa-session keeps the session in a cookie by default',
      path: 'app.js',
      text: `const session = require('koa-session');
app.use(session(app));
`,
    },
  ],
});
