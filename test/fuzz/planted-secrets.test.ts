import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeActions } from '../../server/src/features/actions';
import { validate } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { testSession, uriOf } from '../features/harness';

/**
 * Known secrets of every shape the rules find, planted in every kind of file (one template with
 * the secret on a line that does not parse), must not appear in any output: the CLI in every
 * format, and the server's diagnostics, hovers and code action titles.
 */

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

const secrets = {
  password: 'Kx9#mQ2vLp7$wR4t',
  urlPassword: 'Sh0p@Db2024x',
  githubToken: 'ghp_R7kP2mXq9LwZ4vT8nB3cY6dF1gH5jK0sA2eU',
  awsSecret: 'q7Rz2LmX9vKp4TwN8bYc3JdF6hG1sA5eU0iO2lQx',
  composePassword: 'Jh4&nR8tYc2#vL6p',
  brokenLine: 'Tq8!zN3rWx5$kM7v',
};

const files: Record<string, string> = {
  'infra/template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUsername: shop
      MasterUserPassword: '${secrets.password}'
`,
  'infra/broken.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: "${secrets.brokenLine}
      Engine: [postgres
`,
  'api/Dockerfile': `FROM node:20.11-alpine
ENV DB_PASSWORD=${secrets.password}
RUN git clone https://${secrets.githubToken}@github.com/shop/api.git /app
USER node
CMD ["node", "/app/server.js"]
`,
  'docker-compose.yml': `services:
  db:
    image: postgres:16.2
    restart: unless-stopped
    environment:
      POSTGRES_PASSWORD: '${secrets.composePassword}'
  api:
    image: shop/api:1.2.3
    restart: unless-stopped
    environment:
      DATABASE_URL: postgres://shop:${secrets.urlPassword}@db:5432/shop
`,
  'api/server.js': `const express = require('express');
const app = express();
const dbPassword = '${secrets.password}';
const githubToken = '${secrets.githubToken}';
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);
`,
  'worker/app.py': `import boto3

AWS_SECRET_ACCESS_KEY = "${secrets.awsSecret}"
DATABASE_URL = "postgres://shop:${secrets.urlPassword}@db:5432/shop"
`,
};

function workspace(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-planted-')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function leaks(output: string): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => output.includes(value))
    .map(([name]) => name);
}

describe('planted secrets', () => {
  const dir = workspace();

  for (const format of ['text', 'json', 'sarif', 'junit', 'github', 'markdown', 'html']) {
    it(`appear in no ${format} output of the CLI`, () => {
      const run = spawnSync(process.execPath, [cli, '--no-config', '--format', format, '.'], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(run.status, 1, run.stderr);
      assert.ok(run.stdout.length > 0);
      assert.deepEqual(leaks(run.stdout + run.stderr), []);
    });
  }

  it('the secrets are found (the test plants what the rules recognise)', () => {
    const run = spawnSync(process.execPath, [cli, '--no-config', '--format', 'json', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout) as { files: { path: string; findings: { ruleId: string }[] }[] };
    const secretRules = (path: string) =>
      report.files
        .find((f) => f.path === path)
        ?.findings.filter((f) => /secret|credential|password/.test(f.ruleId)).length ?? 0;
    for (const path of Object.keys(files).filter((p) => p !== 'infra/broken.yaml'))
      assert.ok(secretRules(path) > 0, `a secret finding in ${path}`);
  });

  it('appear in no diagnostic, hover or code action title of the server', async () => {
    const { session, documents, logged, published } = testSession([dir]);
    const seen: string[] = [];
    for (const [path, text] of Object.entries(files)) {
      const uri = uriOf(dir, path);
      const document = documents.set(uri, text, path.endsWith('.py') ? 'python' : 'plaintext');
      await validate(session, uri);
      const diagnostics = published.find((p) => p.uri === uri)?.diagnostics ?? [];
      assert.ok(diagnostics.length > 0, `diagnostics for ${path}`);
      seen.push(...diagnostics.map((d) => d.message));
      for (const diagnostic of diagnostics) {
        const answer = await hover(session, { textDocument: { uri }, position: diagnostic.range.start });
        if (answer) seen.push(JSON.stringify(answer.contents));
        const actions = await codeActions(session, {
          textDocument: { uri },
          range: diagnostic.range,
          context: { diagnostics: [diagnostic] },
        });
        seen.push(...actions.map((a) => a.title));
      }
      assert.ok(document.getText().length > 0);
    }
    seen.push(...logged);
    assert.deepEqual(leaks(seen.join('\n')), []);
  });
});
