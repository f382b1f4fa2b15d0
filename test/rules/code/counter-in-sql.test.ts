import rule from '../../../server/src/rules/code/counter-in-sql';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'view counter and upsert of hits with pg and mysql',
      path: 'posts.js',
      text: `app.get('/posts/:id', async (req, res) => {
  await pool.query('UPDATE posts SET «view_count = view_count + 1» WHERE id = $1', [req.params.id]);
  await db.execute(
    \`INSERT INTO page_hits (path, hits) VALUES (?, 1)
     ON DUPLICATE KEY UPDATE «hits = hits + 1»\`,
    [req.path],
  );
});
`,
      messages: [
        "`view_count` is a counter kept in SQL: every increment locks and rewrites the same row, so a busy counter becomes the database's bottleneck. Count in Redis (INCR) or a DynamoDB atomic counter, and copy totals to SQL now and then if they are needed there.",
      ],
    },
    {
      name: 'job progress and status in Python, f-string and implicit concatenation',
      path: 'worker.py',
      text: `def run(job_id, cursor):
    for i, row in enumerate(rows):
        cursor.execute(f"UPDATE import_jobs SET «progress = {i * 100 // len(rows)}» WHERE id = %s", (job_id,))
    cursor.execute(
        "UPDATE import_jobs "
        "SET «status = 'done'», finished_at = now() WHERE id = %s",
        (job_id,),
    )
    cursor.execute("UPDATE users SET «login_attempts = login_attempts + %s» WHERE id = %s", (1, uid))
`,
    },
    {
      name: 'ORM counters: Django F(), Sequelize increment, Prisma increment',
      path: 'views.py',
      text: `from django.db.models import F

def article(request, pk):
    Article.objects.filter(pk=pk).update(views=«F("views") + 1»)
`,
    },
    {
      name: 'Sequelize and Prisma',
      path: 'posts.ts',
      text: `import { Model } from 'sequelize';
import { PrismaClient } from '@prisma/client';
await post.increment(«'likes'»);
await prisma.post.update({ where: { id }, data: { «viewCount: { increment: 1 }» } });
`,
    },
  ],
  clean: [
    {
      name: 'increment() of telemetry and other libraries, in a file without an ORM',
      path: 'telemetry.ts',
      text: `measurement.increment({ visibilityChangeCount: 1 });\nthis.increment('hits', amount);\n`,
    },
    {
      name: 'stock, balances, versions and positions are business data',
      path: 'orders.js',
      text: `await pool.query('UPDATE products SET stock = stock - $1 WHERE id = $2', [qty, id]);
await pool.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, id]);
await pool.query('UPDATE docs SET version = version + 1, body = $1 WHERE id = $2', [body, id]);
await pool.query("UPDATE orders SET status = 'shipped' WHERE id = $1", [id]);
const views = 'views = views + 1';
`,
    },
    {
      name: 'reads of counters and a counter set to a value',
      path: 'stats.py',
      text: `cursor.execute("SELECT view_count FROM posts WHERE id = %s", (pid,))
cursor.execute("UPDATE posts SET view_count = %s WHERE id = %s", (total, pid))
`,
    },
  ],
});
