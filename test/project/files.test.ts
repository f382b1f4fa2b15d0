import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { discoverFiles } from '../../server/src/project/files';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

function tree(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-files-')));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function discover(dir: string, options: { exclude?: string[] } = {}) {
  const errors: string[] = [];
  const files = discoverFiles(dir, {
    root: dir,
    ...options,
    onError: (path, message) => errors.push(`${relative(dir, path)}: ${message}`),
  });
  return { files: files.map((f) => relative(dir, f)), errors };
}

describe('file discovery', () => {
  it('honours every .gitignore from the root down, .git/info/exclude and glob exclusions', () => {
    const dir = tree({
      '.git/info/exclude': 'scratch.yaml\n',
      '.gitignore': 'build/\n',
      'scratch.yaml': 'a: 1\n',
      'build/template.yaml': 'a: 1\n',
      'svc/.gitignore': '*.generated.yaml\n',
      'svc/x.generated.yaml': 'a: 1\n',
      'svc/template.yaml': 'a: 1\n',
      'svc/app.log.yaml': 'a: 1\n',
      'node_modules/pkg/template.yaml': 'a: 1\n',
    });
    assert.deepEqual(discover(dir, { exclude: ['**/*.{log,tmp}.yaml'] }).files, ['svc/template.yaml']);
    // Walking a sub-folder still honours the .gitignore above it.
    const below = discoverFiles(join(dir, 'build'), { root: dir });
    assert.deepEqual(below, []);
  });

  it('follows links inside the project once, and lists what it cannot read with the reason', () => {
    const outside = tree({ 'secret.yaml': 'a: 1\n' });
    const dir = tree({ 'infra/template.yaml': 'a: 1\n', 'src/app.js': 'x;\n' });
    symlinkSync(join(dir, 'infra'), join(dir, 'infra-link'));
    symlinkSync(join(dir, 'infra', 'template.yaml'), join(dir, 'src', 'linked.yaml'));
    symlinkSync(dir, join(dir, 'src', 'loop'));
    symlinkSync(join(outside, 'secret.yaml'), join(dir, 'src', 'outside.yaml'));
    symlinkSync(join(dir, 'missing.yaml'), join(dir, 'src', 'broken.yaml'));
    symlinkSync('/dev/zero', join(dir, 'src', 'zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'src', 'pipe.yaml')]);
    const { files, errors } = discover(dir);
    assert.deepEqual(files, ['infra/template.yaml', 'src/app.js']);
    assert.deepEqual(errors, [
      'src/broken.yaml: a symbolic link to nothing: not read',
      `src/outside.yaml: a symbolic link to ${join(outside, 'secret.yaml')}, outside the project: not read`,
      'src/pipe.yaml: not a regular file (a named pipe): not read',
      'src/zero.yaml: a symbolic link to /dev/zero, outside the project: not read',
    ]);
  });

  it('reports a folder it cannot list and goes on', function () {
    if (process.getuid?.() === 0) this.skip(); // root lists every folder
    const dir = tree({ 'a/template.yaml': 'a: 1\n', 'b/template.yaml': 'a: 1\n' });
    execFileSync('chmod', ['000', join(dir, 'a')]);
    try {
      const { files, errors } = discover(dir);
      assert.deepEqual(files, ['b/template.yaml']);
      assert.match(errors[0], /^a: cannot list this folder/);
    } finally {
      execFileSync('chmod', ['755', join(dir, 'a')]);
    }
  });

  it('the CLI lists what the walk did not read among its errors, and checks the rest', () => {
    const dir = tree({ 'template.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n" });
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    const run = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as {
      files: { path: string }[];
      errors: { path: string; message: string }[];
    };
    assert.deepEqual(
      report.files.map((f) => f.path),
      ['template.yaml'],
    );
    assert.deepEqual(
      report.errors.map((e) => `${e.path}: ${e.message}`),
      [
        'pipe.yaml: not a regular file (a named pipe): not read',
        'zero.yaml: a symbolic link to /dev/zero, outside the project: not read',
      ],
    );
  });
});
