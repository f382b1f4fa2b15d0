import * as path from 'node:path';
import {
  commands,
  StatusBarAlignment,
  window,
  workspace,
  type ExtensionContext,
  type StatusBarItem,
} from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerCommands, scanWorkspace } from './commands';

/**
 * The VS Code side only starts the language server, relays settings, runs the commands and shows
 * the lesson report the server renders. Every analysis, hover and fix is computed by the server.
 */
let client: LanguageClient | undefined;
let status: StatusBarItem | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const output = window.createOutputChannel('Cloud Lessons');
  const clientOptions: LanguageClientOptions = {
    // Templates, Dockerfiles, compose files and code by language; every other file on disk for the secret scanner.
    documentSelector: [
      { scheme: 'file' },
      ...[
        'yaml',
        'json',
        'dockerfile',
        'dockercompose',
        'javascript',
        'typescript',
        'javascriptreact',
        'typescriptreact',
        'python',
      ].map((language) => ({ scheme: 'untitled', language })),
    ],
    // Configuration files; cdk.json and the cloud assemblies `cdk synth` writes, for the CDK findings.
    synchronize: {
      fileEvents: [
        workspace.createFileSystemWatcher('**/.cloud-lessons.{yaml,yml}'),
        workspace.createFileSystemWatcher('**/cdk.json'),
        workspace.createFileSystemWatcher('**/cdk.out/**/*.json'),
      ],
    },
    // The extension contributes the snippets itself; other editors get them from the server.
    // In an untrusted workspace the server ignores the workspace's .cloud-lessons.yaml.
    // Hovers may link to Explain Rule: the only command their Markdown is trusted to run.
    initializationOptions: () => ({ snippets: 'client', trusted: workspace.isTrusted, commandLinks: true }),
    markdown: { isTrusted: { enabledCommands: ['cloudLessons.explainRule'] } },
    outputChannel: output,
  };

  client = new LanguageClient('cloudLessons', 'Cloud Lessons', serverOptions, clientOptions);

  status = window.createStatusBarItem(StatusBarAlignment.Right, 100);
  status.name = 'Cloud Lessons';
  status.command = 'cloudLessons.showOutput';
  showState('starting');
  status.show();
  client.onDidChangeState((event) => {
    showState(
      event.newState === State.Running
        ? 'running'
        : event.newState === State.Starting
          ? 'starting'
          : 'stopped',
    );
  });

  context.subscriptions.push(
    output,
    status,
    commands.registerCommand('cloudLessons.showOutput', () => output.show(true)),
    commands.registerCommand('cloudLessons.restartServer', async () => {
      await client?.restart();
    }),
    // Once the user trusts the workspace, its configuration counts: start again with it.
    workspace.onDidGrantWorkspaceTrust(() => void client?.restart()),
    ...registerCommands(() => client),
  );

  try {
    await client.start();
  } catch (error) {
    showState('stopped');
    output.appendLine(`The Cloud Lessons server did not start: ${(error as Error).message}`);
    return;
  }
  if (workspace.getConfiguration('cloudLessons').get<boolean>('scanOnStartup') && workspace.workspaceFolders)
    void scanWorkspace(client);
}

function showState(state: 'starting' | 'running' | 'stopped'): void {
  if (!status) return;
  const look = {
    starting: ['$(sync~spin) Cloud Lessons', 'Cloud Lessons: the language server is starting'],
    running: [
      '$(cloud) Cloud Lessons',
      'Cloud Lessons: checking templates, Dockerfiles, compose files and code as you type',
    ],
    stopped: ['$(error) Cloud Lessons', 'Cloud Lessons: the language server stopped; click for its output'],
  }[state];
  status.text = look[0];
  status.tooltip = look[1];
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
