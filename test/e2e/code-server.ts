/**
 * A real VS Code for the end-to-end tests: code-server 4.100.3 (the full workbench with a Node
 * extension host) driven by Debian's Chromium through playwright-core. See
 * ../shared/design/EDITOR-E2E.md for why this and not a downloaded VS Code.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const codeServerVersion = '4.100.3';
export const repoRoot = join(__dirname, '..', '..');

/** Where scripts/install-editors.sh puts code-server (CLOUD_LESSONS_EDITORS overrides it). */
function installedCodeServer(): string {
  const editors = process.env.CLOUD_LESSONS_EDITORS ?? join(homedir(), '.cache', 'cloud-lessons-editors');
  return join(editors, `code-server-${codeServerVersion}`, 'node_modules', '.bin', 'code-server');
}

function onPath(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

export function findCodeServer(): string | undefined {
  const candidates = [process.env.CODE_SERVER, installedCodeServer(), onPath('code-server')];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', onPath('chromium')];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/** Why the VS Code tests cannot run here, or undefined when they can. */
export function missingEditorTools(): string | undefined {
  const missing = [
    findCodeServer() ? undefined : `code-server ${codeServerVersion}`,
    findChromium() ? undefined : 'Chromium (/usr/bin/chromium)',
  ].filter(Boolean);
  return missing.length > 0
    ? `${missing.join(' and ')} not installed: run scripts/install-editors.sh (as .ci/run does)`
    : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** `vscode-remote://` URI of an absolute path on this machine, as the workbench names files. */
  remote(path: string): string;
  log(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  userDataDir?: string;
  extensionsDir?: string;
  /** Keep workspace trust on (the default turns it off, as @vscode/test-electron does). */
  workspaceTrust?: boolean;
}

/**
 * Starts code-server on a free loopback port in its own process group, so that stopping it also
 * ends the extension host and the language server it started.
 */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const codeServer = findCodeServer();
  if (!codeServer) throw new Error(missingEditorTools());
  const scratch = mkdtempSync(join(tmpdir(), 'cloud-lessons-code-server-'));
  const userDataDir = options.userDataDir ?? join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(scratch, 'extensions');
  for (const dir of [userDataDir, extensionsDir, join(scratch, 'config'), join(scratch, 'data')])
    mkdirSync(dir, { recursive: true });
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    codeServer,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--config',
      config,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_DATA_HOME: join(scratch, 'data'),
      },
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited = false;
  child.on('exit', () => (exited = true));

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exited) throw new Error(`code-server exited while starting:\n${output}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child);
      throw new Error(`code-server did not answer on ${origin} within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    port,
    origin,
    remote: (path) => `vscode-remote://127.0.0.1:${port}${path}`,
    log: () => output,
    stop: async () => {
      killGroup(child);
      const gone = Date.now() + 5000;
      while (!exited && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      if (!exited) killGroup(child, 'SIGKILL');
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingEditorTools());
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The workbench URL that opens `folder` and, optionally, runs extension tests in its host. */
export function workbenchUrl(
  server: CodeServer,
  folder: string,
  tests?: { extensionDevelopmentPath: string; extensionTestsPath: string },
): string {
  const url = new URL(server.origin + '/');
  url.searchParams.set('folder', folder);
  if (tests) {
    url.searchParams.set(
      'payload',
      JSON.stringify([
        ['extensionDevelopmentPath', server.remote(tests.extensionDevelopmentPath)],
        ['extensionTestsPath', server.remote(tests.extensionTestsPath)],
      ]),
    );
  }
  return url.href;
}
