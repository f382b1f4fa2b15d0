import type { Hover, HoverParams } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import type { ParsedDocument } from '../engine/document';
import { kindHoverAt, type HoverContext } from '../engine/hover';
import type { Rule } from '../engine/rule';
import { ruleHover } from '../docs/rule-docs';
import type { Analyzer } from '../engine/analyze';
import { isConfigDocument, type Session } from './session';

/**
 * The hover at an offset: the docs of every finding there, then what the document's kind says
 * there (resource documentation and checklist, instruction notes).
 */
export function hoverMarkdown(
  analyzer: Analyzer,
  document: ParsedDocument,
  result: AnalysisResult,
  offset: number,
  pageUrl: (ruleId: string) => string | undefined,
  rules: readonly Rule[],
): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const finding of result.findings) {
    if (finding.span.start > offset || offset > finding.span.end || seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    parts.push(`${finding.message}\n\n${ruleHover(finding.rule, pageUrl(finding.ruleId))}`);
  }
  const context: HoverContext = {
    result,
    rules,
    pageUrl,
    probe: (rule, template) => analyzer.probe(rule, document, template),
  };
  parts.push(...kindHoverAt(document, offset, context));
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}

export async function hover(session: Session, params: HoverParams): Promise<Hover | null> {
  const document = session.documents.get(params.textDocument.uri);
  if (!document || !session.settings.enable || isConfigDocument(document.uri)) return null;
  const analysis = await session.analysisOf(document);
  if (!analysis) return null;
  const value = hoverMarkdown(
    session.project.analyzer,
    analysis.parsed,
    analysis.result,
    document.offsetAt(params.position),
    (id) => session.pageUrl(id),
    session.enabledRules(analysis.parsed.path),
  );
  return value ? { contents: { kind: 'markdown', value } } : null;
}
