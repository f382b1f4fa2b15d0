import type { Node } from '../../engine/parse/syntax-tree';
import { describeScope, requestHandlers } from '../../engine/code/handlers';
import { ensurePythonImport } from '../../engine/code/env';
import { bindingsOf, calleeQualifiedName, importedCalls } from '../../engine/code/imports';
import { enclosingFunction, isAsyncFunction, nodesOfType, spanOfNode } from '../../engine/code/syntax';
import { defineRule, type Fix } from '../../engine/rule';

const fsModules = /^((node:)?fs|fs-extra|graceful-fs)$/;
/** Blocking calls with a promise twin under the same module (`fs.promises.x` or `bcrypt.x`). */
const fsTwins = new Set([
  'readFile',
  'writeFile',
  'appendFile',
  'readdir',
  'stat',
  'lstat',
  'mkdir',
  'unlink',
  'rm',
  'rmdir',
  'copyFile',
  'rename',
  'realpath',
  'access',
  'chmod',
  'chown',
  'mkdtemp',
  'readlink',
  'symlink',
  'truncate',
  'utimes',
  'cp',
  'opendir',
]);

export default defineRule({
  id: 'async-event-driven/sync-io-in-handler',
  lesson: 'async-event-driven',
  title: 'Blocking call inside a request handler',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    blocking:
      "`{{call}}` blocks Node's only thread inside {{scope}}: no other request of this process moves until it returns. Use {{instead}}.",
    sleepInCoroutine:
      '`{{call}}` blocks the event loop inside the coroutine `{{function}}`: no other request or task of this process moves while it sleeps. Use `await asyncio.sleep(…)`.',
  },
  docs: {
    what:
      'Synchronous file system calls (`fs.readFileSync`, `fs.writeFileSync`, `fs.readdirSync`, … and their fs-extra twins), synchronous compression (`zlib.gzipSync`, …), synchronous key derivation (`crypto.pbkdf2Sync`, `crypto.scryptSync`) and `bcrypt.hashSync`/`compareSync` inside Express, Fastify, Koa, NestJS, Next.js or Node http request handlers and the same-file functions they call. ' +
      'Lambda handlers serve one event at a time per environment and are not flagged. ' +
      'In Python, `time.sleep()` inside an `async def` (a FastAPI, aiohttp, Quart or Sanic handler, or any coroutine) blocks the event loop the same way.',
    why:
      'Node.js answers every request of the process on one thread. A synchronous call stops that thread until the disk, the compressor or the key derivation is done: for those milliseconds no other request moves, and under load the waits add up until health checks fail and the load balancer takes the instance out. ' +
      'The asynchronous twin does the same work off the main thread, so the instance keeps serving while it waits.',
    example: {
      language: 'javascript',
      code: `app.get('/invoice/:id', (req, res) => {
  const template = fs.readFileSync('templates/invoice.html', 'utf8');
  res.send(render(template, req.params.id));
});`,
    },
    useInstead: {
      language: 'javascript',
      code: `app.get('/invoice/:id', async (req, res) => {
  const template = await fs.promises.readFile('templates/invoice.html', 'utf8');
  res.send(render(template, req.params.id));
});`,
    },
    fix: 'Awaits the promise twin instead (`await fs.promises.readFile(…)`, `await bcrypt.hash(…)`, `await asyncio.sleep(…)` with `import asyncio`), only where the function around the call is already `async` and the call is made on the module itself; elsewhere there is no fix.',
    references: [
      {
        title: "Node.js: don't block the event loop",
        url: 'https://nodejs.org/en/learn/asynchronous-work/dont-block-the-event-loop',
      },
      { title: 'Node.js: fs promises API', url: 'https://nodejs.org/api/fs.html#promises-api' },
    ],
  },
  checks: {
    py({ model, document, report }) {
      // Any coroutine runs on the event loop, handler or not: time.sleep stops all of them.
      for (const { call, name } of importedCalls(model)) {
        if (name !== 'time.sleep') continue;
        const fn = enclosingFunction(call);
        if (!fn || fn.type !== 'function_definition' || !isAsyncFunction(fn)) continue;
        const callee = call.childForFieldName('function')!;
        report({
          at: spanOfNode(callee),
          messageId: 'sleepInCoroutine',
          data: { call: callee.text, function: fn.childForFieldName('name')?.text ?? 'coroutine' },
          fix: () => {
            const args = call.childForFieldName('arguments')!;
            const parent = call.parent;
            const alone = parent?.type === 'expression_statement' || parent?.type === 'assignment';
            const text = `await asyncio.sleep${args.text}`;
            return {
              title: 'Await asyncio.sleep',
              edits: [
                { start: call.startIndex, end: call.endIndex, text: alone ? text : `(${text})` },
                ...ensurePythonImport(model, document.lines, 'asyncio'),
              ],
            };
          },
        });
      }
    },
    js({ model, document, workspace, report }) {
      const index = requestHandlers(model, document.path, workspace);
      if (!index.handlers.some((h) => h.role === 'request' && h.framework !== 'lambda')) return;
      const bindings = bindingsOf(model);
      for (const call of nodesOfType(model, 'call_expression')) {
        if (!call) continue;
        const scope = index.at(call);
        if (!scope || scope.handler.role !== 'request' || scope.handler.framework === 'lambda') continue;
        const qualified = calleeQualifiedName(call, bindings);
        const blocking = qualified && blockingCall(qualified);
        if (!blocking) continue;
        const callee = call.childForFieldName('function')!;
        report({
          at: spanOfNode(callee),
          messageId: 'blocking',
          data: { call: callee.text, scope: describeScope(scope), instead: blocking.instead },
          fix: blocking.twin ? () => awaitTwinFix(call, callee, blocking.twin!) : undefined,
        });
      }
    },
  },
});

/** What a blocking call is, and its promise twin's member name when the fix can use it. */
function blockingCall(qualified: string): { instead: string; twin?: (module: string) => string } | undefined {
  const dot = qualified.lastIndexOf('.');
  const module = qualified.slice(0, dot);
  const fn = qualified.slice(dot + 1);
  if (!fn.endsWith('Sync')) return undefined;
  const base = fn.slice(0, -4);
  if (fsModules.test(module)) {
    const twin = fsTwins.has(base) ? base : undefined;
    return {
      instead: twin ? `the promise twin (fs.promises.${twin})` : 'the asynchronous version',
      twin: twin
        ? (object) => (module === 'fs-extra' ? `${object}.${twin}` : `${object}.promises.${twin}`)
        : undefined,
    };
  }
  if (/^(node:)?zlib$/.test(module)) return { instead: `the asynchronous zlib.${base} (promisified)` };
  if (
    /^(node:)?crypto$/.test(module) &&
    /^(pbkdf2|scrypt|generateKeyPair|generateKey|randomFill)$/.test(base)
  )
    return { instead: `the asynchronous crypto.${base} (promisified)` };
  if (/^(bcrypt|bcryptjs)$/.test(module) && /^(hash|compare|genSalt)$/.test(base))
    return { instead: `await ${module}.${base}(…)`, twin: (object) => `${object}.${base}` };
  return undefined;
}

/** `fs.readFileSync(p)` → `await fs.promises.readFile(p)`, when `await` may be written there. */
function awaitTwinFix(call: Node, callee: Node, twin: (object: string) => string): Fix | undefined {
  const fn = enclosingFunction(call);
  if (!fn || !isAsyncFunction(fn)) return undefined;
  const object = callee.type === 'member_expression' ? callee.childForFieldName('object') : undefined;
  // Only `fs.readFileSync(…)` on the module itself: a named import has no twin in scope.
  if (!object || object.type !== 'identifier') return undefined;
  const args = call.childForFieldName('arguments')!;
  // `statSync(p, { throwIfNoEntry: false })` answers undefined where the promise twin rejects.
  if (/\bthrowIfNoEntry\b/.test(args.text)) return undefined;
  const parent = call.parent;
  const needsParentheses =
    ((parent?.type === 'member_expression' || parent?.type === 'subscript_expression') &&
      parent.childForFieldName('object')?.id === call.id) ||
    (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === call.id) ||
    parent?.type === 'binary_expression' ||
    parent?.type === 'unary_expression';
  const text = `await ${twin(object.text)}${args.text}`;
  return {
    title: `Await ${twin(object.text)}`,
    edits: [{ start: call.startIndex, end: call.endIndex, text: needsParentheses ? `(${text})` : text }],
  };
}
