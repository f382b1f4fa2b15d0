import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import { codeChildren } from './edit';
import { nodesOfType } from './syntax';

/**
 * SQL written in string literals of JS/TS and Python code: plain strings, template literals,
 * f-strings and Python's implicit concatenation ("UPDATE x " "SET …"). Substitutions read as `?`
 * so that the statement still parses in the eye of a pattern; spans point into the document.
 */
export interface SqlString {
  node: Node;
  /** The statement's text, substitutions as `?`. */
  text: string;
  /** The document span of `text.slice(start, end)`, when that part is written literally. */
  span(start: number, end: number): Span | undefined;
}

export interface SqlTable {
  /** Lower-case, without quotes or schema: `public."Sessions"` → `sessions`. */
  name: string;
  operation: 'select' | 'insert' | 'update' | 'delete';
  /** Offsets of the name in `SqlString.text`. */
  start: number;
  end: number;
}

const statementStart = /^\s*(--[^\n]*\n\s*)*(SELECT|INSERT|UPDATE|DELETE|REPLACE|MERGE|WITH|UPSERT)\s/i;

const cache = new WeakMap<CodeModel, SqlString[]>();

export function sqlStrings(model: CodeModel): SqlString[] {
  let found = cache.get(model);
  if (found) return found;
  found = [];
  for (const node of nodesOfType(model, ['string', 'template_string', 'concatenated_string'])) {
    if (!node || !/(SELECT|INSERT|UPDATE|DELETE|REPLACE|MERGE|WITH|UPSERT)\s/i.test(node.text)) continue;
    // Pieces of an implicit concatenation are read with the whole (asked last: a parent costs a descent).
    if (node.parent?.type === 'concatenated_string') continue;
    const pieces = literalPieces(node);
    if (!pieces) continue;
    const text = pieces.map((p) => p.text).join('');
    if (!statementStart.test(text) || !/\b(FROM|INTO|SET|VALUES)\b/i.test(text)) continue;
    found.push({
      node,
      text,
      span(start, end) {
        // Offsets inside a substitution map to its edges in the document.
        let at = 0;
        let from: number | undefined;
        let to: number | undefined;
        for (const piece of pieces) {
          const pieceEnd = at + piece.text.length;
          if (from === undefined && start >= at && start < pieceEnd)
            from = piece.offset === undefined ? piece.node!.startIndex : piece.offset + start - at;
          if (end > at && end <= pieceEnd) {
            to = piece.offset === undefined ? piece.node!.endIndex : piece.offset + end - at;
            break;
          }
          at = pieceEnd;
        }
        return from === undefined || to === undefined ? undefined : { start: from, end: to };
      },
    });
  }
  cache.set(model, found);
  return found;
}

/** The parts of a string: literal text with its document offset, or `?` for a substitution. */
interface Piece {
  text: string;
  /** Where the literal text starts in the document; undefined for a substitution. */
  offset: number | undefined;
  /** The substitution. */
  node?: Node;
}

function literalPieces(node: Node): Piece[] | undefined {
  if (node.type === 'concatenated_string') {
    const pieces: Piece[] = [];
    for (const part of codeChildren(node)) {
      const inner = literalPieces(part);
      if (!inner) return undefined;
      pieces.push(...inner);
    }
    return pieces;
  }
  const parts = codeChildren(node);
  const start = parts.find((p) => p.type === 'string_start');
  if (start && /b/i.test(start.text)) return undefined;
  if (node.type === 'string' && !start) {
    // JS: '…' / "…" (fragments and escapes as written).
    return [{ text: node.text.slice(1, -1), offset: node.startIndex + 1 }];
  }
  const pieces: Piece[] = [];
  let cursor = start ? start.endIndex : node.startIndex + 1;
  const end = start
    ? (parts.find((p) => p.type === 'string_end')?.startIndex ?? node.endIndex)
    : node.endIndex - 1;
  for (const part of parts) {
    if (part.type !== 'template_substitution' && part.type !== 'interpolation') continue;
    if (part.startIndex > cursor)
      pieces.push({
        text: node.text.slice(cursor - node.startIndex, part.startIndex - node.startIndex),
        offset: cursor,
      });
    pieces.push({ text: '?', offset: undefined, node: part });
    cursor = part.endIndex;
  }
  if (end > cursor)
    pieces.push({ text: node.text.slice(cursor - node.startIndex, end - node.startIndex), offset: cursor });
  return pieces;
}

const identifier = '((?:[`"\\[]?[A-Za-z_][\\w$]*[`"\\]]?\\.)?[`"\\[]?[A-Za-z_][\\w$]*[`"\\]]?)';
const tablePatterns: [RegExp, SqlTable['operation']][] = [
  [
    new RegExp(
      `\\b(?:INSERT|REPLACE|UPSERT)\\s+(?:OR\\s+\\w+\\s+)?(?:IGNORE\\s+)?INTO\\s+${identifier}`,
      'gi',
    ),
    'insert',
  ],
  [new RegExp(`\\bMERGE\\s+INTO\\s+${identifier}`, 'gi'), 'update'],
  [
    new RegExp(`\\bUPDATE\\s+(?:ONLY\\s+)?${identifier}(?=\\s+(?:AS\\s+)?(?:\\w+\\s+)?SET\\b)`, 'gi'),
    'update',
  ],
  [new RegExp(`\\bDELETE\\s+FROM\\s+${identifier}`, 'gi'), 'delete'],
  [new RegExp(`\\b(?:FROM|JOIN)\\s+${identifier}`, 'gi'), 'select'],
];

/** The tables a statement reads or writes. */
export function sqlTables(sql: SqlString): SqlTable[] {
  const tables: SqlTable[] = [];
  const seen = new Set<number>();
  for (const [pattern, operation] of tablePatterns) {
    for (const match of sql.text.matchAll(pattern)) {
      const written = match[1];
      const writtenStart = (match.index ?? 0) + match[0].length - written.length;
      if (seen.has(writtenStart)) continue;
      seen.add(writtenStart);
      // The table's own name, without schema or quotes: `public."Sessions"` → Sessions.
      const last = lastName(written);
      const start = writtenStart + last.start;
      const name = last.name.toLowerCase();
      if (/^(select|where|set|values|lateral|unnest|dual)$/.test(name)) continue;
      tables.push({ name, operation, start, end: start + last.name.length });
    }
  }
  return tables.sort((a, b) => a.start - b.start);
}

/** The last name of a dotted, quoted table name (`public."Sessions"` → Sessions), in one pass from the end. */
function lastName(written: string): { name: string; start: number } {
  let end = written.length;
  if (end > 0 && '`"]'.includes(written[end - 1])) end--;
  let start = end;
  while (start > 0 && /[\w$]/.test(written[start - 1])) start--;
  // A name starts with a letter or an underscore.
  while (start < end && !/[A-Za-z_]/.test(written[start])) start++;
  return { name: written.slice(start, end), start };
}

/** `SET a = a + 1, b = ?` and `ON DUPLICATE KEY UPDATE …` clauses: each `column = expression`, with offsets. */
export function sqlAssignments(
  sql: SqlString,
): { column: string; expression: string; start: number; end: number }[] {
  const found: { column: string; expression: string; start: number; end: number }[] = [];
  const clause =
    /\b(SET|DUPLICATE\s+KEY\s+UPDATE)\b([\s\S]*?)(?=\bWHERE\b|\bRETURNING\b|\bFROM\b|\bON\s+CONFLICT\b|;|$)/gi;
  for (const match of sql.text.matchAll(clause)) {
    const body = match[2];
    const bodyStart = (match.index ?? 0) + match[0].length - body.length;
    let depth = 0;
    let itemStart = 0;
    for (let i = 0; i <= body.length; i++) {
      const ch = body[i];
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      if (i === body.length || (ch === ',' && depth === 0)) {
        const item = body.slice(itemStart, i);
        const assignment = /^(\s*)((?:[`"\w]+\.)?[`"]?(\w+)[`"]?)\s*=\s*([\s\S]*?)\s*$/.exec(item);
        if (assignment) {
          const start = bodyStart + itemStart + assignment[1].length;
          found.push({
            column: assignment[3].toLowerCase(),
            expression: assignment[4],
            start,
            end: start + item.trim().length,
          });
        }
        itemStart = i + 1;
      }
    }
  }
  return found;
}
