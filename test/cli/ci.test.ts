import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStringPromise } from 'xml2js';
import { allRules } from '../../server/src/rules';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(args: string[], cwd: string, input?: string) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first');
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30000,
    input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-ci-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });

const publicDb = (id = 'Db') => `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders
Resources:
  ${id}:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;

const findingsOf = (stdout: string) =>
  (
    JSON.parse(stdout).files as {
      path: string;
      findings: { ruleId: string; range: { start: { line: number } } }[];
    }[]
  ).flatMap((f) => f.findings.map((x) => `${f.path}:${x.range.start.line + 1} ${x.ruleId}`));

describe('CLI in CI', () => {
  describe('--baseline', () => {
    it('a missing baseline is a usage error that says how to write it', () => {
      const dir = workspace({ 'template.yaml': publicDb() });
      const r = run(['--baseline', 'baseline.json', '.'], dir);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /No baseline at baseline\.json\. Write it once with\n {2}cloud-lessons --baseline baseline\.json --update-baseline \./,
      );
      assert.ok(!existsSync(join(dir, 'baseline.json')));
    });

    it('written with --update-baseline (exit 0), then only new findings count, and gone ones are dropped', () => {
      const dir = workspace({
        'infra/template.yaml': publicDb(),
        // A warning (no timeout) in a function: a module-level call is a one-off script's.
        'app/app.py':
          'import requests\n\ndef orders():\n    return requests.get("https://api.example.com/orders")\n',
      });
      const written = run(['--baseline', 'baseline.json', '--update-baseline'], dir);
      assert.equal(written.code, 0, written.stderr);
      assert.match(
        written.stderr,
        /wrote baseline\.json with \d+ findings \(\d+ new, 0 no longer found and dropped\)/,
      );
      const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8'));
      assert.equal(baseline.version, 1);
      assert.ok(baseline.findings.every((f: { path: string }) => !f.path.includes('baseline.json')));
      const clean = run(['--baseline', 'baseline.json', '--format', 'json'], dir);
      assert.equal(clean.code, 0, clean.stdout);
      assert.deepEqual(findingsOf(clean.stdout), []);
      assert.ok(JSON.parse(clean.stdout).baseline.held > 0);
      // A new database: only it is reported, and it fails the run.
      writeFileSync(
        join(dir, 'infra/template.yaml'),
        publicDb() + publicDb('Replica').split('Resources:\n')[1],
      );
      const dirty = run(['--baseline', 'baseline.json', '--format', 'json'], dir);
      assert.equal(dirty.code, 1);
      assert.ok(findingsOf(dirty.stdout).includes('infra/template.yaml:11 private-network/public-database'));
      assert.ok(!findingsOf(dirty.stdout).includes('infra/template.yaml:7 private-network/public-database'));
      // The Python file is fixed: its entry is dropped on the next update.
      writeFileSync(
        join(dir, 'app/app.py'),
        'import requests\n\ndef orders():\n    return requests.get("https://api.example.com/orders", timeout=5)\n',
      );
      const updated = run(['--baseline', 'baseline.json', '--update-baseline'], dir);
      assert.equal(updated.code, 0);
      assert.match(updated.stderr, /[1-9]\d* new, [1-9]\d* no longer found and dropped/);
      const rules = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')).findings.map(
        (f: { path: string; rule: string }) => `${f.path} ${f.rule}`,
      );
      assert.ok(!rules.includes('app/app.py embrace-failure/no-timeout'));
      assert.ok(rules.includes('infra/template.yaml private-network/public-database'));
    });
  });

  it('--format junit: one test case per rule and file, failures with message and location', async () => {
    const dir = workspace({ 'template.yaml': publicDb() });
    const r = run(['--format', 'junit', '.'], dir);
    assert.equal(r.code, 1);
    const xml = await parseStringPromise(r.stdout);
    const suite = xml.testsuites.testsuite[0];
    assert.equal(suite.$.name, 'template.yaml');
    const cfnRules = allRules.filter((rule) => rule.kinds.includes('cfn') || rule.kinds.includes('any'));
    assert.equal(suite.testcase.length, cfnRules.length);
    const failing = suite.testcase.find(
      (c: { $: { name: string } }) => c.$.name === 'private-network/public-database',
    );
    assert.match(failing.failure[0]._, /^template\.yaml:7:27 error RDS database instance Db/);
    assert.ok(suite.testcase.some((c: { failure?: unknown }) => !c.failure));
  });

  it('--format github: workflow commands with file, line, column and title', () => {
    const dir = workspace({ 'infra/template.yaml': publicDb() });
    git(dir, 'init', '-q');
    const r = run(['--format', 'github', '.'], join(dir, 'infra'));
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^::error file=infra\/template\.yaml,line=7,col=27,endLine=7,endColumn=31,title=private-network\/public-database::RDS database instance Db/m,
    );
  });

  it('--stdin-filename PATH - checks standard input as that file', () => {
    const dir = workspace({ '.cloud-lessons.yaml': 'rules:\n  scale-database/rds-single-az: off\n' });
    const r = run(['--format', 'json', '--stdin-filename', 'infra/template.yaml', '-'], dir, publicDb());
    assert.equal(r.code, 1, r.stderr);
    const found = findingsOf(r.stdout);
    assert.ok(found.includes('infra/template.yaml:7 private-network/public-database'));
    assert.ok(!found.some((f) => f.endsWith('rds-single-az')), 'the configuration of that path applies');
    assert.ok(!existsSync(join(dir, 'infra')), 'nothing is written');
    assert.equal(run(['-'], dir, publicDb()).code, 2);
    assert.equal(run(['--stdin-filename', 'x.yaml'], dir).code, 2);
  });

  it('--changed-since REF: committed on the branch, staged, unstaged and untracked files only', () => {
    const dir = workspace({
      'old.yaml': publicDb(),
      'committed.yaml': publicDb(),
      'staged.yaml': publicDb(),
      'unstaged.yaml': publicDb(),
    });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'start');
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'committed.yaml'), publicDb('Committed'));
    git(dir, 'commit', '-q', '-am', 'change');
    writeFileSync(join(dir, 'staged.yaml'), publicDb('Staged'));
    git(dir, 'add', 'staged.yaml');
    writeFileSync(join(dir, 'unstaged.yaml'), publicDb('Unstaged'));
    writeFileSync(join(dir, 'untracked.yaml'), publicDb('Untracked'));
    const r = run(['--changed-since', 'main', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout)
        .files.map((f: { path: string }) => f.path)
        .sort(),
      ['committed.yaml', 'staged.yaml', 'unstaged.yaml', 'untracked.yaml'],
    );
    const bad = run(['--changed-since', 'no-such-ref'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /does not know "no-such-ref"/);
  });

  it('a closed pipe ends the run quietly with the usual exit status', async () => {
    const child = spawn(process.execPath, [cli, '--format', 'sarif', 'examples'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // Read the first chunk, then close the pipe, as `| head -c 100` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const shell = spawnSync(
      'bash',
      ['-c', `node "${cli}" examples | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    assert.equal(shell.stdout.trim(), '1');
    assert.doesNotMatch(shell.stderr, /EPIPE|Error/);
  });

  it('--list-rules --format json: every rule with lesson, kinds, severity per preset, fix kind and peers', () => {
    const r = run(['--list-rules', '--format', 'json'], root);
    assert.equal(r.code, 0);
    const listed = JSON.parse(r.stdout);
    assert.equal(listed.version, 1);
    assert.equal(listed.rules.length, allRules.length);
    const db = listed.rules.find((x: { id: string }) => x.id === 'private-network/public-database');
    assert.deepEqual(Object.keys(db).sort(), [
      'equivalents',
      'fix',
      'id',
      'kinds',
      'lesson',
      'lessonTitle',
      'presets',
      'severity',
      'title',
    ]);
    assert.deepEqual(db.presets, { recommended: 'error', strict: 'error' });
    assert.ok(
      db.equivalents.includes('CKV_AWS_17') && db.equivalents.includes('RDS_INSTANCE_PUBLIC_ACCESS_CHECK'),
    );
    const strictOnly = allRules.find((rule) => rule.strictOnly);
    if (strictOnly) {
      const entry = listed.rules.find((x: { id: string }) => x.id === strictOnly.id);
      assert.deepEqual(entry.presets, { recommended: 'off', strict: strictOnly.severity });
    }
    assert.equal(run(['--list-rules', '--format', 'sarif'], root).code, 2);
  });

  it('--report-unused-suppressions reports the directives that silence nothing', () => {
    const dir = workspace({
      'app.py':
        'import requests\n# cloud-lessons-disable-next-line embrace-failure/no-timeout -- probe\nrequests.get("u", timeout=3)\n',
    });
    assert.equal(run(['.'], dir).code, 0);
    const r = run(['--report-unused-suppressions', '.'], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /^app\.py:2:35 warning cloud-lessons\/unused-suppression "embrace-failure\/no-timeout" in this suppression comment silences nothing here: remove it\.$/m,
    );
  });
});
