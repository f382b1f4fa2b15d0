import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../engine/analyze';
import type { Severity } from '../engine/rule';
import { configDocumentDiagnostics } from './config-documents';
import { isConfigDocument, type Analysis, type Session } from './session';

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(session: Session, finding: Finding): Diagnostic {
  const href = session.pageUrl(finding.ruleId);
  return {
    range: finding.range,
    severity: lspSeverity[finding.severity],
    code: finding.ruleId,
    source: 'cloud-lessons',
    message: finding.message,
    ...(href ? { codeDescription: { href } } : {}),
    data: { fixable: !!finding.fix },
  };
}

/** An analysis as diagnostics: the text's own problems (syntax), then the findings. */
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
  return [...problems, ...result.findings.map((f) => toDiagnostic(session, f))];
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
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly run: (uri: string) => Promise<void>) {}

  schedule(uri: string, delay: number): void {
    clearTimeout(this.pending.get(uri));
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        void this.run(uri);
      }, delay),
    );
  }

  cancel(uri: string): void {
    clearTimeout(this.pending.get(uri));
    this.pending.delete(uri);
  }
}
