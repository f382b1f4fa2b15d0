import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Analyzer } from '../../../server/src/engine/analyze';
import { fixAll } from '../../../server/src/engine/fix-all';
import { allRules } from '../../../server/src/rules';
import { discoverFiles } from '../../../server/src/project/files';

// Apps modelled on common real ones (passport login, express-session with connect-redis or
// connect-mongo, Flask REST tutorials, FastAPI CRUD, Lambda handlers with SDK clients, Django
// polls, NestJS cats, Next.js API routes), each as written in the tutorials (bad/) and as it
// should be (fixed/). The whole rule pack runs over them with the real file system, as the CLI
// does: the bad forms get exactly these findings, the fixed forms none.

const root = join(__dirname, '..', '..', 'fixtures', 'apps');

const expected: Record<string, string[]> = {
  'django-polls': [
    'bad/mysite/settings.py:5:14 secrets-management/hardcoded-password',
    'bad/mysite/settings.py:19:1 measure-everything/unmeasured-service',
    'bad/mysite/settings.py:35:21 secrets-management/hardcoded-password',
    'bad/mysite/settings.py:36:17 container-ready/hardcoded-endpoint',
    'bad/mysite/settings.py:41:18 local-state/local-session-backend',
    'bad/polls/views.py:23:29 transient-state/counter-in-sql',
    'bad/polls/views.py:25:5 local-state/module-level-mutable-state',
    'bad/polls/views.py:26:5 async-event-driven/blocking-work-in-handler',
  ],
  'express-mongo-blog': [
    'bad/app.js:6:18 container-ready/hardcoded-endpoint',
    'bad/app.js:8:13 measure-everything/unmeasured-service',
    'bad/app.js:11:3 local-state/in-memory-session-store',
    'bad/app.js:12:43 secrets-management/hardcoded-password',
    'bad/bin/www.js:6:1 container-ready/no-graceful-shutdown',
    'bad/routes/posts.js:9:25 local-state/local-disk-state',
    'bad/routes/posts.js:14:3 local-state/module-level-mutable-state',
    'bad/routes/posts.js:19:23 async-event-driven/blocking-work-in-handler',
    'bad/routes/posts.js:20:3 async-event-driven/sync-io-in-handler',
    'bad/routes/posts.js:20:3 local-state/local-disk-state',
    'bad/routes/posts.js:21:35 embrace-failure/no-timeout',
  ],
  'express-pg-shop': [
    'bad/server.js:7:19 transient-state/session-table-in-sql',
    'bad/server.js:16:41 transient-state/counter-in-sql',
    'bad/server.js:24:18 transient-state/session-table-in-sql',
  ],
  'fastapi-crud': [
    'bad/main.py:9:14 secrets-management/hardcoded-password',
    'bad/main.py:10:16 container-ready/hardcoded-endpoint',
    'bad/main.py:11:17 encrypt-everything/plain-http-endpoint',
    'bad/main.py:13:7 measure-everything/unmeasured-service',
    'bad/main.py:40:5 local-state/module-level-mutable-state',
    'bad/main.py:46:13 embrace-failure/no-timeout',
    'bad/main.py:52:5 local-state/module-level-mutable-state',
    'bad/main.py:52:31 secrets-management/weak-password-hash',
  ],
  'flask-rest': [
    'bad/app.py:4:7 measure-everything/unmeasured-service',
    'bad/app.py:5:30 local-state/local-session-backend',
    'bad/app.py:6:18 secrets-management/hardcoded-password',
    'bad/app.py:34:5 local-state/module-level-mutable-state',
    'bad/app.py:43:5 local-state/module-level-mutable-state',
    'bad/app.py:48:13 least-privilege/flask-debug',
    'bad/resources.py:29:13 local-state/module-level-mutable-state',
    'bad/resources.py:41:9 local-state/module-level-mutable-state',
    'bad/resources.py:42:9 embrace-failure/no-timeout',
  ],
  'lambda-sdk': [
    'bad/orders-node/index.mjs:9:70 encrypt-everything/tls-verification-disabled',
    'bad/orders-node/index.mjs:14:3 local-state/module-level-mutable-state',
    'bad/orders-node/index.mjs:15:31 embrace-failure/no-timeout',
    'bad/thumbnails-py/app.py:25:9 local-state/module-level-mutable-state',
    'bad/thumbnails-py/app.py:26:9 embrace-failure/no-timeout',
    'bad/thumbnails-py/app.py:26:69 encrypt-everything/tls-verification-disabled',
  ],
  'nest-cats': [
    'bad/src/cats/cats.service.ts:9:5 local-state/module-level-mutable-state',
    'bad/src/main.ts:5:21 measure-everything/unmeasured-service',
    'bad/src/main.ts:6:9 container-ready/no-graceful-shutdown',
  ],
  'nextjs-guestbook': [
    'bad/app/api/likes/route.ts:4:3 local-state/module-level-mutable-state',
    'bad/pages/api/guestbook.ts:9:5 local-state/module-level-mutable-state',
  ],
  'passport-login': [
    'bad/server.js:8:13 measure-everything/unmeasured-service',
    'bad/server.js:26:3 local-state/in-memory-session-store',
    'bad/server.js:27:13 secrets-management/hardcoded-password',
    'bad/server.js:56:5 local-state/module-level-mutable-state',
    'bad/server.js:68:1 container-ready/no-graceful-shutdown',
  ],
};

const analyzer = new Analyzer({
  rules: allRules,
  log: (message) => {
    throw new Error(message);
  },
});

describe('fixture apps: the whole rule pack over real-world shapes', () => {
  for (const [app, findings] of Object.entries(expected)) {
    it(`${app}: exactly the expected findings in bad/, none in fixed/`, async () => {
      const found: string[] = [];
      for (const path of discoverFiles(join(root, app), { root: join(root, app) })) {
        const result = await analyzer.analyze({ path, text: readFileSync(path, 'utf8') });
        assert.deepEqual(result.failures, [], path);
        assert.deepEqual(
          result.problems.filter((p) => p.fatal),
          [],
          path,
        );
        for (const f of result.findings)
          found.push(
            `${relative(join(root, app), path)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`,
          );
      }
      assert.deepEqual(found.sort(), [...findings].sort());
    });

    it(`${app}: fixing bad/ leaves code that parses, without the fixed findings and with no new ones`, async () => {
      for (const path of discoverFiles(join(root, app, 'bad'), { root: join(root, app, 'bad') })) {
        const text = readFileSync(path, 'utf8');
        const before = await analyzer.analyze({ path, text });
        if (!before.findings.some((f) => f.fix)) continue;
        // Every fix, scaffolds included: each must leave code that parses.
        const fixed = await fixAll(analyzer, { path, text }, { kinds: ['safe', 'scaffold'] });
        const document = await analyzer.parse({ path, text: fixed.text });
        try {
          const model = document.model;
          assert.ok(
            model && 'code' in model && !model.code.root.hasError,
            `${path} still parses after the fixes`,
          );
        } finally {
          document.dispose();
        }
        const after = await analyzer.analyze({ path, text: fixed.text });
        const unfixed = before.findings.filter((f) => !f.fix).map((f) => f.ruleId);
        // What is left are the findings without a fix (the hover explains them), nothing else.
        assert.deepEqual(after.findings.map((f) => f.ruleId).sort(), unfixed.sort(), path);
      }
    });
  }
});
