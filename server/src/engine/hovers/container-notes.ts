import { lessons, type LessonId } from '../../lessons/catalogue';
import type { HoverContext } from './context';
import type { LineIndex } from '../text';

/** A short lesson note for an instruction or a compose key, and the rules that judge it. */
export interface ContainerNote {
  lessons: LessonId[];
  text: string;
  rules: string[];
}

/**
 * The note as Markdown: the key, its lessons, the advice, then each related rule with this
 * file's standing (✗ with the first finding, ✓ when the file keeps it).
 */
export function renderNote(
  name: string,
  note: ContainerNote,
  context: HoverContext,
  lines: LineIndex,
): string {
  const titles = note.lessons.map((id) => lessons[id].title).join(' · ');
  const out = [`**${name}** · ${titles}`, '', note.text];
  const enabled = new Set(context.rules.map((r) => r.id));
  const checklist: string[] = [];
  for (const id of note.rules) {
    if (context.rules.length > 0 && !enabled.has(id)) continue;
    const url = context.pageUrl(id);
    const link = url ? `[\`${id}\`](${url})` : `\`${id}\``;
    const found = context.result.findings.find((f) => f.ruleId === id);
    checklist.push(
      found
        ? `- ✗ ${link}, line ${lines.positionAt(found.span.start).line + 1}: ${found.message}`
        : `- ✓ ${link}`,
    );
  }
  if (checklist.length > 0) out.push('', 'In this file:', ...checklist);
  return out.join('\n');
}
