import { printable } from './links';
import type { RunReport } from './model';
import { renderWhole, type WriterFactory } from './stream';

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
  return renderWhole(report, textWriter(color));
}

/**
 * formatText as a writer: the files that could not be analysed and the notes come first, so each
 * file's lines wait in the spool until the end; only the summary's counts are kept.
 */
export function textWriter(color: boolean): WriterFactory {
  return (_start, sink, spool) => {
    const paint = (code: string, text: string) => (color ? `${code}${text}${colors.reset}` : text);
    const counts = { error: 0, warning: 0, info: 0, hint: 0 };
    let fixable = 0;
    let scaffolds = 0;
    let files = 0;
    let filesWithFindings = 0;
    return {
      file(file) {
        files++;
        if (file.findings.length === 0) return;
        filesWithFindings++;
        const out: string[] = [];
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
        spool.write(out.join('\n') + '\n');
      },
      end(end) {
        const out: string[] = [];
        for (const error of end.errors)
          out.push(
            `${printable(error.path)}: ${paint(colors.error, 'cannot analyse')}: ${printable(error.message)}`,
          );
        if (end.errors.length > 0) out.push('');
        const notes = end.notes ?? [];
        for (const note of notes.slice(0, maxNotes))
          out.push(`${printable(note.path)}: ${paint(colors.info, 'note')}: ${printable(note.message)}`);
        if (notes.length > maxNotes)
          out.push(`… and ${notes.length - maxNotes} more notes (--format json lists them all).`);
        if (notes.length > 0) out.push('');
        if (out.length > 0) sink(out.join('\n') + '\n');
        spool.drain(sink);
        const total = counts.error + counts.warning + counts.info + counts.hint;
        const plural = { error: 'errors', warning: 'warnings', info: 'info', hint: 'hints' };
        const bySeverity = (['error', 'warning', 'info', 'hint'] as const)
          .filter((s) => counts[s] > 0)
          .map((s) => `${counts[s]} ${counts[s] === 1 ? s : plural[s]}`);
        const summary =
          total === 0
            ? `No findings in ${files} file${files === 1 ? '' : 's'}.`
            : `${total} finding${total === 1 ? '' : 's'} (${bySeverity.join(', ')}) in ${filesWithFindings} of ${files} files` +
              (fixable > 0 ? `; ${fixable} fixable with --fix` : '') +
              (scaffolds > 0
                ? `${fixable > 0 ? ',' : ';'} ${scaffolds} with a scaffold (--fix-scaffolds)`
                : '') +
              '.';
        const errors =
          end.errors.length > 0
            ? ` ${end.errors.length} file${end.errors.length === 1 ? '' : 's'} could not be analysed.`
            : '';
        const held = end.baseline
          ? ` ${end.baseline.held} finding${end.baseline.held === 1 ? '' : 's'} in the baseline not shown.`
          : '';
        sink(summary + errors + held + '\n');
      },
    };
  };
}
