import {
  CompletionItemKind,
  CompletionTriggerKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionParams,
} from 'vscode-languageserver';
import { ruleKindOf } from '../engine/classify';
import { directiveNames } from '../engine/suppress';
import { lessonIds, lessons } from '../lessons/catalogue';
import { compactRuleHover } from '../docs/rule-docs';
import { snippetsFor } from '../snippets';
import { completionSpot, directiveOnLine } from './directives';
import type { Analysis, Session } from './session';

/** Typed after a directive name or between its ids, they ask for the ids (other positions answer nothing). */
export const completionTriggers = [' ', ','];

/**
 * Rule and lesson ids in a `cloud-lessons-disable…` comment; elsewhere the `lesson-…` snippets
 * of the document's kind, for editors without the extension's snippet files.
 */
export async function completions(session: Session, params: CompletionParams): Promise<CompletionItem[]> {
  const document = session.documents.get(params.textDocument.uri);
  if (!document || !session.settings.enable) return [];
  const { line, character } = params.position;
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const typedTrigger = params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter;
  // Most requests come from a space typed anywhere: answer them without analysing.
  if (typedTrigger && !lineText.includes(directiveNames.file)) return [];
  const analysis = await session.analysisOf(document);
  if (!analysis) return [];
  const text = lineText.replace(/\r?\n$/, '');
  const found = directiveOnLine(analysis.parsed, text);
  const spot = found && completionSpot(found, text, character);
  if (found && spot)
    return directiveIds(
      session,
      analysis,
      found.scope,
      line,
      spot,
      found.ids.map((i) => i.id),
    );
  if (typedTrigger || !session.client.snippets) return [];
  return snippetsFor(analysis.parsed.kind, document.languageId).map((s) => ({
    label: s.prefix,
    kind: CompletionItemKind.Snippet,
    detail: s.description,
    insertText: s.body,
    insertTextFormat: InsertTextFormat.Snippet,
  }));
}

/**
 * The ids a directive can name in this document: the rules that check its kind, first those
 * that report on the line it covers (the whole file for `cloud-lessons-disable`), then their
 * lessons. Ids already in the list are left out.
 */
function directiveIds(
  session: Session,
  analysis: Analysis,
  scope: 'next-line' | 'file',
  line: number,
  spot: { start: number; typed: string },
  listed: string[],
): CompletionItem[] {
  const { parsed, result } = analysis;
  const kind = ruleKindOf[parsed.kind];
  const applies = session.rules.filter(
    (rule) => rule.kinds.includes('any') || (kind !== undefined && rule.kinds.includes(kind)),
  );
  const covered = scope === 'file' ? undefined : coveredLine(analysis, line);
  const reported = new Set(
    [...result.findings, ...result.suppressed]
      .filter((f) => covered === undefined || f.range.start.line === covered)
      .map((f) => f.ruleId),
  );
  const range = {
    start: { line, character: spot.start },
    end: { line, character: spot.start + spot.typed.length },
  };
  const config = session.project.configFor(parsed.path);
  const taken = new Set(listed.filter((id) => id !== spot.typed));
  const items: CompletionItem[] = [];
  for (const rule of applies) {
    if (taken.has(rule.id)) continue;
    const setting = config.chosenSetting(rule) ?? rule.severity;
    items.push({
      label: rule.id,
      kind: CompletionItemKind.Value,
      detail: `${rule.title} · ${setting}`,
      documentation: {
        kind: 'markdown',
        value: compactRuleHover(rule, { severity: setting, pageUrl: session.pageUrl(rule.id) }),
      },
      sortText: `${reported.has(rule.id) ? 0 : 1} ${rule.id}`,
      preselect: reported.has(rule.id) || undefined,
      textEdit: { range, newText: rule.id },
    });
  }
  const lessonsHere = new Set(applies.map((rule) => rule.lesson));
  for (const id of lessonIds) {
    if (!lessonsHere.has(id) || taken.has(id)) continue;
    items.push({
      label: id,
      kind: CompletionItemKind.Folder,
      detail: `Lesson: ${lessons[id].title} (all its rules)`,
      documentation: { kind: 'markdown', value: lessons[id].summary },
      sortText: `2 ${id}`,
      textEdit: { range, newText: id },
    });
  }
  return items;
}

/** The line a next-line directive on `line` covers: the next one with code on it. */
function coveredLine({ parsed }: Analysis, line: number): number {
  const { lines } = parsed;
  for (let next = line + 1; next < lines.lineCount; next++) {
    const text = lines.lineText(next).trim();
    if (text !== '' && !/^(#|\/\/|\/\*|\*)/.test(text)) return next;
  }
  return line + 1;
}
