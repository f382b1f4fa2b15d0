import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/fixes';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import { Project } from '../../../server/src/project/project';
import rule from '../../../server/src/rules/cfn/health-check-path-not-served';
import { projectOver, analyse, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const root = join(repo, 'test', 'fixtures', 'applications', 'ecs-health-check');

function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} «${text.slice(f.span.start, f.span.end)}» ${f.severity}`,
  );
}

function relatedOf(result: AnalysisResult, index: number, base: string): string[] {
  return (result.findings[index].related ?? []).map(
    (r) => `${relative(base, r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`,
  );
}

/** The fixture's files, read into a workspace in memory under `/w`, with some replaced. */
function variant(changes: Record<string, string | undefined>): {
  project: Project;
  files: Record<string, string>;
} {
  const files: Record<string, string> = {};
  for (const name of [
    'infra/template.yaml',
    'docker-compose.yml',
    'orders-api/Dockerfile',
    'orders-api/package.json',
    'orders-api/server.js',
    'orders-api/routes/orders.js',
  ])
    files[name] = read(join(root, name));
  for (const [name, text] of Object.entries(changes)) {
    if (text === undefined) delete files[name];
    else files[name] = text;
  }
  const workspace = inMemoryWorkspace(
    Object.fromEntries(Object.entries(files).map(([path, text]) => [join('/w', path), text])),
  );
  return { project: projectOver('/w', [rule], workspace), files };
}

async function findingsOf(changes: Record<string, string | undefined>, file: string): Promise<string[]> {
  const { project, files } = variant(changes);
  const result = await analyse(project, join('/w', file), files[file]);
  return found(result, files[file]);
}

const server = read(join(root, 'orders-api', 'server.js'));

describe('auto-recovery/health-check-path-not-served', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    assert.ok(rule.id.startsWith(`${rule.lesson}/`));
    for (const field of ['what', 'why', 'fix'] as const)
      assert.ok((rule.docs[field] ?? '').length > 40, field);
    assert.ok(rule.docs.example.code.trim() && rule.docs.useInstead.code.trim());
    assert.ok((rule.docs.references ?? []).length > 0, 'references');
    assert.deepEqual(rule.equivalents, []);
    assert.equal(rule.fix, 'scaffold');
    assert.equal(rule.severity, 'warning');
    assert.deepEqual([...rule.kinds].sort(), ['cfn', 'compose', 'docker']);
  });

  describe('the target group of an ECS service that runs the code', () => {
    it('flags a HealthCheckPath no route serves, names the routes and points at them', async () => {
      const path = join(root, 'infra', 'template.yaml');
      const text = read(path);
      const result = await analyse(projectOver(root, [rule]), path, text);
      assert.deepEqual(found(result, text), ['12:24-12:31 «/health» warning']);
      assert.equal(
        result.findings[0].message,
        'The health check of target group OrdersTargets requests `/health`, but the code it checks (orders-api) registers no route that serves it (it serves `/healthz`, `/orders`, `/orders/:id`): every check gets a 404, the targets never turn healthy, and ECS keeps replacing the tasks of OrdersService.',
      );
      assert.deepEqual(relatedOf(result, 0, root), [
        'orders-api/server.js:7:9 the app registers `/healthz` here',
        'orders-api/routes/orders.js:5:12 the app registers `/orders` here',
        'orders-api/routes/orders.js:6:12 the app registers `/orders/:id` here',
      ]);
    });

    it('offers to check the one health route the app serves', async () => {
      const path = join(root, 'infra', 'template.yaml');
      const text = read(path);
      const result = await analyse(projectOver(root, [rule]), path, text);
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(fix.kind, 'scaffold');
      assert.equal(fix.title, 'Check `/healthz`, the health route the app serves');
      assert.match(applyEdits(text, fix.edits), /HealthCheckPath: \/healthz\n/);
    });

    it('has no fix when the app serves two health-like routes', async () => {
      const { project, files } = variant({
        'orders-api/server.js': server.replace(
          "app.get('/healthz'",
          "app.get('/ping', (req, res) => res.send('pong'));\napp.get('/healthz'",
        ),
      });
      const result = await analyse(project, '/w/infra/template.yaml', files['infra/template.yaml']);
      assert.equal(result.findings.length, 1);
      assert.equal(result.findings[0].fix, undefined);
    });

    it('leaves a path the app serves alone, exactly or through a parameter', async () => {
      const template = read(join(root, 'infra', 'template.yaml'));
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template.replace('HealthCheckPath: /health', 'HealthCheckPath: /healthz'),
          },
          'infra/template.yaml',
        ),
        [],
      );
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template.replace(
              'HealthCheckPath: /health',
              "HealthCheckPath: '/orders/ping'",
            ),
          },
          'infra/template.yaml',
        ),
        [],
      );
    });

    it('counts the default `/` only when the app serves no `/`', async () => {
      const template = read(join(root, 'infra', 'template.yaml')).replace(
        '      HealthCheckPath: /health\n',
        '',
      );
      assert.deepEqual(await findingsOf({ 'infra/template.yaml': template }, 'infra/template.yaml'), [
        '5:3-5:16 «OrdersTargets» warning',
      ]);
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template,
            'orders-api/server.js': server.replace(
              "app.get('/healthz'",
              "app.get('/', (req, res) => res.send('ok'));\napp.get('/healthz'",
            ),
          },
          'infra/template.yaml',
        ),
        [],
      );
    });

    it('says nothing when it cannot see every route', async () => {
      const template = read(join(root, 'infra', 'template.yaml'));
      const cases: Record<string, string> = {
        'static files': server.replace(
          'app.use(express.json());',
          "app.use(express.json());\napp.use(express.static('public'));",
        ),
        'a catch-all route': server.replace(
          'app.use((req, res) => res.status(404)',
          "app.get('*', (req, res) => res.send('spa'));\napp.use((req, res) => res.status(404)",
        ),
        'a path built at run time': server.replace("app.get('/healthz'", 'app.get(HEALTH_PATH'),
        'a router mounted above the path': server.replace(
          "app.use('/orders', orders);",
          "app.use('/', orders);",
        ),
        'middleware from a package': server.replace(
          'app.use(express.json());',
          "app.use(require('express-healthcheck')());",
        ),
        'a middleware that answers by itself': server.replace(
          'app.use(express.json());',
          "app.use((req, res, next) => (req.path === '/health' ? res.send('ok') : next()));",
        ),
        'a framework not read here': `const { NestFactory } = require('@nestjs/core');\n${server}`,
      };
      for (const [name, text] of Object.entries(cases))
        assert.deepEqual(
          await findingsOf(
            { 'orders-api/server.js': text, 'infra/template.yaml': template },
            'infra/template.yaml',
          ),
          [],
          name,
        );
    });

    it('says nothing for a target group in front of another container, or when no service runs the code', async () => {
      const template = read(join(root, 'infra', 'template.yaml'));
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template.replace('- ContainerName: orders-api', '- ContainerName: envoy'),
          },
          'infra/template.yaml',
        ),
        [],
      );
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template.replace(
              'TargetGroupArn: !Ref OrdersTargets',
              'TargetGroupArn: !ImportValue shared-targets',
            ),
          },
          'infra/template.yaml',
        ),
        [],
      );
      // A TCP target group (a Network Load Balancer) checks no path.
      assert.deepEqual(
        await findingsOf(
          {
            'infra/template.yaml': template
              .replace('Protocol: HTTP', 'Protocol: TCP')
              .replace('      HealthCheckPath: /health\n', ''),
          },
          'infra/template.yaml',
        ),
        [],
      );
    });
  });

  describe('container health checks', () => {
    it('flags the URL of a Dockerfile HEALTHCHECK no route serves, and fixes its path', async () => {
      const path = join(root, 'orders-api', 'Dockerfile');
      const text = read(path);
      const result = await analyse(projectOver(root, [rule]), path, text);
      assert.deepEqual(found(result, text), ['7:42-7:70 «http://localhost:3000/health» warning']);
      assert.match(
        result.findings[0].message,
        /^This health check requests `\/health`, but the code in the image \(orders-api\) registers no route that serves it/,
      );
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.match(applyEdits(text, fix.edits), /curl -fsS http:\/\/localhost:3000\/healthz \|\| exit 1/);
    });

    it('flags the URL of a compose healthcheck of a service that builds the code', async () => {
      const path = join(root, 'docker-compose.yml');
      const text = read(path);
      const result = await analyse(projectOver(root, [rule]), path, text);
      assert.deepEqual(found(result, text), ['7:36-7:64 «http://localhost:3000/health» warning']);
      assert.deepEqual(
        relatedOf(result, 0, root)[0],
        'orders-api/server.js:7:9 the app registers `/healthz` here',
      );
    });

    it('leaves a health check that requests a served path, or is not HTTP, alone', async () => {
      const dockerfile = read(join(root, 'orders-api', 'Dockerfile'));
      assert.deepEqual(
        await findingsOf(
          { 'orders-api/Dockerfile': dockerfile.replace('3000/health ', '3000/healthz ') },
          'orders-api/Dockerfile',
        ),
        [],
      );
      assert.deepEqual(
        await findingsOf(
          {
            'orders-api/Dockerfile': dockerfile.replace(
              'curl -fsS http://localhost:3000/health',
              'node healthcheck.js',
            ),
          },
          'orders-api/Dockerfile',
        ),
        [],
      );
      // The placeholder the no-healthcheck scaffold writes, its comment still asking for the path.
      assert.deepEqual(
        await findingsOf(
          {
            'orders-api/Dockerfile': dockerfile.replace(
              'HEALTHCHECK',
              '# replace /health with your health endpoint\nHEALTHCHECK',
            ),
          },
          'orders-api/Dockerfile',
        ),
        [],
      );
      const compose = read(join(root, 'docker-compose.yml'));
      assert.deepEqual(
        await findingsOf(
          { 'docker-compose.yml': compose.replace('3000/health', '3000/orders/7') },
          'docker-compose.yml',
        ),
        [],
      );
    });

    it('reads Flask routes, blueprints and their prefixes', async () => {
      const files = {
        'api/Dockerfile':
          'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://127.0.0.1:8000/api/health || exit 1\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
        'api/requirements.txt': 'flask\ngunicorn\n',
        'api/app.py':
          "from flask import Flask\nfrom views import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix='/v1')\n\n\n@app.route('/ping')\ndef ping():\n    return 'pong'\n",
        'api/views.py':
          "from flask import Blueprint\n\nbp = Blueprint('v1', __name__)\n\n\n@bp.get('/items/<int:item_id>')\ndef item(item_id):\n    return {'id': item_id}\n",
      };
      const workspace = inMemoryWorkspace(
        Object.fromEntries(Object.entries(files).map(([p, t]) => [join('/p', p), t])),
      );
      const project = projectOver('/p', [rule], workspace);
      const result = await analyse(project, '/p/api/Dockerfile', files['api/Dockerfile']);
      assert.deepEqual(found(result, files['api/Dockerfile']), [
        '4:25-4:57 «http://127.0.0.1:8000/api/health» warning',
      ]);
      assert.match(
        result.findings[0].message,
        /registers no route that serves it \(it serves `\/ping`, `\/items\/<int:item_id>`\)/,
      );
      // Under the blueprint's prefix, a path may be served by the blueprint: nothing is said.
      const under = files['api/Dockerfile'].replace('/api/health', '/v1/health');
      const again = await analyse(
        projectOver(
          '/p',
          [rule],
          inMemoryWorkspace({
            ...Object.fromEntries(Object.entries(files).map(([p, t]) => [join('/p', p), t])),
            '/p/api/Dockerfile': under,
          }),
        ),
        '/p/api/Dockerfile',
        under,
      );
      assert.deepEqual(found(again, under), []);
    });
  });
});
