import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { AnalysisResult } from '../engine/analyze';
import type { ParsedDocument } from '../engine/document';
import { maxAnalysedLength } from '../engine/document';
import type { FixKind, Severity } from '../engine/rule';
import {
  collectSuppressions,
  suppressionFor,
  unusedSuppressions,
  unusedSuppressionText,
  type Suppression,
  type UnusedSuppression,
} from '../engine/suppress';
import { applyEdits } from '../engine/fixes';
import { ownString } from '../engine/names';
import { LineIndex } from '../engine/text';
import {
  toReportFinding,
  unusedSuppressionRule,
  type FixDetail,
  type FileReport,
  type ReportFinding,
  type RunReport,
} from '../report/model';
import { version } from '../version';
import { fingerprintFindings, type Locatable } from './baseline';
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

/** What a report of one analysis carries beyond the findings. */
export interface ReportExtras {
  /** Baseline fingerprints of the findings (and of the suppressed ones). */
  fingerprints?: boolean;
  /** The suppressed findings, with the suppression that silenced each. */
  suppressed?: boolean;
  /** Our suppressions that silence nothing, as findings of `cloud-lessons/unused-suppression`. */
  unusedSuppressions?: boolean;
}

/**
 * The suppressions of a document that silence nothing in its analysis. None when the file does
 * not parse, and none for a rule that failed on it (its findings are unknown).
 */
export function unusedSuppressionsOf(
  document: ParsedDocument,
  result: AnalysisResult,
  suppressions: Suppression[] = collectSuppressions(document),
): UnusedSuppression[] {
  if (result.problems.some((p) => p.fatal)) return [];
  const failed = new Set(result.failures.map((f) => f.ruleId));
  return unusedSuppressions(document, suppressions, result.suppressed).filter((u) => !failed.has(u.id));
}

/**
 * The report of one analysis; fixes only when the output shows them (they cost time and memory).
 * Extras that read the document (fingerprints, suppressions) need it still parsed.
 */
export function fileReport(
  display: string,
  result: AnalysisResult,
  lines: LineIndex,
  withFixes: FixDetail,
  extras: ReportExtras & { document?: ParsedDocument } = {},
): FileReport {
  const report: FileReport = {
    path: display,
    kind: result.kind,
    findings: result.findings.map((f) => toReportFinding(f, lines, withFixes)),
  };
  const document = extras.document;
  if (document) displayRelated(report.findings, document.path, display);
  if (!document) return report;
  const suppressions = extras.suppressed || extras.unusedSuppressions ? collectSuppressions(document) : [];
  if (extras.unusedSuppressions) {
    const unused = unusedSuppressionsOf(document, result, suppressions);
    const located: Locatable[] = [];
    const own: ReportFinding[] = [];
    for (const u of unused) {
      const { message, fixTitle } = unusedSuppressionText(u);
      own.push({
        ruleId: unusedSuppressionRule.id,
        lesson: undefined,
        severity: unusedSuppressionRule.severity,
        message: ownString(message),
        range: lines.rangeOf(u.span),
        fix:
          withFixes && u.edits.length > 0
            ? {
                title: ownString(fixTitle),
                kind: 'safe',
                ...(withFixes === true
                  ? { edits: u.edits.map((e) => ({ range: lines.rangeOf(e), newText: ownString(e.text) })) }
                  : {}),
              }
            : undefined,
      });
      located.push({ ruleId: unusedSuppressionRule.id, messageId: 'unused', span: u.span });
    }
    if (extras.fingerprints) {
      attach(report.findings, document, result.findings);
      attach(own, document, located);
    }
    report.findings.push(...own);
    report.findings.sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
  } else if (extras.fingerprints) attach(report.findings, document, result.findings);
  if (extras.suppressed) {
    report.suppressed = result.suppressed.map((finding) => {
      const reported = toReportFinding(finding, lines, false);
      const by = suppressionFor(finding.rule, finding.span, document, suppressions);
      if (by) reported.suppression = { source: by.source, ...(by.reason ? { reason: by.reason } : {}) };
      return reported;
    });
    if (extras.fingerprints) attach(report.suppressed, document, result.suppressed);
  }
  return report;
}

/**
 * Related places as the report writes paths: relative to the run's folder, as the file's own
 * path is (found from where the file is and how it is shown).
 */
function displayRelated(findings: ReportFinding[], path: string, display: string): void {
  const shown = (other: string) =>
    posix.normalize(posix.join(posix.dirname(display), relative(dirname(path), other).split(sep).join('/')));
  for (const finding of findings) {
    for (const related of finding.related ?? []) related.path = shown(related.path);
    for (const other of finding.fix?.otherFiles ?? []) other.path = shown(other.path);
  }
}

function attach(reported: ReportFinding[], document: ParsedDocument, findings: readonly Locatable[]) {
  const prints = fingerprintFindings(document, findings);
  prints.forEach((print, i) => {
    reported[i].fingerprint = {
      id: print.fingerprint,
      occurrence: print.occurrence,
      where: print.where,
      ...(print.also ? { also: print.also } : {}),
    };
  });
}

export interface FixOptions {
  /** The kinds of fix to apply and write to the files. */
  kinds: readonly FixKind[];
}

export interface CheckedFile extends FileOutcome {
  /** The file's absolute path. */
  path: string;
  /** Fixes applied to the file (with `fix`). */
  fixed: number;
}

export interface CheckOptions extends ReportExtras {
  fix?: FixOptions;
  /** How much of each fix the report keeps: only what the output prints. */
  withFixes: FixDetail;
  /** Analyse this text as the file (standard input with `--stdin-filename`); never written. */
  text?: string;
}

/**
 * Check one file from disk as the CLI does: read it, apply and write the fixes asked for, then
 * analyse what is left under the file's configuration.
 */
export async function checkFile(
  project: Project,
  path: string,
  display: string,
  options: CheckOptions,
): Promise<CheckedFile> {
  const failOn = project.configFor(path).failOn.value;
  const source = options.text !== undefined ? { text: options.text } : readSource(path);
  if ('error' in source) return unreadFile(project, path, display, source.error);
  let text = source.text;
  let fixed = 0;
  if (options.fix && options.text === undefined) {
    const result = await project.fixAll({ path, text }, options.fix.kinds, { otherFiles: true });
    if (result.applied > 0) {
      if (result.text !== text) {
        writeFileSync(path, result.text);
        project.wrote(path);
      }
      // Another file a fix also edits (the compose file, the template) is written only while it
      // still holds the text the fix was made for.
      for (const other of result.otherFiles) {
        const current = readSource(other.path);
        if ('text' in current && current.text === other.text) {
          writeFileSync(other.path, applyEdits(other.text, other.edits));
          project.wrote(other.path);
        }
      }
      for (const created of result.newFiles) {
        const target = join(dirname(path), created.path);
        if (!existsSync(target)) {
          writeFileSync(target, created.text);
          project.wrote(target);
        }
      }
      text = result.text;
      fixed = result.applied;
    }
  }
  const document = await project.parse({ path, text });
  try {
    const result = await project.run(document);
    const lines = document.lines;
    return {
      path,
      report: fileReport(display, result, lines, options.withFixes, { ...options, document }),
      analysed: true,
      error: fatalProblem(result, lines),
      failOn,
      fixed,
    };
  } finally {
    document.dispose();
  }
}

/** A path that was not read (a FIFO, a device, a link out of the project, a read error): an error of the run. */
export function unreadFile(project: Project, path: string, display: string, message: string): CheckedFile {
  return {
    path,
    report: { path: display, kind: 'other', findings: [] },
    analysed: false,
    error: message,
    failOn: project.configFor(path).failOn.value,
    fixed: 0,
  };
}

/** The run report of these files: what every output format reads. */
export function runReport(
  project: Project,
  root: string,
  files: readonly FileOutcome[],
  sourceRoot?: string,
): RunReport {
  return {
    tool: { name: 'cloud-lessons', version },
    root,
    ...(sourceRoot ? { sourceRoot } : {}),
    files: files.filter((f) => f.analysed).map((f) => f.report),
    errors: files.filter((f) => f.error).map((f) => ({ path: f.report.path, message: f.error as string })),
    rules: project.rules,
  };
}

/**
 * Git, as the CLI asks it: only for the repository's top level and the names of changed files.
 * Configuration that would run programs (an fsmonitor hook, external diff drivers, text
 * conversion) is switched off, so that asking never runs code from the repository.
 */
function git(cwd: string, args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'diff.external=', ...args],
    {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' },
    },
  );
}

/** The top level of the git work tree around `cwd`, if git knows one. */
export function gitTopLevel(cwd: string): string | undefined {
  try {
    const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
    return top ? resolve(top) : undefined;
  } catch {
    return undefined;
  }
}

export class GitError extends Error {}

/**
 * The files changed since `ref` (absolute paths): committed since the branch left `ref` (their
 * merge base), staged, unstaged and untracked but not ignored; deleted files left out.
 */
export function changedFiles(ref: string, cwd: string): string[] {
  const top = gitTopLevel(cwd);
  if (!top) throw new GitError(`--changed-since needs a git repository, and ${cwd} is not in one.`);
  let base: string;
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    base = git(top, ['merge-base', ref, 'HEAD']).trim() || ref;
  } catch {
    throw new GitError(`--changed-since: git does not know "${ref}" as a commit, branch or tag.`);
  }
  const diff = git(top, [
    'diff',
    '--name-only',
    '-z',
    '--no-ext-diff',
    '--no-textconv',
    '--no-renames',
    '--diff-filter=d',
    base,
    '--',
  ]);
  const untracked = git(top, ['ls-files', '-z', '--others', '--exclude-standard']);
  const names = new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean));
  return [...names].map((name) => resolve(top, name)).sort();
}
