/**
 * What code-server-shim.sh runs: the command line of a VS Code executable as @vscode/test-electron
 * calls it (`[folder] --extensionDevelopmentPath=… --extensionTestsPath=… --user-data-dir=…`),
 * carried out in code-server. The workbench runs the mocha suite in its extension host and hands
 * the exit code back through `codeAutomationExit`; this process exits with it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { launchChromium, startCodeServer, workbenchUrl } from './code-server';

interface Arguments {
  folder?: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  workspaceTrust: boolean;
}

function parse(argv: string[]): Arguments {
  const parsed: Arguments = { workspaceTrust: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s, 2) : [undefined, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case undefined:
        parsed.folder = resolve(arg);
        break;
      case 'extensionDevelopmentPath':
        parsed.extensionDevelopmentPath = resolve(value());
        break;
      case 'extensionTestsPath':
        parsed.extensionTestsPath = resolve(value());
        break;
      case 'user-data-dir':
        parsed.userDataDir = resolve(value());
        break;
      case 'extensions-dir':
        parsed.extensionsDir = resolve(value());
        break;
      case 'enable-workspace-trust':
        parsed.workspaceTrust = true;
        break;
      default:
        // Electron and desktop switches (--no-sandbox, --skip-welcome, …) mean nothing here.
        break;
    }
  }
  return parsed;
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (!args.extensionDevelopmentPath || !args.extensionTestsPath || !args.folder) {
    process.stderr.write(
      'usage: run-in-code-server FOLDER --extensionDevelopmentPath=P --extensionTestsPath=P\n',
    );
    return 2;
  }
  const timeout = Number(process.env.CLOUD_LESSONS_E2E_TIMEOUT_MS ?? 240000);
  // The extension host inherits code-server's environment: the suite writes its report here.
  const logDir = mkdtempSync(join(tmpdir(), 'cloud-lessons-e2e-log-'));
  process.env.CLOUD_LESSONS_E2E_LOG = join(logDir, 'mocha.log');
  const server = await startCodeServer({
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    workspaceTrust: args.workspaceTrust,
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const exit = new Promise<number>((resolveExit) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // The workbench logs a great deal (including failed look-ups of the offline marketplace).
      if (process.env.CLOUD_LESSONS_E2E_VERBOSE) process.stderr.write(`[${type}] ${format(...args)}\n`);
    });
    await page.goto(
      workbenchUrl(server, args.folder, {
        extensionDevelopmentPath: args.extensionDevelopmentPath,
        extensionTestsPath: args.extensionTestsPath,
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exit,
      new Promise<number>((resolveTimeout) => {
        timer = setTimeout(() => {
          process.stderr.write(`The extension tests did not finish within ${timeout} ms.\n`);
          resolveTimeout(3);
        }, timeout);
      }),
    ]);
    clearTimeout(timer);
    return code;
  } finally {
    try {
      process.stdout.write(readFileSync(process.env.CLOUD_LESSONS_E2E_LOG, 'utf8'));
    } catch {
      process.stdout.write('(the suite wrote no report: did the extension host start?)\n');
    }
    rmSync(logDir, { recursive: true, force: true });
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
