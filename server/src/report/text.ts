import { printable } from './links';
import type { RunReport } from './model';

const colors = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  info: '\x1b[36m',
  hint: '\x1b[2m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
};

/** Notes shown before the findings; a folder of many unsynthesized CDK apps would bury them. */
const maxNotes = 10;

/**
 * `file:line:col severity rule message`, grouped by file, then a summary line. Lines and
 * columns are 1-based here, as terminals and editors expect them in clickable locations.
 */
export function formatText(report: RunReport, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${colors.reset}` : text);
  const out: string[] = [];
  for (const error of report.errors)
    out.push(
      `${printable(error.path)}: ${paint(colors.error, 'cannot analyse')}: ${printable(error.message)}`,
    );
  if (report.errors.length > 0) out.push('');
  const notes = report.notes ?? [];
  for (const note of notes.slice(0, maxNotes))
    out.push(`${printable(note.path)}: ${paint(colors.info, 'note')}: ${printable(note.message)}`);
  if (notes.length > maxNotes)
    out.push(`… and ${notes.length - maxNotes} more notes (--format json lists them all).`);
  if (notes.length > 0) out.push('');
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  let scaffolds = 0;
  let filesWithFindings = 0;
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    filesWithFindings++;
    for (const f of file.findings) {
      counts[f.severity]++;
      // --fix leaves the tool's own findings (unused suppressions): their edits are for editors
      // and SARIF. Those of CDK apps it applies to the CDK source.
      const applies = f.lesson !== undefined;
      if (applies && f.fix?.kind === 'safe') fixable++;
      else if (applies && f.fix) scaffolds++;
      const location = `${printable(file.path)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push(
        `${location} ${paint(colors[f.severity], f.severity)} ${paint(colors.dim, f.ruleId)} ${printable(f.message)}`,
      );
      // One indented line per related place: where CDK synthesized a CDK finding.
      for (const r of f.related ?? [])
        out.push(
          paint(
            colors.dim,
            `  ${printable(r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${printable(r.message)}`,
          ),
        );
    }
    out.push('');
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const plural = { error: 'errors', warning: 'warnings', info: 'info', hint: 'hints' };
  const bySeverity = (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${counts[s] === 1 ? s : plural[s]}`);
  const summary =
    total === 0
      ? `No findings in ${report.files.length} file${report.files.length === 1 ? '' : 's'}.`
      : `${total} finding${total === 1 ? '' : 's'} (${bySeverity.join(', ')}) in ${filesWithFindings} of ${report.files.length} files` +
        (fixable > 0 ? `; ${fixable} fixable with --fix` : '') +
        (scaffolds > 0 ? `${fixable > 0 ? ',' : ';'} ${scaffolds} with a scaffold (--fix-scaffolds)` : '') +
        '.';
  const errors =
    report.errors.length > 0
      ? ` ${report.errors.length} file${report.errors.length === 1 ? '' : 's'} could not be analysed.`
      : '';
  const held = report.baseline
    ? ` ${report.baseline.held} finding${report.baseline.held === 1 ? '' : 's'} in the baseline not shown.`
    : '';
  out.push(summary + errors + held);
  return out.join('\n') + '\n';
}
