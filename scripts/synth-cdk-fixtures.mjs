#!/usr/bin/env node
// Regenerates the committed cloud assemblies (cdk.out/) of the CDK apps in test/fixtures/cdk.
//
//   node scripts/synth-cdk-fixtures.mjs [--install] [app…]
//
// aws-cdk-lib, constructs and tsx are declared in test/fixtures/cdk/synth/package.json (with its
// lock file) and installed from it into a folder under the system's temporary folder (with
// --install, or when missing), never into the repository, whose test walkers read every file
// under test/fixtures: the project itself never depends on them, and the analyser never runs an app. Each app is copied to a fixed folder under the system's
// temporary folder and synthesized there, as `cdk synth` would (CDK_OUTDIR, and the context the
// CLI passes), so that the paths CDK records belong to another folder than the fixture's: the
// mapping has to resolve them by their suffix.
//
// The Python app is synthesized from its TypeScript twin (synth/twins/python-shop.ts, the same
// stack, construct ids and props): the Python CDK library is on PyPI, which cannot be reached
// here, and both languages drive the same aws-cdk-lib through jsii, so the assembly is the one
// `cdk synth` writes for the Python app, apart from the creation stacks, which are not recorded.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repo, 'test', 'fixtures', 'cdk');
const synth = join(fixtures, 'synth');
const work = join(tmpdir(), 'cloud-lessons-cdk-synth');
const deps = join(work, 'deps');
const modules = join(deps, 'node_modules');

/**
 * The apps: where their sources are, what runs, and whether creation stacks are recorded
 * (`cdk synth --debug`, or CDK_DEBUG=true). `sources` apps share another app's source files,
 * copied into their own folder so that each fixture is a whole app.
 */
const apps = [
  { name: 'typescript', entry: 'bin/shop.ts', traces: false },
  { name: 'typescript-traced', sources: 'typescript', entry: 'bin/shop.ts', traces: true },
  { name: 'python', twin: 'twins/python-shop.ts', traces: false },
];

const args = process.argv.slice(2);
const install = args.includes('--install');
const only = args.filter((a) => !a.startsWith('--'));

if (install || !existsSync(join(modules, 'aws-cdk-lib'))) {
  mkdirSync(deps, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(synth, file), join(deps, file));
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: deps, stdio: 'inherit' });
}

for (const app of apps) {
  if (only.length > 0 && !only.includes(app.name)) continue;
  const fixture = join(fixtures, app.name);
  if (app.sources) {
    const from = join(fixtures, app.sources);
    for (const part of ['cdk.json', 'bin', 'lib']) {
      rmSync(join(fixture, part), { recursive: true, force: true });
      cpSync(join(from, part), join(fixture, part), { recursive: true });
    }
  }
  const folder = join(work, app.name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  let entry = app.entry;
  if (app.twin) {
    cpSync(join(synth, app.twin), join(folder, 'app.ts'));
    entry = 'app.ts';
  } else {
    cpSync(fixture, folder, { recursive: true, filter: (path) => !path.includes('cdk.out') });
  }
  symlinkSync(modules, join(folder, 'node_modules'), 'dir');
  const out = join(folder, 'cdk.out');
  const env = {
    ...process.env,
    CDK_OUTDIR: out,
    // What the CLI passes unless asked for stack traces.
    CDK_CONTEXT_JSON: JSON.stringify(app.traces ? {} : { 'aws:cdk:disable-creation-stack-traces': true }),
  };
  delete env.CDK_DEBUG;
  if (app.traces) env.CDK_DEBUG = 'true';
  process.stdout.write(`synthesizing ${app.name}…\n`);
  execFileSync(process.execPath, [join(modules, 'tsx', 'dist', 'cli.mjs'), entry], {
    cwd: folder,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  rmSync(join(fixture, 'cdk.out'), { recursive: true, force: true });
  cpSync(out, join(fixture, 'cdk.out'), { recursive: true });
}
