import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { missingEditorTools, repoRoot } from './code-server';
import { editorWorkspace, skipWithoutEditor } from './fixtures';

/**
 * Runs the mocha suite in test/e2e/suite inside a real VS Code extension host, through
 * @vscode/test-electron's runTests(). Here the "VS Code executable" is code-server-shim.sh,
 * which carries the same command line out in code-server 4.100.3 and headless Chromium; on a
 * machine with a desktop VS Code, point CLOUD_LESSONS_VSCODE at it to run the same suite there.
 */
const suiteOut = join(repoRoot, 'test-output', 'e2e-suite');

async function buildSuite(): Promise<string> {
  rmSync(suiteOut, { recursive: true, force: true });
  const suiteDir = join(repoRoot, 'test', 'e2e', 'suite');
  const entries = readdirSync(suiteDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.suite.ts'))
    .map((f) => join(suiteDir, f));
  await build({
    entryPoints: entries,
    outdir: suiteOut,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // The extension host provides vscode; mocha is loaded from the repository's node_modules.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(suiteOut, 'index.js');
}

function writeWorkspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-e2e-workspace-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('VS Code end to end (extension host)', function () {
  const missing = process.env.CLOUD_LESSONS_VSCODE ? undefined : missingEditorTools();
  before(function () {
    if (missing) skipWithoutEditor(this, missing);
  });

  async function runSuite(
    files: Record<string, string>,
    suite: 'editor' | 'untrusted' | 'startup',
  ): Promise<string> {
    const extensionTestsPath = await buildSuite();
    const workspace = writeWorkspace(files);
    const profile = mkdtempSync(join(tmpdir(), 'cloud-lessons-e2e-profile-'));
    const output: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // runTests() relays the editor's output to stdout: keep it, and show it only on failure.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number | undefined;
    let failure: unknown;
    try {
      code = await runTests({
        vscodeExecutablePath: process.env.CLOUD_LESSONS_VSCODE ?? join(__dirname, 'code-server-shim.sh'),
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath,
        extensionTestsEnv: { CLOUD_LESSONS_E2E_SUITE: suite },
        launchArgs: [
          workspace,
          `--user-data-dir=${join(profile, 'user-data')}`,
          `--extensions-dir=${join(profile, 'extensions')}`,
          // Understood by the code-server launcher; a desktop VS Code asks for trust by itself.
          ...(suite === 'untrusted' ? ['--enable-workspace-trust'] : []),
        ],
      });
    } catch (error) {
      failure = error;
    } finally {
      process.stdout.write = write;
      rmSync(workspace, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
    const report = output.join('');
    if (failure || code !== 0) {
      process.stdout.write(report);
      assert.fail(`the extension-host suite failed: ${failure ?? `exit code ${code}`}`);
    }
    const passing = /(\d+) passing/.exec(report)?.[1];
    assert.ok(Number(passing) > 0, `the suite ran tests:\n${report}`);
    return passing as string;
  }

  it('passes the extension-host suite in a real VS Code', async function () {
    this.timeout(300000);
    const started = Date.now();
    const passing = await runSuite(editorWorkspace, 'editor');
    console.log(
      `    ${passing} extension-host tests passed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  it('checks files in an untrusted workspace without reading its configuration', async function () {
    if (process.env.CLOUD_LESSONS_VSCODE) this.skip(); // trust is set by the launcher here
    this.timeout(300000);
    const untrusted = {
      ...editorWorkspace,
      '.cloud-lessons.yaml': 'rules:\n  private-network/public-database: off\n',
    };
    await runSuite(untrusted, 'untrusted');
  });

  it('scans the workspace on start-up when the setting asks for it', async function () {
    this.timeout(300000);
    const startup = {
      ...editorWorkspace,
      '.vscode/settings.json': JSON.stringify({ 'cloudLessons.scanOnStartup': true }, null, 2),
    };
    await runSuite(startup, 'startup');
  });
});
