import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Edit, Language, Parser, type Point, type Range, type Tree as NativeTree } from 'web-tree-sitter';
import { Tree, type Node, type TextChange } from './syntax-tree';

export type Grammar = 'javascript' | 'typescript' | 'tsx' | 'python';

/**
 * A syntax tree of JavaScript, TypeScript or Python, as plain objects (`syntax-tree.ts`).
 * `dispose()` frees the parser's own tree, kept to parse the next version from.
 */
export interface CodeModel {
  grammar: Grammar;
  tree: Tree;
  root: Node;
  /** The parser's tree; only the parser reads it. */
  native: NativeTree;
  dispose(): void;
}

let wasmDirectories: string[] | undefined;

/** Where the grammars are: beside the bundle in dist/, or in node_modules when run from source. */
function directories(): string[] {
  if (wasmDirectories) return wasmDirectories;
  const candidates = [__dirname, join(__dirname, '..', '..', '..', '..', 'dist')];
  for (const [entry, folder] of [
    ['@vscode/tree-sitter-wasm/package.json', 'wasm'],
    ['web-tree-sitter', '.'],
  ]) {
    try {
      candidates.push(join(require.resolve(entry), '..', folder));
    } catch {
      // Not installed: the bundle carries its own copies.
    }
  }
  wasmDirectories = candidates;
  return candidates;
}

function locate(file: string): string {
  for (const dir of directories()) {
    const path = join(dir, file);
    if (existsSync(path)) return path;
  }
  throw new Error(`Cannot find ${file} (looked in ${directories().join(', ')})`);
}

let initialised: Promise<void> | undefined;
const languages = new Map<Grammar, Promise<Language>>();
const parsers = new Map<Grammar, Parser>();

function language(grammar: Grammar): Promise<Language> {
  let loading = languages.get(grammar);
  if (!loading) {
    initialised ??= Parser.init({ locateFile: () => locate('web-tree-sitter.wasm') });
    loading = initialised.then(() => Language.load(locate(`tree-sitter-${grammar}.wasm`)));
    languages.set(grammar, loading);
  }
  return loading;
}

export function grammarFor(path: string, languageId: string | undefined, isPython: boolean): Grammar {
  if (isPython) return 'python';
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx') || languageId === 'typescriptreact') return 'tsx';
  if (/\.(ts|mts|cts)$/.test(lower) || languageId === 'typescript') return 'typescript';
  return 'javascript';
}

/**
 * How long one parse may take. Error recovery on hostile text (tens of thousands of stray
 * quotes) costs the parser seconds; past this it stops and the file gets a clear problem.
 */
export const parseLimitMs = 5_000;

const grammarNames: Record<Grammar, string> = {
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  tsx: 'TSX',
  python: 'Python',
};

/**
 * An earlier parse of the same document: the parser reuses what the edit did not touch. The tree
 * is a copy (`tree.copy()`, taken while the earlier parse was alive) that the new parse edits and
 * deletes.
 */
export interface PreviousParse {
  text: string;
  grammar: Grammar;
  tree: NativeTree;
  /** The plain copy of that parse: what the edit leaves alone is taken from it. */
  copy?: Tree;
}

/** A copy of a parse's tree to parse its next version from, or undefined when it would not help. */
export function previousParse(text: string, model: CodeModel): PreviousParse | undefined {
  // Error recovery from an old tree can end differently from a fresh parse: start afresh.
  if (model.root.hasError) return undefined;
  return { text, grammar: model.grammar, tree: model.native.copy(), copy: model.tree };
}

/**
 * The one edit that turns `before` into `after` (their common start and end kept), as tree-sitter
 * takes it: offsets and points in UTF-16 code units, like the trees it gives back.
 */
export function editBetween(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  // Whole chunks first: the engine compares two slices far quicker than a loop here compares
  // their characters (a keystroke in a large file leaves hundreds of thousands alike).
  let start = 0;
  while (
    start + compareChunk <= shorter &&
    before.slice(start, start + compareChunk) === after.slice(start, start + compareChunk)
  )
    start += compareChunk;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const room = shorter - start;
  let tail = 0;
  while (
    tail + compareChunk <= room &&
    before.slice(before.length - tail - compareChunk, before.length - tail) ===
      after.slice(after.length - tail - compareChunk, after.length - tail)
  )
    tail += compareChunk;
  while (
    tail < room &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  )
    tail++;
  // Never split a surrogate pair: the parser reads whole characters.
  if (start > 0 && isHighSurrogate(after.charCodeAt(start - 1))) start--;
  if (tail > 0 && isLowSurrogate(after.charCodeAt(after.length - tail))) tail--;
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  const startPosition = pointAt(before, start);
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAfter(before, start, oldEnd, startPosition),
    newEndPosition: pointAfter(after, start, newEnd, startPosition),
  });
}

/** How many characters `editBetween` compares at a time before it looks at single ones. */
const compareChunk = 4096;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: offset - lineStart };
}

/** The point of `offset` in `text`, counted on from `from` at `point`. */
function pointAfter(text: string, from: number, offset: number, point: Point): Point {
  let { row } = point;
  let lineStart = from - point.column;
  for (let at = text.indexOf('\n', from); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: offset - lineStart };
}

export async function parseCode(
  text: string,
  grammar: Grammar,
  options: { limitMs?: number; previous?: PreviousParse } = {},
): Promise<CodeModel> {
  let lang: Language;
  try {
    lang = await language(grammar);
  } catch (error) {
    options.previous?.tree.delete();
    throw error;
  }
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(grammar, parser);
  }
  const limitMs = options.limitMs ?? parseLimitMs;
  const deadline = Date.now() + limitMs;
  let stopped = false;
  const run = (old: NativeTree | null) =>
    parser.parse(text, old, {
      // Returning true cancels the parse (the typings say void).
      progressCallback: (() => (stopped = Date.now() > deadline)) as () => void,
    });
  const again = reparse(options.previous, text, grammar, run);
  const tree = again === undefined ? run(null) : again.tree;
  if (stopped || !tree) {
    tree?.delete();
    parser.reset();
    throw new Error(
      stopped
        ? `The ${grammarNames[grammar]} parser stopped after ${limitMs / 1000} s on this file (the limit per parse): it was not analysed.`
        : 'The parser returned no tree.',
    );
  }
  try {
    const copy =
      again?.tree && options.previous?.copy
        ? new Tree(text, tree, { tree: options.previous.copy, edit: again.edit, changed: again.changed })
        : new Tree(text, tree);
    return { grammar, tree: copy, root: copy.rootNode, native: tree, dispose: () => tree.delete() };
  } catch (error) {
    tree.delete();
    throw error;
  }
}

/**
 * The new tree from the previous one, when that is sure to equal a fresh parse: the new tree
 * without errors, like the previous one. Undefined: parse from scratch. The previous tree is
 * deleted either way.
 */
function reparse(
  previous: PreviousParse | undefined,
  text: string,
  grammar: Grammar,
  run: (old: NativeTree | null) => NativeTree | null,
): { tree: NativeTree | null; edit: TextChange; changed: Range[] } | undefined {
  if (!previous) return undefined;
  const old = previous.tree;
  try {
    const edit = previous.grammar === grammar ? editBetween(previous.text, text) : undefined;
    if (!edit) return undefined;
    old.edit(edit);
    const tree = run(old);
    const change = { start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex };
    // Stopped at the limit: a parse from scratch would not finish either.
    if (!tree) return { tree, edit: change, changed: [] };
    if (!tree.rootNode.hasError) return { tree, edit: change, changed: old.getChangedRanges(tree) };
    tree.delete();
    return undefined;
  } finally {
    old.delete();
  }
}
