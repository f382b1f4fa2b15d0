import type { Node } from '../../engine/parse/syntax-tree';
import { applicationOf, type AppLanguage } from '../../engine/code/application';
import { requestHandlers } from '../../engine/code/handlers';
import { callSites } from '../../engine/code/imports';
import {
  callArguments,
  dottedName,
  nodesOfType,
  positionalArguments,
  sourceOf,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/** Dependencies that make an app a service that answers requests (where one disk is one instance's). */
const javascriptServers =
  /^(express|fastify|koa|@nestjs\/core|@hapi\/hapi|hono|restify|next|@remix-run\/node|polka|sails|@adonisjs\/core)$/;
const pythonServers =
  /^(flask|django|fastapi|quart|sanic|starlette|aiohttp|tornado|falcon|bottle|pyramid|litestar|chalice)$/;

/** Calls that open an SQLite file, by qualified name, and the argument that names the file. */
const openers: [RegExp, number][] = [
  [/^sqlite3\.(Database|cached\.Database)$/, 0],
  [/^better-sqlite3(\.default)?$/, 0],
  [/^sqlite3\.connect$/, 0],
  [/^aiosqlite\.connect$/, 0],
  [/^(sqlalchemy|sqlalchemy\.ext\.asyncio)\.(create_engine|create_async_engine)$/, 0],
  [/^sequelize(\.Sequelize)?$/, 0],
  [/^peewee\.SqliteDatabase$/, 0],
];

/** Settings and options that choose SQLite by name: `dialect: 'sqlite'`, Django's ENGINE. */
const sqliteOptions = /^(dialect|client|type|ENGINE|engine|driver)$/;
const sqliteValues = /^(sqlite|sqlite3|better-sqlite3|django\.db\.backends\.sqlite3|sqlite3?:\/\/.*)$/;
/** Connection settings whose value is a database URL (`SQLALCHEMY_DATABASE_URI = "sqlite:///…"`). */
const urlSettings = /^(SQLALCHEMY_DATABASE_URI|DATABASE_URL|DATABASE_URI|DB_URL|SQLALCHEMY_URL|url|uri)$/;

/** An SQLite database that lives in memory only (tests, caches of one run): nothing on disk to lose. */
function inMemory(value: string): boolean {
  return /:memory:|^sqlite(\+\w+)?:\/\/\/?$|mode=memory/.test(value);
}

export default defineRule({
  id: 'local-state/sqlite-database',
  lesson: 'local-state',
  title: "SQLite file as a service's database",
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    sqlite:
      "This service keeps its data in an SQLite file on the instance's own disk: a second instance has a database of its own, and the data is gone when the container or instance is replaced. Use a database server every instance reaches (RDS, Aurora, DynamoDB).",
  },
  docs: {
    what:
      'An SQLite file opened as the database of an app that serves requests: `sqlite3.connect("app.db")`, `create_engine("sqlite:///…")`, `SQLALCHEMY_DATABASE_URI = "sqlite:///…"`, Django\'s `ENGINE: "django.db.backends.sqlite3"`, `new sqlite3.Database(…)`, better-sqlite3, Sequelize, knex and TypeORM set to SQLite. ' +
      'The app counts as a service when it depends on a web framework (Express, Fastify, Koa, NestJS, Next.js, Flask, Django, FastAPI, …) or the file has request handlers. ' +
      'SQLite kept in memory (`:memory:`), an SQLite default that the environment overrides (`os.environ.get("DATABASE_URL") or "sqlite:///…"`), command-line tools and test files are left alone. There is no fix: moving the data is a migration.',
    why:
      'SQLite is a file on one disk. Behind a load balancer each instance writes its own copy, so users see different data depending on which one answers, and a write lock serialises every request of the instance. ' +
      'When the container or instance is replaced, which every deployment and scale-in does, the file goes with it unless it sits on a volume, and a volume attaches to one instance at a time. ' +
      'A database server that every instance reaches (RDS, Aurora, DynamoDB) keeps one copy of the data, backed up and replicated.',
    example: {
      language: 'python',
      code: `# settings.py
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}`,
    },
    useInstead: {
      language: 'python',
      code: `# settings.py
import dj_database_url

DATABASES = {"default": dj_database_url.config(env="DATABASE_URL")}  # RDS or Aurora`,
    },
    references: [
      { title: 'SQLite: appropriate uses', url: 'https://www.sqlite.org/whentouse.html' },
      { title: 'The Twelve-Factor App: backing services', url: 'https://12factor.net/backing-services' },
      { title: 'Amazon RDS', url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Welcome.html' },
    ],
  },
  checks: {
    js: (context) => check(context, 'js'),
    py: (context) => check(context, 'py'),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>, language: AppLanguage): void {
  if (!/sqlite/i.test(sourceOf(model))) return;
  const found = sqliteUses(model);
  if (found.length === 0) return;
  const servers = language === 'js' ? javascriptServers : pythonServers;
  const service =
    requestHandlers(model, document.path, workspace).handlers.length > 0 ||
    [...applicationOf(document.path, workspace, language).dependencies].some((name) => servers.test(name));
  if (!service) return;
  for (const node of found) report({ at: spanOfNode(node), messageId: 'sqlite' });
}

/** The literals and calls of the file that choose an SQLite file. */
function sqliteUses(model: CodeModel): Node[] {
  const found: Node[] = [];
  const seen = new Set<number>();
  const add = (node: Node) => {
    if (seen.has(node.id) || overriddenByEnvironment(node)) return;
    seen.add(node.id);
    found.push(node);
  };
  const python = model.grammar === 'python';
  for (const { call, name } of callSites(model)) {
    const opener = name && openers.find(([pattern]) => pattern.test(name));
    if (!opener) continue;
    const args = python ? positionalArguments(call) : callArguments(call);
    const file = args[opener[1]];
    const value = stringLiteral(file)?.value;
    // Sequelize and SQLAlchemy take other databases too: only a literal SQLite URL counts here
    // (options objects are read below).
    if (/sequelize|sqlalchemy/.test(name)) {
      if (value !== undefined && /^sqlite/.test(value) && !inMemory(value)) add(file!);
      continue;
    }
    if (value !== undefined ? inMemory(value) : file?.type === 'object') continue;
    add(call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function') ?? call);
  }
  for (const node of nodesOfType(model, ['pair', 'keyword_argument', 'assignment', 'variable_declarator'])) {
    const key =
      node.type === 'pair'
        ? node.childForFieldName('key')
        : node.type === 'keyword_argument' || node.type === 'variable_declarator'
          ? node.childForFieldName('name')
          : node.childForFieldName('left');
    const name =
      stringLiteral(key)?.value ??
      (key?.type === 'subscript' ? stringLiteral(key.childForFieldName('subscript'))?.value : undefined) ??
      (dottedName(key) ?? key?.text ?? '').split('.').pop() ??
      '';
    const value = node.childForFieldName(node.type === 'assignment' ? 'right' : 'value');
    const literal = stringLiteral(value);
    if (!value || !literal || inMemory(literal.value)) continue;
    if (sqliteOptions.test(name) && sqliteValues.test(literal.value)) {
      // `{ client: 'sqlite3', connection: { filename: ':memory:' } }`
      if (node.type === 'pair' && inMemory(node.parent?.text ?? '')) continue;
      add(value);
    } else if (urlSettings.test(name) && /^sqlite(\+\w+)?:\/\//.test(literal.value)) add(value);
  }
  return found;
}

/**
 * An SQLite default that the environment replaces: `os.environ.get("DATABASE_URL") or
 * "sqlite:///" + …`, `process.env.DATABASE_URL ?? 'sqlite:…'`, `os.getenv("DB", "sqlite:///…")`.
 */
function overriddenByEnvironment(node: Node): boolean {
  let current = node;
  for (let depth = 0; depth < 5; depth++) {
    const parent = current.parent;
    if (!parent) return false;
    const operator = parent.childForFieldName('operator')?.text ?? '';
    if (
      parent.type === 'boolean_operator' ||
      (parent.type === 'binary_expression' && /^(\|\||\?\?)$/.test(operator))
    ) {
      const left = parent.childForFieldName('left');
      if (left && left.id !== current.id && /process\.env|os\.environ|getenv|config\(/.test(left.text))
        return true;
    }
    if (parent.type === 'argument_list' || parent.type === 'arguments') {
      const callee = parent.parent?.childForFieldName('function')?.text ?? '';
      return /^(os\.environ\.get|os\.getenv|getenv|environ\.get|config|env(\.\w+)?)$/.test(callee);
    }
    if (
      ![
        'binary_expression',
        'binary_operator',
        'parenthesized_expression',
        'call',
        'call_expression',
      ].includes(parent.type)
    )
      return false;
    current = parent;
  }
  return false;
}
