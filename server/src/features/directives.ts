import type { ParsedDocument } from '../engine/document';
import { commentMarkers, directiveNames } from '../engine/suppress';

/**
 * The ids of a `cloud-lessons-disable…` comment, read from one line for the hover and
 * completion there. suppress.ts decides what a directive silences; this only finds where its
 * ids are written.
 */

export interface DirectiveIds {
  /** Which directive: one line, or the whole file. */
  scope: 'next-line' | 'file';
  /** Every id written, with its columns in the line. */
  ids: { id: string; start: number; end: number }[];
  /** Where the id list starts (after the directive name and a space) and ends (at `--` or the comment's end). */
  listStart: number;
  listEnd: number;
}

// The longer name first: `cloud-lessons-disable` is a prefix of the other.
const directive = new RegExp(`\\b(${directiveNames.nextLine}|${directiveNames.file})(?![\\w-])`, 'g');

/** The directive on a line of the document, when a comment of its kind holds one. */
export function directiveOnLine(
  document: Pick<ParsedDocument, 'kind' | 'model'>,
  line: string,
): DirectiveIds | undefined {
  const markers = commentMarkers(document);
  if (markers.length === 0 || !line.includes(directiveNames.file)) return undefined;
  for (const match of line.matchAll(directive)) {
    const at = match.index ?? 0;
    if (!markers.some((marker) => line.slice(0, at).includes(marker))) continue;
    const nameEnd = at + match[0].length;
    if (!/^[ \t]/.test(line.slice(nameEnd))) {
      return { scope: scopeOf(match[1]), ids: [], listStart: -1, listEnd: -1 };
    }
    const listStart = nameEnd + 1;
    const rest = line.slice(listStart);
    const stop = rest.search(/(^|\s)--|\*\//);
    const listEnd = stop < 0 ? line.length : listStart + stop;
    const ids: DirectiveIds['ids'] = [];
    for (const id of line.slice(listStart, listEnd).matchAll(/[^\s,]+/g))
      ids.push({
        id: id[0],
        start: listStart + (id.index ?? 0),
        end: listStart + (id.index ?? 0) + id[0].length,
      });
    return { scope: scopeOf(match[1]), ids, listStart, listEnd };
  }
  return undefined;
}

function scopeOf(name: string): DirectiveIds['scope'] {
  return name === directiveNames.nextLine ? 'next-line' : 'file';
}

/** The id the column is on (its last character included). */
export function idAt(found: DirectiveIds, column: number): DirectiveIds['ids'][number] | undefined {
  return found.ids.find((id) => id.start <= column && column <= id.end);
}

/**
 * Where completion at a column would write an id: from the start of the id being typed to the
 * column; undefined outside the id list (in the directive's name, in its reason).
 */
export function completionSpot(
  found: DirectiveIds,
  line: string,
  column: number,
): { start: number; typed: string } | undefined {
  if (found.listStart < 0 || column < found.listStart || column > found.listEnd) return undefined;
  const before = line.slice(found.listStart, column);
  const typed = /[^\s,]*$/.exec(before)?.[0] ?? '';
  return { start: column - typed.length, typed };
}
