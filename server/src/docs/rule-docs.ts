import { lessons } from '../lessons/catalogue';
import type { Rule } from '../engine/rule';

/** Where a rule's page lives under docs/rules/. */
export function rulePagePath(rule: Rule): string {
  return `${rule.id}.md`;
}

const fixWords = {
  safe: 'Safe fix: `--fix`, fix-all and fix-on-save apply it.',
  scaffold:
    'Scaffold: a quick fix to apply on purpose and complete or review; `--fix` and fix-all leave it alone (the CLI applies it with `--fix-scaffolds`).',
  no: 'No automatic fix: see "Use instead".',
};

/** The fix's kind and, when it has one, what it does. */
export function fixSummary(rule: Rule): string {
  return rule.docs.fix ? `${fixWords[rule.fix]} ${rule.docs.fix}` : fixWords[rule.fix];
}

function fence(language: string, code: string): string {
  return ['```' + language, code.trimEnd(), '```'].join('\n');
}

/** The body every surface shares: what, why (the lesson), example, use instead. */
function body(rule: Rule, headingLevel: number): string[] {
  const h = '#'.repeat(headingLevel);
  const lesson = lessons[rule.lesson];
  return [
    `${h} What it flags`,
    '',
    rule.docs.what,
    '',
    `${h} Why: ${lesson.title.toLowerCase()}`,
    '',
    `${lesson.summary} ${rule.docs.why}`,
    '',
    `${h} Example`,
    '',
    fence(rule.docs.example.language, rule.docs.example.code),
    '',
    `${h} Use instead`,
    '',
    fence(rule.docs.useInstead.language, rule.docs.useInstead.code),
  ];
}

/** The hover on a finding: the rule's docs, compact, with a link to its page. */
export function ruleHover(rule: Rule, pageUrl?: string): string {
  const lines = [
    `**${rule.title}** · \`${rule.id}\` · ${rule.severity}`,
    '',
    ...body(rule, 4),
    '',
    fixSummary(rule) + (rule.equivalents.length ? ` Same as ${rule.equivalents.join(', ')}.` : ''),
  ];
  if (pageUrl) lines.push('', `[Rule page](${pageUrl})`);
  return lines.join('\n');
}

/** The generated page of docs/rules/<lesson>/<rule>.md. */
export function rulePage(rule: Rule): string {
  const lesson = lessons[rule.lesson];
  const references = [...(rule.docs.references ?? []), ...lesson.references];
  return [
    `<!-- Generated from the rule's metadata by scripts/docs.ts: edit server/src/rules, not this file. -->`,
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    '| | |',
    '|---|---|',
    `| Lesson | [${lesson.title}](../README.md#${rule.lesson}) |`,
    `| Applies to | ${rule.kinds.join(', ')} |`,
    `| Default severity | ${rule.severity} |`,
    `| Fix | ${fixSummary(rule)} |`,
    `| Equivalent to | ${rule.equivalents.length ? rule.equivalents.map((e) => `\`${e}\``).join(', ') : '—'} |`,
    '',
    ...body(rule, 2),
    '',
    '## Suppress it',
    '',
    'When a finding is a deliberate choice, say why where it happens:',
    '',
    fence('yaml', `# cloud-lessons-disable-next-line ${rule.id} -- <why this is acceptable here>`),
    '',
    '## References',
    '',
    ...references.map((r) => `- [${r.title}](${r.url})`),
    '',
  ].join('\n');
}
