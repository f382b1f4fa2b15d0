import type { Node } from '../../engine/parse/syntax-tree';
import {
  appendArgument,
  codeChildren,
  hasSpread,
  insertObjectProperty,
  objectProperty,
} from '../../engine/code/edit';
import { bindingsOf, importedCalls, qualifiedName, type Bindings } from '../../engine/code/imports';
import { requestHandlers } from '../../engine/code/handlers';
import {
  dottedName,
  enclosingFunction,
  nodesOfType,
  stringPrefix,
  unwrapExpression,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type ReportedFinding } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

const timeoutMs = 10000;

/** axios functions and the position of their config argument. */
const axiosConfigIndex: Record<string, number> = {
  'axios.get': 1,
  'axios.delete': 1,
  'axios.head': 1,
  'axios.options': 1,
  'axios.post': 2,
  'axios.put': 2,
  'axios.patch': 2,
  'axios.postForm': 2,
  'axios.putForm': 2,
  'axios.patchForm': 2,
  'axios.request': 0,
};

const gotFunctions = new Set([
  'got',
  'got.get',
  'got.post',
  'got.put',
  'got.patch',
  'got.delete',
  'got.head',
]);

const requestsFunctions = new Set(
  ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].map((m) => `requests.${m}`),
);
const httpxFunctions = new Set(
  [
    'get',
    'post',
    'put',
    'patch',
    'delete',
    'head',
    'options',
    'request',
    'stream',
    'Client',
    'AsyncClient',
  ].map((m) => `httpx.${m}`),
);

/** Modules whose presence says the file runs on a server, where a hung call holds a request. */
const serverModules =
  /^(node:|express$|fastify$|koa$|@nestjs\/|@aws-sdk\/|aws-sdk$|http$|https$|fs$|pg$|mysql2?$|mongoose$|mongodb$|ioredis$|redis$|@hapi\/)/;

const messages = {
  gotInstance:
    "This got instance has no default timeout: every call made with it can wait for ever (got's default is no timeout).",
  axiosInstance:
    "This axios instance has no default timeout: every call made with it can wait for ever (axios's default is no timeout).",
  axiosCall:
    "{{call}}() has no timeout: if the server stops answering, this call waits for ever (axios's default is no timeout).",
  gotCall: '{{call}}() has no timeout: got waits for ever by default.',
  fetchCall:
    'fetch() has no timeout: without an abort signal it can wait for minutes on a server that stopped answering.',
  requestsCall:
    '{{call}}() has no timeout: requests waits for ever by default when the server stops answering.',
  urlopenCall:
    'urlopen() has no timeout: it waits as long as the socket default, which is for ever unless set.',
  urllib3Call:
    'urllib3.request() has no timeout: urllib3 waits as long as the socket default, which is for ever unless set.',
  httpxTimeoutOff:
    "{{call}}() switches httpx's default timeout off (timeout=None): the call can wait for ever.",
  httpxClientTimeoutOff:
    "This httpx call switches the client's timeout off (timeout=None): it can wait for ever.",
  sessionCall:
    '{{call}}() has no timeout: a requests Session has no default timeout, so the call waits for ever when the server stops answering.',
  poolCall:
    '{{call}}() has no timeout, and neither has its pool: urllib3 then waits as long as the socket default, which is for ever unless set.',
};

/** A finding of this rule, with one of its message ids, and the call it is about. */
type Finding = ReportedFinding<keyof typeof messages> & { call?: Node };

export default defineRule({
  id: 'embrace-failure/no-timeout',
  lesson: 'embrace-failure',
  title: 'Outbound HTTP call without a timeout',
  severity: 'warning',
  equivalents: ['S113'],
  fix: 'safe',
  messages,
  docs: {
    what:
      'HTTP calls that can wait forever: `requests` calls and calls on `requests.Session` objects without `timeout=` (a session has no default), `urllib.request.urlopen` and urllib3 requests and pools without a timeout, `httpx` calls and clients with `timeout=None`, ' +
      '`axios` calls and `axios.create` instances without `timeout`, `got` calls and `got.extend` instances without `timeout`, and server-side `fetch`/`node-fetch` without an abort `signal`. ' +
      'A session with a mounted adapter of its own or a wrapped `request()`, and an instance created with a default timeout, count as having one. Imports inside the function that calls (`from requests import post`) are followed. ' +
      'Browser code is left alone (React, Vue, Svelte or Angular components, `.jsx`/`.tsx` files, `public/` and `static/` folders, service workers): a hung call there holds one tab, which the browser bounds and the user can reload, not a worker of a server. ' +
      'So are scripts, which the person who runs them watches (the top level of a file without handlers, or any file without handlers in a `scripts/`, `bin/` or `tools/` folder), and calls to this machine written in the file (a Lambda extension on `localhost:2772`, a sidecar).',
    why:
      'requests, urllib, axios, got and fetch have no timeout by default: when the other side stops answering, the call waits for ever, and so does the request that made it. ' +
      'Under load, those stuck requests pile up until every worker, socket or Lambda concurrency slot is taken, and one slow dependency becomes an outage of your service. ' +
      'A timeout turns the hang into an error you can retry, fall back from or report.',
    example: {
      language: 'python',
      code: `import requests

def price(sku):
    return requests.get(f"{PRICING_URL}/prices/{sku}").json()`,
    },
    useInstead: {
      language: 'python',
      code: `import requests

def price(sku):
    # connect within 3 s, and give up when no byte arrives for 10 s
    return requests.get(f"{PRICING_URL}/prices/{sku}", timeout=(3, 10)).json()`,
    },
    fix: 'Adds a 10 s timeout: `timeout=10` on requests, urllib and urllib3 calls, `timeout: 10000` for axios, `timeout: { request: 10000 }` for got and `signal: AbortSignal.timeout(10000)` for fetch; an httpx `timeout=None` becomes `10.0`.',
    references: [
      {
        title: 'requests: timeouts',
        url: 'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
      },
      { title: 'axios: request config (timeout)', url: 'https://axios-http.com/docs/req_config' },
      {
        title: 'AbortSignal.timeout()',
        url: 'https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal/timeout_static',
      },
      {
        title: 'Amazon Builders’ Library: timeouts, retries and backoff with jitter',
        url: 'https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/',
      },
    ],
  },
  checks: {
    js(context) {
      const { model, document } = context;
      reportAll(context, javascriptFindings(model, document.lines, document.path));
    },
    py(context) {
      reportAll(context, pythonFindings(context.model, context.document.lines));
    },
  },
});

/**
 * Reports the findings a reviewer would act on: not calls to this machine (a Lambda extension
 * on localhost:2772, a sidecar), and not the code of a script, which the person who runs it
 * watches: the top level of a file without handlers, or any of it in a `scripts/`, `bin/` or
 * `tools/` folder.
 */
function reportAll(
  { model, document, workspace, report }: CheckContext<CodeModel>,
  findings: Finding[],
): void {
  let handlers: number | undefined;
  const noHandlers = () =>
    (handlers ??= requestHandlers(model, document.path, workspace).handlers.length) === 0;
  const scriptFolder = /(^|[\\/])(scripts?|bin|tools)[\\/]/.test(document.path);
  for (const { call, ...finding } of findings) {
    if (call && callsThisMachine(model, call)) continue;
    // A client made for later calls is not script code, wherever it is made.
    const instance = finding.messageId === 'axiosInstance' || finding.messageId === 'gotInstance';
    if (call && !instance && (scriptFolder || !enclosingFunction(call)) && noHandlers()) continue;
    report(finding);
  }
}

/** Whether the call's URL is written in the file and points at this machine. */
function callsThisMachine(model: CodeModel, call: Node): boolean {
  const first = codeChildren(call.childForFieldName('arguments')!).find(
    (a) => a.type !== 'keyword_argument' && a.type !== 'pair' && a.type !== 'object',
  );
  const url = urlPrefix(model, first, 0);
  return !!url && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/i.test(url);
}

/** The literal start of a URL expression: a string, an f-string or template, a concatenation, a variable of the file, `Request(url)`. */
function urlPrefix(model: CodeModel, node: Node | undefined, depth: number): string | undefined {
  const value = unwrapExpression(node);
  if (!value || depth > 6) return undefined;
  const prefix = stringPrefix(value);
  if (prefix) return prefix.value;
  if (
    value.type === 'concatenated_string' ||
    value.type === 'binary_expression' ||
    value.type === 'binary_operator'
  )
    return urlPrefix(model, codeChildren(value)[0], depth + 1);
  if (value.type === 'call' || value.type === 'call_expression' || value.type === 'new_expression') {
    // urllib.request.Request(url), new Request(url)
    if (
      !/Request$/.test(
        value.childForFieldName(value.type === 'new_expression' ? 'constructor' : 'function')?.text ?? '',
      )
    )
      return undefined;
    return urlPrefix(model, codeChildren(value.childForFieldName('arguments')!)[0], depth + 1);
  }
  if (value.type === 'identifier') return urlPrefix(model, assignedValue(model, value.text), depth + 1);
  return undefined;
}

/** The value the file last assigns to a name, in any scope. */
function assignedValue(model: CodeModel, name: string): Node | undefined {
  let found: Node | undefined;
  for (const node of nodesOfType(model, ['assignment', 'variable_declarator'])) {
    const target = node.childForFieldName(node.type === 'assignment' ? 'left' : 'name');
    if (target?.type === 'identifier' && target.text === name)
      found = node.childForFieldName(node.type === 'assignment' ? 'right' : 'value') ?? found;
  }
  return found;
}

const calleeOf = (call: Node): { span: { start: number; end: number } } => {
  const fn = call.childForFieldName('function') ?? call;
  return { span: { start: fn.startIndex, end: fn.endIndex } };
};

/** Modules of code that runs in a browser: UI frameworks and their routers and data hooks. */
const browserModules =
  /^(react|react-dom|react-dom\/client|react-native|preact|vue|svelte|solid-js|jquery|swr|@angular\/.+|@tanstack\/(react|vue|solid)-query|@remix-run\/react|next\/(link|router|navigation|image)|@reduxjs\/toolkit\/query\/react|lit|alpinejs)$/;
/** What only browser code and service workers say. */
const browserSigns =
  /^[ \t]*['"]use client['"]|\bself\.addEventListener\(|\bimportScripts\(|\bcaches\.open\(|\bself\.skipWaiting\(|\bclients\.claim\(|\bnavigator\.serviceWorker\b|\bdocument\.(getElementById|querySelector|createElement|addEventListener)\(|\bwindow\.(location|addEventListener|localStorage)\b|\blocalStorage\.(getItem|setItem)\(/m;

/**
 * Whether a file runs in a browser (components, pages, service workers): there a hung call
 * holds one tab, which the browser bounds and the user can reload, not a server's worker.
 */
export function isBrowserCode(model: CodeModel, path: string, text: string): boolean {
  const normal = path.replace(/\\/g, '/');
  if (/\.(jsx|tsx)$/i.test(normal)) return true;
  const file = normal.slice(normal.lastIndexOf('/') + 1);
  if (/^(sw|service-?worker|serviceWorker|[\w.-]+\.worker)\.[cm]?[jt]s$/i.test(file)) return true;
  if (/(^|\/)(public|static|frontend|browser|www)\//.test(normal)) return true;
  for (const binding of bindingsOf(model).values()) if (browserModules.test(binding.module)) return true;
  return browserSigns.test(text);
}

function javascriptFindings(model: CodeModel, lines: LineIndex, path: string): Finding[] {
  const findings: Finding[] = [];
  const bindings = bindingsOf(model);
  const text = lines.text;
  if (isBrowserCode(model, path, text)) return findings;
  const axiosDefaults = /\baxios\.defaults\.timeout\s*=/.test(text);

  for (const { call, name } of importedCalls(model)) {
    const args = call.childForFieldName('arguments');
    if (!args) continue;
    const list = codeChildren(args);
    if (list.some((a) => a.type === 'spread_element')) continue;

    if (name === 'got.extend') {
      const options = list[0];
      if (!options || options.type !== 'object' || hasSpread(options) || objectProperty(options, 'timeout'))
        continue;
      findings.push({
        call,
        at: calleeOf(call),
        messageId: 'gotInstance',
        fix: () => ({
          title: `Give the instance a ${timeoutMs / 1000} s timeout`,
          edits: [insertObjectProperty(lines, options, `timeout: { request: ${timeoutMs} }`)],
        }),
      });
      continue;
    }

    if (name === 'axios.create') {
      const config = list[0];
      if (config && (config.type !== 'object' || hasSpread(config) || objectProperty(config, 'timeout')))
        continue;
      if (/\.defaults\.timeout\s*=/.test(text)) continue;
      findings.push({
        call,
        at: calleeOf(call),
        messageId: 'axiosInstance',
        fix: () => ({
          title: `Give the instance a ${timeoutMs / 1000} s timeout`,
          edits: [
            config
              ? insertObjectProperty(lines, config, `timeout: ${timeoutMs}`)
              : { start: args.startIndex + 1, end: args.startIndex + 1, text: `{ timeout: ${timeoutMs} }` },
          ],
        }),
      });
      continue;
    }

    const axiosIndex = name === 'axios' ? (list[0]?.type === 'object' ? 0 : 1) : axiosConfigIndex[name];
    if (axiosIndex !== undefined) {
      if (axiosDefaults) continue;
      const finding = missingOption(
        call,
        args,
        list,
        axiosIndex,
        ['timeout', 'signal'],
        `timeout: ${timeoutMs}`,
        lines,
      );
      if (finding) findings.push({ ...finding, messageId: 'axiosCall', data: { call: name } });
      continue;
    }

    if (gotFunctions.has(name)) {
      const finding = missingOption(
        call,
        args,
        list,
        1,
        ['timeout', 'signal'],
        `timeout: { request: ${timeoutMs} }`,
        lines,
      );
      if (finding) findings.push({ ...finding, messageId: 'gotCall', data: { call: name } });
      continue;
    }

    if (name === 'node-fetch' || name === 'node-fetch.default' || name === 'undici.fetch') {
      const finding = fetchFinding(call, args, list, lines);
      if (finding) findings.push(finding);
    }
  }

  if (!bindings.has('fetch') && isServerSide(bindings, text)) {
    for (const call of nodesOfType(model, 'call_expression')) {
      const fn = call?.childForFieldName('function');
      if (!call || fn?.type !== 'identifier' || fn.text !== 'fetch') continue;
      const args = call.childForFieldName('arguments');
      if (!args) continue;
      const list = codeChildren(args);
      if (list.some((a) => a.type === 'spread_element')) continue;
      const finding = fetchFinding(call, args, list, lines);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

function isServerSide(bindings: Bindings, text: string): boolean {
  for (const binding of bindings.values()) if (serverModules.test(binding.module)) return true;
  return /\bprocess\.env\b|\bexports\.handler\b|export\s+(const|async\s+function|function)\s+handler\b/.test(
    text,
  );
}

function fetchFinding(call: Node, args: Node, list: Node[], lines: LineIndex): Finding | undefined {
  const finding = missingOption(
    call,
    args,
    list,
    1,
    ['signal', 'timeout'],
    `signal: AbortSignal.timeout(${timeoutMs})`,
    lines,
  );
  return finding && { ...finding, messageId: 'fetchCall' };
}

/**
 * A finding when the options argument at `index` is missing or lacks all of `names`. Options
 * built elsewhere (a variable, a spread) are unknowable and not flagged.
 */
function missingOption(
  call: Node,
  args: Node,
  list: Node[],
  index: number,
  names: string[],
  property: string,
  lines: LineIndex,
): Omit<Finding, 'messageId'> | undefined {
  const options = list[index];
  if (options) {
    if (options.type !== 'object' || hasSpread(options)) return undefined;
    if (names.some((n) => objectProperty(options, n))) return undefined;
  }
  if (list.length === 0) return undefined;
  return {
    call,
    at: calleeOf(call),
    fix: () => {
      if (options) return { title: 'Add a timeout', edits: [insertObjectProperty(lines, options, property)] };
      // axios.post(url) has no data argument: the config needs one before it.
      const padding = Array.from({ length: Math.max(0, index - list.length) }, () => 'undefined');
      return {
        title: 'Add a timeout',
        edits: [appendArgument(lines, args, [...padding, `{ ${property} }`].join(', '))],
      };
    },
  };
}

function pythonFindings(model: CodeModel, lines: LineIndex): Finding[] {
  const findings: Finding[] = [];
  for (const { call, name } of importedCalls(model)) {
    const args = call.childForFieldName('arguments');
    if (!args || args.type !== 'argument_list') continue;
    const list = codeChildren(args);
    if (list.some((a) => a.type === 'dictionary_splat' || a.type === 'list_splat')) continue;
    const keyword = (k: string) =>
      list.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k);
    const positional = list.filter((a) => a.type !== 'keyword_argument');

    if (requestsFunctions.has(name)) {
      if (keyword('timeout')) continue;
      findings.push({
        call,
        at: calleeOf(call),
        messageId: 'requestsCall',
        data: { call: name },
        fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10')] }),
      });
    } else if (name === 'urllib.request.urlopen') {
      if (keyword('timeout') || positional.length >= 3) continue;
      findings.push({
        call,
        at: calleeOf(call),
        messageId: 'urlopenCall',
        fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10')] }),
      });
    } else if (httpxFunctions.has(name)) {
      const timeout = keyword('timeout');
      const value = timeout?.childForFieldName('value');
      if (!timeout || value?.type !== 'none') continue;
      findings.push({
        at: { span: { start: timeout.startIndex, end: timeout.endIndex } },
        messageId: 'httpxTimeoutOff',
        data: { call: name },
        fix: () => ({
          title: 'Use a 10 s timeout',
          edits: [{ start: value.startIndex, end: value.endIndex, text: '10.0' }],
        }),
      });
    } else if (name === 'urllib3.request') {
      if (keyword('timeout')) continue;
      findings.push({
        call,
        at: calleeOf(call),
        messageId: 'urllib3Call',
        fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10.0')] }),
      });
    }
  }
  findings.push(...clientFindings(model, lines));
  return findings;
}

type PythonClient = 'requests' | 'httpx' | 'urllib3';

/** Constructors of Python HTTP clients whose methods are calls too: sessions, clients, pools. */
const pythonClients: Record<string, PythonClient> = {
  'requests.Session': 'requests',
  'requests.session': 'requests',
  'requests.sessions.Session': 'requests',
  'httpx.Client': 'httpx',
  'httpx.AsyncClient': 'httpx',
  'urllib3.PoolManager': 'urllib3',
  'urllib3.ProxyManager': 'urllib3',
  'urllib3.HTTPConnectionPool': 'urllib3',
  'urllib3.HTTPSConnectionPool': 'urllib3',
  'urllib3.connection_from_url': 'urllib3',
  'urllib3.poolmanager.PoolManager': 'urllib3',
};
const sessionMethods = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
const poolMethods = new Set(['request', 'urlopen', 'request_encode_url', 'request_encode_body']);

/**
 * Calls made through requests sessions, httpx clients and urllib3 pools: sessions have no
 * default timeout, pools none unless given one, httpx clients one unless switched off.
 */
function clientFindings(model: CodeModel, lines: LineIndex): Finding[] {
  const bindings = bindingsOf(model);
  const clients = new Map<string, { kind: PythonClient; timeout: boolean }>();
  const constructed = (
    node: Node | null | undefined,
  ): { kind: PythonClient; timeout: boolean } | undefined => {
    if (node?.type !== 'call') return undefined;
    const kind = pythonClients[qualifiedName(node.childForFieldName('function'), bindings) ?? ''];
    if (!kind) return undefined;
    const args = codeChildren(node.childForFieldName('arguments')!);
    const timeout = args.some(
      (a) =>
        a.type === 'dictionary_splat' ||
        (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'timeout'),
    );
    return { kind, timeout };
  };
  for (const node of nodesOfType(model, ['assignment', 'with_item'])) {
    if (!node) continue;
    if (node.type === 'assignment') {
      const client = constructed(node.childForFieldName('right'));
      const target = client && dottedName(node.childForFieldName('left'));
      if (target && client) clients.set(target, client);
    } else {
      const pattern = node.childForFieldName('value');
      if (pattern?.type !== 'as_pattern') continue;
      const client = constructed(pattern.namedChildren[0]);
      const target = pattern.childForFieldName('alias')?.text;
      if (target && client) clients.set(target, client);
    }
  }
  // A session given a timeout another way: a mounted adapter of its own, or a wrapped request().
  // (Only a session kept in a name can be given one.)
  for (const call of clients.size > 0 ? nodesOfType(model, 'call') : []) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'mount')
      continue;
    const target = dottedName(callee.childForFieldName('object'));
    const adapter = codeChildren(call.childForFieldName('arguments')!)[1];
    const plain =
      adapter?.type === 'call' &&
      /(^|\.)HTTPAdapter$/.test(adapter.childForFieldName('function')?.text ?? '') &&
      !/timeout/.test(adapter.text);
    const client = target && clients.get(target);
    if (client && !plain) client.timeout = true;
  }
  for (const assignment of clients.size > 0 ? nodesOfType(model, 'assignment') : []) {
    const left = dottedName(assignment?.childForFieldName('left'));
    const match = left && /^(.*)\.(request|send)$/.exec(left);
    const client = match && clients.get(match[1]);
    if (client && /timeout/.test(assignment!.text)) client.timeout = true;
  }

  const findings: Finding[] = [];
  for (const call of nodesOfType(model, 'call')) {
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute') continue;
    const object = callee.childForFieldName('object');
    const client =
      object?.type === 'call'
        ? constructed(object)
        : clients.size > 0
          ? clients.get(dottedName(object) ?? '')
          : undefined;
    if (!client) continue;
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const args = call.childForFieldName('arguments');
    if (!args || args.type !== 'argument_list') continue;
    const list = codeChildren(args);
    if (list.some((a) => a.type === 'dictionary_splat')) continue;
    const timeout = list.find(
      (a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'timeout',
    );
    if (client.kind === 'httpx') {
      const value = timeout?.childForFieldName('value');
      if (!timeout || value?.type !== 'none' || !sessionMethods.has(method)) continue;
      findings.push({
        at: { span: { start: timeout.startIndex, end: timeout.endIndex } },
        messageId: 'httpxClientTimeoutOff',
        fix: () => ({
          title: 'Use a 10 s timeout',
          edits: [{ start: value.startIndex, end: value.endIndex, text: '10.0' }],
        }),
      });
      continue;
    }
    const methods = client.kind === 'requests' ? sessionMethods : poolMethods;
    if (!methods.has(method) || timeout || client.timeout) continue;
    findings.push({
      call,
      at: calleeOf(call),
      messageId: client.kind === 'requests' ? 'sessionCall' : 'poolCall',
      data: { call: callee.text },
      fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10')] }),
    });
  }
  return findings;
}
