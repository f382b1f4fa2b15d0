import type { RelatedLocation } from '../../engine/applications';
import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren, hasSpread, insertObjectProperty, objectProperty } from '../../engine/code/edit';
import { bindingsOf, callSites } from '../../engine/code/imports';
import {
  callArguments,
  calleeName,
  dottedName,
  nodesOfType,
  sourceOf,
  spanOfNode,
  stringLiteral,
  stringPrefix,
} from '../../engine/code/syntax';
import { nameWords } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix, type MessageData, type TextEdit } from '../../engine/rule';
import type { LineIndex, Span } from '../../engine/text';

/**
 * Names that hold an address the code connects to: `API_URL`, `baseURL`, `PAYMENTS_API`,
 * `webhook_endpoint`. A bare `url`/`uri` or a homepage, docs or spec link is not an endpoint.
 */
function isEndpointName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (
    words.some((w) =>
      /^(home|homepage|docs?|documentation|help|website|site|page|info|license|spec|specs|schema|xmlns|namespace|ns|image|img|icon|logo|avatar|redirect|return|login|link|href|source|repo|repository|issues?|bugs?|more)$/.test(
        w,
      ),
    )
  )
    return false;
  const last = words[words.length - 1];
  if (words.length === 1) return /^(api|endpoint|webhook|upstream|backend|baseurl)$/.test(last);
  return /^(url|uri|endpoint|host|api|base|server|origin|webhook|address|upstream|backend)$/.test(last);
}

/** A URL that names a document (a page, a PDF, an anchor), not a service. */
function isDocumentUrl(url: string): boolean {
  return /#|\.(html?|pdf|txt|xsd|dtd|rdf|xml|md|png|jpe?g|gif|svg)(\?|$)/i.test(url);
}
/** Calls whose first argument is where a request goes. */
const requestCalls = new Set([
  'fetch',
  'got',
  'axios',
  'ky',
  'superagent',
  'needle',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'request',
  'urlopen',
  'Request',
  'stream',
  'WebSocket',
  'EventSource',
  'connect',
  'create_connection',
]);

/** Hosts where plain HTTP is normal: this machine, private networks, service names, documentation. */
export function isLocalOrPrivateHost(host: string): boolean {
  const name = host
    .replace(/^\[|\]$/g, '')
    .replace(/:\d+$/, '')
    .toLowerCase();
  if (!name || !name.includes('.') || name === '::1') return true; // localhost, service names (`users:8080`)
  if (/(^|\.)(localhost|local|internal|lan|home|test|example|invalid|svc|cluster\.local)$/.test(name))
    return true;
  if (
    /^(example\.(com|org|net)|(.+\.)?w3\.org|(.+\.)?xmlsoap\.org|json-schema\.org|purl\.org|schemas\..+|ns\..+|xmlns\..+|(.+\.)?openxmlformats\.org|(.+\.)?apache\.org|host\.docker\.internal)$/.test(
      name,
    )
  )
    return true;
  const ip = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (ip) {
    const [a, b] = [Number(ip[1]), Number(ip[2])];
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  return false;
}

interface PlainEndpoint {
  /** What to underline: the scheme, the TLS option, or the client. */
  span: Span;
  messageId: 'plainUrl' | 'plainUrls' | 'databaseTlsOff' | 'plainProtocol' | 'grpcInsecure';
  data: MessageData;
  /** The other places of the file that call the same host the same way. */
  related?: RelatedLocation[];
  /** The fix's edits, when there is one. */
  edits?: TextEdit[];
  title?: string;
  needs?: string[];
}

const httpsNeeds = [
  'Check that the service answers HTTPS at this address (a port written for HTTP may differ)',
];
const databaseNeeds = [
  'Make sure the database accepts TLS, and verify its certificate (for RDS, the RDS CA bundle)',
];

export default defineRule({
  id: 'encrypt-everything/plain-http-endpoint',
  lesson: 'encrypt-everything',
  title: 'Service called over plain HTTP or a database connection without TLS',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    plainUrl:
      '{{host}} is called over plain {{protocol}}: requests, answers and any token or cookie travel in clear text, and nothing proves the server is genuine. Use {{secure}}://.',
    plainUrls:
      '{{host}} is called over plain {{protocol}} here and in {{others}} of this file: requests, answers and any token or cookie travel in clear text, and nothing proves the server is genuine. Use {{secure}}://.',
    databaseTlsOff:
      '`{{setting}}` switches TLS off for this database connection: queries, results and the password at log-in travel in clear text. Require TLS (and verify the server certificate, e.g. with the RDS CA bundle).',
    plainProtocol:
      '`{{call}}` speaks {{protocol}} in clear text: the user name, the password and every {{payload}} cross the network readable by anyone on the path. Use {{secure}}.',
    grpcInsecure:
      '`{{call}}` opens a gRPC channel to {{host}} without TLS: calls, answers and their metadata (tokens included) travel in clear text. Use channel credentials with TLS ({{secure}}).',
  },
  docs: {
    what:
      'Hard-coded `http://` and `ws://` addresses of services on the internet, where the code connects to them (HTTP client calls and their `url` option, `axios({ url })`, `got()`, WebSockets, a variable such a call is given) or keeps them in a setting whose name says URL, endpoint, host or API; ' +
      'clients of protocols without encryption: FTP (`ftplib.FTP`, basic-ftp without `secure`) and telnet (`telnetlib`, telnet-client), and gRPC channels without TLS (`grpc.insecure_channel`, `credentials.createInsecure()`) to a host written in the code. ' +
      'A host called over plain HTTP from several places of one file is one finding, on the first place, with the others named in the message and shown as related locations; its fix switches them all. ' +
      'A gRPC address that comes from configuration is not reported: inside a cluster a service mesh (Istio, App Mesh, Linkerd) often encrypts between pods, which the code cannot tell; gRPC servers and their insecure ports are not clients. ' +
      'and database connections that switch TLS off: `sslmode=disable`, `ssl=false` or `tls=false` in a connection URL, `ssl: false` / `tls: false` options and `sslmode="disable"` arguments. ' +
      'Local, private-network and single-label service addresses (`localhost`, `10.0.0.5`, `http://users:8080`, `*.internal`) and documentation hosts are left alone, as are test files.',
    why:
      'Plain HTTP sends requests, answers, cookies and tokens in clear text: anyone on the path (a Wi-Fi network, a compromised router, a proxy) can read and change them, and nothing proves the other side is who it claims to be. ' +
      'The same holds for a database link with TLS switched off, which carries every query result and the password at log-in. ' +
      'TLS costs little today and most services redirect HTTP to HTTPS anyway, after the first request has already leaked.',
    example: {
      language: 'python',
      code: `import requests

PAYMENTS_API = "http://api.payments.example-bank.com/v1"
conn = psycopg2.connect(os.environ["DATABASE_URL"], sslmode="disable")`,
    },
    useInstead: {
      language: 'python',
      code: `import requests

PAYMENTS_API = "https://api.payments.example-bank.com/v1"
conn = psycopg2.connect(os.environ["DATABASE_URL"], sslmode="require")  # or verify-full with the RDS CA`,
    },
    fix: 'Switches the address to `https://` or `wss://`, the connection to `sslmode=require` or `ssl: true`, FTP to FTPS (`FTP_TLS`, `secure: true`) and a gRPC channel to TLS credentials; telnet has no fix. A scaffold: the service must answer TLS at that address (mind a port written for plain HTTP), and the database or server must accept TLS connections.',
    references: [
      {
        title: 'AWS Well-Architected security pillar: protect data in transit',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/protecting-data-in-transit.html',
      },
      {
        title: 'PostgreSQL: SSL support (sslmode)',
        url: 'https://www.postgresql.org/docs/current/libpq-ssl.html',
      },
      {
        title: 'Amazon RDS: using SSL/TLS to encrypt a connection',
        url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, report }: CheckContext<CodeModel>): void {
  for (const found of [
    ...oncePerHost(plainUrls(model), document.path, document.lines),
    ...databaseTlsOff(model),
    ...plainProtocols(model, document.lines),
  ]) {
    const { edits, title, needs } = found;
    report({
      at: found.span,
      messageId: found.messageId,
      data: found.data,
      ...(found.related ? { related: found.related } : {}),
      fix: edits && title ? (): Fix => ({ title, edits, needs }) : undefined,
    });
  }
}

/**
 * One finding per host and scheme in a file: a script that calls the same service from five
 * places has one thing to change. The first place is reported, the others are named and shown as
 * related locations, and the fix switches them all.
 */
function oncePerHost(found: PlainEndpoint[], path: string, lines: LineIndex): PlainEndpoint[] {
  const first = new Map<string, PlainEndpoint & { others: Span[] }>();
  for (const endpoint of found) {
    const key = `${String(endpoint.data.protocol)}\u0000${String(endpoint.data.host).toLowerCase()}`;
    const earlier = first.get(key);
    if (earlier) {
      earlier.others.push(endpoint.span);
      earlier.edits = [...(earlier.edits ?? []), ...(endpoint.edits ?? [])];
    } else first.set(key, { ...endpoint, others: [] });
  }
  return [...first.values()].map(({ others, ...endpoint }) =>
    others.length === 0
      ? endpoint
      : {
          ...endpoint,
          messageId: 'plainUrls',
          data: {
            ...endpoint.data,
            others: others.length === 1 ? 'one other place' : `${others.length} other places`,
          },
          related: others.map((span) => ({
            path,
            range: lines.rangeOf(span),
            message: `${String(endpoint.data.host)} over plain ${String(endpoint.data.protocol)} again`,
          })),
        },
  );
}

function plainUrls(model: CodeModel): PlainEndpoint[] {
  const found: PlainEndpoint[] = [];
  const requested = requestedNames(model);
  for (const literal of nodesOfType(model, ['string', 'template_string'])) {
    if (!literal || !/(http|ws):\/\//i.test(literal.text)) continue;
    if (literal.parent?.type === 'expression_statement' || inJsx(literal)) continue;
    const prefix = stringPrefix(literal);
    if (!prefix) continue;
    const url = /^(http|ws):\/\/([^/\s?#'"`]+)([/?#:]|$)/i.exec(prefix.value);
    if (!url) continue;
    const whole = stringLiteral(literal);
    if (whole && /\s/.test(whole.value)) continue;
    // The host must be complete before any substitution: `http://${host}/x` is configured elsewhere.
    if (!whole && url[3] === '' && prefix.value.length === url[0].length) continue;
    const host = url[2].replace(/^[^@]*@/, '');
    const use = isEndpointUse(literal, requested);
    if (isLocalOrPrivateHost(host) || !use) continue;
    // Settings that merely name a web site or a document, rather than a request made to it.
    if (use === 'setting' && (/^www\./i.test(host) || isDocumentUrl(prefix.value))) continue;
    const scheme = url[1].toLowerCase();
    const secure = scheme === 'http' ? 'https' : 'wss';
    const span = { start: prefix.content.start, end: prefix.content.start + url[1].length + 3 };
    found.push({
      span,
      messageId: 'plainUrl',
      data: { host, protocol: scheme === 'http' ? 'HTTP' : 'WebSocket', secure },
      edits: [{ ...span, text: `${secure}://` }],
      title: `Use ${secure}://`,
      needs: httpsNeeds,
    });
  }
  return found;
}

function inJsx(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'jsx_attribute' || current.type === 'jsx_element') return true;
    if (current.type.endsWith('statement') || current.type === 'program') return false;
  }
  return false;
}

/** Option names that say where a request goes, inside a request call's options. */
const urlOptions = /^(url|uri|baseURL|baseUrl|base_url|prefixUrl|endpoint)$/;

/** The first argument of a request call, or the `{ url }` option of one: where the request goes. */
function requestTarget(call: Node): Node[] {
  const name = calleeName(call);
  if (!name || !requestCalls.has(name)) return [];
  const args = callArguments(call);
  const targets: Node[] = [];
  const first = args[0];
  if (first && first.type !== 'object' && first.type !== 'keyword_argument') targets.push(first);
  for (const arg of args) {
    if (arg.type === 'keyword_argument' && urlOptions.test(arg.childForFieldName('name')?.text ?? ''))
      targets.push(arg.childForFieldName('value')!);
    if (arg.type === 'object')
      for (const entry of codeChildren(arg)) {
        const key = entry.type === 'pair' ? entry.childForFieldName('key') : null;
        if (key && urlOptions.test(stringLiteral(key)?.value ?? key.text))
          targets.push(entry.childForFieldName('value')!);
      }
  }
  return targets.filter((t) => !!t);
}

/** Names of variables whose value a request call sends to (`fetch(url)`, `axios.get(\`${base}/x\`)`). */
function requestedNames(model: CodeModel): Set<string> {
  const names = new Set<string>();
  for (const { call } of callSites(model)) {
    for (const target of requestTarget(call)) {
      for (const identifier of [target, ...target.descendantsOfType('identifier')])
        if (identifier?.type === 'identifier') names.add(identifier.text);
    }
  }
  return names;
}

/**
 * Whether the URL is where the code sends requests: a request call's argument or its `url`
 * option, a variable such a call is given, or a setting named like an address.
 */
function isEndpointUse(literal: Node, requested: Set<string>): 'call' | 'setting' | undefined {
  let node = literal;
  while (node.parent?.type === 'parenthesized_expression' || node.parent?.type === 'binary_expression')
    node = node.parent;
  const parent = node.parent;
  if (!parent) return undefined;
  const setting = (name: string | undefined) =>
    name && requested.has(name) ? 'call' : name && isEndpointName(name) ? 'setting' : undefined;
  switch (parent.type) {
    case 'arguments':
    case 'argument_list': {
      const call = parent.parent;
      return call && requestTarget(call).some((t) => t.id === node.id) ? 'call' : undefined;
    }
    case 'variable_declarator':
      return setting(parent.childForFieldName('name')?.text);
    case 'assignment':
    case 'assignment_expression': {
      const left = parent.childForFieldName('left');
      const key =
        left?.type === 'subscript' ? stringLiteral(left.childForFieldName('subscript'))?.value : undefined;
      if (!key && left?.type === 'identifier' && requested.has(left.text)) return 'call';
      return setting(key ?? (dottedName(left) ?? '').split('.').pop());
    }
    case 'pair': {
      const key = parent.childForFieldName('key');
      const call = parent.parent?.parent?.parent;
      if (
        call &&
        (call.type === 'call_expression' || call.type === 'new_expression') &&
        requestTarget(call).some((t) => t.id === node.id)
      )
        return 'call';
      return setting(stringLiteral(key)?.value ?? key?.text);
    }
    case 'keyword_argument': {
      const call = parent.parent?.parent;
      if (call?.type === 'call' && requestTarget(call).some((t) => t.id === node.id)) return 'call';
      return setting(parent.childForFieldName('name')?.text);
    }
    default:
      return undefined;
  }
}

const databaseModules =
  /^(pg|pg-promise|postgres|mysql|mysql2|mysql2\/promise|mariadb|sequelize|knex|typeorm|mongoose|mongodb|ioredis|redis|psycopg2|psycopg|asyncpg|pymysql|MySQLdb|mysql\.connector|aiomysql|aiopg|pymongo|motor|sqlalchemy)(\.|$)/;

function databaseTlsOff(model: CodeModel): PlainEndpoint[] {
  const found: PlainEndpoint[] = [];
  const tlsOff = (setting: string) => ({ messageId: 'databaseTlsOff' as const, data: { setting } });

  // In connection URLs: postgres://…?sslmode=disable, mongodb://…?tls=false.
  for (const literal of nodesOfType(model, ['string', 'template_string'])) {
    if (!literal || !/ssl|tls/i.test(literal.text)) continue;
    const prefix = stringPrefix(literal);
    if (!prefix || !/^[a-z][\w+]*:\/\//i.test(prefix.value)) continue;
    const host = /^[a-z][\w+]*:\/\/(?:[^@/\s]*@)?([^/?#\s,]*)/i.exec(prefix.value)?.[1] ?? '';
    if (host && isLocalOrPrivateHost(host.split(',')[0])) continue;
    for (const match of prefix.value.matchAll(
      /[?&](sslmode=disable|ssl=(false|0)|tls=(false|0)|useSSL=false)(?=&|$|#)/gi,
    )) {
      const start = prefix.content.start + (match.index ?? 0) + 1;
      const [key] = match[1].split('=');
      found.push({
        span: { start, end: start + match[1].length },
        ...tlsOff(match[1]),
        edits: [
          {
            start,
            end: start + match[1].length,
            text: key.toLowerCase() === 'sslmode' ? 'sslmode=require' : `${key}=true`,
          },
        ],
        title: 'Require TLS',
        needs: databaseNeeds,
      });
    }
  }

  // Options of database clients: { ssl: false }, sslmode="disable", ssl=False.
  for (const { call, name } of callSites(model)) {
    if (!databaseModules.test(name ?? '')) continue;
    if (/['"](localhost|127\.0\.0\.1)['"]/.test(call.text)) continue;
    const visit = (node: Node, depth: number) => {
      for (const entry of codeChildren(node)) {
        if (entry.type === 'pair' || entry.type === 'keyword_argument') {
          const key = entry.childForFieldName(entry.type === 'pair' ? 'key' : 'name');
          const name = (stringLiteral(key)?.value ?? key?.text ?? '').toLowerCase();
          const value = entry.childForFieldName('value');
          if (!value) continue;
          if ((name === 'ssl' || name === 'tls') && (value.type === 'false' || value.text === 'False')) {
            found.push({
              span: spanOfNode(value),
              ...tlsOff(`${name}: ${value.text}`),
              edits: [{ ...spanOfNode(value), text: value.text === 'False' ? 'True' : 'true' }],
              title: 'Require TLS',
              needs: databaseNeeds,
            });
          } else if (name === 'sslmode' && stringLiteral(value)?.value === 'disable') {
            const content = stringLiteral(value)!.content;
            found.push({
              span: content,
              ...tlsOff('sslmode="disable"'),
              edits: [{ ...content, text: 'require' }],
              title: 'Require TLS',
              needs: databaseNeeds,
            });
          } else if ((value.type === 'object' || value.type === 'dictionary') && depth < 2)
            visit(value, depth + 1);
        } else if ((entry.type === 'object' || entry.type === 'dictionary') && depth < 2)
          visit(entry, depth + 1);
      }
    };
    const args = call.childForFieldName('arguments');
    if (args) visit(args, 0);
  }
  return found;
}

/**
 * Clients of protocols without encryption: FTP (`ftplib.FTP`, basic-ftp without `secure`),
 * telnet (`telnetlib.Telnet`, telnet-client), and gRPC channels without TLS to a host written
 * as a literal. A gRPC address that comes from configuration is left alone: inside a cluster a
 * service mesh (Istio, App Mesh, Linkerd) often encrypts between pods, which the code cannot tell.
 */
function plainProtocols(model: CodeModel, lines: LineIndex): PlainEndpoint[] {
  const found: PlainEndpoint[] = [];
  const source = sourceOf(model);
  if (!/ftp|telnet|Telnet|insecure|Insecure/.test(source)) return found;
  const usesBasicFtp = [...bindingsOf(model).values()].some((b) => b.module === 'basic-ftp');
  const localLiteral = (node: Node | undefined) => {
    const value = stringLiteral(node)?.value;
    return value !== undefined && isLocalOrPrivateHost(value.replace(/^\w+:\/\//, '').split('/')[0]);
  };
  for (const { call, name } of callSites(model)) {
    const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    if (!callee || (!name && !usesBasicFtp)) continue;
    const args = callArguments(call);
    const first = args.find((a) => a.type !== 'keyword_argument');
    if (
      name === 'ftplib.FTP' ||
      name === 'telnetlib.Telnet' ||
      name === 'telnet-client' ||
      name === 'telnet-client.Telnet'
    ) {
      if (localLiteral(first)) continue;
      const ftp = name === 'ftplib.FTP';
      found.push({
        span: spanOfNode(callee),
        messageId: 'plainProtocol',
        data: {
          call: callee.text,
          protocol: ftp ? 'FTP' : 'telnet',
          payload: ftp ? 'file' : 'command and answer',
          secure: ftp ? 'FTPS (ftplib.FTP_TLS) or SFTP' : 'SSH',
        },
        ...(ftp && callee.text.endsWith('FTP')
          ? {
              edits: [{ start: callee.endIndex, end: callee.endIndex, text: '_TLS' }],
              title: 'Use FTP over TLS (FTP_TLS)',
              needs: [
                'Call prot_p() after login() so that the files are encrypted too',
                'Make sure the server accepts FTPS (explicit TLS)',
              ],
            }
          : {}),
      });
    } else if (usesBasicFtp && calleeName(call) === 'access' && callee.type === 'member_expression') {
      const options = args[0];
      if (options?.type !== 'object' || hasSpread(options)) continue;
      const secure = objectProperty(options, 'secure');
      const value = secure?.type === 'pair' ? secure.childForFieldName('value') : undefined;
      // `secure: true` or `'implicit'`, or a value set elsewhere.
      if (secure && value?.type !== 'false') continue;
      const host = objectProperty(options, 'host');
      if (localLiteral(host?.type === 'pair' ? (host.childForFieldName('value') ?? undefined) : undefined))
        continue;
      found.push({
        span: spanOfNode(secure ?? callee),
        messageId: 'plainProtocol',
        data: { call: callee.text, protocol: 'FTP', payload: 'file', secure: 'FTPS (secure: true) or SFTP' },
        edits: [
          value
            ? { ...spanOfNode(value), text: 'true' }
            : insertObjectProperty(lines, options, 'secure: true'),
        ],
        title: 'Use FTP over TLS (secure: true)',
        needs: ['Make sure the server accepts FTPS (explicit TLS)'],
      });
    } else if (name && /^grpc(\.aio)?\.insecure_channel$/.test(name)) {
      const target = stringLiteral(first)?.value;
      if (target === undefined || isLocalOrPrivateHost(target.replace(/^dns:\/*/, ''))) continue;
      found.push({
        span: spanOfNode(callee),
        messageId: 'grpcInsecure',
        data: {
          call: callee.text,
          host: target,
          secure: 'grpc.secure_channel with grpc.ssl_channel_credentials()',
        },
        edits: [
          { ...spanOfNode(callee), text: callee.text.replace(/insecure_channel$/, 'secure_channel') },
          {
            start: first!.endIndex,
            end: first!.endIndex,
            text: `, ${callee.text.split('.')[0]}.ssl_channel_credentials()`,
          },
        ],
        title: 'Open the channel with TLS',
        needs: ['Make sure the server serves TLS on this port'],
      });
    } else if (name && /^(@grpc\/grpc-js|grpc)\.credentials\.createInsecure$/.test(name)) {
      // `new Client('api.partner.com:443', grpc.credentials.createInsecure())`
      const client = call.parent?.parent;
      if (client?.type !== 'new_expression' && client?.type !== 'call_expression') continue;
      const target = stringLiteral(callArguments(client)[0])?.value;
      if (target === undefined || isLocalOrPrivateHost(target.replace(/^dns:\/*/, ''))) continue;
      found.push({
        span: spanOfNode(callee),
        messageId: 'grpcInsecure',
        data: { call: `${callee.text}()`, host: target, secure: 'credentials.createSsl()' },
        edits: [{ ...spanOfNode(callee), text: callee.text.replace(/createInsecure$/, 'createSsl') }],
        title: 'Open the channel with TLS',
        needs: ['Make sure the server serves TLS on this port'],
      });
    }
  }
  return found;
}
