import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * dist/cli.js and dist/server.js start their bundle through V8's code cache
 * (server/src/boot/code-cache.ts): the cache is written once, read afterwards, replaced when it
 * is damaged, and never changes what the program does.
 */
const dist = join(__dirname, '..', '..', 'dist');

function copyOfCli(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cloud-lessons-boot-'));
  for (const file of ['cli.js', 'cli-bundle.js']) copyFileSync(join(dist, file), join(folder, file));
  return folder;
}

function version(folder: string, env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, [join(folder, 'cli.js'), '--version'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const caches = (folder: string) =>
  existsSync(join(folder, '.cache')) ? readdirSync(join(folder, '.cache')) : [];

describe('starting from the code cache', function () {
  this.timeout(60_000);

  it('writes the cache on the first run, reads it on the next, and prints the same', () => {
    const folder = copyOfCli();
    const plain = version(folder, { CLOUD_LESSONS_CODE_CACHE: '0' });
    assert.equal(plain.status, 0);
    assert.deepEqual(caches(folder), [], 'CLOUD_LESSONS_CODE_CACHE=0 writes nothing');
    const first = version(folder);
    assert.deepEqual(first, plain);
    const written = caches(folder);
    assert.equal(written.length, 1);
    assert.match(written[0], /^cli-bundle\.js-v\d+\.\d+\.\d+-\w+-\d+-\d+\.bin$/);
    const bytes = readFileSync(join(folder, '.cache', written[0]));
    assert.ok(bytes.length > 1000);
    assert.deepEqual(version(folder), plain);
    assert.deepEqual(readFileSync(join(folder, '.cache', written[0])), bytes, 'a cache V8 takes is kept');
  });

  it('replaces a damaged cache and still runs', () => {
    const folder = copyOfCli();
    version(folder);
    const [name] = caches(folder);
    writeFileSync(join(folder, '.cache', name), 'not a code cache');
    const run = version(folder);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    assert.ok(readFileSync(join(folder, '.cache', name)).length > 1000, 'written again');
  });
});
