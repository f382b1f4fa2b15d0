import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineRule, type Rule } from '../../server/src/engine/rule';
import { Project } from '../../server/src/project/project';
import { allRules } from '../../server/src/rules';
import { TestClient } from '../lsp/client';

const repo = join(__dirname, '..', '..');
const cli = join(repo, 'dist', 'cli.js');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-project-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function runCli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Seen {
  [path: string]: string[];
}

/** Every finding of the CLI's JSON as `line:col severity rule`, by path relative to `dir`. */
function cliFindings(dir: string): Seen {
  const r = runCli(['--format', 'json', '.'], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(r.stdout) as {
    files: {
      path: string;
      findings: { ruleId: string; severity: string; range: { start: { line: number; character: number } } }[];
    }[];
  };
  const seen: Seen = {};
  for (const file of report.files)
    // The same set; the order within a spot is each front-end's (the editor puts the most severe first).
    seen[file.path] = file.findings
      .map((f) => `${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.ruleId}`)
      .sort();
  return seen;
}

const lspSeverity = ['', 'error', 'warning', 'info', 'hint'];

/** The same, as the language server publishes it for each file opened in an editor whose workspace is `dir`. */
async function editorFindings(dir: string, paths: string[]): Promise<Seen> {
  const client = new TestClient();
  try {
    await client.initialize({}, { workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'monorepo' }] });
    const seen: Seen = {};
    for (const path of paths) {
      const uri = pathToFileURL(join(dir, path)).href;
      const languageId = path.endsWith('.js') ? 'javascript' : path.endsWith('.json') ? 'json' : 'yaml';
      client.open(uri, languageId, readFileSync(join(dir, path), 'utf8'));
      const published = await client.diagnostics(uri);
      seen[path] = published.diagnostics
        .filter((d) => !['syntax', 'document', 'config'].includes(d.code))
        .map((d) => `${d.range.start.line}:${d.range.start.character} ${lspSeverity[d.severity]} ${d.code}`)
        .sort();
    }
    return seen;
  } finally {
    await client.stop();
  }
}

const api = `const express = require('express');
const axios = require('axios');
const app = express();
app.get('/orders', async (req, res) => {
  const r = await axios.get('https://stock.internal/items');
  res.json(r.data);
});
app.listen(3000);
`;

const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

/** A monorepo: a root configuration, a service that narrows it, an override, an ignore, and `root: true` below. */
const monorepo = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.cloud-lessons.yaml':
    // unmeasured-service is strict-only: switched on here, off again below.
    'lessons:\n  embrace-failure: error\nrules:\n  private-network/public-database: warning\n  measure-everything/unmeasured-service: info\n',
  'services/api/.cloud-lessons.yaml': [
    'rules:',
    '  measure-everything/unmeasured-service: off',
    'ignore:',
    '  - generated/',
    'overrides:',
    "  - files: ['legacy/**']",
    '    lessons: { embrace-failure: hint }',
    '',
  ].join('\n'),
  'services/api/package.json': '{"dependencies":{"express":"4","axios":"1"}}',
  'services/api/server.js': api,
  'services/api/legacy/old.js': api,
  'services/api/generated/client.js': api,
  'services/web/package.json': '{"dependencies":{"express":"4","axios":"1"}}',
  'services/web/server.js': api,
  'services/web/infra/template.yaml': template,
  'vendor/tool/.cloud-lessons.yaml': 'root: true\nrules:\n  embrace-failure/no-timeout: info\n',
  'vendor/tool/package.json': '{"dependencies":{"express":"4","axios":"1"}}',
  'vendor/tool/server.js': api,
  'infra/template.yaml': template,
};

describe('project model', () => {
  it('the CLI and the editor report the same findings for every file of a monorepo with nested configurations', async function () {
    this.timeout(60000);
    const dir = tree(monorepo);
    const fromCli = cliFindings(dir);
    assert.deepEqual(
      Object.keys(fromCli)
        .filter((path) => fromCli[path].length > 0)
        .sort(),
      [
        'infra/template.yaml',
        'services/api/legacy/old.js',
        'services/api/server.js',
        'services/web/infra/template.yaml',
        'services/web/server.js',
        'vendor/tool/server.js',
      ],
    );
    const fromEditor = await editorFindings(dir, Object.keys(fromCli));
    assert.deepEqual(fromEditor, fromCli);

    // What the configurations say, file by file.
    const has = (path: string, finding: string) => fromCli[path].some((f) => f.endsWith(finding));
    assert.ok(has('services/web/server.js', 'error embrace-failure/no-timeout'), 'root lesson setting');
    assert.ok(has('services/web/server.js', 'info measure-everything/unmeasured-service'));
    assert.ok(
      !fromCli['services/api/server.js'].some((f) => f.includes('unmeasured-service')),
      'nested rule off',
    );
    assert.ok(has('services/api/server.js', 'error embrace-failure/no-timeout'), 'root setting inherited');
    assert.ok(has('services/api/legacy/old.js', 'hint embrace-failure/no-timeout'), 'override by glob');
    assert.ok(
      has('vendor/tool/server.js', 'info embrace-failure/no-timeout'),
      'root: true stops the cascade',
    );
    assert.ok(has('infra/template.yaml', 'warning private-network/public-database'));
  });

  it('a package.json above the workspace changes nothing, in the CLI and in the editor', async function () {
    this.timeout(60000);
    const app = {
      'app/server.js': api,
      'app/package.json': '{"dependencies":{"express":"4"}}',
      // unmeasured-service, the probe of this test, is strict-only.
      'app/.cloud-lessons.yaml': 'rules:\n  measure-everything/unmeasured-service: info\n',
    };
    const alone = tree(app);
    // The same app under a parent folder whose package.json declares a metrics client.
    const nested = tree({ 'package.json': '{"dependencies":{"prom-client":"15"}}', ...app });
    const unmeasured = (seen: Seen) => seen['server.js'].filter((f) => f.includes('unmeasured-service'));
    const expected = unmeasured(cliFindings(join(alone, 'app')));
    assert.equal(expected.length, 1, 'the app alone is unmeasured');
    assert.deepEqual(unmeasured(cliFindings(join(nested, 'app'))), expected);
    assert.deepEqual(unmeasured(await editorFindings(join(nested, 'app'), ['server.js'])), expected);
    // In a repository, its top is the boundary.
    const inRepo = tree({
      'package.json': '{"dependencies":{"prom-client":"15"}}',
      'repo/.git/HEAD': 'x',
      ...prefix('repo/', app),
    });
    assert.deepEqual(
      runCli(['--format', 'json', 'app/server.js'], join(inRepo, 'repo')).stdout.includes(
        'unmeasured-service',
      ),
      true,
    );
  });

  it('--fix applies no scaffold on the examples; --fix-scaffolds does', function () {
    this.timeout(60000);
    const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-examples-'));
    cpSync(join(repo, 'examples'), dir, { recursive: true });
    const findings = () => {
      const report = JSON.parse(runCli(['--format', 'json', '.'], dir).stdout) as {
        files: { path: string; findings: { ruleId: string; fixKind?: string }[] }[];
      };
      return report.files.flatMap((f) => f.findings.map((x) => ({ path: f.path, ...x })));
    };
    const before = findings();
    assert.ok(
      before.some((f) => f.fixKind === 'scaffold'),
      'the examples have scaffold fixes',
    );
    assert.ok(
      before.some((f) => f.fixKind === 'safe'),
      'and safe ones',
    );
    const filesBefore = listFiles(dir);
    const text = () =>
      listFiles(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('\n');
    // What the scaffolds write: Multi-AZ, a dead-letter queue, IAM roles, Redis sessions, health checks.
    const scaffolded = [/MultiAZ/, /RedrivePolicy/, /AWS::IAM::Role/, /connect-redis/, /healthcheck:/];
    for (const written of scaffolded) assert.doesNotMatch(text(), written);
    assert.equal(runCli(['--fix', '.'], dir).code, 1);
    assert.deepEqual(
      findings().filter((f) => f.fixKind === 'safe'),
      [],
      'every safe fix applied',
    );
    for (const written of scaffolded) assert.doesNotMatch(text(), written, 'no scaffold applied by --fix');
    // Files created only by safe fixes (a .dockerignore).
    assert.deepEqual(
      listFiles(dir).filter((f) => !filesBefore.includes(f)),
      ['shop-api/.dockerignore'],
    );
    // On a fresh copy, scaffolds are applied on request (with the safe fixes, which would
    // otherwise make some of them unnecessary: a week of backups needs no backup plan).
    rmSync(dir, { recursive: true });
    cpSync(join(repo, 'examples'), dir, { recursive: true });
    assert.equal(runCli(['--fix', '--fix-scaffolds', '.'], dir).code, 1);
    for (const written of scaffolded) assert.match(text(), written, 'scaffolds applied on request');
  });

  it('--print-config says where every value comes from', () => {
    const dir = tree(monorepo);
    const r = runCli(['--print-config', 'services/api/legacy/old.js'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Configuration of services\/api\/legacy\/old\.js$/m);
    assert.match(
      r.stdout,
      /configuration files: \.cloud-lessons\.yaml, services\/api\/\.cloud-lessons\.yaml/,
    );
    assert.match(
      r.stdout,
      /^ {2}embrace-failure\/no-timeout +hint +services\/api\/\.cloud-lessons\.yaml overrides\[0\] \(legacy\/\*\*\), lesson embrace-failure$/m,
    );
    assert.match(r.stdout, /^ {2}private-network\/public-database +warning +\.cloud-lessons\.yaml rules$/m);
    assert.match(r.stdout, /^ {2}least-privilege\/root-user +warning +the rule’s default$/m);
    const json = JSON.parse(
      runCli(['--print-config', 'services/api/generated/client.js', '--format', 'json'], dir).stdout,
    );
    assert.deepEqual(json.ignored, { value: true, from: 'services/api/.cloud-lessons.yaml ignore' });
  });

  it('an invalid nested configuration stops the CLI with its file and line', () => {
    const dir = tree({ ...monorepo, 'services/web/.cloud-lessons.yaml': 'rules:\n  nope/nothing: error\n' });
    const r = runCli(['.'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /services\/web\/\.cloud-lessons\.yaml:2: Unknown rule "nope\/nothing"/);
  });

  it('presets: recommended leaves strict-only rules off, strict turns them on', async () => {
    const strictOnly: Rule = defineRule({
      id: 'embrace-failure/test-strict-only',
      lesson: 'embrace-failure',
      title: 'A rule for the presets test',
      severity: 'info',
      equivalents: [],
      fix: 'no',
      strictOnly: true,
      messages: { found: 'Found a file.' },
      docs: {
        what: 'Reports every JavaScript file, for this test only.',
        why: 'It shows which preset is in force.',
        example: { language: 'javascript', code: 'x' },
        useInstead: { language: 'javascript', code: 'y' },
      },
      checks: { js: ({ report }) => report({ at: { start: 0, end: 1 }, messageId: 'found' }) },
    });
    const dir = tree({
      '.git/HEAD': 'x',
      'a/app.js': 'x;\n',
      'b/.cloud-lessons.yaml': 'extends: strict\n',
      'b/app.js': 'x;\n',
      'b/c/.cloud-lessons.yaml': 'extends: recommended\n',
      'b/c/app.js': 'x;\n',
    });
    const project = new Project({ rules: [strictOnly], roots: [dir] });
    const count = async (path: string) =>
      (await project.analyze({ path: join(dir, path), text: 'x;\n' })).findings.length;
    assert.equal(await count('a/app.js'), 0, 'the default is recommended');
    assert.equal(await count('b/app.js'), 1, 'strict');
    assert.equal(await count('b/c/app.js'), 0, 'recommended again below');
  });

  it('extends a shared file inside the project, never one outside it', () => {
    const outside = tree({ 'base.yaml': 'lessons:\n  embrace-failure: off\n' });
    const dir = tree({
      '.git/HEAD': 'x',
      'shared/base.yaml': 'lessons:\n  embrace-failure: error\n',
      'svc/.cloud-lessons.yaml':
        'extends: [../shared/base.yaml]\nrules:\n  embrace-failure/no-timeout: warning\n',
    });
    mkdirSync(join(dir, 'svc', 'other'));
    writeFileSync(
      join(dir, 'svc', 'other', '.cloud-lessons.yaml'),
      `extends: ${relative(join(dir, 'svc', 'other'), join(outside, 'base.yaml'))}\n`,
    );
    const project = new Project({ rules: allRules, roots: [dir] });
    const rule = (id: string) => allRules.find((r) => r.id === id)!;
    const config = project.configFor(join(dir, 'svc', 'app.js'));
    assert.equal(
      config.chosenSetting(rule('embrace-failure/no-timeout')),
      'warning',
      'own rules after what they extend',
    );
    assert.equal(config.chosenSetting(rule('embrace-failure/single-az')), 'error', 'the extended file');
    assert.equal(config.chosenSetting(rule('async-event-driven/blocking-work-in-handler')), undefined);
    assert.deepEqual(config.files, [
      join(dir, 'svc', '.cloud-lessons.yaml'),
      join(dir, 'shared', 'base.yaml'),
    ]);
    const below = project.configFor(join(dir, 'svc', 'other', 'app.js'));
    assert.equal(
      below.chosenSetting(rule('embrace-failure/single-az')),
      'error',
      'the file outside is not read',
    );
  });
});

function prefix(before: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [before + path, text]));
}

function listFiles(dir: string, under = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...listFiles(dir, path));
    else found.push(path);
  }
  return found.sort();
}
