import type { Finding } from '../engine/analyze';
import type { FileKind } from '../engine/classify';
import type { LessonId } from '../lessons/catalogue';
import type { FixKind, Rule, Severity } from '../engine/rule';
import type { LineIndex, Range } from '../engine/text';

/** A finding as every output format sees it: positions resolved, the fix as line/character edits. */
export interface ReportFinding {
  ruleId: string;
  lesson: LessonId;
  severity: Severity;
  message: string;
  range: Range;
  /** The finding's fix, when the output needs it (SARIF, JSON's `fixable`, the text summary). */
  fix?: { title: string; kind: FixKind; edits: { range: Range; newText: string }[] };
}

export interface FileReport {
  /** Relative to the folder the run started in, with forward slashes. */
  path: string;
  kind: FileKind;
  findings: ReportFinding[];
}

export interface RunReport {
  tool: { name: string; version: string };
  /** The absolute folder paths are relative to. */
  root: string;
  files: FileReport[];
  errors: { path: string; message: string }[];
  /** Every rule that ran, for SARIF's rule table and the lesson report. */
  rules: readonly Rule[];
}

export function toReportFinding(finding: Finding, lines: LineIndex, withFix = true): ReportFinding {
  const fix = withFix ? finding.fix?.() : undefined;
  return {
    ruleId: finding.ruleId,
    lesson: finding.rule.lesson,
    severity: finding.severity,
    message: finding.message,
    range: finding.range,
    fix: fix && {
      title: fix.title,
      kind: fix.kind,
      edits: fix.edits.map((e) => ({ range: lines.rangeOf(e), newText: e.text })),
    },
  };
}

export const severityRank: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
