// Builds dist/: the VS Code client, the language server and the CLI, plus the wasm grammars
// the server loads at run time.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRulesIndex } from './rules-index.mjs';
import { writeCfnDocs } from './cfn-docs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');

writeRulesIndex();
mkdirSync(dist, { recursive: true });
// The CloudFormation docs behind template hovers, one file per service (skipped when current).
writeCfnDocs();

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // NO_MINIFY=1 keeps names, for profiles.
  minify: !watch && !process.env.NO_MINIFY,
  logLevel: 'warning',
  // jsonc-parser's UMD build breaks when bundled; its ES module build does not.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ES build reads import.meta.url, which CommonJS bundles do not have.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter').replace(/\.js$/, '.cjs') },
  absWorkingDir: root,
  legalComments: 'none',
};

await Promise.all([
  build({
    ...common,
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: dist,
    external: ['vscode'],
  }),
  // server.js and cli.js start their bundle with V8's code cache (server/src/boot/code-cache.ts).
  // They run as compiled scripts, which cannot import() without a flag: import() becomes require().
  build({
    ...common,
    entryPoints: { 'server-bundle': 'server/src/server.ts' },
    outdir: dist,
    supported: { 'dynamic-import': false },
  }),
  build({
    ...common,
    entryPoints: { 'cli-bundle': 'server/src/cli.ts' },
    outdir: dist,
    supported: { 'dynamic-import': false },
  }),
  build({ ...common, entryPoints: { server: 'server/src/boot/server.ts' }, outdir: dist }),
  build({
    ...common,
    entryPoints: { cli: 'server/src/boot/cli.ts' },
    outdir: dist,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);

const wasmDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
for (const grammar of ['javascript', 'typescript', 'tsx', 'python']) {
  copyFileSync(join(wasmDir, `tree-sitter-${grammar}.wasm`), join(dist, `tree-sitter-${grammar}.wasm`));
}
copyFileSync(
  join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'),
  join(dist, 'web-tree-sitter.wasm'),
);

// The schema of .cloud-lessons.yaml lists the rules just bundled: scripts/schema.ts writes it.
const schemaWriter = join(mkdtempSync(join(tmpdir(), 'cloud-lessons-schema-')), 'schema.cjs');
await build({
  ...common,
  minify: false,
  sourcemap: false,
  entryPoints: ['scripts/schema.ts'],
  outfile: schemaWriter,
});
execFileSync(process.execPath, [schemaWriter, join(dist, 'cloud-lessons.schema.json')], { stdio: 'inherit' });
rmSync(dirname(schemaWriter), { recursive: true, force: true });
