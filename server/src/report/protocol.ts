/**
 * The server's requests beyond LSP: the workspace scan, the lesson report and the rule list.
 * Types only (and method names), so that the VS Code client can import this file without
 * pulling any analysis into its bundle. Other editors can send the same requests.
 */
import type { LessonReport } from './lessons';

export const scanWorkspaceMethod = 'cloudLessons/scanWorkspace';
export const lessonReportMethod = 'cloudLessons/lessonReport';
export const listRulesMethod = 'cloudLessons/listRules';
export const explainRuleMethod = 'cloudLessons/explainRule';

export interface ScanParams {
  /** Workspace folder URIs (`file:` only; others are skipped). */
  folders: string[];
  /**
   * Globs of files and folders to leave out, relative to each folder (VS Code's `files.exclude`:
   * `**\/node_modules`, `build`, `**\/*.{js,map}`), on top of every `.gitignore` and the
   * configuration's `ignore:`.
   */
  exclude?: string[];
  /** LSP work-done progress: the client's token, when it shows the progress itself. */
  workDoneToken?: string | number;
}

export interface ScanResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  /** Files that could not be analysed (too large, unreadable, syntax errors). */
  errors: number;
  /** True when the client cancelled: the counts cover the files done until then. */
  cancelled: boolean;
}

export interface LessonReportParams extends ScanParams {
  /**
   * How the page links to a finding: a command id gets `command:<id>?[uri, line, character]`
   * links (for a webview); without one, links are `file:` URIs with a `#L<line>` anchor.
   */
  linkCommand?: string;
}

export interface LessonReportResult {
  report: LessonReport;
  html: string;
  markdown: string;
  cancelled: boolean;
}

export interface RuleSummary {
  id: string;
  title: string;
  lesson: string;
  lessonTitle: string;
  severity: string;
  kinds: string[];
  fix: string;
}

export interface ExplainRuleParams {
  ruleId: string;
}

/** The rule's page as Markdown, or null for an unknown id. */
export type ExplainRuleResult = { markdown: string } | null;
