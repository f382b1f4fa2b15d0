import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const src = join(__dirname, '..', 'server', 'src');

/** Every module of server/src with the modules of server/src it imports (type imports too). */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(src);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const imports: string[] = [];
    for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
      const target = resolve(dirname(file), match[1]);
      const found = [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate));
      if (found) imports.push(relative(src, found));
    }
    graph.set(relative(src, file), imports);
  }
  return graph;
}

/** Strongly connected groups of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('architecture', () => {
  const graph = importGraph();

  it('has no import cycles, not even through types', () => {
    assert.deepEqual(cycles(graph), []);
  });

  it('keeps each layer to the ones below it', () => {
    // engine < rules < project < report/docs < features < server.ts/cli.ts
    const layer = (module: string) => module.split('/')[0];
    const allowed: Record<string, string[]> = {
      engine: ['engine', 'lessons'],
      lessons: ['lessons'],
      rules: ['rules', 'engine', 'lessons'],
      docs: ['docs', 'engine', 'lessons'],
      report: ['report', 'engine', 'lessons', 'docs', 'version.ts'],
      project: ['project', 'engine', 'lessons', 'report', 'version.ts'],
      features: ['features', 'engine', 'lessons', 'docs', 'report', 'project', 'snippets.ts'],
    };
    const wrong: string[] = [];
    for (const [module, imports] of graph) {
      const own = allowed[layer(module)];
      if (!own) continue;
      for (const target of imports) if (!own.includes(layer(target))) wrong.push(`${module} → ${target}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('the language server is wiring only, and the CLI only options → project → format → exit code', () => {
    const server = readFileSync(join(src, 'server.ts'), 'utf8');
    assert.ok(server.split('\n').length < 250, 'server.ts stays small');
    assert.doesNotMatch(server, /from '\.\/engine\//, 'server.ts reaches the engine only through features/');
    const cli = readFileSync(join(src, 'cli.ts'), 'utf8');
    assert.doesNotMatch(
      cli,
      /from '\.\/engine\/(analyze|config|fix-all|document)'/,
      'the CLI analyses through the project',
    );
  });
});
