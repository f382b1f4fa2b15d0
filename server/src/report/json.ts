import type { RunReport } from './model';

/** The JSON contract of PRODUCT.md: 0-based positions, as in LSP. */
export function formatJson(report: RunReport): string {
  const equivalents = new Map(report.rules.map((r) => [r.id, r.equivalents]));
  return (
    JSON.stringify(
      {
        version: 1,
        tool: report.tool,
        files: report.files.map((file) => ({
          path: file.path,
          kind: file.kind,
          findings: file.findings.map((f) => ({
            ruleId: f.ruleId,
            lesson: f.lesson,
            severity: f.severity,
            message: f.message,
            range: f.range,
            // A CDK finding's fix edits the CDK source, as --fix does.
            fixable: f.fix?.kind === 'safe' && f.lesson !== undefined,
            ...(f.fix ? { fixKind: f.fix.kind } : {}),
            equivalents: equivalents.get(f.ruleId) ?? [],
            ...(f.related?.length ? { related: f.related } : {}),
            ...(f.cdk ? { cdk: f.cdk } : {}),
          })),
        })),
        errors: report.errors,
        ...(report.notes?.length ? { notes: report.notes } : {}),
        ...(report.baseline ? { baseline: { held: report.baseline.held } } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
