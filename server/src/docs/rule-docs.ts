import { lessons } from '../lessons/catalogue';
import type { FixKind, Rule, Severity } from '../engine/rule';

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

/** The rule's whole documentation as one Markdown block, with a link to its page (SARIF's help). */
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

/** The editor command that opens a rule's full page; its argument is the rule id. */
export const explainRuleCommand = 'cloudLessons.explainRule';

/** A `command:` link that runs Explain Rule on one rule (VS Code runs it from a hover). */
export function explainRuleLink(ruleId: string): string {
  return `command:${explainRuleCommand}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

/**
 * The sentences of a docs paragraph. A full stop ends one when a capital, a quote, a bracket or
 * code follows; "e.g." and "i.e." never do.
 */
export function sentences(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?](?=\s+[A-Z`"'(*[])/g)) {
    const end = (match.index ?? 0) + 1;
    if (/\b(e\.g|i\.e)\.$/.test(text.slice(start, end))) continue;
    parts.push(text.slice(start, end).trim());
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) parts.push(rest);
  return parts;
}

/** The length of Markdown as an editor shows it: link targets, code ticks and emphasis left out. */
export function renderedLength(markdown: string): number {
  return markdown
    .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\n+/g, ' ').length;
}

/** The fix a compact hover describes: a finding's own, or none. */
export interface HoverFix {
  kind: FixKind;
  title: string;
  needs?: string[];
}

export interface CompactHoverOptions {
  /** The finding's severity, or the rule's setting for the file (which may be `off`). */
  severity: Severity | 'off';
  /**
   * The finding's fix, or null when it has none. Left out for a rule without a finding (an id in
   * a suppression comment): the rule's fix kind and docs are described instead.
   */
  fix?: HoverFix | null;
  pageUrl?: string;
  /** Add the Explain Rule command link (editors that run the extension's commands). */
  commandLinks?: boolean;
  /**
   * Rendered characters the block should stay within (at most 800). The title line, the fix and
   * the links are always there; the reason's first sentence, what a scaffold needs, the reason's
   * second sentence and what the fix does are added in that order while they fit.
   */
  budget?: number;
  /** Give the reason's first sentence whatever the budget. */
  alwaysReason?: boolean;
}

export const compactHoverLimit = 800;

const kindWords: Record<FixKind, string> = { safe: 'safe', scaffold: 'scaffold to complete' };

/**
 * A finding's hover, as one paragraph: the rule's title, id and severity on one line, the reason
 * in one or two sentences, what the fix does and needs (or that there is none), and links to the
 * full page. The finding's message is left out: editors show the diagnostic above the hover.
 */
export function compactRuleHover(rule: Rule, options: CompactHoverOptions): string {
  const budget = Math.min(options.budget ?? compactHoverLimit, compactHoverLimit);
  const lesson = lessons[rule.lesson];
  // The id as plain text: in code font the line would wrap in a hover box.
  const header = `**${rule.title}** · ${rule.id} · ${options.severity}`;
  const [firstWhy, secondWhy] = sentences(rule.docs.why);
  const fixDocs = rule.docs.fix ? sentences(rule.docs.fix) : [];

  let fixLine: string;
  let fixMore: string | undefined;
  let needs: string | undefined;
  if (options.fix === undefined) {
    if (rule.fix === 'no') fixLine = 'No automatic fix.';
    else {
      fixLine = `**Fix** (${kindWords[rule.fix]}): ${fixDocs[0] ?? 'a quick fix.'}`;
      fixMore = fixDocs[1];
    }
  } else if (options.fix === null) {
    fixLine = rule.fix === 'no' ? 'No automatic fix.' : 'No automatic fix for this one.';
  } else {
    if (options.fix.needs?.length) needs = `Then: ${options.fix.needs.map(endClause).join('; ')}.`;
    fixLine = `**Fix** (${kindWords[options.fix.kind]}): ${endSentence(options.fix.title)}`;
    fixMore = fixDocs[0];
  }

  const links = [
    options.pageUrl ? `[Rule page](${options.pageUrl})` : undefined,
    options.commandLinks ? `[Explain Rule](${explainRuleLink(rule.id)})` : undefined,
  ].filter(Boolean);
  const linkLine = links.join(' · ');

  const reason: string[] = [];
  // One paragraph with line breaks: a crowded spot lists many of them.
  const assemble = () =>
    [
      header,
      reason.length > 0 ? `*${lesson.title}.* ${reason.join(' ')}` : undefined,
      [fixLine, linkLine].filter(Boolean).join(' '),
    ]
      .filter(Boolean)
      .join(lineBreak);
  // What a block says beyond its essentials, most useful first, each only if it fits.
  const additions: [() => void, () => void][] = [];
  if (firstWhy && options.alwaysReason) reason.push(firstWhy);
  else if (firstWhy) additions.push([() => reason.push(firstWhy), () => reason.pop()]);
  if (needs) {
    const before = fixLine;
    additions.push([() => (fixLine = `${fixLine} ${needs}`), () => (fixLine = before)]);
  }
  if (secondWhy) additions.push([() => reason.push(secondWhy), () => reason.pop()]);
  if (fixMore) {
    const before = fixLine;
    additions.push([() => (fixLine = `${fixLine} ${fixMore}`), () => (fixLine = before)]);
  }
  for (const [add, undo] of additions) {
    add();
    if (renderedLength(assemble()) > budget) {
      undo();
      break;
    }
  }
  return assemble();
}

/** A Markdown line break inside a paragraph (two spaces, invisible where Markdown is shown raw). */
export const lineBreak = '  \n';

function endClause(text: string): string {
  return text.replace(/[.;]$/, '');
}

function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
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
