import type { TextEdit } from './text';

/** Apply non-overlapping edits (in offsets of `text`). Overlapping edits are a bug in a fix. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error('A fix produced overlapping edits.');
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/** Whether two fixes' edits touch the same text (or insert at the same place): one must wait for the next pass. */
export function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some(
    (x) => b.some((y) => x.start < y.end && y.start < x.end) || b.some((y) => x.start === y.start),
  );
}

/** The smallest single edit that turns `before` into `after` (keeps the editor's cursor and undo tidy). */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, text: after.slice(start, endAfter) };
}
