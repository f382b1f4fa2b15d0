import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import type { FileEdits } from '../../../server/src/engine/applications';
import { applyEdits } from '../../../server/src/engine/fixes';
import { fixKinds, type Rule } from '../../../server/src/engine/rule';
import { Project } from '../../../server/src/project/project';
import acrossCopies from '../../../server/src/rules/code/in-memory-state-across-copies';
import sessionStore from '../../../server/src/rules/code/in-memory-session-store';
import moduleState from '../../../server/src/rules/code/module-level-mutable-state';
import { allRules } from '../../../server/src/rules';
import { projectOver, analyse, memory, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'applications');
const rules: Rule[] = [acrossCopies, sessionStore, moduleState];

/** Each finding as `rule line:column «text»`, so that a failure shows what was found where. */
function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} «${text.slice(f.span.start, f.span.end)}»`,
  );
}

describe('local-state/in-memory-state-across-copies', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    const rule = acrossCopies;
    assert.ok(rule.id.startsWith(`${rule.lesson}/`));
    for (const field of ['what', 'why', 'fix'] as const)
      assert.ok((rule.docs[field] ?? '').length > 40, field);
    assert.ok(rule.docs.example.code.trim() && rule.docs.useInstead.code.trim());
    assert.ok((rule.docs.references ?? []).length > 0, 'references');
    assert.deepEqual(rule.equivalents, []);
    assert.equal(rule.fix, 'scaffold');
    assert.deepEqual(rule.kinds.sort(), ['js', 'py']);
  });

  describe('Express + compose + Redis', () => {
    const root = join(fixtures, 'express-compose-redis');
    const server = join(root, 'web', 'server.js');
    const compose = join(root, 'docker-compose.yml');

    it('flags the sessions and the Map of a service with three replicas, once each, pointing at compose', async () => {
      const text = read(server);
      const result = await analyse(projectOver(root, rules), server, text);
      assert.deepEqual(found(result, text), [
        'local-state/in-memory-state-across-copies 7:9 «session»',
        'local-state/in-memory-state-across-copies 10:3 «visits.set»',
      ]);
      assert.match(
        result.findings[0].message,
        /compose service web runs this code as 3 replicas \(docker-compose\.yml\)/,
      );
      assert.match(
        result.findings[0].message,
        /The compose service cache \(redis\) declared in docker-compose\.yml can hold them\./,
      );
      assert.deepEqual(
        result.findings[0].related?.map(
          (r) => `${relative(root, r.path)}:${r.range.start.line + 1} ${r.message}`,
        ),
        [
          'docker-compose.yml:9 compose service web runs this code as 3 replicas',
          'docker-compose.yml:10 compose service cache (redis) is declared here: a store all copies can share',
        ],
      );
      // The single-file findings at the same spots were replaced, not repeated.
      assert.deepEqual(result.suppressed, []);
    });

    it('fixes the sessions in the code and gives the compose service the variable, in one fix', async () => {
      const text = read(server);
      const result = await analyse(projectOver(root, rules), server, text);
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(fix.kind, 'scaffold');
      assert.equal(fix.title, 'Keep sessions in compose service cache (redis) (connect-redis, REDIS_URL)');
      assert.equal(
        applyEdits(text, fix.edits),
        text
          .replace(
            "const session = require('express-session');\n",
            "const session = require('express-session');\n" +
              "const { RedisStore } = require('connect-redis');\n" +
              "const { createClient } = require('redis');\n\n" +
              '// Sessions live in Redis, so that every instance can serve every user\n' +
              '// (REDIS_URL, e.g. redis://sessions:6379).\n' +
              'const redisClient = createClient({ url: process.env.REDIS_URL });\n' +
              'redisClient.connect().catch(console.error);\n' +
              'const sessionStore = new RedisStore({ client: redisClient });\n',
          )
          .replace('saveUninitialized: false }', 'saveUninitialized: false, store: sessionStore }'),
      );
      assert.deepEqual(
        fix.otherFiles?.map((f) => [f.path, applyEdits(f.text, f.edits)]),
        [
          [
            compose,
            read(compose).replace(
              '      - NODE_ENV=production\n',
              '      - NODE_ENV=production\n      - REDIS_URL=redis://cache:6379\n',
            ),
          ],
        ],
      );
    });

    it('says nothing more than the single-file rules when compose runs one replica', async () => {
      const files = {
        'docker-compose.yml': read(compose).replace('replicas: 3', 'replicas: 1'),
        'web/server.js': read(server),
        'web/package.json': read(join(root, 'web', 'package.json')),
      };
      const project = projectOver('/app', rules, memory('/app', files));
      const result = await analyse(project, '/app/web/server.js', files['web/server.js']);
      assert.deepEqual(found(result, files['web/server.js']), [
        'local-state/in-memory-session-store 7:9 «session»',
        'local-state/module-level-mutable-state 10:3 «visits.set»',
      ]);
    });

    it('keeps the variable a runtime already reads, and adds it only where it is missing', async () => {
      const files: Record<string, string> = {
        'docker-compose.yml': read(compose).replace(
          '      - NODE_ENV=production\n',
          '      - SESSIONS_REDIS=redis://cache:6379/1\n',
        ),
        'web/server.js': read(server),
        'infra/template.yaml': [
          "AWSTemplateFormatVersion: '2010-09-09'",
          'Resources:',
          '  Sessions:',
          '    Type: AWS::ElastiCache::ReplicationGroup',
          '    Properties:',
          '      ReplicationGroupDescription: sessions',
          '      TransitEncryptionEnabled: true',
          '  Task:',
          '    Type: AWS::ECS::TaskDefinition',
          '    Properties:',
          '      ContainerDefinitions:',
          '        - Name: web',
          '          Image: example/guestbook-web:1.0',
          '  Service:',
          '    Type: AWS::ECS::Service',
          '    Properties:',
          '      TaskDefinition: !Ref Task',
          '      DesiredCount: 4',
          '',
        ].join('\n'),
      };
      // The image is named after the app's manifest, not after its generic folder.
      files['web/package.json'] = '{ "name": "guestbook-web" }';
      const project = projectOver('/app', rules, memory('/app', files));
      const result = await analyse(project, '/app/web/server.js', files['web/server.js']);
      assert.match(
        result.findings[0].message,
        /ECS service Service runs this code as 4 tasks \(infra\/template\.yaml\)/,
      );
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(fix.title, 'Keep sessions in ElastiCache Redis Sessions (connect-redis, SESSIONS_REDIS)');
      assert.match(
        applyEdits(files['web/server.js'], fix.edits),
        /createClient\(\{ url: process\.env\.SESSIONS_REDIS \}\)/,
      );
      const edited = (fix.otherFiles ?? []).map((f: FileEdits) => [
        relative('/app', f.path),
        applyEdits(f.text, f.edits),
      ]);
      assert.deepEqual(edited, [
        [
          'infra/template.yaml',
          files['infra/template.yaml'].replace(
            '          Image: example/guestbook-web:1.0\n',
            '          Image: example/guestbook-web:1.0\n' +
              '          Environment:\n' +
              '            - Name: SESSIONS_REDIS\n' +
              '              Value: !Sub rediss://${Sessions.PrimaryEndPoint.Address}:${Sessions.PrimaryEndPoint.Port}\n',
          ),
        ],
      ]);
    });

    it('is silenced where the single-file finding is suppressed', async () => {
      const text = read(server).replace(
        'app.use(session(',
        '// cloud-lessons-disable-next-line local-state/in-memory-session-store -- sticky sessions until the move\napp.use(session(',
      );
      const result = await analyse(projectOver(root, rules), server, text);
      assert.deepEqual(found(result, text), ['local-state/in-memory-state-across-copies 11:3 «visits.set»']);
      assert.deepEqual(result.suppressed.map((f) => f.ruleId).sort(), [
        'local-state/in-memory-session-store',
        'local-state/in-memory-state-across-copies',
      ]);
    });
  });

  describe('Flask on Lambda via SAM', () => {
    const root = join(fixtures, 'flask-sam');

    it('flags a list the Flask app keeps, in the function that CodeUri packages', async () => {
      const path = join(root, 'src', 'app.py');
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), [
        'local-state/in-memory-state-across-copies 10:5 «orders.append»',
      ]);
      assert.match(
        result.findings[0].message,
        /Lambda function WebFunction runs this code as one execution environment per concurrent request \(template\.yaml\).*The DynamoDB table SessionsTable declared in template\.yaml is shared by every copy\./,
      );
      assert.equal(result.findings[0].fix, undefined, 'module state has no fix');
    });

    it('leaves code outside the CodeUri to the single-file rule', async () => {
      const path = join(root, 'scripts', 'seed.py');
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), ['local-state/module-level-mutable-state 9:5 «seen.append»']);
    });

    it('leaves a function limited to one environment to the single-file rule', async () => {
      const files = {
        'template.yaml': read(join(root, 'template.yaml')).replace(
          '      Handler: app.handler\n',
          '      Handler: app.handler\n      ReservedConcurrentExecutions: 1\n',
        ),
        'src/app.py': read(join(root, 'src', 'app.py')),
      };
      const result = await analyse(
        projectOver('/sam', rules, memory('/sam', files)),
        '/sam/src/app.py',
        files['src/app.py'],
      );
      assert.deepEqual(found(result, files['src/app.py']), [
        'local-state/module-level-mutable-state 10:5 «orders.append»',
      ]);
    });
  });

  describe('a worker on ECS with SQS', () => {
    const root = join(fixtures, 'ecs-sqs-worker');
    const path = join(root, 'worker', 'index.js');

    it('flags job progress kept in memory by a service that scales out, linked by its ECR repository', async () => {
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), [
        'local-state/in-memory-state-across-copies 11:3 «progress[id]»',
      ]);
      assert.match(
        result.findings[0].message,
        /ECS service WorkerService runs this code as up to 4 tasks \(auto scaling\) \(infra\/stack\.yaml\)/,
      );
      assert.deepEqual(
        result.findings[0].related?.map((r) => `${relative(root, r.path)}:${r.range.start.line + 1}`),
        ['infra/stack.yaml:53', 'infra/stack.yaml:8'],
      );
    });

    it('leaves a single task without scaling or load balancer to the single-file rule', async () => {
      const stack = read(join(root, 'infra', 'stack.yaml'));
      const files = {
        'infra/stack.yaml': stack.slice(0, stack.indexOf('  WorkerScaling:')),
        'worker/index.js': read(path),
        'worker/package.json': read(join(root, 'worker', 'package.json')),
        'worker/Dockerfile': read(join(root, 'worker', 'Dockerfile')),
      };
      const result = await analyse(
        projectOver('/w', rules, memory('/w', files)),
        '/w/worker/index.js',
        files['worker/index.js'],
      );
      assert.deepEqual(found(result, files['worker/index.js']), [
        'local-state/module-level-mutable-state 11:3 «progress[id]»',
      ]);
    });
  });

  describe('the examples', () => {
    const root = join(repo, 'examples');
    const server = join(root, 'shop-api', 'server.js');

    it('show that the sessions of shop-api break its two-task service, with the fix that uses the declared cache', async () => {
      const text = read(server);
      const project = projectOver(root, rules);
      const result = await analyse(project, server, text);
      const finding = result.findings.find((f) => f.ruleId === acrossCopies.id);
      assert.ok(finding);
      assert.match(
        finding.message,
        /ECS service ShopApiService runs this code as 2 tasks \(infra\/template\.yaml\)/,
      );
      assert.match(
        finding.message,
        /ElastiCache Redis SessionCache declared in infra\/template\.yaml can hold them/,
      );
      const fixed = await project.fixAll({ path: server, text }, fixKinds, { otherFiles: true });
      assert.match(fixed.text, /store: sessionStore/);
      const others = Object.fromEntries(
        fixed.otherFiles.map((f) => [relative(root, f.path), applyEdits(f.text, f.edits)]),
      );
      assert.deepEqual(Object.keys(others).sort(), ['docker-compose.yml', 'infra/template.yaml']);
      assert.match(
        others['docker-compose.yml'],
        /PAYMENTS_URL: http:\/\/payments:8080\n {6}REDIS_URL: redis:\/\/cache:6379\n/,
      );
      assert.match(
        others['infra/template.yaml'],
        / {12}- Name: REDIS_URL\n {14}Value: !Sub redis:\/\/\$\{SessionCache\.RedisEndpoint\.Address\}:\$\{SessionCache\.RedisEndpoint\.Port\}\n/,
      );
      // Applied to all three files, the sessions are in Redis and every runtime gives REDIS_URL.
      const copy = mkdtempSync(join(tmpdir(), 'cloud-lessons-examples-'));
      cpSync(root, copy, { recursive: true });
      writeFileSync(join(copy, 'shop-api', 'server.js'), fixed.text);
      for (const [path, text] of Object.entries(others)) writeFileSync(join(copy, path), text);
      const everything = new Project({ rules: allRules, roots: [copy], config: { kind: 'none' } });
      const after = await everything.analyze({ path: join(copy, 'shop-api', 'server.js'), text: fixed.text });
      assert.deepEqual(
        after.findings
          .filter((f) => f.ruleId === acrossCopies.id || /REDIS_URL/.test(f.message))
          .map((f) => f.message),
        [],
      );
      for (const path of Object.keys(others)) {
        const text = readFileSync(join(copy, path), 'utf8');
        const parsed = await everything.analyze({ path: join(copy, path), text });
        assert.deepEqual(
          parsed.problems.filter((p) => p.fatal),
          [],
          `${path} still parses`,
        );
      }
    });
  });
});
