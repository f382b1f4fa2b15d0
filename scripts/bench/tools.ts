// The bench's helpers that need the project's own code, bundled by scripts/bench.mjs into
// dist/bench-tools.js (beside the wasm grammars) and run as separate processes:
//
//   node dist/bench-tools.js floor own|reference LIST   parse every file of LIST (one path a line)
//       with the project's parsers (parseSource) or with the reference parsers (the `yaml`
//       package, jsonc-parser, dockerfile-ast, web-tree-sitter) and no rule; prints JSON.
//   node dist/bench-tools.js classify LIST              the project's classifier on every file.
//   node dist/bench-tools.js generate CORPUS OUT        the latency files (see generate.ts).
import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { parseTree, type ParseError } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { classify, type FileKind } from '../../server/src/engine/classify';
import { parseSource } from '../../server/src/engine/document';
import { grammarFor } from '../../server/src/engine/parse/code';
import { generate } from './generate';
import { referenceParser } from './reference';

function readList(listFile: string): string[] {
  return readFileSync(listFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** The same work a reference tool does to read the file: a tree with positions, no model. */
async function referenceParse(path: string, text: string, kind: FileKind): Promise<void> {
  switch (kind) {
    case 'cloudformation':
    case 'compose':
      if (kind === 'cloudformation' && text.trimStart().startsWith('{')) {
        const errors: ParseError[] = [];
        parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
      } else {
        parseDocument(text, { uniqueKeys: false });
      }
      return;
    case 'dockerfile':
      DockerfileParser.parse(text);
      return;
    case 'javascript':
    case 'typescript':
    case 'python': {
      const parser = await referenceParser(grammarFor(path, undefined, kind === 'python'));
      parser.parse(text)?.delete();
      return;
    }
    default:
      return;
  }
}

async function floor(mode: string, listFile: string): Promise<void> {
  if (mode !== 'own' && mode !== 'reference') throw new Error(`floor: own or reference, not ${mode}`);
  const kinds: Record<string, { files: number; ms: number }> = {};
  let files = 0;
  for (const path of readList(listFile)) {
    const started = performance.now();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    let kind: FileKind;
    if (mode === 'own') {
      const document = await parseSource({ path, text });
      kind = document.kind;
      document.dispose();
    } else {
      kind = classify(path, text);
      await referenceParse(path, text, kind);
    }
    const entry = (kinds[kind] ??= { files: 0, ms: 0 });
    entry.files++;
    entry.ms += performance.now() - started;
    files++;
  }
  for (const entry of Object.values(kinds)) entry.ms = Math.round(entry.ms);
  process.stdout.write(JSON.stringify({ mode, files, kinds }) + '\n');
}

function classifyList(listFile: string): void {
  const out: Record<string, FileKind> = {};
  for (const path of readList(listFile)) {
    try {
      out[path] = classify(path, readFileSync(path, 'utf8'));
    } catch {
      // unreadable: left out
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'floor') await floor(args[0], args[1]);
  else if (command === 'classify') classifyList(args[0]);
  else if (command === 'generate')
    process.stdout.write(JSON.stringify(await generate(args[0], args[1])) + '\n');
  else throw new Error(`unknown command ${command}`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(2);
});
