import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../engine/analyze';
import type { ParsedDocument } from '../engine/document';
import { fingerprintCdkFindings, fingerprintFindings } from '../project/baseline';
import { isCdkFinding } from '../project/cdk-apps';
import { severities, type Severity } from '../engine/rule';
import type { EditorPriority } from './priority';
import { relatedInformation } from './cdk';
import { configDocumentDiagnostics } from './config-documents';
import { isConfigDocument, type Analysis, type Session } from './session';
import { unusedSuppressionDiagnostics } from './unused-suppressions';

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(session: Session, finding: Finding, baselined = false): Diagnostic {
  const href = session.pageUrl(finding.ruleId);
  return {
    range: finding.range,
    severity: baselined ? DiagnosticSeverity.Hint : lspSeverity[finding.severity],
    code: finding.ruleId,
    source: 'cloud-lessons',
    message: baselined ? `${finding.message} (in baseline)` : finding.message,
    ...(href ? { codeDescription: { href } } : {}),
    // A CDK finding: where CDK synthesized it; a cross-file finding: the files that explain it.
    ...(isCdkFinding(finding) || finding.related?.length
      ? { relatedInformation: relatedInformation(finding.related ?? []) }
      : {}),
    data: { fixable: !!finding.fix, ...(baselined ? { baselined: true } : {}) },
  };
}

/** Which findings the baseline of `cloudLessons.baseline` holds, fingerprinted as the CLI does. */
function baselinedFindings(
  session: Session,
  parsed: ParsedDocument,
  findings: readonly Finding[],
): Set<Finding> {
  const baseline = findings.length > 0 ? session.baselineFor(parsed.path) : undefined;
  if (!baseline) return new Set();
  // A CDK app's findings are known by their construct, the others by their place in this file.
  const own = findings.filter((f) => !isCdkFinding(f));
  const cdk = findings.filter(isCdkFinding);
  const ordered = [...own, ...cdk];
  const prints = [...fingerprintFindings(parsed, own), ...fingerprintCdkFindings(cdk)];
  const held = baseline.baselined(
    baseline.pathOf(parsed.path),
    ordered.map((f, i) => ({
      rule: f.ruleId,
      fingerprint: prints[i].fingerprint,
      where: prints[i].where,
      ...(prints[i].also ? { also: prints[i].also } : {}),
    })),
  );
  return new Set(ordered.filter((_, i) => held[i]));
}

/** An analysis as diagnostics: the text's own problems (syntax), the findings, then the suppressions that silence nothing. */
export function diagnosticsOf(session: Session, analysis: Pick<Analysis, 'parsed' | 'result'>): Diagnostic[] {
  const { parsed, result } = analysis;
  const problems: Diagnostic[] = result.problems.map((p) => ({
    range: parsed.lines.rangeOf(p.span),
    severity:
      p.severity === 'error'
        ? DiagnosticSeverity.Error
        : p.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information,
    code: p.fatal ? 'syntax' : 'document',
    source: 'cloud-lessons',
    message:
      p.fatal && parsed.analysable ? `${p.message} Other checks resume once the file parses.` : p.message,
  }));
  // In document order, the most severe first where findings share a spot (then by the kind of
  // their rule's fix, as the hover orders them without computing the fixes): editors list a
  // spot's diagnostics above the hover in the order they arrive.
  const baselined = baselinedFindings(session, parsed, result.findings);
  const fixOrder = ['safe', 'scaffold', 'no'];
  const findings = [...result.findings].sort(
    (a, b) =>
      a.span.start - b.span.start ||
      severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
      fixOrder.indexOf(a.rule.fix) - fixOrder.indexOf(b.rule.fix),
  );
  return [
    ...problems,
    ...findings.map((f) => toDiagnostic(session, f, baselined.has(f))),
    ...unusedSuppressionDiagnostics(analysis),
  ];
}

/** Analyse a document's current version and publish what was found (nothing when a newer version is on its way). */
export async function validate(session: Session, uri: string): Promise<void> {
  const document = session.documents.get(uri);
  if (!document) return;
  if (isConfigDocument(uri)) {
    session.host.publish({
      uri,
      version: document.version,
      diagnostics: configDocumentDiagnostics(session, document),
    });
    return;
  }
  if (!session.settings.enable) {
    session.host.publish({ uri, diagnostics: [] });
    return;
  }
  try {
    const analysis = await session.analysisOf(document);
    if (!analysis) return;
    session.host.publish({ uri, version: analysis.version, diagnostics: diagnosticsOf(session, analysis) });
  } catch (error) {
    session.host.log(`Analysis of ${uri} failed: ${(error as Error).stack ?? error}`);
  }
}

/** Analysis after a pause in typing: one timer per document, the last keystroke wins. */
export class Scheduler {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; release: () => void }>();

  /** `priority`: held from the keystroke until the check has run, so a scan waits for it. */
  constructor(
    private readonly run: (uri: string) => Promise<void>,
    private readonly priority?: EditorPriority,
  ) {}

  schedule(uri: string, delay: number): void {
    this.cancel(uri);
    const release = this.priority?.hold() ?? (() => {});
    const timer = setTimeout(() => {
      this.pending.delete(uri);
      void this.run(uri).finally(release);
    }, delay);
    this.pending.set(uri, { timer, release });
  }

  cancel(uri: string): void {
    const pending = this.pending.get(uri);
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.release();
    this.pending.delete(uri);
  }
}

/** How long open code waits after a keystroke in a compose file or template before it is checked again. */
const linkedDelayMs = 150;

/**
 * When open documents are checked. `cloudLessons.run: onType` (the default) checks a document
 * when it opens and after each pause in typing; `onSave` when it opens and when it is saved, so
 * that the findings stay those of the saved text while it is edited. A configuration file's
 * text counts for the others as it is typed, or once saved.
 */
export class DocumentChecks {
  constructor(
    private readonly session: Session,
    private readonly scheduler: Scheduler,
  ) {}

  private get onSave(): boolean {
    return this.session.settings.run === 'onSave';
  }

  opened(uri: string): void {
    this.scheduler.schedule(uri, 0);
  }

  changed(uri: string): void {
    if (isConfigDocument(uri)) {
      // Hovers and fixes follow its unsaved text at once; published findings follow the setting.
      this.session.configurationChanged();
      if (this.onSave) return;
      void validate(this.session, uri);
      this.others(uri, this.session.settings.debounceMs);
      return;
    }
    if (!this.onSave) this.scheduler.schedule(uri, this.session.settings.debounceMs);
    // Open code whose findings depend on the compose file or template (copies, caches) follows
    // it, a little later than the document typed in.
    if (!this.onSave && this.session.describesApplications(uri)) {
      this.session.applicationsChanged();
      for (const document of this.session.openCode())
        this.scheduler.schedule(document.uri, Math.max(this.session.settings.debounceMs, linkedDelayMs));
    }
  }

  saved(uri: string): void {
    if (!this.onSave) return;
    this.scheduler.schedule(uri, 0);
    if (isConfigDocument(uri)) this.others(uri, 0);
  }

  /** Every open document again (settings, folders or configuration files changed). */
  all(delay = 0): void {
    for (const document of this.session.documents.all()) this.scheduler.schedule(document.uri, delay);
  }

  private others(uri: string, delay: number): void {
    for (const document of this.session.documents.all())
      if (document.uri !== uri) this.scheduler.schedule(document.uri, delay);
  }
}
