import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { parseStringPromise } from 'xml2js';
import { formatGithub } from '../../server/src/report/github';
import { formatHtml } from '../../server/src/report/html';
import { formatJson } from '../../server/src/report/json';
import { formatJunit } from '../../server/src/report/junit';
import { scoreLessons } from '../../server/src/report/lessons';
import { safeHref } from '../../server/src/report/links';
import { formatMarkdown } from '../../server/src/report/markdown';
import type { RunReport } from '../../server/src/report/model';
import { formatSarif } from '../../server/src/report/sarif';
import { formatText } from '../../server/src/report/text';
import { publicDb, reportOf, workspace } from './run';
import { assertValidSarif } from './sarif-schema';

/** File names an attacker (or a careless commit) can put in a repository. */
const hostile = [
  'javascript:alert(document.domain).yaml',
  '<img src=x onerror=alert(1)>.yaml',
  'x](javascript:alert(1)) [y.yaml',
  'line\nbreak.yaml',
  'esc\u001b[2J\u001b[31mred.yaml',
  '::error file=evil.yaml::pwned.yaml',
  '%0A::warning::x%2C.yaml',
  'quote"amp&apos\'.yaml',
  'bidi\u202ereversed.yaml',
];

describe('hostile file names in every format', () => {
  let report: RunReport;
  before(async () => {
    const dir = workspace(Object.fromEntries(hostile.map((name) => [`infra/${name}`, publicDb])));
    report = await reportOf(dir);
    assert.equal(report.files.length, hostile.length, 'every file was analysed');
  });

  it('JSON keeps the names as data', () => {
    const json = JSON.parse(formatJson(report));
    assert.deepEqual(json.files.map((f: { path: string }) => basename(f.path)).sort(), [...hostile].sort());
  });

  it('text shows control characters escaped: one line per finding, no terminal escapes', () => {
    const text = formatText(report, false);
    assert.ok(!text.includes('\u001b') && !text.includes('\u202e'));
    const findings = report.files.reduce((n, f) => n + f.findings.length, 0);
    const lines = text.split('\n').filter((l) => /^infra\//.test(l));
    assert.equal(lines.length, findings);
    assert.ok(text.includes('infra/line\\x0abreak.yaml:7:27'));
  });

  it('SARIF: valid, every URI a relative reference that resolves to the file, none with a scheme', () => {
    const log = assertValidSarif(formatSarif(report));
    const base = log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri!;
    const uris = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri!);
    for (const uri of uris) {
      assert.doesNotMatch(uri, /^[a-z][a-z0-9+.-]*:/i, uri);
      const resolved = new URL(uri, base);
      assert.equal(resolved.protocol, 'file:');
      assert.ok(hostile.includes(basename(decodeURIComponent(resolved.pathname))), uri);
    }
  });

  it('HTML: names escaped, links only to relative files', () => {
    const html = formatHtml(scoreLessons(report, { subject: 'x' }));
    assert.doesNotMatch(html, /href="\s*javascript:/i);
    assert.doesNotMatch(html, /<img/);
    assert.ok(!html.includes('\u001b'));
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
      if (href.startsWith('#')) continue;
      assert.doesNotMatch(href, /^[a-z][a-z0-9+.-]*:/i, href);
      assert.match(href, /^infra\//);
    }
  });

  it('Markdown: no link text or target breaks out, links only to relative files', () => {
    const markdown = formatMarkdown(scoreLessons(report, { subject: 'x' }));
    assert.doesNotMatch(markdown, /(?<!\\)\]\(\s*javascript:/i);
    assert.ok(!markdown.includes('\u001b') && !markdown.includes('\u202e'));
    for (const [, target] of markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
      if (target.startsWith('#')) continue;
      assert.match(target, /^infra\/[^\s()<>]*$/, target);
    }
  });

  it('JUnit: well-formed XML that keeps the names', async () => {
    const parsed = await parseStringPromise(formatJunit(report));
    const names = parsed.testsuites.testsuite.map((s: { $: { name: string } }) => basename(s.$.name));
    // XML cannot hold an escape character: it is replaced, the rest of the name kept.
    assert.equal(names.length, hostile.length);
    assert.ok(names.includes('javascript:alert(document.domain).yaml'));
    assert.ok(names.includes('<img src=x onerror=alert(1)>.yaml'));
  });

  it('GitHub workflow commands: one command per line, names cannot start another', () => {
    const out = formatGithub(report);
    const lines = out.trimEnd().split('\n');
    const findings = report.files.reduce((n, f) => n + f.findings.length, 0);
    assert.equal(lines.length, findings);
    for (const line of lines) {
      assert.match(
        line,
        /^::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,endLine=\d+(,endColumn=\d+)?,title=[^:,]+::/,
      );
    }
    assert.ok(out.includes('file=infra/javascript%3Aalert(document.domain).yaml,'));
    assert.ok(out.includes('file=infra/line%0Abreak.yaml,'));
    assert.ok(out.includes('%250A%3A%3Awarning'));
  });

  it('a report links to nothing but relative files and the editor’s own targets', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:x',
      ' javascript:x',
      'data:text/html,x',
      'vbscript:x',
      'https://evil.example',
      '//evil.example/x',
    ])
      assert.equal(safeHref(bad), undefined, bad);
    for (const good of [
      'infra/a.yaml#L3',
      '../x.yaml',
      'file:///w/a.yaml',
      'command:cloudLessons.openFinding?x',
    ])
      assert.equal(safeHref(good), good);
  });
});
