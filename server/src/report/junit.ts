import { ruleKindOf } from '../engine/classify';
import type { RunReport } from './model';
import { renderWhole, type ReportStart, type ReportWriter, type Sink, type Spool } from './stream';

/** XML 1.0's characters: tab, line breaks, and from the space up, without lone surrogates. */
function allowedInXml(c: string): boolean {
  const code = c.codePointAt(0) as number;
  if (code === 0x9 || code === 0xa || code === 0xd) return true;
  if (code < 0x20 || code === 0xfffe || code === 0xffff) return false;
  return !(code >= 0xd800 && code <= 0xdfff);
}

/** Text in XML: markup escaped, and characters XML 1.0 cannot hold at all replaced. */
function xml(text: string): string {
  return [...text]
    .map((c) => (allowedInXml(c) ? c : '\ufffd'))
    .join('')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
    );
}

/**
 * JUnit XML, as CI servers show test results: one test suite per file, one test case per rule
 * that checks its kind, failing with every finding of that rule in the file (message and
 * `path:line:column`). A file that could not be analysed is a test case in error.
 */
export function formatJunit(report: RunReport): string {
  return renderWhole(report, junitWriter);
}

/** formatJunit as a writer: the totals head the document, so the suites wait in the spool. */
export function junitWriter(start: ReportStart, sink: Sink, spool: Spool): ReportWriter {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const known = new Set(start.rules.map((r) => r.id));
  return {
    file(file) {
      const kind = ruleKindOf[file.kind];
      const byRule = new Map<string, typeof file.findings>();
      for (const f of file.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
      const ruleIds = [
        ...start.rules
          .filter((r) => r.kinds.includes('any') || (kind && r.kinds.includes(kind)))
          .map((r) => r.id),
        ...[...byRule.keys()].filter((id) => !known.has(id)),
      ];
      const cases: string[] = [];
      let suiteFailures = 0;
      for (const id of ruleIds) {
        const found = byRule.get(id) ?? [];
        const name = `${xml(id)}`;
        if (found.length === 0) {
          cases.push(`    <testcase classname="${xml(file.path)}" name="${name}"/>`);
          continue;
        }
        suiteFailures++;
        const lines = found.map(
          (f) =>
            `${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message}`,
        );
        cases.push(
          `    <testcase classname="${xml(file.path)}" name="${name}">\n` +
            `      <failure type="${xml(found[0].severity)}" message="${xml(found[0].message)}">${xml(lines.join('\n'))}</failure>\n` +
            `    </testcase>`,
        );
      }
      tests += ruleIds.length;
      failures += suiteFailures;
      spool.write(
        `  <testsuite name="${xml(file.path)}" tests="${ruleIds.length}" failures="${suiteFailures}" errors="0">\n` +
          cases.join('\n') +
          (cases.length > 0 ? '\n' : '') +
          `  </testsuite>\n`,
      );
    },
    end(end) {
      let unanalysed = '';
      if (end.errors.length > 0) {
        const cases = end.errors.map(
          (e) =>
            `    <testcase classname="${xml(e.path)}" name="analysis">\n` +
            `      <error message="${xml(e.message)}">${xml(`${e.path}: ${e.message}`)}</error>\n` +
            `    </testcase>`,
        );
        tests += cases.length;
        errors += cases.length;
        unanalysed =
          `  <testsuite name="files that could not be analysed" tests="${cases.length}" failures="0" errors="${cases.length}">\n` +
          cases.join('\n') +
          `\n  </testsuite>\n`;
      }
      sink(
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<testsuites name="${xml(start.tool.name)}" tests="${tests}" failures="${failures}" errors="${errors}">\n`,
      );
      spool.drain(sink);
      sink(unanalysed + '</testsuites>\n');
    },
  };
}
