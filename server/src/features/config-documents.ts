import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfig } from '../engine/config';
import type { Session } from './session';

/**
 * `.cloud-lessons.yaml` open in the editor: its problems underlined while it is typed (the same
 * parser and checks as the CLI's), and its unsaved text already in force for the other open
 * documents (the project model reads open configuration documents before the disk).
 */
export function configDocumentDiagnostics(session: Session, document: TextDocument): Diagnostic[] {
  const { problems } = parseConfig(
    document.getText(),
    session.rules.map((r) => r.id),
  );
  return problems.map((p) => ({
    range: { start: document.positionAt(p.span.start), end: document.positionAt(p.span.end) },
    severity: DiagnosticSeverity.Error,
    source: 'cloud-lessons',
    code: 'config',
    message: p.message,
  }));
}
