// A language server over stdio, spoken to as an editor does: Content-Length framing, requests
// the server sends answered (configuration with the defaults, progress tokens accepted), and
// publishDiagnostics waited for by document and version.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const timeoutMs = 60_000;

/** `command` and `args` start the server; `folders` are the workspace folders (paths). */
export function startServer(command, args, { folders = [], cwd } = {}) {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  let exited;
  const exitWaiters = [];
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    for (const w of exitWaiters.splice(0)) w();
    for (const { reject } of pending.values())
      reject(new Error(`server exited (${code ?? signal}): ${stderr.slice(-2000)}`));
    pending.clear();
    for (const w of diagnosticWaiters.splice(0)) w.fail(new Error(`server exited (${code ?? signal})`));
  });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map();
  let diagnosticWaiters = [];
  /** The last diagnostics published per URI, and the number of publications. */
  const published = new Map();
  let publications = 0;

  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  const answer = (message) => {
    let result = null;
    if (message.method === 'workspace/configuration') result = (message.params?.items ?? []).map(() => null);
    if (message.method === 'workspace/workspaceFolders')
      result = folders.map((f) => ({ uri: pathToFileURL(f).href, name: basename(f) }));
    send({ id: message.id, result });
  };
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const sep = buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const length = Number(/Content-Length:\s*(\d+)/i.exec(buffer.subarray(0, sep).toString('ascii'))?.[1]);
      if (!Number.isFinite(length)) throw new Error('bad frame from the server');
      if (buffer.length < sep + 4 + length) return;
      const message = JSON.parse(buffer.subarray(sep + 4, sep + 4 + length).toString('utf8'));
      buffer = buffer.subarray(sep + 4 + length);
      const at = performance.now();
      if (message.id !== undefined && message.method === undefined) {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else if (message.id !== undefined) {
        answer(message);
      } else if (message.method === 'textDocument/publishDiagnostics') {
        publications++;
        published.set(message.params.uri, message.params);
        const waiting = diagnosticWaiters;
        diagnosticWaiters = [];
        for (const w of waiting) if (!w.test(message.params, at)) diagnosticWaiters.push(w);
      }
    }
  });

  const request = (method, params, ms = timeoutMs) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`server exited: ${stderr.slice(-2000)}`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`no answer to ${method} within ${ms / 1000} s`));
      }, ms);
      pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      send({ id, method, params });
    });
  const notify = (method, params) => send({ method, params });

  /**
   * Resolves with the time the diagnostics of `uri` arrive: those of `version` (or any later one),
   * or, with version undefined, the next publication for the URI.
   */
  const diagnostics = (uri, version) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        diagnosticWaiters = diagnosticWaiters.filter((w) => w !== waiter);
        reject(new Error(`no diagnostics for ${uri} (version ${version}) within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const waiter = {
        test: (params, at) => {
          if (params.uri !== uri) return false;
          if (version !== undefined && params.version !== undefined && params.version < version) return false;
          clearTimeout(timer);
          resolve(at);
          return true;
        },
        fail: (error) => (clearTimeout(timer), reject(error)),
      };
      diagnosticWaiters.push(waiter);
    });

  const status = (field) => {
    try {
      const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  };

  /** The editor's handshake: initialize (timed from the spawn), then initialized. */
  const initialize = async () => {
    const workspaceFolders = folders.map((f) => ({ uri: pathToFileURL(f).href, name: basename(f) }));
    const result = await request('initialize', {
      processId: process.pid,
      rootUri: workspaceFolders[0]?.uri ?? null,
      workspaceFolders: workspaceFolders.length ? workspaceFolders : null,
      capabilities: {
        textDocument: {
          synchronization: { didSave: true, dynamicRegistration: false },
          publishDiagnostics: {
            versionSupport: true,
            relatedInformation: true,
            codeDescriptionSupport: true,
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
        workspace: { configuration: true, workspaceFolders: true },
      },
    });
    const initializedAfter = performance.now() - spawnedAt;
    notify('initialized', {});
    return { result, initializedAfter };
  };

  const stop = async () => {
    if (exited) return;
    const gone = new Promise((resolve) => exitWaiters.push(resolve));
    try {
      await Promise.race([request('shutdown', null), new Promise((r) => setTimeout(r, 5000))]);
      notify('exit', null);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };

  return {
    child,
    spawnedAt,
    request,
    notify,
    diagnostics,
    initialize,
    stop,
    rssMb: () => status('VmRSS'),
    peakRssMb: () => status('VmHWM'),
    published,
    get publications() {
      return publications;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** The edits of one typing run: a new comment line near the middle, then one character at a time. */
export function* typingEdits(edit, count) {
  const { line, indent, prefix, typed } = edit;
  yield { range: point(line, 0, line, 0), text: `${indent}${prefix}\n` };
  let column = indent.length + prefix.length;
  for (let i = 0; i < count - 1; i++, column++) {
    yield { range: point(line, column, line, column), text: typed[i % typed.length] };
  }
}

const point = (l1, c1, l2, c2) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

export function quantile(values, q) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);
