import type { LessonId, Reference } from '../lessons/catalogue';
import type { FileKind, RuleKind } from './classify';
import type { Template } from './parse/cloudformation';
import type { ComposeFile } from './parse/compose';
import type { DockerfileModel } from './parse/dockerfile';
import type { CodeModel } from './parse/code';
import type { LineIndex, Span } from './text';
import type { WorkspaceView } from './workspace';
import type { Model } from './document';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const severities: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** A code sample in a rule's docs; `language` is a Markdown fence language. */
export interface CodeSample {
  language: 'yaml' | 'json' | 'dockerfile' | 'javascript' | 'typescript' | 'python' | 'text';
  code: string;
}

/** The rule's page and hover, in the style of Ruff's rule docs. */
export interface RuleDocs {
  /** What it flags, one or two sentences. */
  what: string;
  /** Why it matters here, beyond the lesson's general reason. */
  why: string;
  example: CodeSample;
  useInstead: CodeSample;
  references?: Reference[];
}

export interface RuleMeta {
  /** `lesson/rule-name`, stable once shipped. */
  id: string;
  lesson: LessonId;
  /** A short title for lists and SARIF. */
  title: string;
  severity: Severity;
  /** Ids of peer tools for the same finding (checkov, hadolint, cfn-lint, cfn_nag, ruff). */
  equivalents: string[];
  /** yes: a fix that resolves it; scaffold: inserts a skeleton with named placeholders; no. */
  fix: 'yes' | 'scaffold' | 'no';
  docs: RuleDocs;
  /**
   * CloudFormation resource types the rule judges (`AWS::RDS::DBInstance`, …): the hover on a
   * resource's Type lists these rules as its lesson checklist, met or not.
   */
  resourceTypes?: string[];
}

/** A text edit in offsets of the document being fixed. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Files the fix creates beside the document (relative paths); never overwrites one. */
  newFiles?: { path: string; text: string }[];
}

export interface ReportedFinding {
  /** The exact token: a span, or any node that has one. */
  at: Span | { span: Span };
  message: string;
  /** Overrides the rule's default severity for this finding (e.g. port 22 vs port 8080). */
  severity?: Severity;
  /** Computed only when an editor or --fix asks for it. */
  fix?: () => Fix | undefined;
}

/** What a check sees of the document besides its model. */
export interface SourceDocument {
  path: string;
  text: string;
  lines: LineIndex;
  kind: FileKind;
  languageId?: string;
}

export interface CheckContext<M> {
  model: M;
  document: SourceDocument;
  workspace: WorkspaceView;
  report(finding: ReportedFinding): void;
}

type Check<M> = (context: CheckContext<M>) => void | Promise<void>;

/**
 * One check per kind the rule covers. `any` runs on every text file, whatever its kind, and
 * gets the kind's model when the file has one.
 */
export interface Checks {
  cfn?: Check<Template>;
  docker?: Check<DockerfileModel>;
  compose?: Check<ComposeFile>;
  js?: Check<CodeModel>;
  py?: Check<CodeModel>;
  any?: Check<Model | undefined>;
}

export interface Rule extends RuleMeta {
  kinds: RuleKind[];
  checks: Checks;
}

export function defineRule(definition: RuleMeta & { checks: Checks }): Rule {
  return { ...definition, kinds: Object.keys(definition.checks) as RuleKind[] };
}

export function spanOf(at: Span | { span: Span }): Span {
  return 'span' in at ? at.span : at;
}
