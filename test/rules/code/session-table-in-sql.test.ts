import rule from '../../../server/src/rules/code/session-table-in-sql';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'hand-written session and cart tables',
      path: 'auth.js',
      text: `await pool.query('INSERT INTO «sessions» (sid, user_id, data, expires) VALUES ($1, $2, $3, $4)', [sid, uid, data, exp]);
const { rows } = await pool.query(\`SELECT data FROM «user_sessions» WHERE sid = \${sid}\`);
await pool.query('DELETE FROM «cart_items» WHERE cart_id = $1', [cartId]);
`,
      messages: [
        'This writes the session table `sessions` in SQL: sessions are read on every request, written on many and expire, which loads the primary and leaves rows to purge. Keep them in Redis or DynamoDB with a TTL.',
        /reads the session table `user_sessions`/,
        /deletes from the cart table `cart_items`/,
      ],
    },
    {
      name: 'connect-pg-simple store',
      path: 'app.js',
      text: `const session = require('express-session');
const pgSession = «require('connect-pg-simple')»(session);
app.use(session({ store: new pgSession({ pool }), secret: process.env.SESSION_SECRET }));
`,
      messageIds: ['sqlSessionStore'],
      messages: [/^connect-pg-simple keeps sessions in a SQL table/],
    },
    {
      name: 'Django db sessions and Flask-Session in SQL, quoted schema-qualified table in Python',
      path: 'settings.py',
      text: `SESSION_ENGINE = "«django.contrib.sessions.backends.db»"
SESSION_TYPE = "«sqlalchemy»"
cursor.execute('UPDATE public."«Carts»" SET updated_at = now() WHERE id = %s', (cid,))
`,
      messageIds: ['djangoDatabaseSessions', 'flaskSqlSessions', 'cartTable'],
    },
  ],
  clean: [
    {
      name: 'domain tables that mention sessions, and orders',
      path: 'training.py',
      text: `cursor.execute("INSERT INTO training_sessions (athlete, minutes) VALUES (%s, %s)", (a, m))
cursor.execute("SELECT * FROM chat_sessions JOIN messages ON messages.session_id = chat_sessions.id")
cursor.execute("INSERT INTO orders (cart_id, total) VALUES (%s, %s)", (cid, total))
`,
    },
    {
      name: 'Redis sessions',
      path: 'app.js',
      text: `const { RedisStore } = require('connect-redis');\napp.use(session({ store: new RedisStore({ client }) }));\nconst text = 'the sessions table';\n`,
    },
  ],
});
