import type { Analyzer, Finding } from './analyze';
import type { Config } from './config';
import type { DocumentInput } from './document';
import type { Fix, TextEdit } from './rule';

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

/** A finding's fix, or undefined when it has none or computing it failed. */
export function fixOf(finding: Finding): Fix | undefined {
  try {
    return finding.fix?.();
  } catch {
    return undefined;
  }
}

function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some(
    (x) => b.some((y) => x.start < y.end && y.start < x.end) || b.some((y) => x.start === y.start),
  );
}

export interface FixAllResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** Files created by fixes, relative to the document's folder. */
  newFiles: { path: string; text: string }[];
}

/**
 * Apply every available fix, re-analysing between passes because one fix can move or remove
 * another's finding. Stops when a pass changes nothing; the result is idempotent.
 */
export async function fixAll(
  analyzer: Analyzer,
  input: DocumentInput,
  config: Config = analyzer.config,
  maxPasses = 10,
): Promise<FixAllResult> {
  let text = input.text;
  let applied = 0;
  const newFiles = new Map<string, string>();
  for (let pass = 0; pass < maxPasses; pass++) {
    const result = await analyzer.analyze({ ...input, text }, config);
    if (result.problems.some((p) => p.fatal)) break;
    const chosen: TextEdit[] = [];
    let count = 0;
    for (const finding of result.findings) {
      const fix = fixOf(finding);
      if (!fix) continue;
      if (overlaps(fix.edits, chosen)) continue;
      chosen.push(...fix.edits);
      for (const file of fix.newFiles ?? []) if (!newFiles.has(file.path)) newFiles.set(file.path, file.text);
      count++;
    }
    if (count === 0) break;
    applied += count;
    const next = applyEdits(text, chosen);
    if (next === text) break;
    text = next;
  }
  return { text, applied, newFiles: [...newFiles].map(([path, body]) => ({ path, text: body })) };
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
