import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRule, type Rule, type Severity } from '../../server/src/engine/rule';
import { formatHtml } from '../../server/src/report/html';
import { scoreLessons } from '../../server/src/report/lessons';
import { formatMarkdown } from '../../server/src/report/markdown';
import type { FileReport, RunReport } from '../../server/src/report/model';
import type { FileKind } from '../../server/src/engine/classify';
import type { LessonId } from '../../server/src/lessons/catalogue';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

/** A rule with just enough metadata for scoring: the report never runs its checks. */
function rule(id: string, lesson: LessonId, kind: 'cfn' | 'docker' | 'js' | 'any'): Rule {
  const sample = { language: 'text' as const, code: '' };
  return defineRule({
    id,
    lesson,
    title: `Title of ${id}`,
    severity: 'warning',
    equivalents: [],
    fix: 'no',
    messages: { found: 'Found by this rule.' },
    docs: { what: '', why: '', example: sample, useInstead: sample },
    checks: { [kind]: () => {} },
  });
}

function file(path: string, kind: FileKind, findings: [string, LessonId, Severity, number][]): FileReport {
  return {
    path,
    kind,
    findings: findings.map(([ruleId, lesson, severity, line]) => ({
      ruleId,
      lesson,
      severity,
      message: `${ruleId} at line ${line}`,
      range: { start: { line, character: 2 }, end: { line, character: 8 } },
    })),
  };
}

const rules = [
  rule('private-network/public-database', 'private-network', 'cfn'),
  rule('private-network/open-port', 'private-network', 'cfn'),
  rule('least-privilege/root-user', 'least-privilege', 'docker'),
  rule('least-privilege/admin-policy', 'least-privilege', 'cfn'),
  rule('local-state/session', 'local-state', 'js'),
  rule('secrets-management/credential', 'secrets-management', 'any'),
];

const run: RunReport = {
  tool: { name: 'cloud-lessons', version: '9.9.9' },
  root: '/repo',
  rules,
  errors: [{ path: 'broken.yaml', message: '3:1: YAML syntax error' }],
  files: [
    file('infra/a.yaml', 'cloudformation', [
      ['private-network/public-database', 'private-network', 'error', 10],
      ['private-network/public-database', 'private-network', 'error', 30],
    ]),
    file('infra/b.yaml', 'cloudformation', [
      ['private-network/public-database', 'private-network', 'error', 4],
      ['secrets-management/credential', 'secrets-management', 'error', 7],
    ]),
    file('infra/c.yaml', 'cloudformation', [
      ['least-privilege/admin-policy', 'least-privilege', 'warning', 1],
    ]),
    file('README.txt', 'other', []),
  ],
};

describe('lesson report', () => {
  it('scores each lesson by the rules met and broken, the worst first', () => {
    const report = scoreLessons(run, {
      subject: 'repo',
      settingOf: (r) => (r.id === 'private-network/open-port' ? 'off' : undefined),
    });
    assert.equal(report.files, 4);
    assert.equal(report.filesWithFindings, 3);
    assert.deepEqual(report.counts, { error: 4, warning: 1, info: 0, hint: 0 });

    const byId = Object.fromEntries(report.lessons.map((l) => [l.id, l]));
    // private-network: public-database broken, open-port switched off.
    assert.equal(byId['private-network'].broken, 1);
    assert.equal(byId['private-network'].off, 1);
    assert.equal(byId['private-network'].score, 0);
    // least-privilege: admin-policy broken; root-user applies to Dockerfiles, and there are none.
    assert.deepEqual(
      byId['least-privilege'].rules.map((r) => [r.id, r.status]),
      [
        ['least-privilege/admin-policy', 'broken'],
        ['least-privilege/root-user', 'not-applicable'],
      ],
    );
    // secrets-management runs on every file: broken in b.yaml.
    assert.equal(byId['secrets-management'].broken, 1);
    // local-state checks code, and there is none: not checked, not scored as met.
    assert.deepEqual(report.notChecked, [
      {
        id: 'local-state',
        title: byId['local-state']?.title ?? 'Keep state off the instance',
        reason: 'not-applicable',
      },
    ]);
    assert.equal(report.met, 0);
    assert.equal(report.broken, 3);
    assert.equal(report.score, 0);
    assert.ok(report.withoutRules.some((l) => l.id === 'measure-everything'));

    // The worst file has the most errors; its lesson's findings are listed worst first, by place.
    assert.deepEqual(
      report.worstFiles.map((f) => f.path),
      ['infra/a.yaml', 'infra/b.yaml', 'infra/c.yaml'],
    );
    assert.deepEqual(
      byId['private-network'].findings.map((f) => `${f.path}:${f.range.start.line}`),
      ['infra/a.yaml:10', 'infra/a.yaml:30', 'infra/b.yaml:4'],
    );
  });

  it('counts a rule with no findings on files it checks as met', () => {
    const clean: RunReport = { ...run, errors: [], files: [file('infra/ok.yaml', 'cloudformation', [])] };
    const report = scoreLessons(clean, { subject: 'repo' });
    const network = report.lessons.find((l) => l.id === 'private-network');
    assert.equal(network?.met, 2);
    assert.equal(network?.score, 100);
    assert.equal(report.findings, 0);
  });

  it('renders Markdown with a summary table, anchors and a link to every finding', () => {
    const markdown = formatMarkdown(scoreLessons(run, { subject: 'repo' }));
    assert.match(markdown, /^# Cloud Lessons report: repo\n/);
    assert.match(
      markdown,
      /4 files analysed, 5 findings \(4 errors, 1 warning\) in 3 files\. Rules met: 1 of 4 \(25 %\)\./,
    );
    assert.match(
      markdown,
      /\| \[Keep databases private and ports closed\]\(#keep-databases-private-and-ports-closed\) \| 50 % \| 1 \| 1 \| 3 \|/,
    );
    assert.match(
      markdown,
      /- \[infra\/a\.yaml:11:3\]\(infra\/a\.yaml#L11\) error `private-network\/public-database`/,
    );
    assert.match(
      markdown,
      /1 file could not be analysed:\n\n- \[broken\.yaml\]\(broken\.yaml\): 3:1: YAML syntax error/,
    );
    assert.match(markdown, /^## Worst files\n\n1\. \[infra\/a\.yaml\]\(infra\/a\.yaml\): 2 errors$/m);
  });

  it('escapes what the findings say, in Markdown and in HTML', () => {
    const hostile: RunReport = {
      ...run,
      files: [
        {
          path: 'web/<img src=x>.js',
          kind: 'javascript',
          findings: [
            {
              ruleId: 'local-state/session',
              lesson: 'local-state',
              severity: 'warning',
              message: 'a <script>alert(1)</script> | [link](http://x) *bold*',
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            },
          ],
        },
      ],
    };
    const report = scoreLessons(hostile, { subject: 'a & b' });
    const html = formatHtml(report);
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /a &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /<title>Cloud Lessons report: a &amp; b<\/title>/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    const markdown = formatMarkdown(report);
    assert.match(
      markdown,
      /a \\<script\\>alert\(1\)\\<\/script\\> \\\| \\\[link\\\]\(http:\/\/x\) \\\*bold\\\*/,
    );
  });
});

describe('CLI lesson report (--format markdown|html)', () => {
  function workspace(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-report-'));
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

  it('writes the report as Markdown and HTML, with the usual exit codes', () => {
    const dir = workspace({ 'infra/template.yaml': publicDb });
    const markdown = spawnSync(process.execPath, [cli, '--format', 'markdown'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(markdown.status, 1, markdown.stderr);
    assert.match(markdown.stdout, /^# Cloud Lessons report: cloud-lessons-report-/);
    assert.match(markdown.stdout, /\(infra\/template\.yaml#L6\) error `private-network\/public-database`/);

    const html = spawnSync(process.execPath, [cli, '--format', 'html', '--exit-zero', 'infra'], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(html.status, 0, html.stderr);
    assert.match(html.stdout, /^<!DOCTYPE html>/);
    assert.match(html.stdout, /<title>Cloud Lessons report: infra<\/title>/);
    assert.match(html.stdout, /<a href="infra\/template\.yaml#L6">infra\/template\.yaml:6:27<\/a>/);
    assert.doesNotMatch(html.stdout, /<script/);

    const clean = workspace({ 'app.txt': 'nothing to see\n' });
    assert.equal(spawnSync(process.execPath, [cli, '--format', 'markdown'], { cwd: clean }).status, 0);
  });

  it('links relative to the file it writes with --output', () => {
    const dir = workspace({ 'infra/template.yaml': publicDb });
    const r = spawnSync(
      process.execPath,
      [cli, '--format', 'html', '--output', 'reports/lessons.html', '.'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const page = readFileSync(join(dir, 'reports', 'lessons.html'), 'utf8');
    assert.match(page, /<a href="\.\.\/infra\/template\.yaml#L6">/);
  });
});
