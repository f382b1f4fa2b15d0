import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { codeActions } from '../../server/src/features/actions';
import { hover } from '../../server/src/features/hover';
import { testSession, uriOf } from '../features/harness';
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
/** The whole test's limit, for a loaded 2-core machine; a step may take most of it. */
const testTimeout = 480000;
const stepTimeout = 180000;

interface BusySpot {
  name: string;
  path: string;
  line: number;
  character: number;
  /** The rule titles of the hover's blocks, most severe first. */
  titles: string[];
  firstTitle: string;
  /** The first quick fix the server offers there, and whether it is the preferred one. */
  firstAction: string;
  firstPreferred: boolean;
  /** Measured: the hover's height, and the part the server wrote. */
  height?: number;
  ours?: number;
}

/**
 * What the server answers at the busiest spots of examples/ (line 1 of the shop's Dockerfile,
 * the logical id OrdersDb), computed in-process from the same sources: the UI test checks that
 * VS Code shows it that way.
 */
async function expectedAt(examples: string): Promise<BusySpot[]> {
  const spots = [
    { name: 'dockerfile', path: 'shop-api/Dockerfile', languageId: 'dockerfile', line: 0, needle: 'node' },
    { name: 'orders-db', path: 'infra/template.yaml', languageId: 'yaml', line: 29, needle: 'OrdersDb' },
  ];
  const { session, documents } = testSession([examples]);
  session.client.commandLinks = true;
  const result: BusySpot[] = [];
  for (const spot of spots) {
    const uri = uriOf(examples, spot.path);
    const text = readFileSync(join(examples, spot.path), 'utf8');
    const document = documents.set(uri, text, spot.languageId);
    const character = text.split('\n')[spot.line].indexOf(spot.needle) + 1;
    const position = { line: spot.line, character };
    const shown = await hover(session, { textDocument: { uri }, position });
    const titles = [
      ...((shown?.contents as { value: string }).value.matchAll(/^(?:- )?\*\*([^*\n]+)\*\* · [a-z]/gm) ?? []),
    ].map((m) => m[1]);
    const analysis = await session.analysisOf(document);
    const offset = document.offsetAt(position);
    const diagnostics = analysis!.result.findings
      .filter((f) => f.span.start <= offset && offset <= f.span.end)
      .map((f) => ({ range: f.range, code: f.ruleId, source: 'cloud-lessons', message: f.message }));
    const actions = await codeActions(session, {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics },
    });
    assert.ok(titles.length >= 2 && actions.length > 0, `${spot.path} is a busy spot`);
    result.push({
      name: spot.name,
      path: spot.path,
      line: spot.line,
      character,
      titles,
      firstTitle: titles[0],
      firstAction: actions[0].title,
      firstPreferred: actions[0].isPreferred === true,
    });
  }
  return result;
}
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
  let shown: Page | undefined;

  before(function () {
    if (missing) skipWithoutEditor(this, missing);
    scratch = mkdtempSync(join(tmpdir(), 'cloud-lessons-ui-'));
    mkdirSync(screenshots, { recursive: true });
  });

  // A failed run leaves the screen it stopped on.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && shown) await shoot(shown, 'failure').catch(() => {});
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('packages a .vsix under 10 MB that installs into code-server and shows findings there', async function () {
    this.timeout(testTimeout);
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
    const expected = await expectedAt(examples);
    server = await startCodeServer({ extensionsDir: extensions, userDataDir: join(scratch, 'user-data') });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    shown = page;
    // Every step waits for a state of the workbench, never for a fixed time; the one limit is
    // the test's own, generous for a loaded machine.
    page.setDefaultTimeout(stepTimeout);
    await page.goto(workbenchUrl(server, examples));
    await page.locator('.monaco-workbench').waitFor();
    // The status bar's cloud icon: the extension is active and its language server running.
    await page.locator('.statusbar-item', { hasText: 'Cloud Lessons' }).locator('.codicon-cloud').waitFor();

    const quickOpen = page.locator('.quick-input-widget input');
    /**
     * Do something from the keyboard until the workbench shows its result. A key can arrive while
     * the workbench is still busy with the previous one (Quick Open refreshing its list, a chord
     * half read) and then do nothing: after a while without the result, do it again. Only the
     * step's deadline fails the test.
     */
    const until = async (what: string, result: Locator, act: () => Promise<void>) => {
      const deadline = Date.now() + stepTimeout;
      for (let attempt = 1; !(await result.isVisible()); attempt++) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${stepTimeout / 1000} s`);
        if (attempt > 1) console.log(`    (${what}: attempt ${attempt})`);
        await act();
        await result.waitFor({ timeout: 15000 }).catch(() => undefined);
      }
      return result;
    };
    // Escape until the widget has gone.
    const dismiss = async (widget: Locator) => {
      const deadline = Date.now() + stepTimeout;
      while (await widget.isVisible()) {
        if (Date.now() > deadline) throw new Error('a widget did not close');
        await page.keyboard.press('Escape');
        await widget.waitFor({ state: 'hidden', timeout: 15000 }).catch(() => undefined);
      }
    };
    // A file already open is one click on its tab away; another one comes from Quick Open.
    const openFile = async (path: string) => {
      const name = path.split('/').pop() as string;
      const tab = page.locator('.tab', { hasText: name });
      await until(`tab of ${path}`, page.locator('.tab.active', { hasText: name }), async () => {
        if (await tab.isVisible()) return tab.click();
        await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
        await page.keyboard.press('Control+P');
        await quickOpen.waitFor();
        await quickOpen.fill(path);
        // Enter opens the focused row: wait until it is the file asked for.
        await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor();
        await page.keyboard.press('Enter');
      });
      // Its diagnostics have arrived once it shows a squiggle.
      await page
        .locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning')
        .first()
        .waitFor();
    };
    // Go to a line and column from the keyboard, until the status bar shows the cursor there.
    const goTo = (line: number, column: number) =>
      until(
        `cursor at ${line}:${column}`,
        page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }),
        async () => {
          await page.keyboard.press('Control+G');
          await quickOpen.waitFor();
          await quickOpen.fill(`:${line}:${column}`);
          await page.keyboard.press('Enter');
        },
      );
    // The hover at the cursor, from the keyboard (a mouse hover depends on where sticky scroll
    // and overlays happen to be), once it shows `text`.
    const hoverShowing = (text: string) =>
      until(`hover showing "${text}"`, page.locator('.monaco-hover', { hasText: text }).first(), async () => {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
      });

    // The template, with Quick Open, as a person would: squiggles, then the public database's hover.
    await openFile('infra/template.yaml');
    const lines = readFileSync(join(examples, 'infra', 'template.yaml'), 'utf8').split('\n');
    const line = lines.findIndex((l) => /PubliclyAccessible: true/.test(l));
    assert.ok(line >= 0, 'the example template has a public database');
    await goTo(line + 1, lines[line].indexOf('true') + 2);
    await shoot(page, '1-squiggles');
    const hover = await hoverShowing('Database or broker reachable from the internet');
    const hoverText = (await hover.innerText()).replace(/\u00a0/g, ' ');
    assert.match(hoverText, /Keep databases private and ports closed\./);
    assert.match(hoverText, /Explain Rule/);
    await shoot(page, '2-hover');
    await dismiss(hover);

    // The busiest spots of examples/: the hover starts with the most severe finding and fits the
    // window, and Ctrl+. preselects the fix the server puts first (the preferred safe fix).
    for (const [index, spot] of expected.entries()) {
      await openFile(spot.path);
      await goTo(spot.line + 1, spot.character + 1);
      const busy = await hoverShowing(spot.firstTitle);
      const bold = await busy.locator('strong').allInnerTexts();
      const firstTitle = bold.find((b) => spot.titles.includes(b));
      assert.equal(firstTitle, spot.firstTitle, `${spot.path}: the most severe finding first`);
      // Heights of the hover's rows: VS Code's list of the diagnostics, then the server's part.
      const rows = await busy
        .locator('.hover-row')
        .evaluateAll((els) =>
          els.map((el) => ({ status: el.classList.contains('status-bar'), height: el.scrollHeight })),
        );
      const ours = rows.filter((r) => !r.status).at(-1)?.height ?? 0;
      const height = rows.reduce((sum, r) => sum + r.height, 0);
      Object.assign(spot, { ours, height });
      console.log(
        `    ${spot.path} line ${spot.line + 1}: hover ${height} px (Cloud Lessons' part ${ours} px; window 900 px)`,
      );
      await shoot(page, `${5 + index * 2}-busiest-hover-${spot.name}`);
      // The box shows a quarter of the window: a second picture shows the server's part of it.
      await busy
        .locator('.hover-row:not(.status-bar)')
        .last()
        .evaluate((row) => row.scrollIntoView());
      await shoot(page, `${5 + index * 2}-busiest-hover-${spot.name}-findings`);
      await dismiss(busy);

      const focused = await until(
        'Quick Fix menu',
        page.locator('.action-widget .monaco-list-row.focused'),
        () => page.keyboard.press('Control+.'),
      );
      assert.equal((await focused.innerText()).trim(), spot.firstAction, `${spot.path}: Ctrl+. preselects`);
      await shoot(page, `${6 + index * 2}-busiest-quick-fix-${spot.name}`);
      await dismiss(page.locator('.action-widget'));
    }
    const ordersDb = expected.find((e) => e.path === 'infra/template.yaml')!;
    assert.ok(ordersDb.firstPreferred, 'on OrdersDb the first quick fix is the preferred safe fix');
    assert.ok(ordersDb.ours! <= 450, `Cloud Lessons' part of the OrdersDb hover: ${ordersDb.ours} px`);
    assert.ok(ordersDb.height! <= 900, `the OrdersDb hover fits the window: ${ordersDb.height} px`);

    // The Problems panel lists the findings with their rule ids.
    await until('Problems panel', page.locator('.markers-panel'), () =>
      page.keyboard.press('Control+Shift+M'),
    );
    const problem = page
      .locator('.markers-panel .monaco-list-row', { hasText: 'private-network/public-database' })
      .first();
    await problem.waitFor();
    await shoot(page, '3-problems');

    // The lesson report, from the command palette.
    await until(
      'the lesson report',
      page.locator('.tab', { hasText: 'Cloud Lessons: Lesson Report' }),
      async () => {
        await page.keyboard.press('F1');
        await quickOpen.waitFor();
        await quickOpen.fill('>Cloud Lessons: Show Lesson Report');
        await page
          .locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Show Lesson Report' })
          .waitFor();
        await page.keyboard.press('Enter');
      },
    );
    // The page lives in nested iframes: find its heading there.
    const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await report.locator('h1', { hasText: 'Cloud Lessons report: examples' }).waitFor();
    await shoot(page, '4-lesson-report');
  });
});
