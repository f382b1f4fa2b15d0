import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionParams,
} from 'vscode-languageserver';
import { snippetsFor } from '../snippets';
import type { Session } from './session';

/** The `lesson-…` snippets of the document's kind, for editors without the extension's snippet files. */
export async function completions(session: Session, params: CompletionParams): Promise<CompletionItem[]> {
  const document = session.documents.get(params.textDocument.uri);
  if (!document || !session.client.snippets || !session.settings.enable) return [];
  const analysis = await session.analysisOf(document);
  if (!analysis) return [];
  return snippetsFor(analysis.parsed.kind, document.languageId).map((s) => ({
    label: s.prefix,
    kind: CompletionItemKind.Snippet,
    detail: s.description,
    insertText: s.body,
    insertTextFormat: InsertTextFormat.Snippet,
  }));
}
