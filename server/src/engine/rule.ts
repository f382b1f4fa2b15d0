import type { LessonId, Reference } from '../lessons/catalogue';
import type { ApplicationIndex, FileEdits, RelatedLocation } from './applications';
import type { RuleKind } from './classify';
import type { Model, SourceDocument } from './document';
import type { EditTarget } from './edit';
import type { Resource, Template } from './parse/cloudformation';
import type { CodeModel } from './parse/code';
import type { ComposeFile } from './parse/compose';
import type { DockerfileModel } from './parse/dockerfile';
import type { Span, TextEdit } from './text';
import type { WorkspaceView } from './workspace';

export type { SourceDocument } from './document';
export type { TextEdit } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const severities: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/**
 * How far a fix can be trusted. `safe`: a reviewer would merge it unread (valid, minimal, no
 * change beyond the lesson): `--fix`, fix-all and fix-on-save apply it. `scaffold`: it writes
 * something the user must complete or review (a skeleton, a new resource, a behaviour change):
 * offered only as an explicit quick fix, never preferred, never in fix-all; the CLI applies it
 * only with `--fix-scaffolds`.
 */
export type FixKind = 'safe' | 'scaffold';
export const fixKinds: readonly FixKind[] = ['safe', 'scaffold'];

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
  /**
   * What the fix does and what it leaves to the user, in a sentence or two. Required for rules
   * with a fix; for a `safe` rule whose fix is a scaffold in some cases, it says which.
   */
  fix?: string;
  references?: Reference[];
}

/** Values that fill a message's `{{name}}` placeholders. */
export type MessageData = Record<string, string | number>;

export interface RuleMeta {
  /** `lesson/rule-name`, stable once shipped. */
  id: string;
  lesson: LessonId;
  /** A short title for lists and SARIF. */
  title: string;
  severity: Severity;
  /** Ids of peer tools for the same finding (checkov, hadolint, cfn-lint, cfn_nag, ruff). */
  equivalents: string[];
  /**
   * The kind of the rule's fix (see FixKind), or `no`. A `safe` rule may offer a scaffold on
   * inputs it cannot fix safely (its docs say when); a `scaffold` rule never offers a safe fix.
   */
  fix: FixKind | 'no';
  /**
   * The rule's messages by id. `{{name}}` is replaced by the finding's `data.name`; every other
   * character is literal. Ids are stable: SARIF's message strings and tests refer to them.
   */
  messages: Record<string, string>;
  docs: RuleDocs;
  /**
   * CloudFormation resource types the rule judges (`AWS::RDS::DBInstance`, …): a template check
   * gets them as `resources`, and the hover on a resource's Type lists these rules as its lesson
   * checklist, met or not.
   */
  resourceTypes?: string[];
  /**
   * Off in the `recommended` preset (the default), on in `strict`: for findings that are true
   * but that most teams do not act on.
   */
  strictOnly?: boolean;
  /**
   * Code rules leave test files alone (fixtures and assertions are not what runs in production);
   * a rule about something that matters in tests too sets this.
   */
  checksTestFiles?: boolean;
  /**
   * Rules whose finding this rule's finding replaces where both report the same span: a rule
   * that knows more (a cross-file one) says it once, in its words. A suppression of the replaced
   * rule at that spot silences this one too.
   */
  supersedes?: string[];
}

export interface Fix {
  title: string;
  /** Defaults to the rule's kind; a `safe` rule marks the fixes it can only scaffold. */
  kind?: FixKind;
  edits: TextEdit[];
  /** Files the fix creates beside the document (relative paths); never overwrites one. */
  newFiles?: { path: string; text: string }[];
  /** Edits of other files of the workspace (the compose file, the template) that belong to the fix. */
  otherFiles?: FileEdits[];
  /**
   * What the user must still do once a scaffold is applied, one short imperative each
   * (`Install connect-redis and redis (npm install connect-redis redis)`, `Set REDIS_URL`).
   */
  needs?: string[];
}

/** A fix whose kind the engine has settled. */
export interface SettledFix extends Fix {
  kind: FixKind;
}

export interface ReportedFinding<Id extends string = string> {
  /** The exact token: a span, or any node that has one. */
  at: Span | { span: Span };
  /** A key of the rule's `messages`. */
  messageId: Id;
  data?: MessageData;
  /** Overrides the rule's default severity for this finding (e.g. port 22 vs port 8080). */
  severity?: Severity;
  /** The template resource the finding is about: it names the finding in hovers and baselines. */
  resource?: Resource;
  /**
   * Where the secret value is, for rules that find one: the analyser hides it in every text about
   * the file (messages, problems, fix titles, logs, and what the front-ends show).
   */
  secret?: Span | { span: Span };
  /** Places in other files that explain the finding (where the copies are declared, the cache). */
  related?: RelatedLocation[];
  /**
   * Computed only when an editor or --fix asks for it. Returning undefined, or throwing
   * FixDeclined, means no fix for this input; any other error is logged with the rule's id.
   */
  fix?: () => Fix | undefined;
}

/** Thrown by shared fix helpers that cannot serve an input (a resource inside Fn::ForEach, …). */
export class FixDeclined extends Error {}

export interface CheckContext<M, Id extends string = string> {
  model: M;
  document: SourceDocument;
  workspace: WorkspaceView;
  /** The application the file belongs to, as the files around it describe it (cross-file rules). */
  applications: ApplicationIndex;
  /** Where fixes write: the document, with the format of its YAML/JSON tree when it has one. */
  target: EditTarget;
  report(finding: ReportedFinding<Id>): void;
}

export interface TemplateContext<Id extends string = string> extends CheckContext<Template, Id> {
  /** The template's resources of the rule's `resourceTypes`, in document order (all when it declares none). */
  resources: readonly Resource[];
}

type Check<C> = (context: C) => void | Promise<void>;

/**
 * One check per kind the rule covers. `any` runs on every text file, whatever its kind, and
 * gets the kind's model when the file has one.
 */
export interface Checks<Id extends string = string> {
  cfn?: Check<TemplateContext<Id>>;
  docker?: Check<CheckContext<DockerfileModel, Id>>;
  compose?: Check<CheckContext<ComposeFile, Id>>;
  js?: Check<CheckContext<CodeModel, Id>>;
  py?: Check<CheckContext<CodeModel, Id>>;
  any?: Check<CheckContext<Model | undefined, Id>>;
}

export interface Rule extends RuleMeta {
  kinds: RuleKind[];
  checks: Checks;
}

/** A rule: its checks can only report the message ids its `messages` define (checked by the compiler). */
export function defineRule<Id extends string>(
  definition: RuleMeta & { messages: Record<Id, string>; checks: Checks<Id> },
): Rule {
  return { ...definition, kinds: Object.keys(definition.checks) as RuleKind[] } as Rule;
}

export function spanOf(at: Span | { span: Span }): Span {
  return 'span' in at ? at.span : at;
}

/**
 * A message of the rule with its placeholders filled. An unknown id or a missing value is a bug
 * in the rule: it throws, and the analyser skips the rule for the file and logs it.
 */
export function formatMessage(rule: RuleMeta, messageId: string, data: MessageData = {}): string {
  const template = rule.messages[messageId];
  if (template === undefined) throw new Error(`Rule ${rule.id} has no message "${messageId}".`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined)
      throw new Error(`Message "${messageId}" of ${rule.id} needs a value for {{${name}}}.`);
    return String(value);
  });
}
