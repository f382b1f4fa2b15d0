import type { Hover, HoverParams } from 'vscode-languageserver';
import type { AnalysisResult, Analyzer } from '../engine/analyze';
import { ruleKindOf } from '../engine/classify';
import type { Setting } from '../engine/config';
import type { ParsedDocument } from '../engine/document';
import { kindHoverAt, type HoverContext } from '../engine/hover';
import { idMatches } from '../engine/suppress';
import type { Rule } from '../engine/rule';
import { isLessonId, lessons } from '../lessons/catalogue';
import { compactRuleHover, renderedLength } from '../docs/rule-docs';
import { applicationHover } from './application-hover';
import { directiveOnLine, idAt } from './directives';
import { mostSevereFirst } from './ranking';
import { isConfigDocument, type Session } from './session';

export interface HoverOptions {
  /** The client runs the extension's command links (VS Code): add Explain Rule. */
  commandLinks?: boolean;
  /** Every rule, for ids named in suppression comments (`rules` are the enabled ones). */
  allRules?: readonly Rule[];
  /** The rule's setting for this document, shown for an id in a suppression comment. */
  settingOf?: (rule: Rule) => Setting | undefined;
  /** The application line of a template resource that runs code (see application-hover.ts). */
  application?: HoverContext['application'];
}

/**
 * Rendered characters for all the finding blocks of one spot together (the editor lists the
 * findings' messages above them): on a crowded spot the less severe findings keep only their
 * title, fix and links, so that the hover stays on one screen.
 */
const spotBudget = 1300;

/**
 * The hover at an offset: a compact block per finding there (most severe first), or the rule
 * or lesson named in a suppression comment, then what the document's kind says there (resource
 * documentation and checklist, instruction notes).
 */
export function hoverMarkdown(
  analyzer: Analyzer,
  document: ParsedDocument,
  result: AnalysisResult,
  offset: number,
  pageUrl: (ruleId: string) => string | undefined,
  rules: readonly Rule[],
  hoverOptions: HoverOptions = {},
): string | undefined {
  const parts: string[] = [];
  const blocks: string[] = [];
  const directive = directiveHover(document, offset, pageUrl, hoverOptions.allRules ?? rules, hoverOptions);
  if (directive) parts.push(directive);

  const seen = new Set<string>();
  const here = result.findings.filter((finding) => {
    if (finding.span.start > offset || offset > finding.span.end || seen.has(finding.ruleId)) return false;
    seen.add(finding.ruleId);
    return true;
  });
  const ranked = mostSevereFirst(here);
  const blockOptions = ranked.map(({ finding, fix }) => ({
    severity: finding.severity,
    fix: fix ?? null,
    pageUrl: pageUrl(finding.ruleId),
    commandLinks: hoverOptions.commandLinks,
  }));
  // Every block gets its essentials; what is left of the spot's budget goes to the most severe
  // findings first, so that a crowded spot still fits a screen.
  const essentials = ranked.map(({ finding }, i) =>
    renderedLength(compactRuleHover(finding.rule, { ...blockOptions[i], budget: 0 })),
  );
  let left = spotBudget - essentials.reduce((sum, n) => sum + n, 0);
  ranked.forEach(({ finding }, i) => {
    const block = compactRuleHover(finding.rule, {
      ...blockOptions[i],
      budget: essentials[i] + Math.max(0, left),
      // The finding the user most likely came for always says why.
      alwaysReason: i === 0,
    });
    left -= renderedLength(block) - essentials[i];
    blocks.push(block);
  });
  // Several findings make a list: tighter than paragraphs or rules between them.
  if (blocks.length === 1) parts.push(blocks[0]);
  else if (blocks.length > 1)
    parts.push(blocks.map((block) => `- ${block.replace(/\n/g, '\n  ')}`).join('\n'));

  const context: HoverContext = {
    result,
    rules,
    pageUrl,
    probe: (rule, template) => analyzer.probe(rule, document, template),
    ...(hoverOptions.application ? { application: hoverOptions.application } : {}),
  };
  parts.push(...kindHoverAt(document, offset, context));
  return parts.length > 0 ? parts.join('\n\n---\n\n') : undefined;
}

/** The rule or lesson whose id the offset is on, in a `cloud-lessons-disable…` comment. */
function directiveHover(
  document: ParsedDocument,
  offset: number,
  pageUrl: (ruleId: string) => string | undefined,
  rules: readonly Rule[],
  options: HoverOptions,
): string | undefined {
  const { line, character } = document.lines.positionAt(offset);
  const found = directiveOnLine(document, document.lines.lineText(line));
  const id = found && idAt(found, character)?.id;
  if (!id) return undefined;
  const rule = rules.find((r) => r.id === id);
  if (rule) {
    const setting = options.settingOf?.(rule) ?? rule.severity;
    return compactRuleHover(rule, {
      severity: setting,
      pageUrl: pageUrl(rule.id),
      commandLinks: options.commandLinks,
    });
  }
  if (isLessonId(id)) {
    const lesson = lessons[id];
    const kind = ruleKindOf[document.kind];
    const ofLesson = rules.filter(
      (r) => r.lesson === id && (r.kinds.includes('any') || (kind !== undefined && r.kinds.includes(kind))),
    );
    return [
      `**${lesson.title}** · ${id} · lesson`,
      lesson.summary,
      ofLesson.length > 0
        ? `Silences its ${ofLesson.length} rule${ofLesson.length === 1 ? '' : 's'} for this kind of file: ${ofLesson.map((r) => `\`${r.id}\``).join(', ')}.`
        : 'None of its rules checks this kind of file.',
    ].join('\n\n');
  }
  const same = rules.filter((r) => idMatches(id, r));
  if (same.length > 0)
    return `\`${id}\` is another tool's id: here it silences ${same.map((r) => `\`${r.id}\` (${r.title})`).join(', ')}.`;
  return `\`${id}\` is not a Cloud Lessons rule or lesson id: this entry silences nothing.`;
}

export async function hover(session: Session, params: HoverParams): Promise<Hover | null> {
  const document = session.documents.get(params.textDocument.uri);
  if (!document || !session.settings.enable || isConfigDocument(document.uri)) return null;
  const analysis = await session.analysisOf(document);
  if (!analysis) return null;
  const config = session.project.configFor(analysis.parsed.path);
  const offset = document.offsetAt(params.position);
  let application: { resource: unknown; line: string } | undefined;
  try {
    application = await applicationHover(
      session,
      analysis.parsed,
      offset,
      `${document.uri}@${document.version}`,
    );
  } catch (error) {
    session.host.log(`The application line of a hover failed: ${(error as Error).stack ?? error}`);
  }
  const value = hoverMarkdown(
    session.project.analyzer,
    analysis.parsed,
    analysis.result,
    offset,
    (id) => session.pageUrl(id),
    session.enabledRules(analysis.parsed.path),
    {
      commandLinks: session.client.commandLinks,
      allRules: session.rules,
      settingOf: (rule) => config.chosenSetting(rule),
      ...(application
        ? { application: (resource) => (resource === application.resource ? application.line : undefined) }
        : {}),
    },
  );
  return value ? { contents: { kind: 'markdown', value } } : null;
}
