import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type * as Sarif from 'sarif';
import { version } from '../../server/src/version';
import { assertValidSarif } from '../report/sarif-schema';

/**
 * The package as a team adopts it: packed with `npm pack`, installed from the tarball with no
 * network, run as `cloud-lessons` by the Action's own step and by the pre-commit hook, on a git
 * repository that takes it in one commit.
 */
const root = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'cloud-lessons-adopt-'));
const prefix = join(work, 'prefix');
const bin = join(prefix, 'node_modules', '.bin');

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );

interface ActionStep {
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: ActionStep[] };
};

/** The workflow docs/ci.md tells teams to copy. */
function documentedWorkflow(): { jobs: Record<string, { steps: ActionStep[] }> } {
  const docs = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## GitHub Actions'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'docs/ci.md has the workflow');
  return parse(block[1]);
}

/** Run the Action's check step as the runner would: its script, its inputs as environment. */
function runActionCheck(cwd: string, inputs: Record<string, string>) {
  const step = action.runs.steps.find((s) => s.id === 'check')!;
  const output = join(mkdtempSync(join(work, 'out-')), 'github-output');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PATH: `${bin}:${process.env.PATH}`,
    GITHUB_OUTPUT: output,
  };
  for (const [name, input] of Object.entries(action.inputs))
    env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = inputs[name] ?? input.default;
  const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd, env, encoding: 'utf8', timeout: 60000 });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=') as [string, string]),
  );
  return { status: result.status, stderr: result.stderr, outputs };
}

describe('adoption: npm pack, the Action and pre-commit', function () {
  this.timeout(180000);
  let tarball: string;

  before(function () {
    assert.ok(existsSync(join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run npm run build first');
    // The build is current (npm test builds first): pack it as it is.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
      cwd: root,
      stdio: 'pipe',
    });
    tarball = join(
      work,
      readdirSync(work).find((f) => f.endsWith('.tgz'))!,
    );
    mkdirSync(prefix);
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball],
      { stdio: 'pipe', env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' } },
    );
  });

  it('packs small, installs offline, and runs as cloud-lessons with every kind of file', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const needed of [
      'package/dist/cli.js',
      'package/dist/tree-sitter-python.wasm',
      'package/dist/web-tree-sitter.wasm',
    ])
      assert.ok(listed.includes(needed), `${needed} is packed`);
    assert.ok(
      !listed.some((p) => /^package\/(server|client|test|examples|scripts)\/|\.map$|\.ts$/.test(p)),
      listed.join('\n'),
    );
    assert.ok(
      statSync(tarball).size < 3 * 1024 * 1024,
      `the tarball is ${(statSync(tarball).size / 1e6).toFixed(1)} MB`,
    );
    const cli = join(bin, 'cloud-lessons');
    assert.equal(execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(), version);
    const dir = mkdtempSync(join(work, 'kinds-'));
    writeFileSync(
      join(dir, 'app.py'),
      'import requests\n\n\ndef load():\n    return requests.get("https://a.example")\n',
    );
    writeFileSync(
      join(dir, 'server.ts'),
      "import axios from 'axios';\nexport const get = () => axios.get('/a');\n",
    );
    const r = spawnSync(cli, ['--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const rules = JSON.parse(r.stdout).files.flatMap((f: { findings: { ruleId: string }[] }) =>
      f.findings.map((x) => x.ruleId),
    );
    assert.equal(rules.filter((id: string) => id === 'embrace-failure/no-timeout').length, 2);
  });

  it('an existing repository adopts it in one commit, and the next change adding a public database fails on its line', () => {
    const repo = mkdtempSync(join(work, 'repo-'));
    const files: Record<string, string> = {
      'infra/template.yaml': `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders service
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Uploads:
    Type: AWS::S3::Bucket
`,
      'app/Dockerfile': 'FROM node:22\nCOPY . /app\nRUN npm install\nCMD node /app/server.js\n',
      'app/server.js':
        "const axios = require('axios');\nexports.handler = async () => axios.get('https://api.example.com/orders');\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'An existing service');

    // The adoption commit: the baseline, the workflow of docs/ci.md, the pre-commit hook.
    const workflow = documentedWorkflow();
    const step = Object.values(workflow.jobs)[0].steps.find((s) => s.uses?.includes('cloud-lessons'))!;
    const baselineFile = step.with!.baseline;
    const first = spawnSync(join(bin, 'cloud-lessons'), [], { cwd: repo, encoding: 'utf8' });
    assert.equal(first.status, 1, 'the repository has findings before it adopts the tool');
    const written = spawnSync(join(bin, 'cloud-lessons'), ['--baseline', baselineFile, '--update-baseline'], {
      cwd: repo,
      encoding: 'utf8',
    });
    assert.equal(written.status, 0, written.stderr);
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
    const docs = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
    writeFileSync(
      join(repo, '.github', 'workflows', 'cloud-lessons.yml'),
      /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf('## GitHub Actions')))![1],
    );
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      /```yaml\n# \.pre-commit-config\.yaml\n([\s\S]*?)```/.exec(docs)![1],
    );
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'Adopt Cloud Lessons');

    // CI on the adoption commit is green, and the SARIF it uploads is valid.
    const green = runActionCheck(repo, step.with!);
    assert.equal(green.status, 0, green.stderr);
    assert.equal(green.outputs['exit-code'], '0', green.stderr);
    assert.equal(
      assertValidSarif(readFileSync(join(repo, action.inputs['sarif-file'].default), 'utf8')).runs[0].results!
        .length,
      0,
    );

    // The next change: a public database, with lines inserted above the existing findings.
    git(repo, 'checkout', '-q', '-b', 'add-reporting-db');
    const template = readFileSync(join(repo, 'infra/template.yaml'), 'utf8').replace(
      'Resources:\n',
      `Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  ReportingDb:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      PubliclyAccessible: true
`,
    );
    writeFileSync(join(repo, 'infra/template.yaml'), template);
    const line = template.split('\n').indexOf('      PubliclyAccessible: true') + 1;
    git(repo, 'add', '.');

    // pre-commit runs the hook's entry on the staged files.
    const hook = (
      parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as {
        id: string;
        entry: string;
        language: string;
        args?: string[];
      }[]
    )[0];
    assert.equal(hook.language, 'node');
    const config = parse(readFileSync(join(repo, '.pre-commit-config.yaml'), 'utf8')) as {
      repos: { hooks: { id: string; args: string[] }[] }[];
    };
    const staged = git(repo, 'diff', '--cached', '--name-only').trim().split('\n');
    const precommit = spawnSync(join(bin, hook.entry), [...config.repos[0].hooks[0].args, ...staged], {
      cwd: repo,
      encoding: 'utf8',
    });
    assert.equal(precommit.status, 1, precommit.stdout);
    assert.match(
      precommit.stdout,
      new RegExp(`^infra/template\\.yaml:${line}:27 error private-network/public-database `, 'm'),
    );

    git(repo, 'commit', '-q', '-m', 'A reporting database');
    const red = runActionCheck(repo, step.with!);
    assert.equal(red.status, 0, 'the check step itself passes, so that the SARIF is uploaded');
    assert.equal(red.outputs['exit-code'], '1');
    const log: Sarif.Log = assertValidSarif(readFileSync(join(repo, 'cloud-lessons.sarif'), 'utf8'));
    const results = log.runs[0].results!;
    const db = results.filter((r) => r.ruleId === 'private-network/public-database');
    assert.equal(db.length, 1, JSON.stringify(results.map((r) => r.ruleId)));
    const location = db[0].locations![0].physicalLocation!;
    assert.equal(location.artifactLocation!.uri, 'infra/template.yaml');
    assert.equal(location.region!.startLine, line);
    assert.equal(location.region!.startColumn, 27);
    // Only the new resource's findings are new: the baselined ones above it stayed baselined.
    assert.ok(
      results.every((r) => !!r.message.text?.includes('ReportingDb')),
      JSON.stringify(results.map((r) => r.message.text)),
    );
    // The step that follows the upload fails the job on exit code 1.
    const fail = action.runs.steps.find((s) => s.run?.includes('exit 1'))!;
    assert.equal((fail as { if?: string }).if, "steps.check.outputs.exit-code == '1'");
  });
});
