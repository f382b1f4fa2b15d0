import assert from 'node:assert/strict';
import { applicationOf } from '../../server/src/engine/code/application';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

describe('engine/code/application', () => {
  it('finds the nearest package.json, its dependencies and the other sources of the app', () => {
    const workspace = inMemoryWorkspace({
      '/repo/.git': '',
      '/repo/package.json': JSON.stringify({ devDependencies: { eslint: '9' } }),
      '/repo/services/api/package.json': JSON.stringify({
        dependencies: { express: '4', 'prom-client': '15' },
      }),
      '/repo/services/api/src/app.js': 'app',
      '/repo/services/api/src/routes/users.ts': 'users',
      '/repo/services/api/src/types.d.ts': 'types',
      '/repo/services/api/node_modules/express/index.js': 'dependency',
      '/repo/services/api/README.md': 'docs',
    });
    const app = applicationOf('/repo/services/api/src/app.js', workspace, 'js');
    assert.equal(app.root, '/repo/services/api');
    assert.deepEqual(app.manifests, ['/repo/services/api/package.json', '/repo/package.json']);
    assert.deepEqual([...app.dependencies].sort(), ['eslint', 'express', 'prom-client']);
    assert.deepEqual(
      app.otherSources().map((s) => s.path),
      ['/repo/services/api/src/routes/users.ts'],
    );
  });

  it('reads Python requirements (with includes), pyproject, Pipfile and setup.cfg', () => {
    const workspace = inMemoryWorkspace({
      '/svc/requirements.txt': '-r requirements/base.txt\nFlask==3.0  # web\n--index-url https://example\n',
      '/svc/requirements/base.txt': 'prometheus_client>=0.20\nSQLAlchemy[asyncio]~=2.0\n',
      '/svc/requirements-dev.txt': 'pytest\n',
      '/svc/pyproject.toml':
        '[project]\ndependencies = ["httpx>=0.27", "opentelemetry-sdk"]\n[tool.poetry.dependencies]\nredis = "^5"\n',
      '/svc/Pipfile': '[packages]\ndjango = "*"\n',
      '/svc/setup.cfg': '[options]\ninstall_requires =\n    sentry-sdk\n',
      '/svc/app/main.py': '',
    });
    const app = applicationOf('/svc/app/main.py', workspace, 'py');
    assert.equal(app.root, '/svc');
    for (const name of [
      'flask',
      'prometheus-client',
      'sqlalchemy',
      'pytest',
      'httpx',
      'opentelemetry-sdk',
      'redis',
      'django',
      'sentry-sdk',
    ])
      assert.ok(app.dependencies.has(name), name);
  });

  it("falls back to the file's folder without a manifest, and knows nothing without a listing", () => {
    const files = { '/lone/app.py': '', '/lone/other.py': 'x' };
    const app = applicationOf('/lone/app.py', inMemoryWorkspace(files), 'py');
    assert.equal(app.root, '/lone');
    assert.deepEqual(
      app.otherSources().map((s) => s.path),
      ['/lone/other.py'],
    );
    const blind = applicationOf('/lone/app.py', { exists: () => false, read: () => undefined }, 'py');
    assert.deepEqual(blind.otherSources(), []);
  });
});
