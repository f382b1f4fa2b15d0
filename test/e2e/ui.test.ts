import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { skipWithoutEditor } from './fixtures';
import {
  findCodeServer,
  launchChromium,
  missingEditorTools,
  repoRoot,
  startCodeServer,
  workbenchUrl,
  type CodeServer,
} from './code-server';

/**
 * The packaged extension as a person meets it: `npm run package`'s .vsix installed into
 * code-server, the examples opened in headless Chromium, squiggles, a hover and the Problems
 * panel, each saved as a screenshot in test-output/ui/. It relies on VS Code's CSS class names,
 * so it stays small: the extension-host suite carries the detailed assertions.
 */
const screenshots = join(repoRoot, 'test-output', 'ui');
const maxVsixBytes = 10 * 1024 * 1024;

function packageExtension(out: string): string {
  const vsix = join(out, 'cloud-lessons.vsix');
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix],
    { cwd: repoRoot, encoding: 'utf8', timeout: 120000 },
  );
  assert.equal(packaged.status, 0, `vsce package failed:\n${packaged.stdout}\n${packaged.stderr}`);
  return vsix;
}

function listVsix(vsix: string): string[] {
  const listed = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  if (listed.status !== 0) {
    // No unzip here: read the zip's central directory names with Python's zipfile instead.
    const python = spawnSync(
      'python3',
      ['-c', 'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix],
      {
        encoding: 'utf8',
      },
    );
    return python.stdout.trim().split('\n');
  }
  return listed.stdout.trim().split('\n');
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

describe('VS Code UI with the packaged extension', function () {
  const missing = missingEditorTools();
  let scratch: string;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;

  before(function () {
    if (missing) skipWithoutEditor(this, missing);
    scratch = mkdtempSync(join(tmpdir(), 'cloud-lessons-ui-'));
    mkdirSync(screenshots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('packages a .vsix under 10 MB that installs into code-server and shows findings there', async function () {
    this.timeout(240000);
    const vsix = packageExtension(scratch);
    const size = statSync(vsix).size;
    assert.ok(size < maxVsixBytes, `the .vsix is ${(size / 1e6).toFixed(1)} MB`);
    const contents = listVsix(vsix);
    for (const needed of [
      'extension/dist/extension.js',
      'extension/dist/server.js',
      'extension/dist/tree-sitter-python.wasm',
      'extension/media/icon.png',
      'extension/dist/cloud-lessons.schema.json',
      'extension/syntaxes/cloud-lessons-directives.tmLanguage.json',
      'extension/CHANGELOG.md',
    ])
      assert.ok(
        contents.some((p) => p.toLowerCase() === needed.toLowerCase()),
        `${needed} is packaged`,
      );
    assert.ok(
      !contents.some((p) => /^extension\/(server|client|test)\/|\.map$|\.ts$/.test(p)),
      'no sources or maps',
    );
    console.log(`    .vsix: ${(size / 1e6).toFixed(2)} MB, ${contents.length} files`);

    const extensions = join(scratch, 'extensions');
    const installed = spawnSync(
      findCodeServer() as string,
      [
        '--extensions-dir',
        extensions,
        '--user-data-dir',
        join(scratch, 'user-data'),
        '--install-extension',
        vsix,
      ],
      {
        encoding: 'utf8',
        timeout: 60000,
        env: {
          ...process.env,
          XDG_CONFIG_HOME: join(scratch, 'config'),
          XDG_DATA_HOME: join(scratch, 'data'),
        },
      },
    );
    assert.equal(installed.status, 0, installed.stderr);
    assert.match(installed.stdout, /Extension 'cloud-lessons\.vsix' was successfully installed/);

    const examples = join(scratch, 'examples');
    cpSync(join(repoRoot, 'examples'), examples, { recursive: true });
    server = await startCodeServer({ extensionsDir: extensions, userDataDir: join(scratch, 'user-data') });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, examples));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.statusbar-item', { hasText: 'Cloud Lessons' }).first().waitFor({ timeout: 60000 });

    // Open the template with Quick Open, as a person would.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor();
    await quickOpen.fill('infra/template.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'template.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30000 });

    // Go to the public database setting and ask for the hover there, from the keyboard (a mouse
    // hover depends on where sticky scroll and overlays happen to be).
    const lines = readFileSync(join(examples, 'infra', 'template.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => /PubliclyAccessible: true/.test(l));
    assert.ok(line >= 0, 'the example template has a public database');
    const column = lines[line].indexOf('true') + 2;
    await page.keyboard.press('Control+G');
    await quickOpen.waitFor();
    await quickOpen.fill(`:${line + 1}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await shoot(page, '1-squiggles');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover', { hasText: 'What it flags' }).first();
    await hover.waitFor({ timeout: 20000 });
    assert.match((await hover.innerText()).replace(/\u00a0/g, ' '), /Why: keep databases private/);
    await shoot(page, '2-hover');
    await page.keyboard.press('Escape');

    // The Problems panel lists the findings with their rule ids.
    await page.keyboard.press('Control+Shift+M');
    const problem = page
      .locator('.markers-panel .monaco-list-row', { hasText: 'private-network/public-database' })
      .first();
    await problem.waitFor({ timeout: 20000 });
    await shoot(page, '3-problems');

    // The lesson report, from the command palette.
    await page.keyboard.press('F1');
    await quickOpen.waitFor();
    await quickOpen.fill('>Cloud Lessons: Show Lesson Report');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Show Lesson Report' })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Cloud Lessons: Lesson Report' }).waitFor({ timeout: 30000 });
    // The page lives in nested iframes: find its heading there.
    const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await report.locator('h1', { hasText: 'Cloud Lessons report: examples' }).waitFor({ timeout: 30000 });
    await shoot(page, '4-lesson-report');
  });
});
