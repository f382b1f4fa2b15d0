import type { Node } from '../../engine/parse/syntax-tree';
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
  textIncludes,
} from '../../engine/code/syntax';
import { isDefaultLocalCredential } from '../../engine/default-credentials';
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
      '`{{address}}` is a {{kind}} address written in the code: inside a container `{{host}}` is the container itself, and each environment needs its own address. Read it from the environment ({{variable}}).',
    fixedHost:
      '`{{address}}` is a {{kind}} address fixed in the code: the address differs from one environment to the next, and changing it here takes a new build. Read it from the environment ({{variable}}).',
    serviceName:
      '`{{address}}` is a {{kind}} URL written in the code with its user and password: each environment needs its own credentials, and `{{host}}` resolves only where a compose file or a Kubernetes service gives that name. Read it from the environment ({{variable}}).',
  },
  docs: {
    what:
      'Connection URLs of databases, caches and queues written as literals (`mongodb://`, `redis://`, `postgresql://`, `mysql://`, `amqp://`, `kafka://`, …), ' +
      '`host` options and host arguments given as literals to their clients (pg, mysql, ioredis, mongoose, Sequelize, knex, amqplib, kafkajs, psycopg2, redis-py, pymongo, pika, Celery, SQLAlchemy, …), ' +
      'and module constants such as `REDIS_HOST = "localhost"`. A literal used as the default of an environment read is the recommended form and is not flagged (`process.env.X ?? "…"`, `cond ? process.env.X : "…"`, `os.getenv("X", "…")`, a schema `default` beside its `env`, a field of a pydantic `BaseSettings` class), and neither is a setting the code replaces from the environment further on (`config.db.host = process.env.DB_HOST || config.db.host`, `os.getenv("REDIS_HOST", REDIS_HOST)`), nor test files. ' +
      'A single-label host name (`redis`, `db`, `orders-db`: no dot, not `localhost`, not an IP address) is not flagged, as a host option, an argument, a constant or the host of a URL without a password: it is a service-discovery name, which compose, Kubernetes and ECS Service Connect resolve to the right address in each environment, so the code already runs unchanged everywhere the name is given. ' +
      'Such a URL that also carries a user and password is still reported, since the credentials differ per environment. `localhost`, IP addresses and dotted host names are always reported.',
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
  const overridden = overriddenSettings(model);
  for (const endpoint of endpoints(model)) {
    // A default the code replaces from the environment further on is the configurable form.
    const owner = settingPath(endpoint.literal);
    if (owner && overridden.has(owner)) continue;
    const host = hostOf(endpoint.value);
    const service = isServiceName(host);
    // A service-discovery name (`redis`, `db`): compose, Kubernetes and ECS Service Connect give
    // it its address in each environment. Only a URL that also carries credentials is reported.
    if (service && !endpoint.secret) continue;
    const password = passwordSpan(endpoint);
    report({
      at: { span: spanOfNode(endpoint.literal) },
      ...(password && !isDefaultPair(endpoint.value, host) ? { secret: password } : {}),
      messageId: service ? 'serviceName' : isLoopback(host) ? 'inCode' : 'fixedHost',
      data: {
        address: maskPassword(endpoint.value),
        kind: endpoint.kind,
        variable: endpoint.envName,
        ...(service || isLoopback(host) ? { host } : {}),
      },
      fix: endpoint.template
        ? undefined
        : (): Fix => ({
            title: `Read ${endpoint.envName} from the environment${endpoint.secret ? '' : ', keeping this value as the default'}`,
            // Without the default the app cannot start until the variable is set.
            ...(endpoint.secret
              ? {
                  kind: 'scaffold' as const,
                  needs: [
                    `Set ${endpoint.envName} wherever the app runs, from a secrets manager (the app fails without it)`,
                    'Rotate the password: the old URL stays in the repository history',
                  ],
                }
              : {}),
            edits: environmentEdits(model, document.lines, endpoint.literal, endpoint.envName, {
              keepDefault: !endpoint.secret,
            }),
          }),
    });
  }
}

/**
 * A single-label host name (`redis`, `db`, `orders-db`): a name that service discovery
 * resolves, not `localhost`, not an IP address (those have dots), not a dotted domain.
 */
function isServiceName(host: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(host) && !/^localhost$/i.test(host);
}

/** The container's own address: `localhost`, `127.x.x.x`, `::1`. */
function isLoopback(host: string): boolean {
  return /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[?::1\]?)$/i.test(host);
}

/** A URL whose user and password are its database's documented defaults (`postgres:postgres`). */
function isDefaultPair(value: string, host: string): boolean {
  const match = /^[a-z][\w+.-]*:\/\/([^:/@\s]*):(\S+)@[^@\s]*$/i.exec(value.split(/[/?#]/, 3).join('/'));
  return !!match && isDefaultLocalCredential(match[1], match[2], host);
}

/** The host of a URL or `host:port`, without user or port. */
function hostOf(value: string): string {
  const url = parseUrl(value);
  const host = url ? url.host : value;
  return host.split(',')[0].replace(/:\d+$/, '');
}

/** Where the password of a URL literal is, so that every output hides it. */
function passwordSpan(endpoint: Endpoint): { start: number; end: number } | undefined {
  if (!endpoint.secret) return undefined;
  const match = /^[a-z][\w+.-]*:\/\/[^:/@\s]*:(\S+)@[^@\s]*$/i.exec(
    endpoint.value.split(/[/?#]/, 3).join('/'),
  );
  const text = endpoint.literal.text;
  const password = match?.[1];
  const at = password ? text.indexOf(`:${password}@`) : -1;
  if (!password || at < 0) return undefined;
  const start = endpoint.literal.startIndex + at + 1;
  return { start, end: start + password.length };
}

/** `redis://user:p4ss@host` → `redis://user:****@host`; the password runs to the last `@`. */
function maskPassword(value: string): string {
  return value.replace(/^([a-z][\w+.-]*:\/\/[^:/@\s]*):\S+@(?=[^@\s]*$)/i, '$1:****@');
}

/** Scheme, host and password of a connection URL; the host may not be a substitution. */
function parseUrl(text: string): { scheme: string; host: string; password: boolean } | undefined {
  const match = /^([a-z][\w+.-]*):\/\/(?:([^/\s]*)@)?([^@/?#\s,]*)/i.exec(text);
  if (!match) return undefined;
  return { scheme: match[1].toLowerCase(), host: match[3], password: !!match[2] && match[2].includes(':') };
}

/** Whether a piece of code reads the environment or a configuration library. */
const readsEnvironment =
  /process\.env|os\.environ|\bgetenv\b|\benviron\.get\b|\benv\(|\benv\.(str|url|db)\(|\bconfig\(|import\.meta\.env/;

/**
 * Settings the code fills from the environment after giving them a literal: `DB_HOST =
 * os.environ.get("DB_HOST", DB_HOST)`, `if (process.env.MONGO_URL) mongoUrl = process.env.MONGO_URL`,
 * `config.db.host = process.env.DB_HOST || config.db.host`, `os.getenv("REDIS_HOST", REDIS_HOST)`.
 * By dotted path (`config.db.host`).
 */
function overriddenSettings(model: CodeModel): Set<string> {
  const found = new Set<string>();
  if (!readsEnvironment.test(sourceOf(model))) return found;
  for (const node of nodesOfType(model, ['assignment', 'assignment_expression', 'augmented_assignment'])) {
    // The right side is the end of the assignment's text: no read there without one here.
    if (!readsEnvironment.test(node.text)) continue;
    const right = node?.childForFieldName('right');
    const target = settingTarget(node?.childForFieldName('left'));
    if (target && right && readsEnvironment.test(right.text)) found.add(target);
  }
  // A literal's name given as the fall-back of an environment read.
  for (const node of nodesOfType(model, [
    'call',
    'call_expression',
    'binary_expression',
    'boolean_operator',
  ])) {
    if (!node) continue;
    // Every reader's name and every environment read holds `env` or `config`, written in the
    // node's text: most calls and operators are passed over on it.
    if (!textIncludes(model, node, 'env') && !textIncludes(model, node, 'config')) continue;
    const parts =
      node.type === 'call' || node.type === 'call_expression'
        ? configReaders.test(dottedName(node.childForFieldName('function')) ?? '')
          ? callArguments(node).map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') : a))
          : []
        : readsEnvironment.test(node.childForFieldName('left')?.text ?? '')
          ? [node.childForFieldName('right')]
          : [];
    for (const part of parts) {
      const target = settingTarget(part);
      if (target) found.add(target);
    }
  }
  return found;
}

/** `config.db.host`, `config["db"]["host"]`, `DB_HOST`: a dotted path, or undefined. */
function settingTarget(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'subscript' || node.type === 'subscript_expression') {
    const key = stringLiteral(node.childForFieldName(node.type === 'subscript' ? 'subscript' : 'index'));
    const object = settingTarget(node.childForFieldName(node.type === 'subscript' ? 'value' : 'object'));
    return key && object ? `${object}.${key.value}` : undefined;
  }
  const name = dottedName(node);
  return name?.replace(/^(self|this)\./, '');
}

/**
 * The dotted path a literal is the value of: `DB_HOST` for `DB_HOST = "…"`, `config.db.host`
 * for a pair inside `const config = { db: { host: '…' } }` (a few levels up at most).
 */
function settingPath(literal: Node): string | undefined {
  const keys: string[] = [];
  let node = literal;
  for (let depth = 0; depth < 6; depth++) {
    const parent = node.parent;
    if (!parent) return undefined;
    if (parent.type === 'pair') {
      const key = parent.childForFieldName('key');
      keys.unshift(stringLiteral(key)?.value ?? key?.text ?? '');
      const object = parent.parent;
      if (!object) return undefined;
      node = object;
      continue;
    }
    if (
      parent.type === 'variable_declarator' ||
      parent.type === 'assignment' ||
      parent.type === 'assignment_expression'
    ) {
      const target = settingTarget(
        parent.childForFieldName(parent.type === 'variable_declarator' ? 'name' : 'left'),
      );
      return target ? [target, ...keys].join('.') : undefined;
    }
    return undefined;
  }
  return undefined;
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
  // `process.env.X ? process.env.X : '…'`, `os.environ["X"] if … else "…"`.
  if (parent.type === 'ternary_expression' || parent.type === 'conditional_expression')
    return readsEnvironment.test(parent.text.replace(literal.text, ''));
  // convict and similar schemas: `{ default: '…', env: 'MONGO_URL' }`.
  if (
    parent.type === 'pair' &&
    /^(default|defaultValue|fallback)$/.test(parent.childForFieldName('key')?.text ?? '')
  )
    return codeChildren(parent.parent!).some(
      (p) =>
        p.type === 'pair' &&
        /^['"]?(env|envVar|env_var|environment)['"]?$/.test(p.childForFieldName('key')?.text ?? ''),
    );
  // pydantic settings fill every field from the environment: the literal is its default.
  if (inSettingsClass(parent)) return true;
  if (parent.type === 'binary_expression' || parent.type === 'boolean_operator') {
    const left = parent.childForFieldName('left');
    return !!left && left.id !== node.id && /process\.env|os\.environ|getenv|config|settings/.test(left.text);
  }
  if (parent.type === 'keyword_argument' && parent.childForFieldName('name')?.text === 'default')
    return isConfigCall(parent.parent?.parent);
  if (parent.type === 'argument_list' || parent.type === 'arguments') return isConfigCall(parent.parent);
  return false;
}

/** A field of a pydantic `BaseSettings` class (`redis_url: str = "redis://localhost"`). */
function inSettingsClass(node: Node): boolean {
  if (node.type !== 'assignment' || node.parent?.type !== 'expression_statement') return false;
  const cls = node.parent.parent?.parent;
  if (cls?.type !== 'class_definition') return false;
  return /\bBaseSettings\b/.test(cls.childForFieldName('superclasses')?.text ?? '');
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
    // The value first: most declarations, assignments and pairs give no string, and their names
    // need not be read.
    const value = node.childForFieldName(node.type === 'assignment' ? 'right' : 'value');
    const literal = stringLiteral(value);
    if (!value || !literal) continue;
    const nameNode = node.childForFieldName(
      node.type === 'assignment' ? 'left' : node.type === 'pair' ? 'key' : 'name',
    );
    const name = stringLiteral(nameNode)?.value ?? (dottedName(nameNode) ?? '').split('.').pop() ?? '';
    if (!(hostConstant.test(name) || (name === 'HOST' && ancestorText(node) === 'DATABASES'))) continue;
    if (isHost(literal.value) && !isConfigDefault(value))
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
