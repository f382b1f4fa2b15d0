import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import { bindingsOf, calleeQualifiedName } from './imports';
import { literalNumber, moduleConstant } from './literals';
import {
  callArguments,
  keywordArgument,
  nodesOfType,
  parameterList,
  positionalArguments,
  spanOfNode,
} from './syntax';

/**
 * How long a SIGTERM handler lets the process live, where the code writes it out: a forced-exit
 * timer (`setTimeout(() => process.exit(1), 60000)`), or delays the handler waits through before
 * it goes on (`await sleep(45000)`, `time.sleep(40)`). Only statements the handler always runs
 * count (its own top level, and the body of a `try` there): a delay inside an `if` may not happen.
 */
export interface DrainBound {
  kind: 'forcedExit' | 'delay';
  /** Seconds from SIGTERM until the timer fires or the delay ends (delays before it added). */
  seconds: number;
  /** The literal delay, for the finding. */
  span: Span;
  /** The call, as written (shortened), for messages. */
  call: string;
}

/** The drain bounds of the file's SIGTERM handlers, in the order the handlers run them. */
export function drainBounds(model: CodeModel): DrainBound[] {
  const text = model.root.text;
  if (!text.includes('SIGTERM')) return [];
  const bounds: DrainBound[] = [];
  const python = model.grammar === 'python';
  for (const handler of python ? pythonHandlers(model) : javascriptHandlers(model))
    bounds.push(...(python ? pythonBounds(model, handler) : javascriptBounds(model, handler)));
  return bounds;
}

const shortened = (node: Node) => {
  const flat = node.text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
};

// JavaScript ------------------------------------------------------------------------------

const jsFunctions = ['arrow_function', 'function_expression', 'function', 'function_declaration'];

/** Functions passed to `process.on('SIGTERM', …)` (and `once`, `addListener`, `prependListener`). */
function javascriptHandlers(model: CodeModel): Node[] {
  const handlers: Node[] = [];
  for (const call of nodesOfType(model, 'call_expression')) {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'member_expression' || callee.childForFieldName('object')?.text !== 'process')
      continue;
    if (!/^(on|once|addListener|prependListener)$/.test(callee.childForFieldName('property')?.text ?? ''))
      continue;
    const [signal, listener] = callArguments(call);
    if (!signal || !/^['"`]SIGTERM['"`]$/.test(signal.text)) continue;
    const fn = javascriptFunction(model, listener, 0);
    if (fn) handlers.push(fn);
  }
  return handlers;
}

/** A function value: written in place, named at the top level, or the one a wrapper arrow calls (`() => shutdown(server)`). */
function javascriptFunction(
  model: CodeModel,
  node: Node | undefined | null,
  depth: number,
): Node | undefined {
  if (!node || depth > 2) return undefined;
  if (node.type === 'identifier')
    return javascriptFunction(model, topLevelFunction(model, node.text), depth + 1);
  if (!jsFunctions.includes(node.type)) return undefined;
  const body = node.childForFieldName('body');
  // `() => shutdown('SIGTERM')`, `() => { void shutdown(); }`: the function it calls.
  const statements =
    body?.type === 'statement_block' ? body.namedChildren.filter((c) => c?.type !== 'comment') : [];
  const only =
    body?.type === 'statement_block'
      ? statements.length === 1 && statements[0]?.type === 'expression_statement'
        ? statements[0].namedChildren[0]
        : undefined
      : body;
  const called = unwrapCall(only);
  if (called) {
    const callee = called.childForFieldName('function');
    if (callee?.type === 'identifier') {
      const inner = javascriptFunction(model, callee, depth + 1);
      if (inner) return inner;
    }
  }
  return node;
}

/** `await f()`, `void f()`, `f().catch(…)`, `f().then(…)`: the call to `f`. */
function unwrapCall(node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  for (let i = 0; current && i < 4; i++) {
    if (current.type === 'await_expression' || current.type === 'unary_expression')
      current = current.namedChildren[current.namedChildren.length - 1] ?? undefined;
    else if (current.type === 'parenthesized_expression') current = current.namedChildren[0] ?? undefined;
    else if (current.type === 'call_expression') {
      const callee = current.childForFieldName('function');
      const object = callee?.type === 'member_expression' ? callee.childForFieldName('object') : undefined;
      const method = callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : '';
      if (object?.type === 'call_expression' && /^(catch|then|finally)$/.test(method ?? '')) current = object;
      else return current;
    } else return undefined;
  }
  return undefined;
}

/** A function the file's top level names: `function name() {}` or `const name = () => {}`. */
function topLevelFunction(model: CodeModel, name: string): Node | undefined {
  for (const statement of model.root.namedChildren) {
    const declaration = statement?.type === 'export_statement' ? statement.namedChildren[0] : statement;
    if (declaration?.type === 'function_declaration' && declaration.childForFieldName('name')?.text === name)
      return declaration;
  }
  const value = moduleConstant(model, name);
  return value && jsFunctions.includes(value.type) ? value : undefined;
}

/** The statements a function always runs: its top level, and the bodies of `try` blocks there. */
function alwaysRun(body: Node | null | undefined, blockType: string): Node[] {
  const statements: Node[] = [];
  if (body?.type !== blockType) return statements;
  for (const statement of body.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'try_statement')
      statements.push(...alwaysRun(statement.childForFieldName('body'), blockType));
    else statements.push(statement);
  }
  return statements;
}

function javascriptBounds(model: CodeModel, handler: Node): DrainBound[] {
  const bounds: DrainBound[] = [];
  let elapsed = 0;
  let deadline = Infinity;
  for (const statement of alwaysRun(handler.childForFieldName('body'), 'statement_block')) {
    const expression =
      statement.type === 'expression_statement'
        ? statement.namedChildren[0]
        : statement.type === 'lexical_declaration' || statement.type === 'variable_declaration'
          ? statement.namedChildren[0]?.childForFieldName('value')
          : undefined;
    if (!expression) continue;
    const timer = forcedExitTimer(model, expression);
    if (timer) {
      const at = elapsed + timer.ms / 1000;
      if (at < deadline) {
        deadline = at;
        bounds.push({
          kind: 'forcedExit',
          seconds: at,
          span: spanOfNode(timer.delay),
          call: shortened(timer.call),
        });
      }
      continue;
    }
    if (expression.type !== 'await_expression') continue;
    const delay = awaitedDelay(model, expression.namedChildren[0]);
    if (!delay) continue;
    elapsed += delay.ms / 1000;
    if (elapsed < deadline)
      bounds.push({
        kind: 'delay',
        seconds: elapsed,
        span: spanOfNode(delay.delay),
        call: shortened(delay.call),
      });
  }
  return bounds;
}

/** `setTimeout(() => process.exit(1), 60000)`, with `.unref()` after it or not. */
function forcedExitTimer(
  model: CodeModel,
  expression: Node,
): { call: Node; delay: Node; ms: number } | undefined {
  let call: Node | undefined = expression;
  if (call.type === 'call_expression') {
    const callee = call.childForFieldName('function');
    if (callee?.type === 'member_expression' && callee.childForFieldName('property')?.text === 'unref')
      call = callee.childForFieldName('object') ?? undefined;
  }
  if (call?.type !== 'call_expression') return undefined;
  const name = call.childForFieldName('function')?.text;
  if (name !== 'setTimeout' && name !== 'global.setTimeout' && name !== 'globalThis.setTimeout')
    return undefined;
  const [callback, delay] = callArguments(call);
  if (!callback || !delay || !/\bprocess\.(exit|kill)\b/.test(callback.text)) return undefined;
  if (!jsFunctions.includes(callback.type) && callback.type !== 'member_expression') return undefined;
  const ms = literalNumber(model, delay);
  return ms !== undefined && ms > 0 ? { call, delay, ms } : undefined;
}

const delayNames = /^(sleep|delay|wait|pause|timeout|setTimeout|setTimeoutPromise)$/i;
const delayModules = /^(node:)?timers\/promises$|^(delay|sleep-promise|await-sleep|sleep-async)$/;

/** What an awaited expression waits for, when it is a literal delay: `sleep(45000)`, `new Promise((r) => setTimeout(r, 5000))`. */
function awaitedDelay(
  model: CodeModel,
  node: Node | null | undefined,
): { call: Node; delay: Node; ms: number } | undefined {
  if (!node) return undefined;
  if (node.type === 'new_expression') {
    if (node.childForFieldName('constructor')?.text !== 'Promise') return undefined;
    const [executor] = callArguments(node);
    if (!executor || !jsFunctions.includes(executor.type)) return undefined;
    const resolve = parameterList(executor)[0];
    // The executor's own setTimeout that resolves the promise.
    for (const inner of executor.descendantsOfType('call_expression')) {
      if (!inner || inner.childForFieldName('function')?.text !== 'setTimeout') continue;
      const [callback, delay] = callArguments(inner);
      if (!resolve || !callback || !delay || !callback.text.includes(resolve)) continue;
      const ms = literalNumber(model, delay);
      return ms !== undefined ? { call: node, delay, ms } : undefined;
    }
    return undefined;
  }
  if (node.type !== 'call_expression') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'identifier' || !delayNames.test(callee.text)) return undefined;
  const [delay] = callArguments(node);
  const given = literalNumber(model, delay);
  if (!delay || given === undefined) return undefined;
  const imported = calleeQualifiedName(node, bindingsOf(model));
  if (imported) {
    // `import { setTimeout as sleep } from 'node:timers/promises'`, `import delay from 'delay'`.
    const module = imported.replace(/\.(setTimeout|default)$/, '');
    return delayModules.test(module) ? { call: node, delay, ms: given } : undefined;
  }
  // A helper of the file: `const sleep = (ms) => new Promise((r) => setTimeout(r, ms))`.
  const helper = topLevelFunction(model, callee.text);
  const factor = helper ? helperFactor(helper) : undefined;
  return factor !== undefined ? { call: node, delay, ms: given * factor } : undefined;
}

/** How a delay helper turns its first parameter into milliseconds (`ms` → 1, `s * 1000` → 1000). */
function helperFactor(helper: Node): number | undefined {
  const parameter = parameterList(helper)[0];
  if (!parameter) return undefined;
  for (const inner of helper.descendantsOfType('call_expression')) {
    if (!inner || inner.childForFieldName('function')?.text !== 'setTimeout') continue;
    const delay = callArguments(inner)[1]?.text.replace(/\s+/g, '');
    if (delay === parameter) return 1;
    if (delay === `${parameter}*1000` || delay === `1000*${parameter}`) return 1000;
    return undefined;
  }
  return undefined;
}

// Python ----------------------------------------------------------------------------------

/** Functions given to `signal.signal(signal.SIGTERM, …)` or `loop.add_signal_handler(signal.SIGTERM, …)`. */
function pythonHandlers(model: CodeModel): Node[] {
  const handlers: Node[] = [];
  for (const call of nodesOfType(model, 'call')) {
    const callee = call.childForFieldName('function');
    const method =
      callee?.type === 'attribute'
        ? callee.childForFieldName('attribute')?.text
        : callee?.type === 'identifier'
          ? callee.text
          : undefined;
    if (method !== 'signal' && method !== 'add_signal_handler') continue;
    const [signal, handler] = positionalArguments(call);
    if (!signal || !/(^|\.)SIGTERM$/.test(signal.text)) continue;
    const fn = pythonFunction(model, handler, 0);
    if (fn) handlers.push(fn);
  }
  return handlers;
}

function pythonFunction(model: CodeModel, node: Node | undefined | null, depth: number): Node | undefined {
  if (!node || depth > 2) return undefined;
  if (node.type === 'identifier') {
    const named = nodesOfType(model, 'function_definition').filter(
      (f) => f.childForFieldName('name')?.text === node.text,
    );
    return named.length === 1 ? named[0] : undefined;
  }
  if (node.type === 'lambda') {
    // `lambda *_: shutdown()`, `lambda: asyncio.create_task(shutdown())`: the function it calls.
    let body = node.childForFieldName('body');
    if (
      body?.type === 'call' &&
      /(^|\.)(create_task|ensure_future)$/.test(body.childForFieldName('function')?.text ?? '')
    )
      body = positionalArguments(body)[0] ?? null;
    const callee = body?.type === 'call' ? body.childForFieldName('function') : undefined;
    return callee?.type === 'identifier' ? pythonFunction(model, callee, depth + 1) : undefined;
  }
  return undefined;
}

function pythonBounds(model: CodeModel, handler: Node): DrainBound[] {
  const bounds: DrainBound[] = [];
  let elapsed = 0;
  const bindings = bindingsOf(model);
  for (const statement of alwaysRun(handler.childForFieldName('body'), 'block')) {
    if (statement.type !== 'expression_statement') continue;
    let call = statement.namedChildren[0];
    if (call?.type === 'await') call = call.namedChildren[0];
    if (call?.type !== 'call') continue;
    const name = calleeQualifiedName(call, bindings);
    if (name !== 'time.sleep' && name !== 'asyncio.sleep') continue;
    const delay = positionalArguments(call)[0] ?? keywordArgument(call, 'secs')?.childForFieldName('value');
    const seconds = literalNumber(model, delay);
    if (!delay || seconds === undefined) continue;
    elapsed += seconds;
    bounds.push({ kind: 'delay', seconds: elapsed, span: spanOfNode(delay), call: shortened(call) });
  }
  return bounds;
}

// Servers' own drain settings -------------------------------------------------------------

/** A server's drain setting written in a command: gunicorn `--graceful-timeout 60`, uvicorn `--timeout-graceful-shutdown 60`. */
export interface ServerDrain {
  server: 'Gunicorn' | 'Uvicorn' | 'Hypercorn';
  flag: string;
  seconds: number;
  /** The number, in offsets of the text searched. */
  span: Span;
}

/** The Python servers that drain on SIGTERM, and the flag that bounds their drain. */
export const drainFlags: readonly { server: ServerDrain['server']; word: RegExp; flag: string }[] = [
  { server: 'Gunicorn', word: /\bgunicorn\b/, flag: '--graceful-timeout' },
  { server: 'Uvicorn', word: /\buvicorn\b/, flag: '--timeout-graceful-shutdown' },
  { server: 'Hypercorn', word: /\bhypercorn\b/, flag: '--graceful-timeout' },
];

/** The drain settings a command line gives the Python servers it starts (in a Dockerfile `CMD`, a compose `command`). */
export function serverDrains(command: string, offset = 0): ServerDrain[] {
  const drains: ServerDrain[] = [];
  for (const { server, word, flag } of drainFlags) {
    const start = command.search(word);
    if (start < 0) continue;
    // `--flag 60`, `--flag=60`, and in exec form `"--flag", "60"`.
    const pattern = new RegExp(`${flag}(?:=|["']?(?:,[ \\t]*|[ \\t]+)["']?)(\\d+(?:\\.\\d+)?)\\b`, 'g');
    for (const match of command.slice(start).matchAll(pattern)) {
      const at = start + match.index + match[0].length - match[1].length;
      drains.push({
        server,
        flag,
        seconds: Number(match[1]),
        span: { start: offset + at, end: offset + at + match[1].length },
      });
    }
  }
  return drains;
}
