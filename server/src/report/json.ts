import type { FileReport, RunReport } from './model';
import { renderWhole, type ReportEnd, type ReportStart, type ReportWriter, type Sink } from './stream';

/** The JSON contract of PRODUCT.md: 0-based positions, as in LSP. */
export function formatJson(report: RunReport): string {
  return renderWhole(report, jsonWriter);
}

/**
 * formatJson as a writer: each file is written as it comes, the errors, notes and baseline after
 * the last one (it needs no spool), so a large run's report is never held whole.
 */
export function jsonWriter(start: ReportStart, sink: Sink): ReportWriter {
  const equivalents = new Map(start.rules.map((r) => [r.id, r.equivalents]));
  const file = (f: FileReport) => ({
    path: f.path,
    kind: f.kind,
    findings: f.findings.map((finding) => ({
      ruleId: finding.ruleId,
      lesson: finding.lesson,
      severity: finding.severity,
      message: finding.message,
      range: finding.range,
      // A CDK finding's fix edits the CDK source, as --fix does.
      fixable: finding.fix?.kind === 'safe' && finding.lesson !== undefined,
      ...(finding.fix ? { fixKind: finding.fix.kind } : {}),
      equivalents: equivalents.get(finding.ruleId) ?? [],
      ...(finding.related?.length ? { related: finding.related } : {}),
      ...(finding.cdk ? { cdk: finding.cdk } : {}),
    })),
  });
  // The whole document with a marker for the file list, then each file spliced in, indented as
  // JSON.stringify(…, null, 2) indents it (JSON strings hold no raw line break).
  const marker = '"\\u0000files"';
  const whole = (end: ReportEnd, files: boolean) =>
    JSON.stringify(
      {
        version: 1,
        tool: start.tool,
        files: files ? ['\u0000files'] : [],
        errors: end.errors,
        ...(end.notes?.length ? { notes: end.notes } : {}),
        ...(end.baseline ? { baseline: { held: end.baseline.held } } : {}),
      },
      null,
      2,
    );
  let written = 0;
  return {
    file(f) {
      if (written === 0) {
        // What comes before the file list holds only the version and the tool.
        const head = whole({ errors: [] }, true);
        sink(head.slice(0, head.indexOf(marker)));
      }
      sink((written > 0 ? ',\n    ' : '') + JSON.stringify(file(f), null, 2).replace(/\n/g, '\n    '));
      written++;
    },
    end(end) {
      if (written === 0) {
        sink(whole(end, false) + '\n');
        return;
      }
      const tail = whole(end, true);
      sink(tail.slice(tail.indexOf(marker) + marker.length) + '\n');
    },
  };
}
