import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import { sqlStrings, sqlTables } from '../../engine/code/sql';
import { nodesOfType, spanOfNode, stringLiteral } from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/** Tables of HTTP sessions and shopping carts (not `training_sessions` or `chat_sessions`: domain data). */
const sessionTable =
  /^(sessions?|user_?sessions?|http_?sessions?|web_?sessions?|login_?sessions?|auth_?sessions?|django_session|express_?sessions?|sess)$/;
const cartTable =
  /^(carts?|cart_?items?|cart_?lines?|cart_?products?|shopping_?carts?|shopping_?cart_?items?|baskets?|basket_?items?)$/;

/** Session stores that keep express-session data in a SQL table. */
const sqlSessionStores =
  /^(connect-pg-simple|express-mysql-session|connect-session-sequelize|connect-session-knex|@quixo3\/prisma-session-store|connect-typeorm|connect-mssql-v2|connect-sqlite3|better-sqlite3-session-store)(\.|$)/;

export default defineRule({
  id: 'transient-state/session-table-in-sql',
  lesson: 'transient-state',
  title: 'Sessions or shopping carts kept in SQL tables',
  severity: 'info',
  equivalents: [],
  fix: 'no',
  messages: {
    sessionTable:
      'This {{verb}} the session table `{{table}}` in SQL: sessions are read on every request, written on many and expire, which loads the primary and leaves rows to purge. Keep them in Redis or DynamoDB with a TTL.',
    cartTable:
      'This {{verb}} the cart table `{{table}}` in SQL: carts change often, expire and are mostly abandoned. Keep them in Redis or DynamoDB with a TTL, and write the order to SQL at checkout.',
    djangoDatabaseSessions:
      'Sessions are stored in the database (django_session): a read per request and a table of expired rows to purge with clearsessions. The cache backend on Redis keeps them out of SQL and expires them by itself.',
    flaskSqlSessions:
      'Flask-Session keeps sessions in a SQL table: a read per request and expired rows to purge. SESSION_TYPE "redis" keeps them out of SQL and expires them by itself.',
    sqlSessionStore:
      '{{module}} keeps sessions in a SQL table: a read per request and often a write, on the primary, and expired rows to purge. A Redis store (connect-redis) or DynamoDB with a TTL keeps them out of SQL.',
  },
  docs: {
    what:
      'SQL in string literals that reads or writes a session or cart table (`sessions`, `user_sessions`, `django_session`, `carts`, `cart_items`, `basket`, …); ' +
      'express-session stores that keep sessions in a SQL table (connect-pg-simple, express-mysql-session, connect-session-sequelize, connect-session-knex, the Prisma and TypeORM stores); ' +
      'and settings that choose SQL for sessions (Django `SESSION_ENGINE = "…backends.db"`, Flask-Session `SESSION_TYPE = "sqlalchemy"`). ' +
      'Tables that only contain the word, such as `training_sessions`, are domain data and left alone.',
    why:
      'A session is read on every request and written on many, and it expires: in SQL that is a read and often a write per page view on the primary, plus a table that grows until a job deletes the expired rows (locking as it goes). ' +
      'Carts are the same kind of data until checkout: busy, short-lived and abandoned most of the time. ' +
      'A key-value store with expiry (Redis/ElastiCache with a TTL, DynamoDB with TTL) serves them in a millisecond, scales out, and forgets them by itself; the order that a cart becomes belongs in SQL.',
    example: {
      language: 'javascript',
      code: `const pgSession = require('connect-pg-simple')(session);

app.use(session({ store: new pgSession({ pool }), secret: process.env.SESSION_SECRET }));`,
    },
    useInstead: {
      language: 'javascript',
      code: `const { RedisStore } = require('connect-redis');

app.use(session({
  store: new RedisStore({ client: redisClient }), // expires sessions by itself
  secret: process.env.SESSION_SECRET,
}));`,
    },
    references: [
      {
        title: 'AWS: session management with ElastiCache',
        url: 'https://aws.amazon.com/caching/session-management/',
      },
      {
        title: 'DynamoDB: expiring items with Time to Live',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, report }: CheckContext<CodeModel>): void {
  for (const sql of sqlStrings(model)) {
    const reported = new Set<string>();
    for (const table of sqlTables(sql)) {
      const kind = sessionTable.test(table.name)
        ? 'session'
        : cartTable.test(table.name)
          ? 'cart'
          : undefined;
      if (!kind || reported.has(table.name)) continue;
      const span = sql.span(table.start, table.end);
      if (!span) continue;
      reported.add(table.name);
      report({
        at: span,
        messageId: kind === 'session' ? 'sessionTable' : 'cartTable',
        data: { verb: verb(table.operation), table: table.name },
      });
    }
  }

  if (model.grammar === 'python') {
    for (const assignment of nodesOfType(model, 'assignment')) {
      const left = assignment?.childForFieldName('left');
      const value = stringLiteral(assignment?.childForFieldName('right'));
      const name =
        left?.type === 'subscript'
          ? stringLiteral(left.childForFieldName('subscript'))?.value
          : left?.text.split('.').pop();
      if (!assignment || !value) continue;
      if (name === 'SESSION_ENGINE' && /^django\.contrib\.sessions\.backends\.db$/.test(value.value)) {
        report({
          at: value.content,
          messageId: 'djangoDatabaseSessions',
        });
      } else if (name === 'SESSION_TYPE' && value.value === 'sqlalchemy') {
        report({
          at: value.content,
          messageId: 'flaskSqlSessions',
        });
      }
    }
    return;
  }

  const bindings = bindingsOf(model);
  for (const call of nodesOfType(model, ['call_expression', 'new_expression'])) {
    if (!call) continue;
    const module = calleeQualifiedName(call, bindings);
    if (!module || !sqlSessionStores.test(module)) continue;
    report({
      at: spanOfNode(
        call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function') ?? call,
      ),
      messageId: 'sqlSessionStore',
      data: { module: module.split('.')[0] },
    });
    break;
  }
}

function verb(operation: string): string {
  return operation === 'select' ? 'reads' : operation === 'delete' ? 'deletes from' : 'writes';
}
