import type { Severity } from '../engine/rule';
import type { RunReport } from './model';
import { sourcePath } from './sarif';
import { renderWhole, type ReportStart, type ReportWriter, type Sink, type Spool } from './stream';

const commands: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** A workflow command's message: `%`, carriage returns and line feeds are escaped. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property: `:` and `,` too, which would end it. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow commands, one per finding (`::error file=…,line=…::message`): the runner
 * shows them as annotations on the pull request's diff. Paths are relative to the repository's
 * top level, where the runner resolves them.
 */
export function formatGithub(report: RunReport): string {
  return renderWhole(report, githubWriter);
}

/** formatGithub as a writer: the files that could not be analysed come first, the files wait in the spool. */
export function githubWriter(start: ReportStart, sink: Sink, spool: Spool): ReportWriter {
  const paths = { root: start.root, sourceRoot: start.sourceRoot };
  return {
    file(file) {
      const path = property(sourcePath(paths, file.path));
      const out: string[] = [];
      for (const f of file.findings) {
        const { start, end } = f.range;
        const place =
          `file=${path},line=${start.line + 1},col=${start.character + 1}` +
          `,endLine=${end.line + 1}` +
          (end.line === start.line ? `,endColumn=${end.character + 1}` : '');
        out.push(`::${commands[f.severity]} ${place},title=${property(f.ruleId)}::${data(f.message)}\n`);
      }
      if (out.length > 0) spool.write(out.join(''));
    },
    end(end) {
      const out: string[] = [];
      for (const error of end.errors)
        out.push(
          `::error file=${property(sourcePath(paths, error.path))},title=${property('cannot analyse')}::${data(error.message)}\n`,
        );
      if (out.length > 0) sink(out.join(''));
      spool.drain(sink);
    },
  };
}
