// The speed and memory figures of the product's targets, each printed beside its target:
//
//  - edit -> diagnostics through a real LSP client (p50/p95 of 60 edits, three runs, a fresh
//    server each) on a 3,000- and a 20,000-line template, a 2,000-line Dockerfile (beside
//    docker-langserver when it is installed), 5,000-line JavaScript and Python files, chosen
//    among files the classifier gives that kind (generated from real files of the corpus when
//    it has none of that size), and on the 3,000-line template while the server scans the corpus;
//  - start-up (initialize, first diagnostics) and the server's memory after 3,000 files;
//  - the CLI over ../shared/corpus, kind by kind and whole, beside the bare parse of the same
//    files with the project's parsers and with the reference parsers (runs alternated, medians);
//  - the CLI's CPU beside cfn-lint's on a fixed sample of the templates, and its peak memory on
//    16 copies of the corpus (hard links);
//  - size sweeps (growth exponents).
//
// Ends with `BENCH_JSON {...}` (also written to $BENCH_OUT). Always exits 0: it is a measurement.
// BENCH_QUICK=1 for a fast pass; BENCH_RUNS, BENCH_EDITS, BENCH_LATENCY_RUNS, BENCH_COPIES,
// BENCH_CFN_SAMPLE, BENCH_MEMORY_FILES, BENCH_ONLY (comma-separated sections) to adjust.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, quantile, startServer, typingEdits } from './bench/lsp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(root, '..', 'shared', 'corpus');
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, full, fast) => Number(env[name] ?? (quick ? fast : full));
const settings = {
  quick,
  runs: num('BENCH_RUNS', 5, 1),
  edits: num('BENCH_EDITS', 60, 60),
  latencyRuns: num('BENCH_LATENCY_RUNS', 3, 1),
  copies: num('BENCH_COPIES', 16, 4),
  cfnSample: num('BENCH_CFN_SAMPLE', 200, 20),
  memoryFiles: num('BENCH_MEMORY_FILES', 3000, 3000),
  settleMs: num('BENCH_SETTLE_MS', 60000, 0),
};
const only = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',')) : undefined;
const cores = os.availableParallelism();
const tmp = mkdtempSync(join(os.tmpdir(), 'cloud-lessons-bench-'));
const hasTime = existsSync('/usr/bin/time');
const serverCommand = [process.execPath, [join(root, 'dist/server.js'), '--stdio']];
const benchStarted = performance.now();

// ---- figures --------------------------------------------------------------------------------

const figures = [];
const details = {};
const errors = [];

/** A figure: `target` is `['<=', 50]` or `['>=', 50]`, or undefined for a figure without one. */
function figure(id, label, value, unit, target, note) {
  let met = null;
  if (target && typeof value === 'number') met = target[0] === '<=' ? value <= target[1] : value >= target[1];
  const f = { id, label, value: typeof value === 'number' ? round(value) : value, unit, target: null, met };
  // A figure that could not be taken says why in its value (JSON) and its note (table).
  if (typeof value === 'string') note = note ? `${value}; ${note}` : value;
  if (target) f.target = { op: target[0], value: target[1] };
  if (note) f.note = note;
  figures.push(f);
  return f;
}

const round = (v) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);
const fmt = (v, unit) => {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return 'not measured';
  const shown = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit === '×' ? `${shown}×` : `${shown} ${unit}`;
};

async function section(name, run) {
  if (only && name !== 'setup' && !only.has(name)) return;
  const started = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    await run();
  } catch (error) {
    errors.push({ section: name, error: String(error?.stack ?? error) });
    figure(`${name}.error`, `${name}: failed`, null, '', undefined, String(error?.message ?? error));
    process.stderr.write(`bench: ${name} failed: ${error?.stack ?? error}\n`);
  }
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

// ---- processes ------------------------------------------------------------------------------

let timeFiles = 0;

/** Runs a command to its end: wall time, and CPU (user + sys of it and its children) and peak RSS. */
function measured(command, args, { stdout = 'ignore', timeout = 1_800_000 } = {}) {
  const timeFile = join(tmp, `time-${timeFiles++}`);
  const [cmd, argv] = hasTime
    ? ['/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, command, ...args]]
    : [command, args];
  const started = performance.now();
  const result = spawnSync(cmd, argv, {
    cwd: root,
    stdio: ['ignore', stdout, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout,
  });
  const wall = performance.now() - started;
  if (result.error) throw result.error;
  let cpu;
  let rssMb;
  if (hasTime && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    cpu = (last[1] + last[2]) * 1000;
    rssMb = last[3] / 1024;
  }
  return { wall, cpu, rssMb, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cli = (args) => [join(root, 'dist/cli.js'), '--format', 'json', '--exit-zero', '--no-config', ...args];

// ---- the files ------------------------------------------------------------------------------

const built = build({
  entryPoints: { 'bench-tools': join(root, 'scripts/bench/tools.ts') },
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
built.catch(() => {});
const tools = join(root, 'dist/bench-tools.js');

/** The files the CLI reports over the corpus, with the kind it gives each (from one warm-up run). */
let reported = [];
let latencyFiles = [];
let ready = false;

async function setup() {
  for (const f of ['dist/server.js', 'dist/cli.js'])
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run npm run build first`);
  await built;
  const out = join(tmp, 'corpus.json');
  const run = measured(process.execPath, cli(['--output', out, corpus]));
  if (run.status !== 0) throw new Error(`the CLI failed on the corpus: ${run.stderr}`);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  reported = report.files.map((f) => ({ path: resolve(root, f.path), kind: f.kind }));
  details.corpusErrors = report.errors?.length ?? 0;
  const gen = spawnSync(process.execPath, [tools, 'generate', corpus, join(tmp, 'latency')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (gen.status !== 0) throw new Error(`generating the latency files failed: ${gen.stderr}`);
  latencyFiles = JSON.parse(gen.stdout);
  // The CLI must give each latency file the kind the classifier gave it.
  const checked = join(tmp, 'latency.json');
  const check = measured(process.execPath, cli(['--output', checked, ...latencyFiles.map((f) => f.path)]));
  if (check.status !== 0) throw new Error(`the CLI failed on the latency files: ${check.stderr}`);
  const kinds = new Map(
    JSON.parse(readFileSync(checked, 'utf8')).files.map((f) => [resolve(root, f.path), f]),
  );
  for (const f of latencyFiles) {
    const seen = kinds.get(f.path);
    f.cliKind = seen?.kind;
    f.findings = seen?.findings.length;
    if (f.cliKind !== f.kind)
      throw new Error(`the CLI reads ${f.path} as ${f.cliKind}, the classifier as ${f.kind}`);
  }
  details.latencyFiles = latencyFiles.map(({ id, path, lines, kind, cliKind, findings, origin }) => ({
    id,
    path: path.startsWith(corpus) ? relative(corpus, path) : path,
    lines,
    kind,
    cliKind,
    findings,
    origin,
  }));
  ready = true;
}
const latencyFile = (id) => latencyFiles.find((f) => f.id === id);

// ---- latency --------------------------------------------------------------------------------

/** One run: a fresh server, the file opened, then `edits` keystrokes each awaited to its diagnostics. */
async function typingRun(file, { command = serverCommand, folders = [dirname(file.path)], during } = {}) {
  const server = startServer(command[0], command[1], { folders, cwd: root });
  try {
    await server.initialize();
    const uri = pathToFileURL(file.path).href;
    const opened = server.diagnostics(uri, 1);
    server.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: file.languageId, version: 1, text: readFileSync(file.path, 'utf8') },
    });
    await opened;
    const background = during ? await during(server) : undefined;
    const times = [];
    let version = 1;
    for (const change of typingEdits(file.edit, settings.edits)) {
      if (background?.done()) break;
      version++;
      const got = server.diagnostics(uri, version);
      const started = performance.now();
      server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const at = await got;
      if (background?.done()) break;
      times.push(at - started);
    }
    const extra = background ? await background.finish() : undefined;
    return { times, extra };
  } finally {
    await server.stop();
  }
}

async function latencyFigure(id, label, targetMs, options = {}) {
  const file = latencyFile(id);
  if (!file) throw new Error(`no latency file ${id}`);
  const runs = [];
  for (let r = 0; r < settings.latencyRuns; r++) runs.push(await typingRun(file, options));
  const times = runs.flatMap((r) => r.times);
  const perRun = runs.map((r) => ({
    p50: round(quantile(r.times, 0.5)),
    p95: round(quantile(r.times, 0.95)),
  }));
  const name = `${label} (${file.lines.toLocaleString('en')} lines)`;
  const key = options.key ?? `latency.${id}`;
  figure(`${key}.p50`, `${name}: edit → diagnostics p50`, quantile(times, 0.5), 'ms');
  const p95 = figure(
    `${key}.p95`,
    `${name}: edit → diagnostics p95`,
    quantile(times, 0.95),
    'ms',
    targetMs && ['<=', targetMs],
    `${times.length} edits in ${runs.length} run(s); per run p95 ${perRun.map((r) => r.p95).join(' / ')} ms`,
  );
  details[key] = {
    file: file.id,
    edits: times.length,
    perRun,
    extra: runs.map((r) => r.extra).filter(Boolean),
  };
  return { p95: p95.value, times };
}

async function latency() {
  await latencyFigure('template-3k', 'template', 50);
  await latencyFigure('template-20k', 'template', 250);
  await latencyFigure('template-largest-real', 'largest real template', 50);
  const docker = await latencyFigure('dockerfile-2k', 'Dockerfile', 50);
  // BENCH_DOCKER_LANGSERVER: another server script to compare with (to check this path).
  const peer =
    env.BENCH_DOCKER_LANGSERVER ??
    join(root, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver');
  if (existsSync(peer)) {
    const theirs = await latencyFigure('dockerfile-2k', 'docker-langserver, same Dockerfile', undefined, {
      command: [process.execPath, [peer, '--stdio']],
      key: 'latency.docker-langserver',
    });
    figure(
      'latency.dockerfile-2k.vs-docker-langserver',
      'Dockerfile p95 / docker-langserver p95',
      docker.p95 / theirs.p95,
      '×',
      ['<=', 1],
    );
  } else {
    figure(
      'latency.dockerfile-2k.vs-docker-langserver',
      'Dockerfile p95 / docker-langserver p95',
      'not measured: not installed',
      '',
      ['<=', 1],
      'dockerfile-language-server-nodejs is not in node_modules',
    );
  }
  await latencyFigure('javascript-5k', 'JavaScript', 50);
  await latencyFigure('python-5k', 'Python', 50);
}

/** Typing in the 3,000-line template while the server scans the corpus (cloudLessons/scanWorkspace). */
async function scanWhileTyping() {
  const file = latencyFile('template-3k');
  const during = async (server) => {
    const before = server.publications;
    const started = performance.now();
    let ended;
    let result;
    const scan = server
      .request('cloudLessons/scanWorkspace', { folders: [pathToFileURL(corpus).href] }, 1_800_000)
      .then((r) => {
        ended = performance.now();
        result = r;
      });
    // Typing starts once the scan publishes its first file.
    while (server.publications === before && ended === undefined && performance.now() - started < 30_000)
      await new Promise((r) => setTimeout(r, 5));
    const typingFrom = performance.now();
    return {
      done: () => ended !== undefined,
      finish: async () => {
        const typingUntil = performance.now();
        await scan;
        return {
          scanMs: round(ended - started),
          typingStartedAfterMs: round(typingFrom - started),
          typingMs: round(Math.min(typingUntil, ended) - typingFrom),
          scanStillRunningAtLastEdit: ended > typingUntil,
          filesScanned: result?.files,
        };
      },
    };
  };
  const { times } = await latencyFigure('template-3k', 'template while the corpus is scanned', 50, {
    folders: [dirname(file.path), corpus],
    during,
    key: 'scan.typing.template-3k',
  });
  const extra = details['scan.typing.template-3k'].extra;
  const f = figures.find((x) => x.id === 'scan.typing.template-3k.p95');
  const complete = extra.every((e) => e.scanStillRunningAtLastEdit);
  f.note += `; scan took ${extra.map((e) => e.scanMs).join(' / ')} ms for ${extra[0]?.filesScanned} files`;
  if (!complete)
    f.note += `; the scan ended before the ${settings.edits} edits of a run: ${times.length} edits measured`;
}

// ---- start-up and memory --------------------------------------------------------------------

async function startup() {
  const files = [latencyFile('template-3k'), latencyFile('javascript-largest-real')];
  const init = [];
  const first = new Map(files.map((f) => [f.id, []]));
  for (let r = 0; r < settings.runs; r++) {
    for (const file of files) {
      const server = startServer(serverCommand[0], serverCommand[1], {
        folders: [dirname(file.path)],
        cwd: root,
      });
      try {
        const { initializedAfter } = await server.initialize();
        init.push(initializedAfter);
        const uri = pathToFileURL(file.path).href;
        const got = server.diagnostics(uri, 1);
        server.notify('textDocument/didOpen', {
          textDocument: {
            uri,
            languageId: file.languageId,
            version: 1,
            text: readFileSync(file.path, 'utf8'),
          },
        });
        first.get(file.id).push((await got) - server.spawnedAt);
      } finally {
        await server.stop();
      }
    }
  }
  figure(
    'startup.initialize',
    'start-up: spawn → initialize answered (median)',
    median(init),
    'ms',
    ['<=', 150],
    `${init.length} cold starts`,
  );
  for (const file of files)
    figure(
      `startup.first-diagnostics.${file.id}`,
      `start-up: spawn → first diagnostics, ${file.id} (${file.lines} lines, median)`,
      median(first.get(file.id)),
      'ms',
      ['<=', 300],
    );
}

async function memory() {
  const files = reported.filter((f) => f.kind !== 'other').sort((a, b) => (a.path < b.path ? -1 : 1));
  const languageOf = (f) =>
    f.kind === 'cloudformation'
      ? f.path.endsWith('.json')
        ? 'json'
        : 'yaml'
      : f.kind === 'compose'
        ? 'dockercompose'
        : f.kind === 'typescript' && f.path.endsWith('.tsx')
          ? 'typescriptreact'
          : f.kind;
  const server = startServer(serverCommand[0], serverCommand[1], { folders: [corpus], cwd: root });
  const readings = {};
  try {
    await server.initialize();
    readings.start = server.rssMb();
    const total = settings.memoryFiles;
    for (let i = 0; i < total; i++) {
      const file = files[i % files.length];
      const uri = pathToFileURL(file.path).href;
      const got = server.diagnostics(uri, 1);
      server.notify('textDocument/didOpen', {
        textDocument: {
          uri,
          languageId: languageOf(file),
          version: 1,
          text: readFileSync(file.path, 'utf8'),
        },
      });
      await got;
      server.notify('textDocument/didClose', { textDocument: { uri } });
      if (i + 1 === Math.floor(total / 2)) readings.half = server.rssMb();
    }
    await new Promise((r) => setTimeout(r, 500));
    readings.end = server.rssMb();
    readings.peak = server.peakRssMb();
    // What is left once V8 gives back what the burst left: its memory reducer runs after some
    // idle time (about 40 s here). A leak would stay; garbage not yet returned goes.
    const settleUntil = performance.now() + settings.settleMs;
    readings.settled = readings.end;
    while (performance.now() < settleUntil) {
      await new Promise((r) => setTimeout(r, 2000));
      readings.settled = Math.min(readings.settled, server.rssMb());
    }
  } finally {
    await server.stop();
  }
  figure(
    'memory.server-rss',
    `server RSS after opening and closing ${settings.memoryFiles.toLocaleString('en')} corpus files`,
    readings.end,
    'MB',
    ['<=', 150],
    `${files.length} distinct files, cycled; RSS ${fmt(readings.start, 'MB')} after initialize, ` +
      `${fmt(readings.half, 'MB')} half-way, peak ${fmt(readings.peak, 'MB')}; read 0.5 s after the last close`,
  );
  if (settings.settleMs > 0)
    figure(
      'memory.server-rss-settled',
      `  the same, lowest in the ${Math.round(settings.settleMs / 1000)} s of idle that follow`,
      readings.settled,
      'MB',
      null,
      'after V8 returns the garbage of the burst: what stays is what the server holds',
    );
}

// ---- the corpus -----------------------------------------------------------------------------

function writeList(name, paths) {
  const file = join(tmp, `${name}.list`);
  writeFileSync(file, paths.join('\n') + '\n');
  return file;
}

/** Parse (own), parse (reference) and CLI, alternated, `runs` times: medians of wall and CPU. */
function alternated(name, list, cliArgs, runs) {
  const samples = { own: [], reference: [], cli: [] };
  const inProcess = { own: [], reference: [] };
  for (let r = 0; r < runs; r++) {
    for (const mode of ['own', 'reference']) {
      const run = measured(process.execPath, [tools, 'floor', mode, list], { stdout: 'pipe' });
      if (run.status !== 0) throw new Error(`floor ${mode} failed: ${run.stderr}`);
      samples[mode].push(run);
      inProcess[mode].push(JSON.parse(run.stdout).kinds);
    }
    const run = measured(process.execPath, cli(cliArgs));
    if (run.status !== 0) throw new Error(`the CLI failed: ${run.stderr}`);
    samples.cli.push(run);
  }
  const summary = {};
  for (const [k, list] of Object.entries(samples))
    summary[k] = {
      wallMs: round(median(list.map((s) => s.wall))),
      cpuMs: hasTime ? round(median(list.map((s) => s.cpu))) : null,
      peakRssMb: hasTime ? round(median(list.map((s) => s.rssMb))) : null,
    };
  // Inside the parse processes, kind by kind (reading the file included): medians over the runs.
  const byKind = {};
  for (const [mode, list] of Object.entries(inProcess))
    for (const kind of Object.keys(list[0] ?? {}))
      (byKind[kind] ??= { files: list[0][kind].files })[`${mode}Ms`] = median(
        list.map((k) => k[kind]?.ms ?? 0),
      );
  details[`corpus.${name}`] = { runs, ...summary, inProcessParseMs: byKind };
  return summary;
}

const groups = [
  ['templates', (f) => f.kind === 'cloudformation'],
  ['dockerfiles', (f) => f.kind === 'dockerfile'],
  ['compose', (f) => f.kind === 'compose'],
  ['code-js-ts', (f) => (f.kind === 'javascript' || f.kind === 'typescript') && !inCdk(f)],
  ['code-python', (f) => f.kind === 'python' && !inCdk(f)],
  ['cdk-apps', (f) => inCdk(f)],
];
const inCdk = (f) => f.path.startsWith(join(corpus, 'cdk') + '/');

async function corpusRuns() {
  const all = alternated(
    'all',
    writeList(
      'all',
      reported.map((f) => f.path),
    ),
    [corpus],
    settings.runs,
  );
  const count = reported.length;
  figure('corpus.cli', `CLI over the corpus (${count} files, median wall)`, all.cli.wallMs, 'ms');
  figure('corpus.parse-own', 'bare parse, own parsers (median wall)', all.own.wallMs, 'ms');
  const perKind = Object.entries(details['corpus.all'].inProcessParseMs)
    .map(([kind, k]) => `${kind} ${k.ownMs}/${k.referenceMs}`)
    .join(', ');
  figure(
    'corpus.parse-reference',
    'bare parse, reference parsers (median wall)',
    all.reference.wallMs,
    'ms',
    undefined,
    `in-process, own/reference ms: ${perKind}`,
  );
  figure(
    'corpus.cli-over-own-parse',
    'CLI / bare parse (own parsers)',
    all.cli.wallMs / all.own.wallMs,
    '×',
    ['<=', 2],
    hasTime ? `CPU ratio ${fmt(all.cli.cpuMs / all.own.cpuMs, '×')}` : undefined,
  );
  figure(
    'corpus.cli-over-reference-parse',
    'CLI / bare parse (reference parsers)',
    all.cli.wallMs / all.reference.wallMs,
    '×',
    ['<=', 2],
    hasTime ? `CPU ratio ${fmt(all.cli.cpuMs / all.reference.cpuMs, '×')}` : undefined,
  );
  if (hasTime)
    figure('corpus.cli-peak-rss', 'CLI peak RSS over the corpus (1 copy)', all.cli.peakRssMb, 'MB');
  const kindRuns = Math.min(settings.runs, 3);
  for (const [name, accept] of groups) {
    const files = reported.filter(accept).map((f) => f.path);
    if (files.length === 0) continue;
    const s = alternated(name, writeList(name, files), files, kindRuns);
    figure(
      `corpus.${name}.cli-over-own-parse`,
      `  ${name} (${files.length} files): CLI ${fmt(s.cli.wallMs, 'ms')}, parse own ${fmt(s.own.wallMs, 'ms')} / ` +
        `reference ${fmt(s.reference.wallMs, 'ms')}; CLI / own parse`,
      s.cli.wallMs / s.own.wallMs,
      '×',
      undefined,
      `CLI / reference parse ${fmt(s.cli.wallMs / s.reference.wallMs, '×')}`,
    );
  }
}

/** CPU of cfn-lint and of the CLI on the same fixed sample of templates. */
async function cfnLint() {
  const candidates = [
    env.BENCH_CFN_LINT,
    '/root/.pyenv/shims/cfn-lint',
    ...(env.PATH ?? '').split(':').map((d) => join(d, 'cfn-lint')),
  ];
  const cfnLint = candidates.find((c) => c && existsSync(c));
  if (!cfnLint) {
    figure(
      'cfn-lint.cpu-ratio',
      'cfn-lint CPU / CLI CPU, same templates',
      'not measured: cfn-lint not installed',
      '',
      ['>=', 50],
    );
    return;
  }
  if (!hasTime) throw new Error('/usr/bin/time is needed to measure CPU time');
  const templates = reported
    .filter((f) => f.kind === 'cloudformation')
    .map((f) => f.path)
    .sort();
  const n = Math.min(settings.cfnSample, templates.length);
  // Every (templates / n)-th template in path order: the same sample every run.
  const sample = [...Array(n).keys()].map((i) => templates[Math.floor((i * templates.length) / n)]);
  const cfn = measured(cfnLint, ['--', ...sample], { timeout: 1_800_000 });
  const cfnOne = measured(cfnLint, ['--', sample[0]]);
  const ours = [];
  const oursOne = [];
  for (let r = 0; r < 3; r++) {
    ours.push(measured(process.execPath, cli(sample)).cpu);
    oursOne.push(measured(process.execPath, cli([sample[0]])).cpu);
  }
  const cliCpu = median(ours);
  const cliOne = median(oursOne);
  const version = spawnSync(cfnLint, ['--version'], { encoding: 'utf8' }).stdout.trim();
  figure(
    'cfn-lint.cpu',
    `cfn-lint CPU (user+sys), ${n} of ${templates.length} templates`,
    cfn.cpu,
    'ms',
    undefined,
    version,
  );
  figure('cfn-lint.cli-cpu', `CLI CPU (user+sys), same ${n} templates (median of 3)`, cliCpu, 'ms');
  figure(
    'cfn-lint.cpu-ratio',
    'cfn-lint CPU / CLI CPU, same templates',
    cfn.cpu / cliCpu,
    '×',
    ['>=', 50],
    `a sample: every ${(templates.length / n).toFixed(1)}th template in path order; both tools one process each, start-up included`,
  );
  const marginal = (cfn.cpu - cfnOne.cpu) / Math.max(1, cliCpu - cliOne);
  figure(
    'cfn-lint.cpu-ratio-per-template',
    'cfn-lint / CLI CPU per template (start-up of each taken off)',
    marginal,
    '×',
    undefined,
    `start-up (1 template): cfn-lint ${fmt(cfnOne.cpu, 'ms')}, CLI ${fmt(cliOne, 'ms')}`,
  );
}

/** Peak RSS of the CLI on copies of the corpus: hard links (a symbolic link's target is read once). */
async function copies() {
  const dir = join(tmp, 'copies');
  let copied = 0;
  const mirror = (from, to) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const a = join(from, entry.name);
      const b = join(to, entry.name);
      if (entry.isDirectory()) mirror(a, b);
      else if (entry.isFile()) {
        try {
          linkSync(a, b);
        } catch {
          copyFileSync(a, b);
          copied++;
        }
      }
    }
  };
  for (let c = 1; c <= settings.copies; c++) mirror(corpus, join(dir, `copy-${String(c).padStart(2, '0')}`));
  try {
    const run = measured(process.execPath, cli([dir]));
    if (run.status !== 0) throw new Error(`the CLI failed on the copies: ${run.stderr}`);
    figure(
      'cli.peak-rss-copies',
      `CLI peak RSS on ${settings.copies} copies of the corpus`,
      run.rssMb ?? 'not measured: no /usr/bin/time',
      'MB',
      settings.copies >= 16 ? ['<=', 250] : undefined,
      `${(reported.length * settings.copies).toLocaleString('en')} files (hard links${copied ? `, ${copied} copied` : ''}), ` +
        `${fmt(run.wall / 1000, 's')} wall` +
        (settings.copies < 16 ? '; the target is for 16 copies (BENCH_COPIES=16)' : ''),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sweep() {
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench/sweep.ts'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...env, BENCH_SWEEP_RUNS: env.BENCH_SWEEP_RUNS ?? (quick ? '1' : '3') },
    },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  const { sweep: results } = JSON.parse(run.stdout.trim().split('\n').at(-1));
  for (const [kind, r] of Object.entries(results))
    figure(
      `sweep.${kind}.exponent`,
      `size sweep, ${kind}: growth exponent (${r.lines[0]}–${r.lines.at(-1)} lines, in-process)`,
      r.exponent,
      '',
      ['<=', 1.2],
      `${r.ms.join(' / ')} ms`,
    );
}

// ---- the run --------------------------------------------------------------------------------

const loadBefore = os.loadavg();
if (existsSync(corpus)) await section('setup', setup);
if (ready) {
  await section('latency', latency);
  await section('scan', scanWhileTyping);
  await section('startup', startup);
  await section('memory', memory);
  await section('corpus', corpusRuns);
  await section('cfn-lint', cfnLint);
  await section('copies', copies);
} else {
  figure('corpus', 'corpus, latency, memory figures', 'not measured: no corpus, or its setup failed', '');
}
await section('sweep', sweep);
rmSync(tmp, { recursive: true, force: true });

const machine = {
  cores,
  cpu: os.cpus()[0]?.model,
  node: process.version,
  loadAverageBefore: loadBefore.map(round),
  loadAverageAfter: os.loadavg().map(round),
  usrBinTime: hasTime,
};
const width = Math.max(...figures.map((f) => f.label.length));
const lines = [
  '',
  `Cloud Lessons bench — ${cores} cores (os.availableParallelism()), ${machine.cpu}, node ${process.version}` +
    `${quick ? ', BENCH_QUICK' : ''}; load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ` +
    `${machine.loadAverageAfter.map((l) => l.toFixed(1)).join(' ')} after`,
  `runs ${settings.runs} (corpus), ${settings.latencyRuns} × ${settings.edits} edits (latency); ` +
    `${((performance.now() - benchStarted) / 1000).toFixed(0)} s in all`,
  '',
  `${'figure'.padEnd(width)}  ${'value'.padStart(12)}  ${'target'.padEnd(9)}  met`,
  `${'-'.repeat(width)}  ${'-'.repeat(12)}  ${'-'.repeat(9)}  ---`,
];
for (const f of figures) {
  const target = f.target ? `${f.target.op === '<=' ? '≤' : '≥'} ${fmt(f.target.value, f.unit).trim()}` : '';
  const met = f.met === null ? (f.target ? 'n/a' : '') : f.met ? 'yes' : 'NO';
  lines.push(`${f.label.padEnd(width)}  ${fmt(f.value, f.unit).padStart(12)}  ${target.padEnd(9)}  ${met}`);
  if (f.note) lines.push(`${''.padEnd(width)}    ${f.note}`);
}
if (details.latencyFiles) {
  lines.push('', 'Latency files (kind from the classifier / from the CLI; findings the CLI reports):');
  for (const f of details.latencyFiles)
    lines.push(`  ${f.id}: ${f.lines} lines, ${f.kind} / ${f.cliKind}, ${f.findings} findings — ${f.origin}`);
}
const missed = figures.filter((f) => f.met === false);
const unmeasured = figures.filter((f) => f.target && f.met === null);
lines.push('');
lines.push(
  missed.length === 0
    ? 'Every measured target met.'
    : `TARGETS MISSED (${missed.length}): ${missed.map((f) => f.id).join(', ')}`,
);
if (unmeasured.length)
  lines.push(`Not measured: ${unmeasured.map((f) => `${f.id} (${f.value})`).join(', ')}`);
if (errors.length) lines.push(`Sections that failed: ${errors.map((e) => e.section).join(', ')}`);
console.log(lines.join('\n'));

const json = JSON.stringify({ machine, settings, figures, missed: missed.map((f) => f.id), details, errors });
if (env.BENCH_OUT) writeFileSync(env.BENCH_OUT, json + '\n');
console.log(`BENCH_JSON ${json}`);
process.exit(0);
