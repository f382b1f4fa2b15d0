// web-tree-sitter as a reference tool uses it: a parser per grammar, no queries, no model.
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Grammar } from '../../server/src/engine/parse/code';

let treeSitter: Promise<void> | undefined;
const parsers = new Map<Grammar, Promise<Parser>>();

/** A parser for a grammar, loaded from the wasm files the build copies to dist/ (the bundle's folder). */
export function referenceParser(grammar: Grammar): Promise<Parser> {
  let parser = parsers.get(grammar);
  if (!parser) {
    treeSitter ??= Parser.init({ locateFile: () => join(__dirname, 'web-tree-sitter.wasm') });
    parser = treeSitter.then(async () => {
      const language = await Language.load(join(__dirname, `tree-sitter-${grammar}.wasm`));
      const p = new Parser();
      p.setLanguage(language);
      return p;
    });
    parsers.set(grammar, parser);
  }
  return parser;
}
