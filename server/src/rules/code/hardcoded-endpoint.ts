import type { Node } from 'web-tree-sitter';
import { environmentEdits, environmentName } from '../../engine/code/env';
import { codeChildren } from '../../engine/code/edit';
import { bindingsOf, calleeQualifiedName, callSites } from '../../engine/code/imports';
import {
  callArguments,
  dottedName,
  nodesOfType,
  positionalArguments,
  sourceOf,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import { upperSnake } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';

/** URL schemes of databases, caches and queues, and the variable their URL usually lives in. */
const schemes: [RegExp, string, string][] = [
  [/^mongodb(\+srv)?$/, 'MONGODB_URI', 'database'],
  [/^rediss?$/, 'REDIS_URL', 'cache'],
  [/^(postgres|postgresql|mysql|mariadb|mssql|oracle|cockroachdb)(\+\w+)?$/, 'DATABASE_URL', 'database'],
  [/^amqps?$/, 'AMQP_URL', 'queue'],
  [/^kafka$/, 'KAFKA_BROKERS', 'queue'],
  [/^memcached?$/, 'MEMCACHED_URL', 'cache'],
  [/^nats$/, 'NATS_URL', 'queue'],
  [/^(neo4j|bolt)(\+s)?$/, 'NEO4J_URI', 'database'],
  [/^(cassandra|couchbase|couchbases|clickhouse)$/, 'DATABASE_URL', 'database'],
];

/** Modules of database, cache and queue clients (qualified callee names start with one of these). */
const clientModules =
  /^(pg|pg-promise|postgres|mysql|mysql2|mysql2\/promise|mariadb|ioredis|redis|mongoose|mongodb|sequelize|knex|typeorm|amqplib|amqplib\/callback_api|kafkajs|memjs|nats|@elastic\/elasticsearch|psycopg2|psycopg|asyncpg|pymysql|MySQLdb|mysql\.connector|aiomysql|aiopg|pymongo|motor|pika|aio_pika|kafka|confluent_kafka|celery|sqlalchemy|elasticsearch|pymemcache|bmemcached|cassandra|neo4j)(\.|$)/;

const hostKeys =
  /^(host|hostname|server|HOST|bootstrap_servers|bootstrap\.servers|brokers|servers|hosts|nodes|node|endpoint_url|broker|backend)$/;
const hostConstant =
  /^(DB|DATABASE|REDIS|MONGO|MONGODB|POSTGRES|POSTGRESQL|PG|MYSQL|MARIADB|CACHE|MEMCACHED?|RABBIT|RABBITMQ|AMQP|KAFKA|BROKER|ELASTIC|ELASTICSEARCH|QUEUE)_?(HOST|HOSTNAME|SERVER|SERVERS|ENDPOINT|ADDR|ADDRESS|BROKERS)$/i;

/** A host, `host:port` or IP address (not a port alone, a path, a sentence or an empty string). */
function isHost(value: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/.test(value) && !/^\d+$/.test(value);
}

/** Environment variable prefixes by client module, for host options that say only `host`. */
const modulePrefixes: [RegExp, string][] = [
  [/^(kafkajs|kafka|confluent_kafka)/, 'KAFKA'],
  [/^nats/, 'NATS'],
  [/elasticsearch/, 'ELASTICSEARCH'],
  [/^(memjs|pymemcache|bmemcached)/, 'MEMCACHED'],
  [/^(ioredis|redis)/, 'REDIS'],
  [/^(mongoose|mongodb|pymongo|motor)/, 'MONGO'],
  [/^(pika|aio_pika|amqplib)/, 'RABBITMQ'],
  [/^celery/, 'CELERY'],
];

function fallbackEnvName(module: string, key: string): string {
  const prefix = modulePrefixes.find(([pattern]) => pattern.test(module))?.[1] ?? 'DB';
  if (prefix === 'CELERY') return key === 'backend' ? 'CELERY_RESULT_BACKEND' : 'CELERY_BROKER_URL';
  const suffix = /^(host|hostname|server|HOST|node)$/.test(key) ? 'HOST' : upperSnake(key);
  return `${prefix}_${suffix}`;
}

/** Reads of configuration whose default this literal is: the fixed form, not a finding. */
const configReaders =
  /^(os\.environ\.get|os\.getenv|getenv|environ\.get|config|env|env\.str|env\.url|env\.db|decouple\.config)$/;

export interface Endpoint {
  literal: Node;
  /** The URL's or host's text. */
  value: string;
  kind: string;
  envName: string;
  /** Whether the text carries a password (then it is no default). */
  secret: boolean;
  /** A template with substitutions elsewhere: reported, but not rewritten. */
  template: boolean;
}

export default defineRule({
  id: 'container-ready/hardcoded-endpoint',
  lesson: 'container-ready',
  title: 'Database, cache or queue address written in code',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    inCode:
      '`{{address}}` is a {{kind}} address written in the code: inside a container `localhost` is the container itself, and each environment needs its own address. Read it from the environment ({{variable}}).',
  },
  docs: {
    what:
      'Connection URLs of databases, caches and queues written as literals (`mongodb://`, `redis://`, `postgresql://`, `mysql://`, `amqp://`, `kafka://`, …), ' +
      '`host` options and host arguments given as literals to their clients (pg, mysql, ioredis, mongoose, Sequelize, knex, amqplib, kafkajs, psycopg2, redis-py, pymongo, pika, Celery, SQLAlchemy, …), ' +
      'and module constants such as `REDIS_HOST = "localhost"`. A literal used as the default of an environment read is the recommended form and is not flagged; neither are test files.',
    why:
      'An image should run unchanged in every environment, and only its configuration should differ. ' +
      'A host written in the code ties the image to one of them: `localhost` inside a container is the container itself, and the address of the test database ends up in production (or the other way round). ' +
      'Changing it means a rebuild and a deployment. Read the address from the environment, so that the task definition, compose file or function configuration supplies it. ' +
      'The fix keeps the old value as the default for local runs, unless the URL holds a password.',
    example: {
      language: 'javascript',
      code: `const mongoose = require('mongoose');
const Redis = require('ioredis');

mongoose.connect('mongodb://localhost:27017/shop');
const redis = new Redis({ host: 'localhost', port: 6379 });`,
    },
    useInstead: {
      language: 'javascript',
      code: `const mongoose = require('mongoose');
const Redis = require('ioredis');

mongoose.connect(process.env.MONGODB_URI ?? 'mongodb://localhost:27017/shop');
const redis = new Redis({ host: process.env.REDIS_HOST ?? 'localhost', port: 6379 });`,
    },
    references: [
      { title: 'The Twelve-Factor App: backing services', url: 'https://12factor.net/backing-services' },
      { title: 'The Twelve-Factor App: config', url: 'https://12factor.net/config' },
      {
        title: 'Amazon ECS: pass environment variables to a container',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html',
      },
    ],
    fix:
      'Replaces the literal with a read of the environment that keeps the old value as the default (`process.env.NAME ?? …`, `os.environ.get("NAME", …)`, adding `import os`), so nothing changes until the variable is set. ' +
      'A URL that holds a password is no default: the fix then reads the variable without one and is a scaffold, since the variable must be set wherever the app runs.',
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, report }: CheckContext<CodeModel>): void {
  for (const endpoint of endpoints(model)) {
    report({
      at: { span: spanOfNode(endpoint.literal) },
      messageId: 'inCode',
      data: { address: maskPassword(endpoint.value), kind: endpoint.kind, variable: endpoint.envName },
      fix: endpoint.template
        ? undefined
        : (): Fix => ({
            title: `Read ${endpoint.envName} from the environment${endpoint.secret ? '' : ', keeping this value as the default'}`,
            // Without the default the app cannot start until the variable is set.
            ...(endpoint.secret ? { kind: 'scaffold' as const } : {}),
            edits: environmentEdits(model, document.lines, endpoint.literal, endpoint.envName, {
              keepDefault: !endpoint.secret,
            }),
          }),
    });
  }
}

/** `redis://user:p4ss@host` → `redis://user:****@host`. */
function maskPassword(value: string): string {
  return value.replace(/^([a-z][\w+.-]*:\/\/[^:/@\s]*):[^@\s]+@/i, '$1:****@');
}

/** Scheme, host and password of a connection URL; the host may not be a substitution. */
function parseUrl(text: string): { scheme: string; host: string; password: boolean } | undefined {
  const match = /^([a-z][\w+.-]*):\/\/(?:([^@/\s]*)@)?([^/?#\s,]*)/i.exec(text);
  if (!match) return undefined;
  return { scheme: match[1].toLowerCase(), host: match[3], password: !!match[2] && match[2].includes(':') };
}

function schemeOf(scheme: string): { envName: string; kind: string } | undefined {
  for (const [pattern, envName, kind] of schemes) if (pattern.test(scheme)) return { envName, kind };
  return undefined;
}

/** Whether a literal is the default of an environment read (`process.env.X || '…'`, `os.environ.get("X", "…")`). */
function isConfigDefault(literal: Node): boolean {
  let node = literal;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'binary_expression' || parent.type === 'boolean_operator') {
    const left = parent.childForFieldName('left');
    return !!left && left.id !== node.id && /process\.env|os\.environ|getenv|config|settings/.test(left.text);
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.text === 'default')
    return isConfigCall(parent.parent?.parent);
  if (parent.type === 'argument_list' || parent.type === 'arguments') return isConfigCall(parent.parent);
  return false;
}

function isConfigCall(call: Node | null | undefined): boolean {
  if (!call || (call.type !== 'call' && call.type !== 'call_expression')) return false;
  return configReaders.test(dottedName(call.childForFieldName('function')) ?? '');
}

/** Strings that are whole statements: docstrings and stray literals. */
function isDocstring(literal: Node): boolean {
  return literal.parent?.type === 'expression_statement';
}

export function endpoints(model: CodeModel): Endpoint[] {
  const found: Endpoint[] = [];
  const seen = new Set<number>();
  const add = (endpoint: Endpoint) => {
    if (seen.has(endpoint.literal.id)) return;
    seen.add(endpoint.literal.id);
    found.push(endpoint);
  };
  const bindings = bindingsOf(model);

  // Connection URLs anywhere.
  for (const literal of nodesOfType(model, ['string', 'template_string'])) {
    if (!literal || !literal.text.includes('://') || isDocstring(literal) || isConfigDefault(literal))
      continue;
    if (literal.parent?.type === 'concatenated_string') continue;
    const plain = stringLiteral(literal);
    const raw = plain?.value ?? templateText(literal);
    if (raw === undefined || /\s/.test(raw)) continue;
    const url = parseUrl(raw);
    const scheme = url && schemeOf(url.scheme);
    if (!url || !scheme || !url.host) continue;
    add({
      literal,
      value: plain ? raw : raw.replace(/\uE000/g, '…'),
      kind: scheme.kind,
      envName: ownEnvName(model, literal) ?? celeryEnvName(literal, bindings) ?? scheme.envName,
      secret: url.password,
      template: !plain,
    });
  }

  // Host options and arguments given to database, cache and queue clients.
  for (const { call, name: module } of callSites(model)) {
    if (!module || !clientModules.test(module)) continue;
    const kind = /redis|memcache|memjs/i.test(module)
      ? 'cache'
      : /amqp|kafka|pika|nats|celery/i.test(module)
        ? 'queue'
        : 'database';
    const addClientHost = (literal: Node, key: string) =>
      addHost(literal, kind, fallbackEnvName(module, key));
    const args = callArguments(call);
    for (const arg of args) {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text ?? '';
        if (hostKeys.test(name))
          hostLiterals(arg.childForFieldName('value')).forEach((l) => addClientHost(l, name));
      } else if (arg.type === 'object' || arg.type === 'dictionary') {
        objectHosts(arg, addClientHost, 0);
      }
    }
    // Positional hosts: new Redis(6379, 'cache'), redis.Redis('cache'), pika.ConnectionParameters('mq'), MongoClient('db', 27017).
    const positional = model.grammar === 'python' ? positionalArguments(call) : args;
    for (const arg of positional.slice(0, 2)) {
      const literal = stringLiteral(arg);
      if (literal && isHost(literal.value) && isPositionalHost(module)) addClientHost(arg, 'host');
    }
  }

  // Module constants: REDIS_HOST = "localhost", Django DATABASES HOST.
  const constants = /(HOST|SERVER|ENDPOINT|ADDR|BROKER)/i.test(sourceOf(model));
  for (const node of constants ? nodesOfType(model, ['assignment', 'variable_declarator', 'pair']) : []) {
    if (!node) continue;
    const nameNode = node.childForFieldName(
      node.type === 'assignment' ? 'left' : node.type === 'pair' ? 'key' : 'name',
    );
    const name = stringLiteral(nameNode)?.value ?? (dottedName(nameNode) ?? '').split('.').pop() ?? '';
    const value = node.childForFieldName(node.type === 'assignment' ? 'right' : 'value');
    if (!value || !(hostConstant.test(name) || (name === 'HOST' && ancestorText(node) === 'DATABASES')))
      continue;
    const literal = stringLiteral(value);
    if (literal && isHost(literal.value) && !isConfigDefault(value))
      addHost(
        value,
        /REDIS|CACHE|MEMCACHE/i.test(name)
          ? 'cache'
          : /AMQP|RABBIT|KAFKA|BROKER|QUEUE/i.test(name)
            ? 'queue'
            : 'database',
        name === 'HOST' ? 'DB_HOST' : upperSnake(name),
      );
  }
  return found;

  function addHost(literal: Node, kind: string, fallback: string) {
    const value = stringLiteral(literal)?.value;
    if (!value || isConfigDefault(literal)) return;
    const url = parseUrl(value);
    add({
      literal,
      value,
      kind,
      envName: ownEnvName(model, literal) ?? fallback,
      secret: !!url?.password,
      template: false,
    });
  }

  function objectHosts(object: Node, addClientHost: (literal: Node, key: string) => void, depth: number) {
    for (const entry of codeChildren(object)) {
      if (entry.type !== 'pair') continue;
      const key = entry.childForFieldName('key');
      const name = stringLiteral(key)?.value ?? key?.text ?? '';
      const value = entry.childForFieldName('value');
      if (!value) continue;
      if (hostKeys.test(name)) hostLiterals(value).forEach((l) => addClientHost(l, name));
      else if ((value.type === 'object' || value.type === 'dictionary') && depth < 2)
        objectHosts(value, addClientHost, depth + 1);
    }
  }
}

function hostLiterals(value: Node | null): Node[] {
  if (!value) return [];
  const endpoint = (text: string) => isHost(text) || /^https?:\/\/[^\s]+$/.test(text);
  const literal = stringLiteral(value);
  if (literal) return endpoint(literal.value) ? [value] : [];
  if (value.type === 'array' || value.type === 'list') {
    const items = codeChildren(value);
    return items.every((i) => stringLiteral(i)) ? items.filter((i) => endpoint(stringLiteral(i)!.value)) : [];
  }
  return [];
}

/** Clients whose first arguments may be a bare host. */
function isPositionalHost(module: string): boolean {
  return /^(ioredis|redis\.(Redis|StrictRedis)|pika\.ConnectionParameters|pymongo\.MongoClient|motor\.|memjs|pymemcache|bmemcached)/.test(
    module,
  );
}

/** The name the enclosing top-level assignment gives (`DATABASES` for a pair deep in its dict). */
function ancestorText(node: Node): string {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'assignment' || current.type === 'variable_declarator')
      return current.childForFieldName(current.type === 'assignment' ? 'left' : 'name')?.text ?? '';
  }
  return '';
}

/** A template's text with each substitution as U+E000, or undefined for other strings. */
function templateText(literal: Node): string | undefined {
  const parts = codeChildren(literal);
  if (!parts.some((p) => p.type === 'template_substitution' || p.type === 'interpolation')) return undefined;
  let text = '';
  for (const part of parts) {
    if (part.type === 'template_substitution' || part.type === 'interpolation') text += '\uE000';
    else if (
      part.type === 'string_fragment' ||
      part.type === 'string_content' ||
      part.type === 'escape_sequence'
    )
      text += part.text;
  }
  // The scheme and the host must be literal text: `${proto}://…` or `…@${host}` are already configurable.
  const url = /^([a-z][\w+.-]*):\/\/(?:[^@/\s]*@)?([^/?#\s,]*)/i.exec(text);
  if (!url || url[2].includes('\uE000') || url[2] === '') return undefined;
  return text;
}

/** The literal's own variable name when it names the setting well (`MONGO_URI`, `broker_url`). */
function ownEnvName(model: CodeModel, literal: Node): string | undefined {
  const name = environmentName(model, literal, '');
  if (
    !name ||
    /^(URL|URI|HOST|HOSTS|SERVER|SERVERS|NODE|NODES|BROKER|BROKERS|BACKEND|CONNECTION|CONNECTION_STRING|DSN|ENDPOINT_URL|BOOTSTRAP_SERVERS|DB|DATABASE|CLIENT|CONN)$/.test(
      name,
    )
  )
    return undefined;
  return name;
}

/** Celery(broker=…, backend=…) has its own well-known variable names. */
function celeryEnvName(literal: Node, bindings: ReturnType<typeof bindingsOf>): string | undefined {
  const keyword = literal.parent;
  if (keyword?.type !== 'keyword_argument') return undefined;
  const call = keyword.parent?.parent;
  if (call?.type !== 'call' || !/^celery(\.|$)/.test(calleeQualifiedName(call, bindings) ?? ''))
    return undefined;
  const key = keyword.childForFieldName('name')?.text;
  return key === 'broker' ? 'CELERY_BROKER_URL' : key === 'backend' ? 'CELERY_RESULT_BACKEND' : undefined;
}
