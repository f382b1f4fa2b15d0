import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, Query, type Node, type Tree } from 'web-tree-sitter';

export type Grammar = 'javascript' | 'typescript' | 'tsx' | 'python';

/** A syntax tree of JavaScript, TypeScript or Python. `dispose()` frees the tree's memory. */
export interface CodeModel {
  grammar: Grammar;
  tree: Tree;
  root: Node;
  /** A compiled query for this grammar (compiled once per process and shared). */
  query(source: string): Query;
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
const queries = new Map<string, Query>();

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

export async function parseCode(
  text: string,
  grammar: Grammar,
  options: { limitMs?: number } = {},
): Promise<CodeModel> {
  const lang = await language(grammar);
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(grammar, parser);
  }
  const limitMs = options.limitMs ?? parseLimitMs;
  const deadline = Date.now() + limitMs;
  let stopped = false;
  const tree = parser.parse(text, null, {
    // Returning true cancels the parse (the typings say void).
    progressCallback: (() => (stopped = Date.now() > deadline)) as () => void,
  });
  if (stopped || !tree) {
    tree?.delete();
    parser.reset();
    throw new Error(
      stopped
        ? `The ${grammarNames[grammar]} parser stopped after ${limitMs / 1000} s on this file (the limit per parse): it was not analysed.`
        : 'The parser returned no tree.',
    );
  }
  return {
    grammar,
    tree,
    root: tree.rootNode,
    query(source: string): Query {
      const key = `${grammar}\u0000${source}`;
      let query = queries.get(key);
      if (!query) {
        query = new Query(lang, source);
        queries.set(key, query);
      }
      return query;
    },
    dispose: () => tree.delete(),
  };
}
