import { ruleKindOf, type FileKind } from './classify';
import { Config } from './config';
import { parseSource, type DocumentInput, type ParsedDocument } from './document';
import { fixOf } from './fixes';
import type { ParseProblem } from './parse/problems';
import { spanOf, type CheckContext, type Checks, type Fix, type Rule, type Severity } from './rule';
import { collectSuppressions, isSuppressed } from './suppress';
import type { Range, Span } from './text';
import { fileSystemWorkspace, type WorkspaceView } from './workspace';

export interface Finding {
  rule: Rule;
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  range: Range;
  fix?: () => Fix | undefined;
}

export interface RuleFailure {
  ruleId: string;
  message: string;
}

export interface AnalysisResult {
  kind: FileKind;
  findings: Finding[];
  /** Syntax errors and other problems with the text itself. */
  problems: ParseProblem[];
  /** Rules that threw on this document: skipped, the others still reported. */
  failures: RuleFailure[];
}

export interface AnalyzerOptions {
  rules: readonly Rule[];
  config?: Config;
  workspace?: WorkspaceView;
  /** Where a rule's failure is logged, once per rule and message. */
  log?: (message: string) => void;
}

type AnyCheck = (context: CheckContext<unknown>) => void | Promise<void>;

/** Runs the rules over parsed documents. Pure apart from the workspace reads a rule asks for. */
export class Analyzer {
  readonly rules: readonly Rule[];
  readonly config: Config;
  private readonly workspace: WorkspaceView;
  private readonly log: (message: string) => void;
  private readonly logged = new Set<string>();

  constructor(options: AnalyzerOptions) {
    this.rules = options.rules;
    this.config = options.config ?? new Config();
    this.workspace = options.workspace ?? fileSystemWorkspace;
    this.log = options.log ?? (() => {});
  }

  parse(input: DocumentInput): Promise<ParsedDocument> {
    return parseSource(input);
  }

  /**
   * Parse, run, and free the parse: for one-shot use (the CLI, fix-all). Fixes are computed
   * before the syntax tree they read is freed; a finding keeps `fix` only when it has one.
   */
  async analyze(input: DocumentInput, config: Config = this.config): Promise<AnalysisResult> {
    const document = await this.parse(input);
    try {
      const result = await this.run(document, config);
      for (const finding of result.findings) {
        const fix = fixOf(finding);
        finding.fix = fix ? () => fix : undefined;
      }
      return result;
    } finally {
      document.dispose();
    }
  }

  /** Run the rules over a parsed document, under `config` (the analyzer's own by default). */
  async run(document: ParsedDocument, config: Config = this.config): Promise<AnalysisResult> {
    const result: AnalysisResult = {
      kind: document.kind,
      findings: [],
      problems: document.problems,
      failures: [],
    };
    if (!document.analysable || config.isIgnored(document.path)) return result;
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

    const raw: Finding[] = [];
    for (const rule of this.rules) {
      const chosen = config.chosenSetting(rule);
      if (chosen === 'off') continue;
      const checks: { check: AnyCheck; model: unknown }[] = [];
      if (kind && !fatal && kindModel && rule.checks[kind]) {
        checks.push({ check: rule.checks[kind] as AnyCheck, model: kindModel });
      }
      if (rule.checks.any)
        checks.push({ check: rule.checks.any as AnyCheck, model: fatal ? undefined : model });
      for (const { check, model: checkModel } of checks) {
        const found: Finding[] = [];
        const context: CheckContext<unknown> = {
          model: checkModel,
          document,
          workspace: this.workspace,
          report: (reported) => {
            const span = spanOf(reported.at);
            found.push({
              rule,
              ruleId: rule.id,
              // A finding's own severity (port 22 vs 8080) applies unless the user chose one.
              severity: chosen ?? reported.severity ?? rule.severity,
              message: reported.message,
              span,
              range: document.lines.rangeOf(span),
              fix: reported.fix,
            });
          },
        };
        try {
          // Most checks are synchronous: awaiting only real promises saves a turn per rule and file.
          const pending = check(context);
          if (pending) await pending;
          raw.push(...found);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          result.failures.push({ ruleId: rule.id, message });
          const key = `${rule.id}\u0000${message}`;
          if (!this.logged.has(key)) {
            this.logged.add(key);
            this.log(
              `Rule ${rule.id} failed on ${document.path} and was skipped for it: ${
                error instanceof Error ? (error.stack ?? message) : message
              }`,
            );
          }
        }
      }
    }
    if (raw.length > 0) {
      const suppressions = collectSuppressions(document);
      result.findings = raw
        .filter((f) => !isSuppressed(f.rule, f.span, document, suppressions))
        .sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
    }
    return result;
  }
}

export type { Checks };
