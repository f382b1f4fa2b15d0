import { rulePage } from '../docs/rule-docs';
import { lessons } from '../lessons/catalogue';
import type { ExplainRuleParams, ExplainRuleResult, RuleSummary } from '../report/protocol';
import type { Session } from './session';

/** `cloudLessons/listRules`: every rule, for pickers. */
export function listRules(session: Session): RuleSummary[] {
  return session.rules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    lesson: rule.lesson,
    lessonTitle: lessons[rule.lesson].title,
    severity: rule.severity,
    kinds: rule.kinds,
    fix: rule.fix,
  }));
}

/** `cloudLessons/explainRule`: the rule's page, without the parts that only make sense in the repository. */
export function explainRule(session: Session, params: ExplainRuleParams): ExplainRuleResult {
  const rule = session.rules.find((r) => r.id === params.ruleId);
  if (!rule) return null;
  // The page without its "generated" comment, with the lesson linked to nothing outside the page.
  const markdown = rulePage(rule)
    .replace(/^<!--.*?-->\n/, '')
    .replace(/\[([^[\]]+)\]\(\.\.\/README\.md#[^()]*\)/g, '$1');
  return { markdown };
}
