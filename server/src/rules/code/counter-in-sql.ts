import type { Node } from '../../engine/parse/syntax-tree';
import { codeChildren } from '../../engine/code/edit';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import { sqlAssignments, sqlStrings, sqlTables } from '../../engine/code/sql';
import {
  callArguments,
  calleeName,
  nodesOfType,
  sourceOf,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import { nameWords } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';
import type { Span } from '../../engine/text';

/** Column names that count events: `view_count`, `hits`, `likes`, `login_attempts`, `pageViews`. */
export function isCounterColumn(column: string): boolean {
  return nameWords(column).some((w) =>
    /^(count|counter|counts|views|hits|visits|clicks|likes|downloads|plays|impressions|upvotes|downvotes|votes|attempts|retries|pageviews|reads|opens|shares|favorites|favourites|stars)$/.test(
      w,
    ),
  );
}

const progressColumn =
  /^(progress|percent|percentage|pct|percent_complete|progress_pct|progress_percent|completion|processed|processed_count|completed_steps|current_step|eta)$/;
const statusColumn = /^(status|state|stage|step|phase)$/;
const jobTable = /(job|task|import|export|upload|batch|worker|queue|progress|pipeline|build)/;

export default defineRule({
  id: 'transient-state/counter-in-sql',
  lesson: 'transient-state',
  title: 'Counter or job progress kept in SQL',
  severity: 'info',
  equivalents: [],
  fix: 'no',
  messages: {
    counter:
      "`{{column}}` is a counter kept in SQL: every increment locks and rewrites the same row, so a busy counter becomes the database's bottleneck. Count in Redis (INCR) or a DynamoDB atomic counter, and copy totals to SQL now and then if they are needed there.",
    jobState:
      "This writes the {{state}} of a job to SQL: it changes many times while the job runs and is worthless afterwards, yet every update goes through the primary's write path, replicas and backups. Keep it in Redis (HSET with a TTL) or DynamoDB, and write only the outcome to SQL.",
  },
  docs: {
    what:
      'SQL that increments a counter column (`UPDATE posts SET view_count = view_count + 1`, `ON DUPLICATE KEY UPDATE hits = hits + 1`), or writes the progress or status of a job (`UPDATE jobs SET progress = ?`, `UPDATE import_tasks SET status = ?`), ' +
      'in string literals, template literals and f-strings; and the ORM forms of the same counters: Django `F("views") + 1`, Sequelize/knex/TypeORM `.increment("views")`, Prisma `{ views: { increment: 1 } }`. ' +
      'Only columns whose names count events are judged, so stock, balances and versions are left alone.',
    why:
      'Every increment of a popular counter locks and rewrites the same row, writes the transaction log, and queues behind the other requests doing the same: the hottest row of the database becomes the limit of the whole app, and the primary cannot be scaled out for it. ' +
      'Job progress changes many times a second and is worthless a day later, yet it fills the write path, the replicas and the backups. ' +
      'Counters and progress are transient state: Redis `INCR`/`HINCRBY`, a DynamoDB atomic counter or a metric take millions of them, and a summary can be written to SQL now and then.',
    example: {
      language: 'javascript',
      code: `app.get('/posts/:id', async (req, res) => {
  await pool.query('UPDATE posts SET view_count = view_count + 1 WHERE id = $1', [req.params.id]);
  res.json(await loadPost(req.params.id));
});`,
    },
    useInstead: {
      language: 'javascript',
      code: `app.get('/posts/:id', async (req, res) => {
  await redis.incr(\`post:\${req.params.id}:views\`); // copy to SQL in a periodic job if needed
  res.json(await loadPost(req.params.id));
});`,
    },
    references: [
      { title: 'Redis INCR', url: 'https://redis.io/docs/latest/commands/incr/' },
      {
        title: 'DynamoDB: atomic counters',
        url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.AtomicCounters',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, report }: CheckContext<CodeModel>): void {
  const counter = (span: Span, column: string) =>
    report({ at: span, messageId: 'counter', data: { column } });

  for (const sql of sqlStrings(model)) {
    const tables = sqlTables(sql);
    const written = tables.find((t) => t.operation === 'update' || t.operation === 'insert');
    for (const assignment of sqlAssignments(sql)) {
      const span = sql.span(assignment.start, assignment.end);
      if (!span) continue;
      const { column, expression } = assignment;
      const increments = new RegExp(
        `^(?:COALESCE\\(\\s*)?(?:[\`"\\w]+\\.)?[\`"]?${column}[\`"]?(?:\\s*,\\s*0\\s*\\))?\\s*[+-]\\s*(\\d+|\\?|\\$\\d+|:\\w+|%s|%\\(\\w+\\)s)$`,
        'i',
      ).test(expression.trim());
      if (increments && isCounterColumn(column)) counter(span, column);
      else if (
        progressColumn.test(column) ||
        (statusColumn.test(column) && written && jobTable.test(written.name))
      ) {
        report({
          at: span,
          messageId: 'jobState',
          data: { state: progressColumn.test(column) ? 'progress' : 'status' },
        });
      }
    }
  }

  // ORM counters.
  const bindings = bindingsOf(model);
  if (model.grammar === 'python') {
    for (const binary of /\bF\(/.test(sourceOf(model)) ? nodesOfType(model, 'binary_operator') : []) {
      const left = binary?.childForFieldName('left');
      if (
        !binary ||
        left?.type !== 'call' ||
        !/^\s*[+-]/.test(binary.text.slice(left.endIndex - binary.startIndex))
      )
        continue;
      const name = calleeQualifiedName(left, bindings);
      const column = stringLiteral(callArguments(left)[0])?.value;
      if (name === 'django.db.models.F' && column && isCounterColumn(column))
        counter(spanOfNode(binary), column);
    }
    return;
  }
  // `.increment('views')` means a database only in a file that uses an ORM (telemetry and
  // counters of other libraries have increment() methods too).
  const orm = [...bindings.values()].some((b) =>
    /^(sequelize|knex|typeorm|objection|bookshelf|@mikro-orm\/|@prisma\/client)/.test(b.module),
  );
  for (const call of orm ? nodesOfType(model, 'call_expression') : []) {
    if (!call) continue;
    const method = calleeName(call);
    if (method !== 'increment' && method !== 'decrement') continue;
    for (const argument of callArguments(call)) {
      const literal = stringLiteral(argument);
      if (literal && isCounterColumn(literal.value)) counter(spanOfNode(argument), literal.value);
      else if (argument.type === 'object')
        for (const pair of codeChildren(argument)) {
          const key = keyOf(pair);
          if (key && isCounterColumn(key)) counter(spanOfNode(pair), key);
        }
    }
  }
  // Prisma: prisma.post.update({ data: { views: { increment: 1 } } })
  for (const pair of orm ? nodesOfType(model, 'pair') : []) {
    const value = pair?.childForFieldName('value');
    const key = pair ? keyOf(pair) : undefined;
    if (!pair || !key || value?.type !== 'object' || !isCounterColumn(key)) continue;
    if (!insideUpdateCall(pair)) continue;
    if (codeChildren(value).some((inner) => keyOf(inner) === 'increment' || keyOf(inner) === 'decrement'))
      counter(spanOfNode(pair), key);
  }
}

function keyOf(pair: Node): string | undefined {
  if (pair.type !== 'pair') return undefined;
  const key = pair.childForFieldName('key');
  return stringLiteral(key)?.value ?? key?.text;
}

function insideUpdateCall(node: Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'call_expression')
      return /^(update|updateMany|upsert)$/.test(calleeName(current) ?? '');
  }
  return false;
}
