import { noApplications, type ApplicationIndex, type RelatedLocation } from './applications';
import { BudgetExceeded, endBudget, startBudget } from './budget';
import { isTestFile, ruleKindOf, type FileKind, type RuleKind } from './classify';
import { defaultRuleConfig, type RuleConfig } from './config';
import { parseSource, type DocumentInput, type ParsedDocument } from './document';
import type { EditTarget } from './edit';
import type { Template } from './parse/cloudformation';
import type { ParseProblem } from './parse/problems';
import {
  FixDeclined,
  formatMessage,
  spanOf,
  type CheckContext,
  type Fix,
  type MessageData,
  type ReportedFinding,
  type Rule,
  type Severity,
  type SettledFix,
  type TemplateContext,
} from './rule';
import { withLoopNames } from './loop-names';
import { Masker, noSecrets } from './mask';
import { collectSuppressions, isSuppressed } from './suppress';
import type { Range, Span } from './text';
import { fileSystemWorkspace, type WorkspaceView } from './workspace';

export interface Finding {
  rule: Rule;
  ruleId: string;
  severity: Severity;
  /** The key of the rule's message, and the values it was filled with. */
  messageId: string;
  data: MessageData;
  message: string;
  span: Span;
  range: Range;
  /** The logical id of the template resource the finding is about. */
  resource?: string;
  /** Places in other files that explain it. */
  related?: RelatedLocation[];
  /**
   * The findings of other rules it took the place of at the same spot (a cross-file rule that
   * supersedes them): a baseline written when they were reported still holds it.
   */
  replaces?: { ruleId: string; messageId: string }[];
  /** The fix, computed on demand; its kind settled by the engine. Never throws. */
  fix?: () => SettledFix | undefined;
}

export interface RuleFailure {
  ruleId: string;
  message: string;
}

export interface AnalysisResult {
  kind: FileKind;
  findings: Finding[];
  /** Findings that a suppression comment, Metadata entry or peer suppression silences. */
  suppressed: Finding[];
  /** Syntax errors and other problems with the text itself. */
  problems: ParseProblem[];
  /** Rules that threw on this document: skipped, the others still reported. */
  failures: RuleFailure[];
  /** Hides the secrets found in this document: every text shown about it goes through it. */
  masker: Masker;
}

/** What keeps one file or one rule from holding the analysis, or the editor, for long. */
export interface AnalysisLimits {
  /** A rule on one file stops at the next check past this (see engine/budget.ts). */
  ruleMs: number;
  /** The rules not started by then are skipped for the file, and the file says so. */
  fileMs: number;
  /** Give the event loop a turn between rules once this long has passed (the editor: other documents stay live). */
  sliceMs: number;
}

export const defaultLimits: AnalysisLimits = { ruleMs: 3_000, fileMs: 10_000, sliceMs: 25 };

/**
 * How a run in the background (a workspace scan) gives way: a turn of the event loop after every
 * `sliceMs` of rules, then `pause()` until the editor has nothing on its way. Time spent paused
 * does not count against the file's limit.
 */
export interface BackgroundTurns {
  sliceMs: number;
  pause: () => Promise<void>;
}

export interface AnalyzerOptions {
  rules: readonly Rule[];
  config?: RuleConfig;
  workspace?: WorkspaceView;
  /** What cross-file rules know of each file's application (nothing, by default). */
  applications?: ApplicationIndex;
  /** Where a rule's failure is logged, once per rule and message. */
  log?: (message: string) => void;
  limits?: Partial<AnalysisLimits>;
}

type AnyCheck = (context: CheckContext<unknown>) => void | Promise<void>;

/** Runs the rules over parsed documents. Pure apart from the workspace reads a rule asks for. */
export class Analyzer {
  readonly rules: readonly Rule[];
  readonly config: RuleConfig;
  readonly workspace: WorkspaceView;
  readonly applications: ApplicationIndex;
  private readonly log: (message: string) => void;
  private readonly logged = new Set<string>();
  private readonly limits: AnalysisLimits;

  constructor(options: AnalyzerOptions) {
    this.rules = options.rules;
    this.limits = { ...defaultLimits, ...options.limits };
    this.config = options.config ?? defaultRuleConfig;
    this.workspace = options.workspace ?? fileSystemWorkspace;
    this.applications = options.applications ?? noApplications;
    this.log = options.log ?? (() => {});
  }

  parse(input: DocumentInput): Promise<ParsedDocument> {
    return parseSource(input);
  }

  /**
   * Parse, run, and free the parse: for one-shot use (the CLI, fix-all). Fixes are computed
   * before the syntax tree they read is freed; a finding keeps `fix` only when it has one.
   */
  async analyze(
    input: DocumentInput,
    config: RuleConfig = this.config,
    workspace: WorkspaceView = this.workspace,
    applications: ApplicationIndex = this.applications,
  ): Promise<AnalysisResult> {
    const document = await this.parse(input);
    try {
      const result = await this.run(document, config, workspace, applications);
      for (const finding of result.findings) {
        const fix = finding.fix?.();
        finding.fix = fix ? () => fix : undefined;
      }
      return result;
    } finally {
      document.dispose();
    }
  }

  /** Run the rules over a parsed document, under `config` (the analyzer's own by default). */
  async run(
    document: ParsedDocument,
    config: RuleConfig = this.config,
    workspace: WorkspaceView = this.workspace,
    applications: ApplicationIndex = this.applications,
    background?: BackgroundTurns,
  ): Promise<AnalysisResult> {
    const result: AnalysisResult = {
      kind: document.kind,
      findings: [],
      suppressed: [],
      problems: document.problems,
      failures: [],
      masker: noSecrets,
    };
    if (!document.analysable || config.isIgnored(document.path)) return result;
    // Log lines wait for the masker: a failure's message may quote the text.
    const logs: { key: string; message: string }[] = [];
    const fatal = document.problems.some((p) => p.fatal);
    const kind = ruleKindOf[document.kind];
    const model = document.model;
    const kindModel =
      model?.kind === 'cloudformation'
        ? model.template
        : model?.kind === 'compose'
          ? model.compose
          : model?.kind === 'dockerfile'
            ? model.dockerfile
            : model?.code;
    const target: EditTarget = {
      text: document.text,
      lines: document.lines,
      format: document.format ?? 'yaml',
    };
    const testFile = (kind === 'js' || kind === 'py') && isTestFile(document.path);

    const raw: Finding[] = [];
    const secrets: Span[] = [];
    let started = Date.now();
    let slice = started;
    const sliceMs = background?.sliceMs ?? this.limits.sliceMs;
    const skipped: string[] = [];
    for (const rule of this.rules) {
      const chosen = config.chosenSetting(rule);
      if (chosen === 'off') continue;
      if (Date.now() - started > this.limits.fileMs) {
        skipped.push(rule.id);
        continue;
      }
      if (Date.now() - slice > sliceMs) {
        const before = Date.now();
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (background) {
          await background.pause();
          // Waiting for the editor is not the file's time.
          started += Date.now() - before;
        }
        slice = Date.now();
      }
      const checks: { check: AnyCheck; model: unknown; kind: RuleKind }[] = [];
      if (kind && !fatal && kindModel && rule.checks[kind] && (!testFile || rule.checksTestFiles)) {
        checks.push({ check: rule.checks[kind] as AnyCheck, model: kindModel, kind });
      }
      if (rule.checks.any)
        checks.push({ check: rule.checks.any as AnyCheck, model: fatal ? undefined : model, kind: 'any' });
      for (const { check, model: checkModel, kind: checkKind } of checks) {
        const found: Finding[] = [];
        const context: CheckContext<unknown> | TemplateContext = {
          model: checkModel,
          document,
          workspace,
          applications,
          target,
          report: (reported) => {
            found.push(this.finding(rule, chosen, reported, document));
            if (reported.secret) secrets.push(spanOf(reported.secret));
          },
        };
        if (checkKind === 'cfn' && model?.kind === 'cloudformation') {
          const template = model.template;
          (context as TemplateContext).resources = rule.resourceTypes
            ? template.resourcesOfType(rule.resourceTypes)
            : template.resources;
        }
        try {
          startBudget(this.limits.ruleMs);
          // Most checks are synchronous: awaiting only real promises saves a turn per rule and file.
          const pending = check(context as CheckContext<unknown>);
          if (pending) await pending;
          raw.push(...found);
        } catch (error) {
          if (error instanceof BudgetExceeded) {
            result.failures.push({ ruleId: rule.id, message: 'time limit' });
            result.problems = [
              ...result.problems,
              {
                message: `Rule ${rule.id} was stopped on this file after ${this.limits.ruleMs / 1000} s (the limit per rule): its findings are missing here.`,
                span: { start: 0, end: 0 },
                severity: 'warning',
                fatal: false,
              },
            ];
            continue;
          }
          const message = error instanceof Error ? error.message : String(error);
          result.failures.push({ ruleId: rule.id, message });
          logs.push({
            key: `${rule.id}\u0000${message}`,
            message: `Rule ${rule.id} failed on ${document.path} and was skipped for it: ${
              error instanceof Error ? (error.stack ?? message) : message
            }`,
          });
        }
      }
    }
    endBudget();
    if (skipped.length > 0)
      result.problems = [
        ...result.problems,
        {
          message: `The analysis of this file was cut short after ${this.limits.fileMs / 1000} s (the limit per file): ${skipped.length} rule${skipped.length === 1 ? ' was' : 's were'} not run (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}).`,
          span: { start: 0, end: 0 },
          severity: 'warning',
          fatal: false,
        },
      ];
    if (raw.length > 0) {
      const suppressions = collectSuppressions(document);
      for (const finding of raw.sort(
        (a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId),
      )) {
        if (isSuppressed(finding.rule, finding.span, document, suppressions)) result.suppressed.push(finding);
        else result.findings.push(finding);
      }
      if (this.rules.some((rule) => rule.supersedes)) supersede(result);
    }
    this.mask(
      result,
      secrets.map((span) => document.text.slice(span.start, span.end)),
    );
    for (const { key, message } of logs) this.logOnce(key, result.masker.mask(message));
    return result;
  }

  /** Every secret the rules found, hidden in the result's messages, problems, data and fix titles. */
  private mask(result: AnalysisResult, secrets: string[]): void {
    if (secrets.length === 0) return;
    const masker = new Masker(secrets);
    result.masker = masker;
    result.problems = result.problems.map((p) => ({ ...p, message: masker.mask(p.message) }));
    for (const finding of [...result.findings, ...result.suppressed]) {
      finding.message = masker.mask(finding.message);
      for (const [key, value] of Object.entries(finding.data))
        if (typeof value === 'string') finding.data[key] = masker.mask(value);
      const compute = finding.fix;
      if (compute)
        finding.fix = () => {
          const fix = compute();
          return (
            fix && { ...fix, title: masker.mask(fix.title), needs: fix.needs?.map((n) => masker.mask(n)) }
          );
        };
    }
  }

  /**
   * The spans one rule reports on a template that stands for this document (the document's own,
   * or a variant with one property changed, for hovers). Synchronous rules only: undefined for a
   * rule that needs a turn or fails (a failure is logged like any other).
   */
  probe(rule: Rule, document: ParsedDocument, template: Template): Span[] | undefined {
    const check = rule.checks.cfn;
    if (!check) return [];
    const spans: Span[] = [];
    const context: TemplateContext = {
      model: template,
      document,
      workspace: this.workspace,
      applications: this.applications,
      target: { text: document.text, lines: document.lines, format: template.format },
      resources: rule.resourceTypes ? template.resourcesOfType(rule.resourceTypes) : template.resources,
      report: (reported) => spans.push(spanOf(reported.at)),
    };
    try {
      const pending = check(context);
      if (pending) {
        pending.catch(() => {});
        return undefined;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logOnce(
        `${rule.id}\u0000${message}`,
        `Rule ${rule.id} failed on a variant of ${document.path} for a hover: ${
          error instanceof Error ? (error.stack ?? message) : message
        }`,
      );
      return undefined;
    }
    return spans;
  }

  private finding(
    rule: Rule,
    chosen: Severity | undefined,
    reported: ReportedFinding,
    document: ParsedDocument,
  ): Finding {
    const span = spanOf(reported.at);
    const data = reported.data ?? {};
    const finding: Finding = {
      rule,
      ruleId: rule.id,
      // A finding's own severity (port 22 vs 8080) applies unless the user chose one.
      severity: chosen ?? reported.severity ?? rule.severity,
      messageId: reported.messageId,
      data,
      // A resource of Fn::ForEach is named as the loop's copies, not by its `${…}` id.
      message: formatMessage(
        rule,
        reported.messageId,
        withLoopNames(data, reported.resource, rule.messages[reported.messageId]),
      ),
      span,
      range: document.lines.rangeOf(span),
    };
    if (reported.resource) finding.resource = reported.resource.logicalId;
    if (reported.related?.length) finding.related = reported.related;
    const compute = reported.fix;
    if (compute) finding.fix = () => this.settle(rule, compute, document.path);
    return finding;
  }

  /**
   * Compute a rule's fix and settle its kind. A rule cannot promise more than its metadata
   * says: a fix of a `scaffold` rule marked `safe`, or a fix from a rule without one, is a bug,
   * logged like a fix that throws; both leave the finding without a fix.
   */
  private settle(rule: Rule, compute: () => Fix | undefined, path: string): SettledFix | undefined {
    let fix: Fix | undefined;
    try {
      fix = compute();
    } catch (error) {
      if (error instanceof FixDeclined) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.logOnce(
        `fix\u0000${rule.id}\u0000${message}`,
        `The fix of ${rule.id} failed on ${path} and was not offered: ${
          error instanceof Error ? (error.stack ?? message) : message
        }`,
      );
      return undefined;
    }
    if (!fix) return undefined;
    const kind = fix.kind ?? (rule.fix === 'no' ? 'safe' : rule.fix);
    if (rule.fix === 'no' || (rule.fix === 'scaffold' && kind === 'safe')) {
      this.logOnce(
        `kind\u0000${rule.id}`,
        `Rule ${rule.id} offered a ${kind} fix, but its metadata says ${rule.fix === 'no' ? 'it has no fix' : 'its fixes are scaffolds'}: the fix was dropped.`,
      );
      return undefined;
    }
    return { ...fix, kind };
  }

  private logOnce(key: string, message: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.log(message);
  }
}

/**
 * One finding per idea and spot: where a rule that supersedes others (a cross-file rule) reports
 * the span one of them reports, the other's finding goes. A suppression of the replaced finding
 * silences its replacement too, so that a reason written once keeps holding.
 */
function supersede(result: AnalysisResult): void {
  const key = (f: Finding) => `${f.ruleId}\u0000${f.span.start}\u0000${f.span.end}`;
  const shown = new Map(result.findings.map((f) => [key(f), f]));
  const silenced = new Map(result.suppressed.map((f) => [key(f), f]));
  const dropped = new Set<Finding>();
  const silence = new Set<Finding>();
  for (const finding of [...result.findings, ...result.suppressed]) {
    for (const id of finding.rule.supersedes ?? []) {
      const same = `${id}\u0000${finding.span.start}\u0000${finding.span.end}`;
      const replaced = shown.get(same);
      if (replaced) {
        dropped.add(replaced);
        (finding.replaces ??= []).push({ ruleId: replaced.ruleId, messageId: replaced.messageId });
      }
      if (silenced.has(same) && shown.get(key(finding)) === finding) silence.add(finding);
    }
  }
  if (dropped.size === 0 && silence.size === 0) return;
  result.findings = result.findings.filter((f) => !dropped.has(f) && !silence.has(f));
  if (silence.size > 0)
    result.suppressed = [...result.suppressed, ...silence].sort((a, b) => a.span.start - b.span.start);
}
