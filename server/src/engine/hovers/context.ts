import type { AnalysisResult } from '../analyze';
import type { ParsedDocument } from '../document';
import type { Resource, Template } from '../parse/cloudformation';
import type { Rule } from '../rule';
import type { Span } from '../text';

/** What a kind's hover may read besides the text: the current analysis and the rules behind it. */
export interface HoverContext {
  result: AnalysisResult;
  /** The rules enabled for this document, so that a checklist can say what is met, not only what is broken. */
  rules: readonly Rule[];
  pageUrl: (ruleId: string) => string | undefined;
  /**
   * The spans one rule reports on a variant of the template (a property left out or changed),
   * run by the analyser; undefined when the rule cannot answer synchronously or fails.
   */
  probe: (rule: Rule, template: Template) => Span[] | undefined;
  /**
   * For a template resource that runs an application's code (an ECS service or task definition,
   * a Lambda function): one short Markdown line naming the code and the cross-file findings on
   * it, which the features work out beforehand (the engine does not know the application model).
   */
  application?: (resource: Resource) => string | undefined;
}

/** The notes a kind adds at an offset (resource documentation, instruction lessons). */
export type KindHover = (
  document: ParsedDocument,
  offset: number,
  context: HoverContext,
) => string | undefined;
