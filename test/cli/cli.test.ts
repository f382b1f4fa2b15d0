import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lessonIds } from '../../server/src/lessons/catalogue';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(args: string[], cwd = root, timeout = 20000) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first');
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: Date.now() - started,
    signal: result.signal,
  };
}

function workspace(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-cli-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const publicDb = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;

describe('CLI', () => {
  it('reports the examples as text grouped by file, with a summary, and exits 1', () => {
    const r = run(['examples']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      /^examples\/infra\/template\.yaml:43:27 error private-network\/public-database RDS database instance OrdersDb/m,
    );
    assert.match(r.stdout, /^examples\/shop-api\/Dockerfile:1:6 warning least-privilege\/root-user /m);
    // The sessions of shop-api break the two-task ECS service of the template: the finding names
    // both files, and the next lines point at the task count and at the declared cache.
    assert.match(
      r.stdout,
      /^examples\/shop-api\/server\.js:14:3 warning local-state\/in-memory-state-across-copies .*ECS service ShopApiService runs this code as 2 tasks \(examples\/infra\/template\.yaml\).*\n {2}examples\/infra\/template\.yaml:\d+:\d+ ECS service ShopApiService runs this code as 2 tasks\n {2}examples\/infra\/template\.yaml:\d+:\d+ ElastiCache Redis SessionCache is declared here/m,
    );
    assert.doesNotMatch(
      r.stdout,
      /local-state\/in-memory-session-store/,
      'said once, by the cross-file rule',
    );
    assert.match(
      r.stdout,
      /^examples\/catalog-service\/app\.py:\d+:\d+ warning embrace-failure\/no-timeout /m,
    );
    assert.match(
      r.stdout,
      /^\d+ findings \(\d+ errors, \d+ warnings(, \d+ info)?(, \d+ hints?)?\) in \d+ of \d+ files; \d+ fixable with --fix, \d+ with a scaffold \(--fix-scaffolds\)\.$/m,
    );
    assert.doesNotMatch(r.stdout, /AKIA2DEMOFAKEKEY7Q4Z|Sh0pDbPassw0rd2024/, 'secrets are masked');
  });

  it('writes the JSON contract with 0-based ranges', () => {
    const r = run(['--format', 'json', 'examples']);
    const report = JSON.parse(r.stdout);
    assert.equal(report.version, 1);
    assert.equal(report.tool.name, 'cloud-lessons');
    const template = report.files.find((f: { path: string }) => f.path === 'examples/infra/template.yaml');
    assert.equal(template.kind, 'cloudformation');
    // Rule packs grow: look at the finding of one rule.
    const finding = template.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'private-network/public-database',
    );
    assert.deepEqual(Object.keys(finding).sort(), [
      'equivalents',
      'fixKind',
      'fixable',
      'lesson',
      'message',
      'range',
      'ruleId',
      'severity',
    ]);
    assert.deepEqual(finding.range, { start: { line: 42, character: 26 }, end: { line: 42, character: 30 } });
    assert.equal(finding.fixable, true);
    assert.equal(finding.fixKind, 'safe');
    assert.ok(finding.equivalents.includes('CKV_AWS_17'));
    // A finding whose only fix is a scaffold is not fixable by --fix.
    const scaffold = template.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'async-event-driven/queue-no-dlq',
    );
    assert.deepEqual([scaffold.fixable, scaffold.fixKind], [false, 'scaffold']);
    // A cross-file finding names the other files as related places.
    const server = report.files.find((f: { path: string }) => f.path === 'examples/shop-api/server.js');
    const copies = server.findings.find(
      (f: { ruleId: string }) => f.ruleId === 'local-state/in-memory-state-across-copies',
    );
    assert.deepEqual(
      copies.related.map((r: { path: string; range: { start: { line: number } } }) => r.path),
      ['examples/infra/template.yaml', 'examples/infra/template.yaml', 'examples/docker-compose.yml'],
    );
    assert.equal(copies.fixKind, 'scaffold');
    assert.deepEqual(report.errors, []);
    assert.doesNotMatch(r.stdout, /AKIA2DEMOFAKEKEY7Q4Z|Sh0pDbPassw0rd2024/, 'secrets are masked');
  });

  it('writes SARIF 2.1.0 with rule help, locations and fixes', () => {
    const r = run(['--format', 'sarif', 'examples']);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    const rule = run0.tool.driver.rules.find(
      (x: { id: string }) => x.id === 'private-network/public-database',
    );
    assert.match(rule.help.markdown, /### What it flags|#### What it flags/);
    const result = run0.results.find(
      (x: { ruleId: string }) => x.ruleId === 'private-network/public-database',
    );
    assert.equal(result.level, 'error');
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: 43,
      startColumn: 27,
      endLine: 43,
      endColumn: 31,
    });
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'false');
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    const copies = run0.results.find(
      (x: { ruleId: string }) => x.ruleId === 'local-state/in-memory-state-across-copies',
    );
    assert.deepEqual(
      copies.relatedLocations.map(
        (l: { physicalLocation: { artifactLocation: { uri: string } } }) =>
          l.physicalLocation.artifactLocation.uri,
      ),
      ['examples/infra/template.yaml', 'examples/infra/template.yaml', 'examples/docker-compose.yml'],
    );
  });

  it('exits 0 on clean input, 1 on findings, 2 on usage errors', () => {
    const clean = workspace({ 'notes.txt': 'Remember to water the plants.\n' });
    assert.equal(run(['.'], clean).code, 0);
    const dirty = workspace({ 'template.yaml': publicDb });
    assert.equal(run(['.'], dirty).code, 1);
    // A warning only: it fails the run by default, not with --fail-on error.
    const warned = workspace({
      'app.py':
        'import requests\n\ndef orders():\n    return requests.get("https://api.example.com/orders")\n',
    });
    assert.equal(run(['.'], warned).code, 1);
    assert.equal(run(['--fail-on', 'error', '.'], warned).code, 0);
    const usage = run(['--format', 'xml', '.'], clean);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Unknown format "xml"/);
    assert.equal(run(['no-such-folder'], clean).code, 2);
  });

  it('honours .gitignore and skips node_modules', () => {
    const dir = workspace({
      '.gitignore': 'generated/\n',
      'generated/template.yaml': publicDb,
      'node_modules/pkg/template.yaml': publicDb,
      'infra/template.yaml': publicDb,
    });
    const report = JSON.parse(run(['--format', 'json', '.'], dir).stdout);
    assert.deepEqual(
      report.files.map((f: { path: string }) => f.path),
      ['infra/template.yaml'],
    );
  });

  it('applies a configuration file, and rejects an invalid one with its line', () => {
    const dir = workspace({
      'template.yaml': publicDb,
      '.cloud-lessons.yaml': 'rules:\n  private-network/public-database: off\n',
    });
    const configured = JSON.parse(run(['--format', 'json', '.'], dir).stdout);
    const template = configured.files.find((f: { path: string }) => f.path === 'template.yaml');
    assert.ok(
      !template.findings.some((f: { ruleId: string }) => f.ruleId === 'private-network/public-database'),
    );
    // Every lesson switched off: nothing is reported, and the run passes.
    const quiet = workspace({
      'template.yaml': publicDb,
      '.cloud-lessons.yaml': `lessons:\n${lessonIds.map((id) => `  ${id}: off\n`).join('')}`,
    });
    assert.equal(run(['.'], quiet).code, 0);
    const bad = workspace({
      'template.yaml': publicDb,
      '.cloud-lessons.yaml': 'rules:\n  private-network/public-databse: off\n',
    });
    const r = run(['.'], bad);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /\.cloud-lessons\.yaml:2: Unknown rule "private-network\/public-databse"\. Did you mean "private-network\/public-database"\?/,
    );
    assert.equal(run(['--no-config', '.'], bad).code, 1);
  });

  it('--fix rewrites the files and reports what is left', () => {
    const dir = workspace({ 'template.yaml': publicDb });
    const r = run(['--fix', '--format', 'json', '.'], dir);
    assert.match(readFileSync(join(dir, 'template.yaml'), 'utf8'), /PubliclyAccessible: false\n/);
    const left = JSON.parse(r.stdout).files[0].findings as { ruleId: string; fixable: boolean }[];
    assert.ok(!left.some((f) => f.ruleId === 'private-network/public-database'));
    assert.ok(!left.some((f) => f.fixable), 'every fixable finding was fixed');
    const text = run(['--fix', '.'], workspace({ 'template.yaml': publicDb }));
    assert.match(text.stderr, /Fixed [1-9]\d* findings? in 1 file\./);
  });

  it('lists files it cannot analyse as errors, without crashing or hanging', () => {
    const nested = '['.repeat(50000);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      .concat(
        ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(
          (k, i) =>
            `${k}: &${k} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(',')}]`,
        ),
      )
      .join('\n');
    const dir = workspace({
      'binary.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]),
      'broken.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db: [unclosed\n',
      'deep.json': `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ${nested}`,
      'bomb.yaml': `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n${bomb}\n`,
      'template.yaml': publicDb,
    });
    const r = run(['--format', 'json', '.'], dir, 10000);
    assert.equal(r.signal, null, 'did not time out');
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    const report = JSON.parse(r.stdout);
    const errors = Object.fromEntries(
      report.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
    );
    assert.match(errors['binary.yaml'], /binary file/);
    assert.match(errors['broken.yaml'], /^\d+:\d+: YAML syntax error/);
    assert.match(errors['deep.json'], /JSON syntax error|nested too deeply/);
    assert.equal(errors['bomb.yaml'], undefined, 'an alias bomb is parsed without expanding it');
    const template = report.files.find((f: { path: string }) => f.path === 'template.yaml');
    assert.equal(
      template.findings.filter((f: { ruleId: string }) => f.ruleId === 'private-network/public-database')
        .length,
      1,
    );
  });
});
