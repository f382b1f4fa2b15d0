import type { ParsedDocument } from './document';
import { cloudFormationHover } from './hovers/cloudformation';
import { composeHover } from './hovers/compose';
import type { HoverContext, KindHover } from './hovers/context';
import { dockerfileHover } from './hovers/dockerfile';

export type { HoverContext, KindHover } from './hovers/context';

const kindHovers: KindHover[] = [cloudFormationHover, dockerfileHover, composeHover];

/**
 * What the kind of the document says at an offset, besides its findings: a resource type's
 * documentation and lesson checklist, a property's lessons, an instruction's or a compose key's
 * notes. The findings' own text is the features' concern.
 */
export function kindHoverAt(document: ParsedDocument, offset: number, context: HoverContext): string[] {
  const parts: string[] = [];
  for (const hover of kindHovers) {
    const text = hover(document, offset, context);
    if (text) parts.push(text);
  }
  return parts;
}
