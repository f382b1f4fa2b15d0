import type { Node } from 'web-tree-sitter';
import {
  appendArgument,
  codeChildren,
  hasSpread,
  insertObjectProperty,
  objectProperty,
} from '../../engine/code/edit';
import { bindingsOf, importedCalls, type Bindings } from '../../engine/code/imports';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type ReportedFinding } from '../../engine/rule';
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

export default defineRule({
  id: 'embrace-failure/no-timeout',
  lesson: 'embrace-failure',
  title: 'Outbound HTTP call without a timeout',
  severity: 'warning',
  equivalents: ['S113'],
  fix: 'yes',
  docs: {
    what:
      'HTTP calls that can wait forever: `requests` calls without `timeout=`, `urllib.request.urlopen` without a timeout, `httpx` with `timeout=None`, ' +
      '`axios` calls and `axios.create` instances without `timeout`, `got` without `timeout`, and server-side `fetch` without an abort `signal`.',
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
    js({ model, document, report }) {
      for (const finding of javascriptFindings(model, document.lines)) report(finding);
    },
    py({ model, document, report }) {
      for (const finding of pythonFindings(model, document.lines)) report(finding);
    },
  },
});

const calleeOf = (call: Node): { span: { start: number; end: number } } => {
  const fn = call.childForFieldName('function') ?? call;
  return { span: { start: fn.startIndex, end: fn.endIndex } };
};

function javascriptFindings(model: CodeModel, lines: LineIndex): ReportedFinding[] {
  const findings: ReportedFinding[] = [];
  const bindings = bindingsOf(model);
  const text = lines.text;
  const axiosDefaults = /\baxios\.defaults\.timeout\s*=/.test(text);

  for (const { call, name } of importedCalls(model)) {
    const args = call.childForFieldName('arguments');
    if (!args) continue;
    const list = codeChildren(args);
    if (list.some((a) => a.type === 'spread_element')) continue;

    if (name === 'axios.create') {
      const config = list[0];
      if (config && (config.type !== 'object' || hasSpread(config) || objectProperty(config, 'timeout')))
        continue;
      if (/\.defaults\.timeout\s*=/.test(text)) continue;
      findings.push({
        at: calleeOf(call),
        message: `This axios instance has no default timeout: every call made with it can wait for ever (axios's default is no timeout).`,
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
      if (finding) {
        findings.push({
          ...finding,
          message: `${name}() has no timeout: if the server stops answering, this call waits for ever (axios's default is no timeout).`,
        });
      }
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
      if (finding) {
        findings.push({ ...finding, message: `${name}() has no timeout: got waits for ever by default.` });
      }
      continue;
    }

    if (name === 'node-fetch' || name === 'node-fetch.default' || name === 'undici.fetch') {
      const finding = fetchFinding(call, args, list, lines);
      if (finding) findings.push(finding);
    }
  }

  if (!bindings.has('fetch') && isServerSide(bindings, text)) {
    for (const call of model.root.descendantsOfType('call_expression')) {
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

function fetchFinding(call: Node, args: Node, list: Node[], lines: LineIndex): ReportedFinding | undefined {
  const finding = missingOption(
    call,
    args,
    list,
    1,
    ['signal', 'timeout'],
    `signal: AbortSignal.timeout(${timeoutMs})`,
    lines,
  );
  return (
    finding && {
      ...finding,
      message:
        'fetch() has no timeout: without an abort signal it can wait for minutes on a server that stopped answering.',
    }
  );
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
): Omit<ReportedFinding, 'message'> | undefined {
  const options = list[index];
  if (options) {
    if (options.type !== 'object' || hasSpread(options)) return undefined;
    if (names.some((n) => objectProperty(options, n))) return undefined;
  }
  if (list.length === 0) return undefined;
  return {
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

function pythonFindings(model: CodeModel, lines: LineIndex): ReportedFinding[] {
  const findings: ReportedFinding[] = [];
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
        at: calleeOf(call),
        message: `${name}() has no timeout: requests waits for ever by default when the server stops answering.`,
        fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10')] }),
      });
    } else if (name === 'urllib.request.urlopen') {
      if (keyword('timeout') || positional.length >= 3) continue;
      findings.push({
        at: calleeOf(call),
        message:
          'urlopen() has no timeout: it waits as long as the socket default, which is for ever unless set.',
        fix: () => ({ title: 'Add timeout=10', edits: [appendArgument(lines, args, 'timeout=10')] }),
      });
    } else if (httpxFunctions.has(name)) {
      const timeout = keyword('timeout');
      const value = timeout?.childForFieldName('value');
      if (!timeout || value?.type !== 'none') continue;
      findings.push({
        at: { span: { start: timeout.startIndex, end: timeout.endIndex } },
        message: `${name}() switches httpx's default timeout off (timeout=None): the call can wait for ever.`,
        fix: () => ({
          title: 'Use a 10 s timeout',
          edits: [{ start: value.startIndex, end: value.endIndex, text: '10.0' }],
        }),
      });
    }
  }
  return findings;
}
