import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

const root = join(__dirname, '..', '..');

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: number;
    code: string;
    source: string;
    message: string;
    codeDescription?: { href: string };
  }[];
}

/** A real LSP client over stdio, as an editor would run `node dist/server.js --stdio`. */
export class TestClient {
  private readonly child: ChildProcess;
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  private waiters: (() => void)[] = [];
  settings: unknown = null;
  stderr = '';
  private pulled: () => void = () => {};
  /** Resolves once the server has asked for the settings (after `initialized`). */
  readonly settingsPulled = new Promise<void>((resolve) => (this.pulled = resolve));
  /** What the server showed with window/showMessage. */
  readonly messages: string[] = [];

  constructor() {
    const server = join(root, 'dist', 'server.js');
    if (!existsSync(server)) throw new Error('dist/server.js is missing: run npm run build first');
    this.child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
      this.published.push(params);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => {
      this.pulled();
      return params.items.map(() => this.settings);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.messages.push(params.message);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.listen();
  }

  async initialize(
    initializationOptions: unknown = {},
    workspace: { workspaceFolders?: { uri: string; name: string }[] } = {},
  ) {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspace.workspaceFolders?.[0]?.uri ?? pathToFileURL(root).href,
      workspaceFolders: workspace.workspaceFolders ?? null,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceEdit: { resourceOperations: ['create'], documentChanges: true },
        },
        textDocument: {
          hover: { contentFormat: ['markdown'] },
          publishDiagnostics: { versionSupport: true },
        },
      },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
  }

  /** The next diagnostics for `uri` that satisfy `accept`. */
  diagnostics(
    uri: string,
    accept: (p: PublishedDiagnostics) => boolean = () => true,
    timeout = 10000,
  ): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri}; stderr: ${this.stderr}`)),
        timeout,
      );
      const check = () => {
        const found = this.published.find((p) => p.uri === uri && accept(p));
        if (found) {
          clearTimeout(timer);
          this.published.splice(this.published.indexOf(found), 1);
          resolve(found);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, version: number, text: string): void {
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  save(uri: string): void {
    void this.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  /** Resolves once the server has shown a message (window/showMessage). */
  message(timeout = 10000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message; stderr: ${this.stderr}`)), timeout);
      const check = () => {
        const found = this.messages.shift();
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Every diagnostics notification still unclaimed, for asserting that none came. */
  pending(uri: string): PublishedDiagnostics[] {
    return this.published.filter((p) => p.uri === uri);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 1000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}
