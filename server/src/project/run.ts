import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../engine/analyze';
import { maxAnalysedLength } from '../engine/document';
import type { FixKind, Severity } from '../engine/rule';
import { LineIndex } from '../engine/text';
import { toReportFinding, type FileReport, type RunReport } from '../report/model';
import { version } from '../version';
import type { Project } from './project';

/** A file's text from disk, or why it cannot be analysed. */
export function readSource(path: string): { text: string } | { error: string } {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > maxAnalysedLength * 2)
      return { error: `too large to analyse (${(stat.size / 1e6).toFixed(1)} MB)` };
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { error: `cannot read it: ${(error as Error).message}` };
  }
}

/** The first fatal problem of an analysis, as `line:column: message`, if the text does not parse. */
export function fatalProblem(result: AnalysisResult, lines: LineIndex): string | undefined {
  const fatal = result.problems.find((p) => p.fatal);
  if (!fatal) return undefined;
  const at = lines.positionAt(fatal.span.start);
  return `${at.line + 1}:${at.character + 1}: ${fatal.message}`;
}

/** One file of a run: its report, what stopped its analysis, and the severity that fails it. */
export interface FileOutcome {
  report: FileReport;
  /** False when the file could not even be read: it is listed in `errors` only. */
  analysed: boolean;
  error?: string;
  failOn: Severity;
}

/** The report of one analysis; fixes only when the output shows them (they cost time and memory). */
export function fileReport(
  display: string,
  result: AnalysisResult,
  lines: LineIndex,
  withFixes: boolean,
): FileReport {
  return {
    path: display,
    kind: result.kind,
    findings: result.findings.map((f) => toReportFinding(f, lines, withFixes)),
  };
}

export interface FixOptions {
  /** The kinds of fix to apply and write to the files. */
  kinds: readonly FixKind[];
}

export interface CheckedFile extends FileOutcome {
  /** Fixes applied to the file (with `fix`). */
  fixed: number;
}

/**
 * Check one file from disk as the CLI does: read it, apply and write the fixes asked for, then
 * analyse what is left under the file's configuration.
 */
export async function checkFile(
  project: Project,
  path: string,
  display: string,
  options: { fix?: FixOptions; withFixes: boolean },
): Promise<CheckedFile> {
  const failOn = project.configFor(path).failOn.value;
  const source = readSource(path);
  if ('error' in source)
    return {
      report: { path: display, kind: 'other', findings: [] },
      analysed: false,
      error: source.error,
      failOn,
      fixed: 0,
    };
  let text = source.text;
  let fixed = 0;
  if (options.fix) {
    const result = await project.fixAll({ path, text }, options.fix.kinds);
    if (result.applied > 0) {
      if (result.text !== text) writeFileSync(path, result.text);
      for (const created of result.newFiles) {
        const target = join(dirname(path), created.path);
        if (!existsSync(target)) writeFileSync(target, created.text);
      }
      text = result.text;
      fixed = result.applied;
    }
  }
  const result = await project.analyze({ path, text });
  const lines = new LineIndex(text);
  return {
    report: fileReport(display, result, lines, options.withFixes),
    analysed: true,
    error: fatalProblem(result, lines),
    failOn,
    fixed,
  };
}

/** The run report of these files: what every output format reads. */
export function runReport(project: Project, root: string, files: readonly FileOutcome[]): RunReport {
  return {
    tool: { name: 'cloud-lessons', version },
    root,
    files: files.filter((f) => f.analysed).map((f) => f.report),
    errors: files.filter((f) => f.error).map((f) => ({ path: f.report.path, message: f.error as string })),
    rules: project.rules,
  };
}
