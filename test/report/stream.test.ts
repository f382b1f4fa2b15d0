import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatGithub, githubWriter } from '../../server/src/report/github';
import { formatJson, jsonWriter } from '../../server/src/report/json';
import { formatJunit, junitWriter } from '../../server/src/report/junit';
import type { RunReport } from '../../server/src/report/model';
import { formatSarif, sarifWriter } from '../../server/src/report/sarif';
import { fileSpool, startOf, type WriterFactory } from '../../server/src/report/stream';
import { formatText, textWriter } from '../../server/src/report/text';
import { publicDb, reportOf, workspace } from './run';

/**
 * The CLI writes each file's part of the report as soon as the file is checked (report/stream.ts);
 * the `formatX` functions render a whole report. Both must give the same bytes, whatever the
 * spool holds and however the output is cut into chunks.
 */

const files = {
  'infra/db.yaml': publicDb,
  'infra/clean.yaml': `AWSTemplateFormatVersion: '2010-09-09'\nDescription: nothing to say\nResources: {}\n`,
  'web/Dockerfile': 'FROM node:latest\nCOPY . /app\nCMD node /app/server.js\n',
  'web/compose.yaml': 'services:\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n',
  'web/server.js':
    "const sessions = {};\nrequire('http').createServer((q, s) => { sessions[q.url] = 1; s.end(); }).listen(8080);\n",
};

const formats: [string, WriterFactory, (report: RunReport) => string][] = [
  ['json', jsonWriter, formatJson],
  ['text', textWriter(false), (r) => formatText(r, false)],
  ['text in colour', textWriter(true), (r) => formatText(r, true)],
  ['sarif', sarifWriter, formatSarif],
  ['github', githubWriter, formatGithub],
  ['junit', junitWriter, formatJunit],
];

/** The report as the CLI writes it: file by file through a spool on disk, bytes collected. */
function streamed(report: RunReport, make: WriterFactory): string {
  const chunks: Buffer[] = [];
  const spool = fileSpool();
  try {
    const writer = make(startOf(report), (chunk) => void chunks.push(Buffer.from(chunk)), spool);
    for (const file of report.files) writer.file(file);
    writer.end(report);
  } finally {
    spool.dispose();
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('reports written a file at a time', () => {
  let report: RunReport;
  before(async () => {
    report = await reportOf(workspace(files));
    assert.ok(report.files.filter((f) => f.findings.length > 0).length >= 3, 'several files have findings');
    report.errors = [{ path: 'infra/broken.yaml', message: 'could not be read: EACCES' }];
    report.notes = [{ path: 'cdk.json', message: 'a note for the end of the run' }];
  });

  for (const [name, make, whole] of formats) {
    it(`${name}: streamed through a spool on disk equals the whole report`, () => {
      const expected = whole(report);
      assert.ok(expected.length > 200, 'the report says something');
      assert.equal(streamed(report, make), expected);
    });
  }

  it('the spool leaves no temporary folder behind', () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('cloud-lessons-report-')).length;
    for (const [, make] of formats) streamed(report, make);
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('cloud-lessons-report-')).length;
    assert.equal(after, before);
  });
});

describe('the CLI writes the same report to standard output and to --output', () => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  let dir: string;
  before(() => {
    assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first');
    dir = workspace(files);
  });

  for (const format of ['json', 'text', 'sarif', 'junit', 'github']) {
    it(format, () => {
      const out = join(dir, 'out', `report.${format}`);
      const args = [cli, '--no-config', '--exit-zero', '--format', format, '.'];
      const toStdout = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
      assert.equal(toStdout.status, 0, toStdout.stderr);
      const toFile = spawnSync(process.execPath, [...args, '--output', out], { cwd: dir, encoding: 'utf8' });
      assert.equal(toFile.status, 0, toFile.stderr);
      // The second run must not read its own half-written output (it goes into a folder the walk covers).
      assert.equal(readFileSync(out, 'utf8'), toStdout.stdout);
      if (format === 'json') {
        const json = JSON.parse(toStdout.stdout);
        assert.deepEqual(json.files.map((f: { path: string }) => f.path).sort(), Object.keys(files).sort());
      }
    });
  }
});
