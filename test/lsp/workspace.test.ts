import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type {
  ExplainRuleResult,
  LessonReportResult,
  RuleSummary,
  ScanResult,
} from '../../server/src/report/protocol';
import { TestClient } from './client';

const publicDb = (name: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ${name}:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

function workspace(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-scan-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
const uriOf = (dir: string, path: string) => pathToFileURL(join(dir, path)).href;

type Progress = { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };

/** Records the `$/progress` notifications of one token. */
function recordProgress(client: TestClient, token: string, onValue?: (value: Progress) => void): Progress[] {
  const seen: Progress[] = [];
  client.connection.onNotification('$/progress', (params: { token: string; value: Progress }) => {
    if (params.token !== token) return;
    seen.push(params.value);
    onValue?.(params.value);
  });
  return seen;
}

describe('workspace scan and lesson report over LSP', function () {
  this.timeout(30000);
  let client: TestClient;

  beforeEach(() => {
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
  });

  it('scans every supported file into diagnostics, honouring .gitignore and exclusions, with progress', async () => {
    const dir = workspace({
      'infra/template.yaml': publicDb('Orders'),
      'generated/template.yaml': publicDb('Generated'),
      'excluded/template.yaml': publicDb('Excluded'),
      'node_modules/pkg/template.yaml': publicDb('Dependency'),
      'notes.md': '# not analysed\n',
      '.gitignore': 'generated/\n',
    });
    await client.initialize();
    const progress = recordProgress(client, 'scan-1');
    const result = await client.request<ScanResult>('cloudLessons/scanWorkspace', {
      folders: [pathToFileURL(dir).href],
      exclude: ['excluded', '**/*.{log,tmp}'],
      workDoneToken: 'scan-1',
    });
    assert.equal(result.cancelled, false);
    assert.equal(result.files, 1, 'only infra/template.yaml is walked');
    assert.equal(result.filesWithFindings, 1);
    assert.ok(result.findings >= 1);
    const published = await client.diagnostics(uriOf(dir, 'infra/template.yaml'));
    assert.ok(published.diagnostics.some((d) => d.code === 'private-network/public-database'));

    assert.equal(progress[0]?.kind, 'begin');
    assert.match(progress[0].title ?? '', /scanning/);
    assert.equal(progress.at(-1)?.kind, 'end');

    // Nothing was published for the ignored, excluded and dependency copies.
    for (const path of [
      'generated/template.yaml',
      'excluded/template.yaml',
      'node_modules/pkg/template.yaml',
    ])
      await assert.rejects(client.diagnostics(uriOf(dir, path), undefined, 300), /no diagnostics/);
  });

  it('clears the findings of a file that is gone or now ignored at the next scan', async () => {
    const dir = workspace({ 'a/template.yaml': publicDb('A'), 'b/template.yaml': publicDb('B') });
    await client.initialize();
    const folders = [pathToFileURL(dir).href];
    await client.request('cloudLessons/scanWorkspace', { folders });
    await client.diagnostics(uriOf(dir, 'a/template.yaml'), (p) => p.diagnostics.length > 0);
    await client.diagnostics(uriOf(dir, 'b/template.yaml'), (p) => p.diagnostics.length > 0);
    rmSync(join(dir, 'a'), { recursive: true });
    await client.request('cloudLessons/scanWorkspace', { folders, exclude: ['b'] });
    await client.diagnostics(uriOf(dir, 'a/template.yaml'), (p) => p.diagnostics.length === 0);
    await client.diagnostics(uriOf(dir, 'b/template.yaml'), (p) => p.diagnostics.length === 0);
  });

  it('stops when the request is cancelled and says so', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`stacks/t${String(i).padStart(3, '0')}.yaml`] = publicDb(`Db${i}`);
    const dir = workspace(files);
    await client.initialize();
    const source = new CancellationTokenSource();
    // Cancel as soon as the scan has got going.
    const progress = recordProgress(client, 'scan-2', (value) => {
      if (value.kind === 'report') source.cancel();
    });
    const outcome = await client.connection
      .sendRequest<ScanResult>(
        'cloudLessons/scanWorkspace',
        { folders: [pathToFileURL(dir).href], workDoneToken: 'scan-2' },
        source.token,
      )
      .then(
        (result) => ({ result }),
        (error: { code?: number }) => ({ error }),
      );
    if ('result' in outcome) {
      assert.equal(outcome.result.cancelled, true);
      assert.ok(outcome.result.files < 400, `scanned ${outcome.result.files} of 400 files`);
    } else {
      assert.equal(outcome.error.code, -32800, 'RequestCancelled');
    }
    assert.equal(progress.at(-1)?.kind, 'end');
  });

  it('keeps a scanned file in the Problems panel after it is opened and closed', async () => {
    const dir = workspace({ 'template.yaml': publicDb('Orders') });
    const uri = uriOf(dir, 'template.yaml');
    await client.initialize();
    await client.request('cloudLessons/scanWorkspace', { folders: [pathToFileURL(dir).href] });
    await client.diagnostics(uri);
    client.open(uri, 'yaml', publicDb('Orders').replace('true', 'false'));
    const whileOpen = await client.diagnostics(uri);
    assert.ok(
      !whileOpen.diagnostics.some((d) => d.code === 'private-network/public-database'),
      'the editor text',
    );
    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const afterClose = await client.diagnostics(uri);
    assert.ok(
      afterClose.diagnostics.some((d) => d.code === 'private-network/public-database'),
      'the file on disk',
    );
  });

  it('builds the same lesson report as the CLI, with links to every finding', async () => {
    const dir = workspace({
      'infra/template.yaml': publicDb('Orders'),
      'api/Dockerfile': 'FROM node:22-slim\nCMD ["node", "server.js"]\n',
      '.cloud-lessons.yaml': 'rules:\n  least-privilege/root-user: off\n',
    });
    await client.initialize();
    const result = await client.request<LessonReportResult>('cloudLessons/lessonReport', {
      folders: [pathToFileURL(dir).href],
      linkCommand: 'cloudLessons.openFinding',
    });
    const { report } = result;
    assert.equal(result.cancelled, false);
    assert.ok(report.files >= 2, 'the template, the Dockerfile (and the configuration file)');
    const network = report.lessons.find((l) => l.id === 'private-network');
    assert.ok(network, 'the private-network lesson is scored');
    assert.ok(network.broken >= 1);
    assert.ok(network.findings.some((f) => f.path === 'infra/template.yaml'));
    // A rule switched off in .cloud-lessons.yaml is reported as off (or its whole lesson, when
    // it is the only rule of the lesson that applies here).
    const rootUser = report.lessons.flatMap((l) => l.rules).find((r) => r.id === 'least-privilege/root-user');
    if (rootUser) assert.equal(rootUser.status, 'off');
    else assert.ok(report.notChecked.some((l) => l.id === 'least-privilege' && l.reason === 'off'));
    assert.ok(!report.lessons.some((l) => l.findings.some((f) => f.ruleId === 'least-privilege/root-user')));

    const link = /href="command:cloudLessons\.openFinding\?([^"]+)"/.exec(result.html);
    assert.ok(link, 'findings link to the command');
    const [uri, line] = JSON.parse(decodeURIComponent(link[1].replace(/&amp;/g, '&'))) as [string, number];
    assert.ok(uri.startsWith(pathToFileURL(dir).href));
    assert.equal(typeof line, 'number');

    const fromCli = spawnSync(process.execPath, [cli, '--format', 'markdown'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(fromCli.status, 1, fromCli.stderr);
    const unlinked = (markdown: string) => markdown.replace(/\]\([^)]*\)/g, ']()');
    assert.equal(unlinked(result.markdown), unlinked(fromCli.stdout));
  });

  it('lists every rule and explains one', async () => {
    await client.initialize();
    const rules = await client.request<RuleSummary[]>('cloudLessons/listRules', {});
    // The built CLI and server carry the same rules.
    const listed = spawnSync(process.execPath, [cli, '--list-rules'], { encoding: 'utf8' });
    assert.deepEqual(
      rules.map((r) => r.id),
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    );
    const first = rules[0];
    const explained = await client.request<ExplainRuleResult>('cloudLessons/explainRule', {
      ruleId: first.id,
    });
    assert.ok(explained);
    assert.match(explained.markdown, new RegExp(`^# ${first.id.replace('/', '\\/')}\\n`));
    assert.match(explained.markdown, /## What it flags/);
    assert.match(explained.markdown, /## Why: /);
    assert.equal(await client.request('cloudLessons/explainRule', { ruleId: 'no-such/rule' }), null);
  });

  it('in an untrusted workspace, analyses with the defaults and ignores the workspace configuration', async () => {
    const dir = workspace({
      'template.yaml': publicDb('Orders'),
      '.cloud-lessons.yaml': 'rules:\n  private-network/public-database: off\n',
    });
    const uri = uriOf(dir, 'template.yaml');

    await client.initialize({ trusted: false });
    client.open(uri, 'yaml', publicDb('Orders'));
    const untrusted = await client.diagnostics(uri);
    assert.ok(untrusted.diagnostics.some((d) => d.code === 'private-network/public-database'));
    await client.stop();

    client = new TestClient();
    await client.initialize({ trusted: true });
    client.open(uri, 'yaml', publicDb('Orders'));
    const trusted = await client.diagnostics(uri);
    assert.ok(!trusted.diagnostics.some((d) => d.code === 'private-network/public-database'));
  });
});
