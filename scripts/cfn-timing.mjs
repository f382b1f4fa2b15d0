// Times the analysis of every CloudFormation template under a folder (default: the shared
// corpus) with the whole rule pack, and prints the slowest templates with their parse and
// rule times and the rules that cost most in them.
//
//   node scripts/cfn-timing.mjs [folder] [--top N] [--runs N] [--limit MS]
//
// Each template is analysed `--runs` times after a warm-up pass over the whole folder; the
// figures are the medians. Exits 1 when a template takes longer than `--limit` ms (default 200)
// or a rule fails on one.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRulesIndex } from './rules-index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The measuring program, bundled from the engine's sources so that it times what ships.
const program = `
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Analyzer } from './server/src/engine/analyze';
import { inMemoryWorkspace } from './server/src/engine/workspace';
import { allRules } from './server/src/rules';

const [folder, runsText, topText, limitText] = process.argv.slice(2);
const runs = Number(runsText);
const top = Number(topText);
const limit = Number(limitText);

function walk(dir, files = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (/\\.(ya?ml|json|template|txt)$/i.test(name)) files.push(path);
  }
  return files;
}

// Each check wrapped to add its time to the rule's account for the current template.
const ruleTimes = new Map();
const timedRules = allRules.map((rule) => {
  const checks = {};
  for (const [kind, check] of Object.entries(rule.checks)) {
    checks[kind] = (context) => {
      const started = performance.now();
      try {
        return check(context);
      } finally {
        ruleTimes.set(rule.id, (ruleTimes.get(rule.id) ?? 0) + performance.now() - started);
      }
    };
  }
  return { ...rule, checks };
});
const analyzer = new Analyzer({ rules: timedRules, workspace: inMemoryWorkspace() });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(path, text) {
  ruleTimes.clear();
  let started = performance.now();
  const document = await analyzer.parse({ path, text });
  const parse = performance.now() - started;
  started = performance.now();
  const result = await analyzer.run(document);
  const rules = performance.now() - started;
  document.dispose();
  return { parse, rules, kind: document.kind, result, ruleTimes: new Map(ruleTimes) };
}

async function main() {
const rows = [];
const failures = [];
const files = walk(folder);
// The warm-up pass also gives the cold figure: the first analysis of each file in this process.
const cold = new Map();
for (const path of files) {
  const sample = await measure(path, readFileSync(path, 'utf8'));
  cold.set(path, sample.parse + sample.rules);
}
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await measure(path, text));
  const first = samples[0];
  if (first.kind !== 'cloudformation') continue;
  for (const failure of first.result.failures) failures.push(relative(folder, path) + ': ' + failure.ruleId + ': ' + failure.message);
  const parse = median(samples.map((s) => s.parse));
  const rules = median(samples.map((s) => s.rules));
  const typical = [...samples].sort((a, b) => a.parse + a.rules - (b.parse + b.rules))[Math.floor(samples.length / 2)];
  const slowRules = [...typical.ruleTimes].sort((a, b) => b[1] - a[1]).slice(0, 3);
  rows.push({ path: relative(folder, path), lines: text.split('\\n').length, parse, rules, total: parse + rules, cold: cold.get(path), findings: first.result.findings.length, slowRules });
}
rows.sort((a, b) => b.total - a.total);
const totals = rows.map((r) => r.total);
const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
console.log(rows.length + ' templates, ' + allRules.length + ' rules, median of ' + runs + ' runs each after a warm-up');
console.log('total: parse ' + sum('parse').toFixed(0) + ' ms, rules ' + sum('rules').toFixed(0) + ' ms; per template p50 ' + median(totals).toFixed(1) + ' ms, p95 ' + [...totals].sort((a, b) => a - b)[Math.floor(totals.length * 0.95)].toFixed(1) + ' ms, max ' + (totals[0] ?? 0).toFixed(1) + ' ms');
const coldest = [...rows].sort((a, b) => b.cold - a.cold)[0];
if (coldest) console.log('slowest first analysis in the process (cold): ' + coldest.cold.toFixed(1) + ' ms, ' + coldest.path);
console.log('');
console.log('  total    parse    rules  lines  findings  template  (slowest rules)');
for (const row of rows.slice(0, top)) {
  const slow = row.slowRules.map(([id, ms]) => id + ' ' + ms.toFixed(1)).join(', ');
  console.log(
    row.total.toFixed(1).padStart(7) + row.parse.toFixed(1).padStart(9) + row.rules.toFixed(1).padStart(9) +
      String(row.lines).padStart(7) + String(row.findings).padStart(10) + '  ' + row.path + '  (' + slow + ')',
  );
}
const over = rows.filter((r) => Math.max(r.total, r.cold) > limit);
if (failures.length > 0) console.log('\\nrule failures:\\n  ' + failures.join('\\n  '));
console.log('\\n' + over.length + ' template(s) over ' + limit + ' ms; ' + failures.length + ' rule failure(s)');
process.exitCode = over.length > 0 || failures.length > 0 ? 1 : 0;
}
main();
`;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const top = option('--top', '15');
const runs = option('--runs', '3');
const limit = option('--limit', '200');
const folder = resolve(args[0] ?? join(root, '..', 'shared', 'corpus', 'cfn'));

writeRulesIndex();
const dir = mkdtempSync(join(tmpdir(), 'cfn-timing-'));
try {
  const outfile = join(dir, 'cfn-timing.cjs');
  await build({
    stdin: { contents: program, resolveDir: root, loader: 'ts', sourcefile: 'cfn-timing.ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
    logLevel: 'warning',
  });
  execFileSync(process.execPath, [outfile, folder, runs, top, limit], { stdio: 'inherit' });
} catch (error) {
  process.exitCode = error.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
