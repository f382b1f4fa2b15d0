import type { AnalysisResult } from './analyze';
import type { ParsedDocument } from './document';
import { ruleHover } from '../docs/rule-docs';

/**
 * The hover at an offset: the docs of every finding there. Kinds add their own notes
 * (resource documentation, instruction lessons) through `kindHovers`.
 */
export type KindHover = (document: ParsedDocument, offset: number) => string | undefined;

export const kindHovers: KindHover[] = [];

export function hoverAt(
  document: ParsedDocument,
  result: AnalysisResult,
  offset: number,
  pageUrl: (ruleId: string) => string | undefined,
): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const finding of result.findings) {
    if (finding.span.start > offset || offset > finding.span.end || seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    parts.push(`${finding.message}\n\n${ruleHover(finding.rule, pageUrl(finding.ruleId))}`);
  }
  for (const hover of kindHovers) {
    const text = hover(document, offset);
    if (text) parts.push(text);
  }
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}
