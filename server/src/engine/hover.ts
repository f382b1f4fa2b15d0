import type { AnalysisResult } from './analyze';
import type { ParsedDocument } from './document';
import { ruleHover } from '../docs/rule-docs';
import { cloudFormationHover } from './hovers/cloudformation';
import { composeHover } from './hovers/compose';
import { dockerfileHover } from './hovers/dockerfile';
import type { Rule } from './rule';

/**
 * The hover at an offset: the docs of every finding there. Kinds add their own notes
 * (resource documentation, instruction lessons) through `kindHovers`.
 */
export type KindHover = (
  document: ParsedDocument,
  offset: number,
  context: HoverContext,
) => string | undefined;

/** What a kind's hover may read besides the text: the current analysis and the rules behind it. */
export interface HoverContext {
  result: AnalysisResult;
  /** The rules enabled for this document, so that a checklist can say what is met, not only what is broken. */
  rules: readonly Rule[];
  pageUrl: (ruleId: string) => string | undefined;
}

export const kindHovers: KindHover[] = [cloudFormationHover, dockerfileHover, composeHover];

export function hoverAt(
  document: ParsedDocument,
  result: AnalysisResult,
  offset: number,
  pageUrl: (ruleId: string) => string | undefined,
  rules: readonly Rule[] = [],
): string | undefined {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const finding of result.findings) {
    if (finding.span.start > offset || offset > finding.span.end || seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    parts.push(`${finding.message}\n\n${ruleHover(finding.rule, pageUrl(finding.ruleId))}`);
  }
  for (const hover of kindHovers) {
    const text = hover(document, offset, { result, rules, pageUrl });
    if (text) parts.push(text);
  }
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}
