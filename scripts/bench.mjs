// Prints the speed figures of PRODUCT.md's targets:
//  (a) the CLI over ../shared/corpus next to the bare parse of the same files, and their ratio;
//  (b) edit -> diagnostics latency through a real LSP client (p50/p95) on the largest template
//      of the corpus and on a 3,000-line template.
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'corpus');
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeCommand(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      maxBuffer: 1 << 30,
    });
    times.push(performance.now() - started);
  }
  return median(times);
}

async function corpusFigures() {
  if (!existsSync(corpus)) {
    console.log('(a) skipped: ../shared/corpus is not there');
    return;
  }
  await build({
    entryPoints: { 'bench-parse': join(root, 'scripts/bench/parse-only.ts') },
    outdir: join(root, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
    logLevel: 'warning',
  });
  const files = execFileSync(process.execPath, ['dist/bench-parse.js', corpus], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const parse = timeCommand(['dist/bench-parse.js', corpus]);
  const cli = timeCommand(['dist/cli.js', '--format', 'json', '--exit-zero', '--no-config', corpus]);
  console.log(`(a) corpus: ${files} files (median of ${runs} runs, each a fresh node process)`);
  console.log(`    bare parse       ${parse.toFixed(0)} ms`);
  console.log(`    CLI (all rules)  ${cli.toFixed(0)} ms`);
  console.log(`    ratio            ${(cli / parse).toFixed(2)}x   (target <= 2x)`);
}

/** A language server over stdio, spoken to as an editor does. */
function startServer() {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map();
  const waiters = [];
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const sep = buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, sep).toString())[1]);
      if (buffer.length < sep + 4 + length) return;
      const message = JSON.parse(buffer.subarray(sep + 4, sep + 4 + length).toString());
      buffer = buffer.subarray(sep + 4 + length);
      if (message.id !== undefined && !message.method) pending.get(message.id)?.(message.result);
      else if (message.method === 'textDocument/publishDiagnostics') {
        for (const w of waiters.splice(0)) w(message.params);
      } else if (message.id !== undefined) send({ id: message.id, result: null });
    }
  });
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  const request = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ id, method, params });
    });
  /** Resolves with the time the diagnostics for `uri` at `version` arrive. */
  const diagnostics = (uri, version) =>
    new Promise((resolve) => {
      const wait = (p) =>
        p.uri === uri && (version === undefined || p.version === version)
          ? resolve(performance.now())
          : waiters.push(wait);
      waiters.push(wait);
    });
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  const stop = async () => {
    await request('shutdown', null);
    send({ method: 'exit' });
    child.kill();
  };
  return { started, send, request, diagnostics, rss, stop };
}

const languageOf = (file) =>
  file.endsWith('.json')
    ? 'json'
    : file.endsWith('.js')
      ? 'javascript'
      : file.endsWith('.py')
        ? 'python'
        : file.endsWith('Dockerfile')
          ? 'dockerfile'
          : 'yaml';

/** didChange -> publishDiagnostics for the same version, as an editor sees it. */
async function latency(file, edits = 100) {
  const server = startServer();
  await server.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  server.send({ method: 'initialized', params: {} });
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  let got = server.diagnostics(uri, 1);
  server.send({
    method: 'textDocument/didOpen',
    params: { textDocument: { uri, languageId: languageOf(file), version: 1, text } },
  });
  await got;
  const times = [];
  for (let version = 2; version < edits + 2; version++) {
    const middle = Math.floor(lines.length / 2);
    const edited =
      version % 2 === 0
        ? [...lines.slice(0, middle), lines[middle] + ' ', ...lines.slice(middle + 1)].join('\n')
        : text;
    got = server.diagnostics(uri, version);
    const started = performance.now();
    server.send({
      method: 'textDocument/didChange',
      params: { textDocument: { uri, version }, contentChanges: [{ text: edited }] },
    });
    times.push((await got) - started);
  }
  await server.stop();
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { lines: lines.length, p50: q(0.5), p95: q(0.95) };
}

/** Start-up: initialize answered, then the first diagnostics of a cold server. */
async function startup(file) {
  const server = startServer();
  await server.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  const initialized = performance.now() - server.started;
  server.send({ method: 'initialized', params: {} });
  const uri = pathToFileURL(file).href;
  const got = server.diagnostics(uri, 1);
  server.send({
    method: 'textDocument/didOpen',
    params: {
      textDocument: { uri, languageId: languageOf(file), version: 1, text: readFileSync(file, 'utf8') },
    },
  });
  const first = (await got) - server.started;
  await server.stop();
  return { initialized, first };
}

/** Server memory after opening and closing many real files, twice over (flat means no leak). */
async function memory(files, rounds = 1000) {
  const server = startServer();
  await server.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  server.send({ method: 'initialized', params: {} });
  const readings = [];
  for (let i = 0; i < rounds * 2; i++) {
    const file = files[i % files.length];
    const uri = `${pathToFileURL(file).href}?${i}`;
    const got = server.diagnostics(uri, 1);
    server.send({
      method: 'textDocument/didOpen',
      params: {
        textDocument: { uri, languageId: languageOf(file), version: 1, text: readFileSync(file, 'utf8') },
      },
    });
    await got;
    server.send({ method: 'textDocument/didClose', params: { textDocument: { uri } } });
    if (i + 1 === rounds || i + 1 === rounds * 2) readings.push(server.rss());
  }
  await server.stop();
  return readings;
}

function corpusFiles() {
  const files = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ya?ml|json|template)$/.test(entry.name)) files.push(path);
    }
  };
  visit(corpus);
  // Code files too, whose syntax trees live outside the JavaScript heap and must be freed.
  const examples = ['shop-api/server.js', 'catalog-service/app.py', 'shop-api/Dockerfile'].map((f) =>
    join(root, 'examples', f),
  );
  return files
    .sort()
    .flatMap((file, i) => (i % 4 === 0 ? [file, examples[(i / 4) % examples.length]] : [file]));
}

function largestTemplate() {
  let best;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.(ya?ml|json|template)$/.test(entry.name) && (!best || statSync(path).size > best.size)) {
        best = { path, size: statSync(path).size };
      }
    }
  };
  visit(join(corpus, 'cfn'));
  return best?.path;
}

/** A 3,000-line template: resources in the style of real ones, each with a few findings. */
function syntheticTemplate() {
  const out = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Description: generated for the latency benchmark',
    'Resources:',
  ];
  for (let i = 0; out.length < 3000; i++) {
    out.push(
      `  OrdersDb${i}:`,
      '    Type: AWS::RDS::DBInstance',
      '    Properties:',
      '      Engine: postgres',
      '      DBInstanceClass: db.t4g.medium',
      `      DBName: orders${i}`,
      '      PubliclyAccessible: true',
      '      Tags:',
      '        - Key: team',
      `          Value: !Sub 'orders-\${AWS::StackName}-${i}'`,
      `  Queue${i}:`,
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 60',
      `      QueueName: !Join ['-', [!Ref AWS::StackName, q${i}]]`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-bench-'));
  const path = join(dir, 'template.yaml');
  writeFileSync(path, out.join('\n') + '\n');
  return path;
}

if (!existsSync(join(root, 'dist/server.js'))) throw new Error('run npm run build first');
await corpusFigures();
const targets = [largestTemplate(), syntheticTemplate()].filter(Boolean);
for (const file of targets) {
  const r = await latency(file);
  const name = file.includes('corpus') ? file.slice(file.indexOf('corpus')) : '3,000-line generated template';
  console.log(
    `(b) edit -> diagnostics, ${name} (${r.lines} lines, 100 edits): p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (target p95 <= 50 ms)`,
  );
}
const cold = await startup(targets[targets.length - 1]);
console.log(
  `(c) start-up: initialize answered after ${cold.initialized.toFixed(0)} ms (target <= 300), first diagnostics after ${cold.first.toFixed(0)} ms (target <= 1000)`,
);
if (existsSync(corpus)) {
  const [after1000, after2000] = await memory(corpusFiles());
  console.log(
    `(d) server RSS after 1,000 files (corpus templates and example code) opened and closed: ${after1000.toFixed(0)} MB; after 2,000: ${after2000.toFixed(0)} MB (target <= 200 MB, flat)`,
  );
}
console.log(
  '(e) size sweeps, 1x to 16x, in-process with every rule (growth exponent: 1 is linear; target <= 1.2)',
);
const sweep = execFileSync(
  process.execPath,
  [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench/sweep.ts'],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
for (const line of sweep.trim().split('\n').slice(0, -1)) console.log(`    ${line}`);
