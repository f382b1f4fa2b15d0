import type { FileReport, RunReport } from './model';

/** The JSON contract of PRODUCT.md: 0-based positions, as in LSP. */
export function formatJson(report: RunReport): string {
  return [...jsonChunks(report)].join('');
}

/**
 * The text of formatJson, a file at a time: a large run's report is written without ever being
 * held whole as one string (its size follows the number of findings).
 */
export function* jsonChunks(report: RunReport): Generator<string> {
  const equivalents = new Map(report.rules.map((r) => [r.id, r.equivalents]));
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
  // The whole document with an empty file list, then each file spliced in, indented as
  // JSON.stringify(…, null, 2) indents it (JSON strings hold no raw line break).
  const whole = JSON.stringify(
    {
      version: 1,
      tool: report.tool,
      files: report.files.length > 0 ? ['\u0000files'] : [],
      errors: report.errors,
      ...(report.notes?.length ? { notes: report.notes } : {}),
      ...(report.baseline ? { baseline: { held: report.baseline.held } } : {}),
    },
    null,
    2,
  );
  const marker = '"\\u0000files"';
  const at = whole.indexOf(marker);
  if (at < 0) {
    yield whole + '\n';
    return;
  }
  yield whole.slice(0, at);
  for (const [i, f] of report.files.entries())
    yield (i > 0 ? ',\n    ' : '') + JSON.stringify(file(f), null, 2).replace(/\n/g, '\n    ');
  yield whole.slice(at + marker.length) + '\n';
}
