import type { Finding } from '../engine/analyze';
import { ownString } from '../engine/names';
import type { FileKind } from '../engine/classify';
import type { SuppressionSource } from '../engine/suppress';
import type { LessonId } from '../lessons/catalogue';
import type { FixKind, Rule, Severity } from '../engine/rule';
import { LineIndex, type Range } from '../engine/text';

/** A finding as every output format sees it: positions resolved, the fix as line/character edits. */
export interface ReportFinding {
  ruleId: string;
  /** Undefined for the tool's own findings (unused suppressions), which belong to no lesson. */
  lesson: LessonId | undefined;
  severity: Severity;
  message: string;
  range: Range;
  /**
   * The finding's fix, when the output needs it: its kind for JSON's `fixable` and the text
   * summary, its edits too for SARIF (see FixDetail).
   */
  fix?: {
    title: string;
    kind: FixKind;
    edits?: { range: Range; newText: string }[];
    /** The fix's edits of other files (paths as the report writes them), with `edits`. */
    otherFiles?: { path: string; edits: { range: Range; newText: string }[] }[];
  };
  /** How the baseline knows it (see project/baseline.ts), when the run computed it. */
  /** Its baseline fingerprint; `also`: those of the findings it replaced (see `FindingFingerprint`). */
  fingerprint?: {
    id: string;
    occurrence: number;
    where: string;
    also?: { rule: string; fingerprint: string }[];
  };
  /** For a suppressed finding: who silenced it, and why when they said. */
  suppression?: { source: SuppressionSource; reason?: string };
  /**
   * Places in other files that explain it: for a CDK finding, where CDK synthesized it; for a
   * cross-file finding, what runs the code and what is declared beside it.
   */
  related?: RelatedReport[];
  /**
   * For a finding of a CDK app's synthesized templates: the stacks that have it and the
   * construct it is shown on. Its fix edits the CDK source in the editor; `--fix` leaves it.
   */
  cdk?: { stacks: string[]; constructPath?: string };
}

export interface RelatedReport {
  /** As the file paths of the report: relative to its root, with forward slashes. */
  path: string;
  range: Range;
  message: string;
}

/** Something the user should know about the run that is no finding (a CDK app never synthesized). */
export interface RunNote {
  path: string;
  message: string;
}

export interface FileReport {
  /** Relative to the folder the run started in, with forward slashes. */
  path: string;
  kind: FileKind;
  findings: ReportFinding[];
  /** Findings a suppression silences, when the output shows them (SARIF). */
  suppressed?: ReportFinding[];
}

export interface RunReport {
  tool: { name: string; version: string };
  /** The absolute folder paths are relative to. */
  root: string;
  /**
   * The folder code scanning resolves paths against (SARIF, GitHub annotations): the
   * repository's top level, else `root`.
   */
  sourceRoot?: string;
  files: FileReport[];
  errors: { path: string; message: string }[];
  /** Every rule that ran, for SARIF's rule table and the lesson report. */
  rules: readonly Rule[];
  /** Set when a baseline was applied: how many findings it held back. */
  baseline?: { file: string; held: number };
  notes?: RunNote[];
}

/** Findings the tool reports about its own directives, under ids of their own. */
export interface ToolRule {
  id: string;
  title: string;
  severity: Severity;
  /** Markdown. */
  help: string;
}

export const unusedSuppressionRule: ToolRule = {
  id: 'cloud-lessons/unused-suppression',
  title: 'Suppression that silences nothing',
  severity: 'warning',
  help: [
    '**Suppression that silences nothing** · `cloud-lessons/unused-suppression`',
    '',
    'A `cloud-lessons-disable` or `cloud-lessons-disable-next-line` comment, or an id in a',
    "template's `Metadata: cloud-lessons: ignore`, that silences no finding here: the code it",
    'excused was fixed or moved, or the id is misspelt. Left in place, it would silence the next',
    'real finding of that rule without anyone deciding so. Remove it (the id, or the whole',
    'directive when none of its ids is used). Reported with `--report-unused-suppressions`;',
    'suppressions written for other tools are left alone, since those tools may still need them.',
  ].join('\n'),
};

export const toolRules: readonly ToolRule[] = [unusedSuppressionRule];

/**
 * How much of a finding's fix a report keeps: none (`false`), its title and kind (`'kind'`: what
 * JSON's `fixable` and the text summary show), or its edits as well (`true`: SARIF). A run keeps
 * every file's report until it prints, so it keeps only what it prints.
 */
export type FixDetail = boolean | 'kind';

export function toReportFinding(
  finding: Finding,
  lines: LineIndex,
  withFix: FixDetail = true,
): ReportFinding {
  const fix = withFix ? finding.fix?.() : undefined;
  return {
    ruleId: finding.ruleId,
    lesson: finding.rule.lesson,
    severity: finding.severity,
    message: ownString(finding.message),
    range: finding.range,
    ...(finding.related?.length
      ? {
          related: finding.related.map((r) => ({
            path: r.path,
            range: r.range,
            message: ownString(r.message),
          })),
        }
      : {}),
    fix: fix && {
      title: ownString(fix.title),
      kind: fix.kind,
      ...(withFix === true
        ? { edits: fix.edits.map((e) => ({ range: lines.rangeOf(e), newText: ownString(e.text) })) }
        : {}),
      ...(withFix === true && fix.otherFiles?.length
        ? {
            otherFiles: fix.otherFiles.map((file) => {
              const other = new LineIndex(file.text);
              return {
                path: file.path,
                edits: file.edits.map((e) => ({ range: other.rangeOf(e), newText: ownString(e.text) })),
              };
            }),
          }
        : {}),
    },
  };
}

export const severityRank: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
