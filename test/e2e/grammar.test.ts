import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { findCodeServer, repoRoot } from './code-server';
import { skipWithoutEditor } from './fixtures';

/**
 * The injection grammars of syntaxes/, tokenised the way VS Code does it: with code-server's own
 * vscode-textmate and oniguruma, over the built-in grammars of every language Cloud Lessons checks.
 */
interface Token {
  text: string;
  scopes: string[];
}

type Tokenize = (scope: string, line: string) => Promise<Token[]>;

/** code-server's bundled VS Code: lib/vscode with node_modules and extensions. */
function bundledVsCode(): string | undefined {
  const bin = findCodeServer();
  if (!bin) return undefined;
  // bin is node_modules/.bin/code-server (a link) or the package's own bin script.
  const candidates = [
    join(dirname(bin), '..', 'code-server', 'lib', 'vscode'),
    join(dirname(bin), '..', 'lib', 'vscode'),
  ];
  return candidates.find((c) => existsSync(join(c, 'node_modules', 'vscode-textmate')));
}

async function tokenizer(vscodeDir: string): Promise<Tokenize> {
  const textmate = require(join(vscodeDir, 'node_modules', 'vscode-textmate'));
  const oniguruma = require(join(vscodeDir, 'node_modules', 'vscode-oniguruma'));
  const wasm = readFileSync(join(vscodeDir, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

  // Every grammar the bundled extensions and ours contribute, and who injects into what.
  const paths = new Map<string, string>();
  const injections = new Map<string, string[]>();
  const contribute = (extensionDir: string) => {
    const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
    for (const grammar of manifest.contributes?.grammars ?? []) {
      paths.set(grammar.scopeName, join(extensionDir, grammar.path));
      for (const target of grammar.injectTo ?? [])
        injections.set(target, [...(injections.get(target) ?? []), grammar.scopeName]);
    }
  };
  const extensions = join(vscodeDir, 'extensions');
  for (const name of readdirSync(extensions))
    if (existsSync(join(extensions, name, 'package.json'))) contribute(join(extensions, name));
  contribute(repoRoot);

  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope: string) => {
      const path = paths.get(scope);
      return path ? textmate.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
    },
    getInjections: (scope: string) => injections.get(scope),
  });
  return async (scope, line) => {
    const grammar = await registry.loadGrammar(scope);
    assert.ok(grammar, `a grammar for ${scope}`);
    const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
    return tokens.map((t: { startIndex: number; endIndex: number; scopes: string[] }) => ({
      text: line.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    }));
  };
}

const scopeOf = (tokens: Token[], text: string) =>
  tokens.find((t) => t.text === text)?.scopes.find((s) => s.endsWith('.cloud-lessons'));

describe('syntax highlighting of suppression comments', () => {
  const vscodeDir = bundledVsCode();
  let tokenize: Tokenize;

  before(async function () {
    if (!vscodeDir) {
      skipWithoutEditor(this, "needs code-server's bundled VS Code grammars: run scripts/install-editors.sh");
    }
    tokenize = await tokenizer(vscodeDir as string);
  });

  const directive = 'cloud-lessons-disable-next-line';
  const rule = 'private-network/public-database';
  const cases: [string, string][] = [
    ['source.yaml', `  # ${directive} ${rule} -- read-only demo data`],
    ['source.cloudformation', `      # ${directive} ${rule} -- read-only demo data`],
    ['source.dockerfile', `# ${directive} ${rule} -- read-only demo data`],
    ['source.js', `// ${directive} ${rule} -- read-only demo data`],
    ['source.ts', `/* ${directive} ${rule} -- read-only demo data */`],
    ['source.tsx', `// ${directive} ${rule} -- read-only demo data`],
    ['source.js.jsx', `// ${directive} ${rule} -- read-only demo data`],
    ['source.python', `    # ${directive} ${rule} -- read-only demo data`],
  ];
  for (const [scope, line] of cases) {
    it(`marks the directive, the rule id and the reason in ${scope}`, async () => {
      const tokens = await tokenize(scope, line);
      assert.equal(
        scopeOf(tokens, directive),
        'keyword.control.directive.cloud-lessons',
        JSON.stringify(tokens),
      );
      assert.equal(scopeOf(tokens, rule), 'entity.name.tag.rule-id.cloud-lessons');
      assert.equal(scopeOf(tokens, '--'), 'punctuation.separator.reason.cloud-lessons');
      const reason = tokens.find((t) => t.text.includes('read-only demo data'));
      assert.ok(reason?.scopes.includes('string.unquoted.reason.cloud-lessons'));
      assert.ok(
        tokens.filter((t) => t.text.trim()).every((t) => t.scopes.some((s) => s.startsWith('comment'))),
        'everything stays inside the comment',
      );
    });
  }

  it('marks rule ids anywhere in a comment, and leaves code and look-alikes alone', async () => {
    const python = await tokenize(
      'source.python',
      'x = "embrace-failure/no-timeout"  # see embrace-failure/no-timeout',
    );
    const ids = python.filter((t) => t.text === 'embrace-failure/no-timeout');
    assert.equal(ids.length, 2);
    assert.equal(scopeOf([ids[0]], ids[0].text), undefined, 'not inside a string');
    assert.equal(scopeOf([ids[1]], ids[1].text), 'entity.name.tag.rule-id.cloud-lessons');
    const prose = await tokenize('source.yaml', '# read and/or write, see https://example.com/a/b');
    assert.ok(!prose.some((t) => t.scopes.some((s) => s.endsWith('.cloud-lessons'))), JSON.stringify(prose));
  });

  it("marks lesson ids in a directive and the peers' directives", async () => {
    const lesson = await tokenize('source.js', '// cloud-lessons-disable local-state -- legacy module');
    assert.equal(scopeOf(lesson, 'local-state'), 'entity.name.tag.lesson-id.cloud-lessons');
    const hadolint = await tokenize('source.dockerfile', '# hadolint ignore=DL3002');
    assert.equal(scopeOf(hadolint, 'DL3002'), 'constant.other.rule-id.peer.cloud-lessons');
    const checkov = await tokenize('source.yaml', '    #checkov:skip=CKV_AWS_17: demo');
    assert.equal(scopeOf(checkov, 'CKV_AWS_17'), 'constant.other.rule-id.peer.cloud-lessons');
  });
});
