import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/**
 * Nothing outside the opened folder is read: the CLI and the language server run under strace
 * on a workspace whose files point outside it in every way a rule could follow (a parent
 * package.json, sibling sources, `-r ../…` requirements, `COPY ../…`, a symlinked manifest).
 * Skipped where strace is missing (CI installs it).
 */

const repo = join(__dirname, '..', '..');
const hasStrace = spawnSync('strace', ['-V']).status === 0;

function parentWithWorkspace(): { parent: string; workspace: string } {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-outside-')));
  const files: Record<string, string> = {
    'package.json': '{"dependencies":{"prom-client":"15"}}',
    'requirements-shared.txt': 'prometheus-client\n',
    'secret.env': 'TOKEN=outside\n',
    'sibling/other.js': 'module.exports = 1;\n',
    'ws/api/package.json': '{"dependencies":{"express":"4"}}',
    'ws/api/server.js':
      "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n",
    'ws/api/Dockerfile': 'FROM node:22-slim\nCOPY ../../secret.env .\nCOPY . .\nCMD ["node", "server.js"]\n',
    'ws/py/requirements.txt': '-r ../../requirements-shared.txt\nflask\n',
    'ws/py/app.py':
      "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(parent, dirname(path)), { recursive: true });
    writeFileSync(join(parent, path), text);
  }
  symlinkSync(join(parent, 'package.json'), join(parent, 'ws', 'py', 'package.json'));
  return { parent, workspace: join(parent, 'ws') };
}

/** Paths under `parent` but outside `workspace` that the traced process opened or looked at. */
function outsideAccesses(log: string, parent: string, workspace: string): string[] {
  const seen = new Set<string>();
  for (const line of log.split('\n')) {
    const call =
      /^(?:\d+ +)?(open|openat|openat2|stat|lstat|newfstatat|statx|access|faccessat2?|readlink)\((?:AT_FDCWD, |\d+, )?"([^"]+)"/.exec(
        line,
      );
    if (!call) continue;
    const path = call[2];
    if (!path.startsWith(parent + sep)) continue;
    if (path === workspace || path.startsWith(workspace + sep)) continue;
    // Looking for `.git` above the folder is how a repository's top is found, as git does: a probe, no read.
    if (path.endsWith(`${sep}.git`) && workspace.startsWith(dirname(path) + sep)) continue;
    seen.add(`${call[1]} ${path.slice(parent.length + 1)}`);
  }
  return [...seen].sort();
}

describe('reading only inside the opened folder', function () {
  this.timeout(60_000);
  before(function () {
    if (!hasStrace) {
      console.log('    skipped: strace is not installed');
      this.skip();
    }
  });

  it('the CLI reads nothing outside the folder it checks', () => {
    const { parent, workspace } = parentWithWorkspace();
    const log = join(parent, 'strace.log');
    const result = spawnSync(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=%file',
        '-o',
        log,
        process.execPath,
        join(repo, 'dist', 'cli.js'),
        '--format',
        'json',
        '.',
      ],
      { cwd: workspace, encoding: 'utf8' },
    );
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      files: { path: string }[];
      errors: { path: string; message: string }[];
    };
    assert.ok(
      report.files.some((f) => f.path === 'api/server.js'),
      'the workspace was analysed',
    );
    assert.deepEqual(outsideAccesses(readFileSync(log, 'utf8'), parent, workspace), []);
  });

  it('the language server reads nothing outside its workspace folder', async () => {
    const { parent, workspace } = parentWithWorkspace();
    const log = join(parent, 'strace.log');
    const child = spawn(
      'strace',
      [
        '-f',
        '-qq',
        '-e',
        'trace=%file',
        '-o',
        log,
        process.execPath,
        join(repo, 'dist', 'server.js'),
        '--stdio',
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const published = new Map<string, unknown[]>();
    const waiters: (() => void)[] = [];
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; diagnostics: unknown[] }) => {
        published.set(p.uri, p.diagnostics);
        for (const w of waiters.splice(0)) w();
      },
    );
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    try {
      await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
        capabilities: { workspace: { configuration: true } },
      });
      void connection.sendNotification('initialized', {});
      for (const path of ['api/server.js', 'api/Dockerfile', 'py/app.py', 'py/requirements.txt']) {
        const uri = pathToFileURL(join(workspace, path)).href;
        void connection.sendNotification('textDocument/didOpen', {
          textDocument: {
            uri,
            languageId: path.endsWith('.js') ? 'javascript' : path.endsWith('.py') ? 'python' : 'plaintext',
            version: 1,
            text: readFileSync(join(workspace, path), 'utf8'),
          },
        });
        while (!published.has(uri)) await new Promise<void>((resolve) => waiters.push(resolve));
      }
      await connection.sendRequest('cloudLessons/scanWorkspace', {
        folders: [pathToFileURL(workspace).href],
      });
    } finally {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 1000))]).catch(
        () => {},
      );
      void connection.sendNotification('exit');
      connection.dispose();
      await new Promise((resolve) => {
        child.on('exit', resolve);
        setTimeout(() => child.kill(), 2000);
      });
    }
    assert.deepEqual(outsideAccesses(readFileSync(log, 'utf8'), parent, workspace), []);
  });
});
