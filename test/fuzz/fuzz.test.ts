import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { TestClient } from '../lsp/client';
import { mutate, random, shapes } from './shapes';

/**
 * The fuzzer of the test suite: the adversarial shapes and every regression file through the
 * engine, a seeded mutational run over the examples and fixtures, the CLI in every format on a
 * folder of hostile files, and the language server, which must answer the next request.
 * `npm run fuzz` runs the mutational part for longer and keeps what it finds.
 */

const repo = join(__dirname, '..', '..');
// Super-linear cost shows as tens of seconds on these shapes; the bound leaves room for a loaded
// 2-core CI machine running other tests (the largest shape takes about 2 s alone).
const boundMs = Number(process.env.CLOUD_LESSONS_FUZZ_BOUND_MS ?? 5000);
const seconds = Number(process.env.CLOUD_LESSONS_FUZZ_SECONDS ?? 40);
const seed = Number(process.env.CLOUD_LESSONS_FUZZ_SEED ?? 20261202);
const regressions = join(__dirname, 'regressions');

function engine(logged: string[]) {
  return new Analyzer({ rules: allRules, workspace: inMemoryWorkspace(), log: (m) => logged.push(m) });
}

/** Analyse and compute every fix: what an editor does with a document. Returns the time taken. */
async function exercise(analyzer: Analyzer, path: string, text: string): Promise<number> {
  const started = Date.now();
  const document = await analyzer.parse({ path, text });
  try {
    const result = await analyzer.run(document);
    for (const finding of result.findings) finding.fix?.();
    return Date.now() - started;
  } finally {
    document.dispose();
  }
}

function seedFiles(): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (statSync(path).size < 200_000)
        found.push({ path: `/seed/${basename(dirname(path))}/${entry}`, text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(repo, 'examples'));
  walk(join(repo, 'test', 'fixtures'));
  return found;
}

describe('fuzzing', function () {
  this.timeout(600_000);

  it(`every adversarial shape is analysed within ${boundMs} ms or reports a clear limit`, async () => {
    const logged: string[] = [];
    const analyzer = engine(logged);
    const slow: string[] = [];
    for (const shape of shapes()) {
      const ms = await exercise(analyzer, shape.path, shape.text);
      if (ms > boundMs) slow.push(`${shape.name}: ${ms} ms`);
    }
    assert.deepEqual(slow, []);
    assert.deepEqual(logged, [], 'no rule or fix failed');
  });

  it('every regression file found by the fuzzer is analysed without a failure', async () => {
    const logged: string[] = [];
    const analyzer = engine(logged);
    for (const name of existsSync(regressions) ? readdirSync(regressions) : []) {
      // The file's name says where it pretends to live: `template.yaml--<hash>`.
      const path = `/regression/${name.split('--')[0]}`;
      const ms = await exercise(analyzer, path, readFileSync(join(regressions, name), 'utf8'));
      assert.ok(ms <= boundMs, `${name}: ${ms} ms`);
    }
    assert.deepEqual(logged, []);
  });

  it(`mutated examples and fixtures never crash a rule or a fix (${seconds} s, seed ${seed})`, async () => {
    const logged: string[] = [];
    const analyzer = engine(logged);
    const next = random(seed);
    const seeds = seedFiles();
    const until = Date.now() + seconds * 1000;
    let runs = 0;
    const found: string[] = [];
    while (Date.now() < until) {
      const original = seeds[Math.floor(next() * seeds.length)];
      const text = mutate(original.text, next);
      const before = logged.length;
      const ms = await exercise(analyzer, original.path, text);
      runs++;
      if (logged.length > before || ms > boundMs) {
        found.push(
          `${original.path} (run ${runs}, ${ms} ms): ${logged.slice(before).join(' | ').slice(0, 500)}`,
        );
        if (process.env.CLOUD_LESSONS_FUZZ_KEEP) {
          mkdirSync(regressions, { recursive: true });
          const hash = Buffer.from(text).toString('base64url').slice(-12);
          writeFileSync(join(regressions, `${basename(original.path)}--${hash}`), text);
        }
      }
    }
    assert.ok(runs > 50, `${runs} runs`);
    assert.deepEqual(found, []);
  });

  describe('through the CLI and the language server', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-fuzz-'));
      for (const shape of shapes(0.5)) {
        const path = join(dir, shape.path.replace(/^\/fuzz\//, ''));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, shape.text);
      }
      mkdirSync(join(dir, 'links'));
      symlinkSync(dir, join(dir, 'links', 'loop'));
      symlinkSync('/dev/zero', join(dir, 'links', 'zero.yaml'));
      execFileSync('mkfifo', [join(dir, 'links', 'pipe.yaml')]);
    });

    for (const format of ['text', 'json', 'sarif', 'markdown', 'html']) {
      it(`the CLI reports the hostile folder in ${format} without a crash or a hang`, () => {
        const result = spawnSync(
          process.execPath,
          [join(repo, 'dist', 'cli.js'), '--format', format, '--no-config', '.'],
          {
            cwd: dir,
            encoding: 'utf8',
            timeout: 120_000,
            maxBuffer: 200_000_000,
          },
        );
        assert.equal(result.signal, null, 'finished');
        assert.ok(
          result.status === 0 || result.status === 1,
          `exit ${result.status}: ${result.stderr.slice(0, 2000)}`,
        );
        assert.doesNotMatch(result.stderr, /internal error|at .+:\d+:\d+\)/, 'no stack trace');
        if (format === 'json') {
          const report = JSON.parse(result.stdout) as { errors: { path: string; message: string }[] };
          const errors = Object.fromEntries(report.errors.map((e) => [e.path, e.message]));
          assert.match(errors['large/template.yaml'] ?? '', /too large/);
        }
        if (format === 'sarif') JSON.parse(result.stdout);
      });
    }

    it('the language server answers every document and the next request', async () => {
      const client = new TestClient();
      try {
        await client.initialize({}, { workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'fuzz' }] });
        for (const shape of shapes(0.5)) {
          const uri = pathToFileURL(join(dir, shape.path.replace(/^\/fuzz\//, ''))).href;
          client.open(uri, 'plaintext', shape.text);
          await client.diagnostics(uri, () => true, 30_000);
          const hover = client.request('textDocument/hover', {
            textDocument: { uri },
            position: { line: 1, character: 3 },
          });
          await hover;
        }
        const rules = await client.request<unknown[]>('cloudLessons/listRules', {});
        assert.ok(rules.length > 0, 'still answering');
      } finally {
        await client.stop();
      }
    });
  });
});
