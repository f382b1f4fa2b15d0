import assert from 'node:assert/strict';
import { sqlAssignments, sqlStrings, sqlTables } from '../../server/src/engine/code/sql';
import { grammarFor, parseCode } from '../../server/src/engine/parse/code';

async function statements(path: string, text: string) {
  const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
  try {
    return sqlStrings(model).map((sql) => ({
      text: sql.text,
      tables: sqlTables(sql).map((t) => {
        const span = sql.span(t.start, t.end)!;
        return `${t.operation} ${t.name} @${text.slice(span.start, span.end)}`;
      }),
      assignments: sqlAssignments(sql).map((a) => {
        const span = sql.span(a.start, a.end);
        return span ? text.slice(span.start, span.end) : `(${a.column})`;
      }),
    }));
  } finally {
    model.dispose();
  }
}

describe('engine/code/sql', () => {
  it('reads statements from JS strings and templates, with spans into the document', async () => {
    const found = await statements(
      '/q.js',
      "db.query('UPDATE posts SET views = views + 1, title = $1 WHERE id = $2');\n" +
        'db.query(`SELECT * FROM "public"."Sessions" s JOIN users u ON u.id = s.user_id WHERE sid = ${sid}`);\n' +
        "const label = 'Update your profile';\n",
    );
    assert.deepEqual(found, [
      {
        text: 'UPDATE posts SET views = views + 1, title = $1 WHERE id = $2',
        tables: ['update posts @posts'],
        assignments: ['views = views + 1', 'title = $1'],
      },
      {
        text: 'SELECT * FROM "public"."Sessions" s JOIN users u ON u.id = s.user_id WHERE sid = ?',
        tables: ['select sessions @Sessions', 'select users @users'],
        assignments: [],
      },
    ]);
  });

  it('reads Python f-strings and implicit concatenation', async () => {
    const found = await statements(
      '/q.py',
      'cur.execute(f"UPDATE jobs SET progress = {pct} WHERE id = %s", (i,))\n' +
        'cur.execute("INSERT INTO cart_items (cart, sku) "\n            "VALUES (%s, %s) ON DUPLICATE KEY UPDATE qty = qty + 1", (c, s))\n' +
        'cur.execute(b"DELETE FROM sessions")\n',
    );
    assert.deepEqual(found, [
      {
        text: 'UPDATE jobs SET progress = ? WHERE id = %s',
        tables: ['update jobs @jobs'],
        assignments: ['progress = {pct}'],
      },
      {
        text: 'INSERT INTO cart_items (cart, sku) VALUES (%s, %s) ON DUPLICATE KEY UPDATE qty = qty + 1',
        tables: ['insert cart_items @cart_items'],
        assignments: ['qty = qty + 1'],
      },
    ]);
  });
});
