import rule from '../../../server/src/rules/code/sync-io-in-handler';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'async Express handlers: fs and bcrypt twins',
      path: 'server.js',
      text: `const express = require('express');
const fs = require('fs');
const bcrypt = require('bcrypt');
const app = express();

app.get('/invoice/:id', async (req, res) => {
  const template = «fs.readFileSync»('templates/invoice.html', 'utf8');
  const lines = «fs.readFileSync»('lines.txt', 'utf8').split('\\n');
  res.send(template + lines.length);
});
app.post('/register', async (req, res) => {
  const hash = «bcrypt.hashSync»(req.body.password, 12);
  res.json({ hash });
});
`,
      messages: [
        "`fs.readFileSync` blocks Node's only thread inside the request handler `GET /invoice/:id`: no other request of this process moves until it returns. Use the promise twin (fs.promises.readFile).",
      ],
      fixed: `const express = require('express');
const fs = require('fs');
const bcrypt = require('bcrypt');
const app = express();

app.get('/invoice/:id', async (req, res) => {
  const template = await fs.promises.readFile('templates/invoice.html', 'utf8');
  const lines = (await fs.promises.readFile('lines.txt', 'utf8')).split('\\n');
  res.send(template + lines.length);
});
app.post('/register', async (req, res) => {
  const hash = await bcrypt.hash(req.body.password, 12);
  res.json({ hash });
});
`,
    },
    {
      name: 'an indexed result is awaited in parentheses',
      path: 'reports.js',
      text: `const express = require('express');
const fs = require('fs');
const app = express();

app.get('/reports/latest', async (req, res) => {
  const newest = «fs.readdirSync»('reports')[0];
  res.download('reports/' + newest);
});
`,
      messageIds: ['blocking'],
      fixed: `const express = require('express');
const fs = require('fs');
const app = express();

app.get('/reports/latest', async (req, res) => {
  const newest = (await fs.promises.readdir('reports'))[0];
  res.download('reports/' + newest);
});
`,
    },
    {
      name: 'statSync without throwing answers undefined, which its promise twin does not: no fix',
      path: 'files.js',
      text: `const express = require('express');
const fs = require('fs');
const app = express();

app.get('/files/:name', async (req, res) => {
  const info = «fs.statSync»('files/' + req.params.name, { throwIfNoEntry: false });
  res.json({ exists: !!info, size: info?.size });
});
`,
    },
    {
      name: 'a synchronous handler gets no fix; zlib and a named import are reported',
      path: 'src/routes.ts',
      text: `import { Router } from 'express';
import { readdirSync } from 'node:fs';
import zlib from 'node:zlib';

const router = Router();
router.get('/files', (req, res) => {
  const names = «readdirSync»('data');
  res.send(«zlib.gzipSync»(JSON.stringify(names)));
});
export default router;
`,
    },
  ],
  clean: [
    {
      name: 'start-up reads, Lambda handlers and async calls',
      path: 'server.js',
      text: `const express = require('express');
const fs = require('fs');
const config = JSON.parse(fs.readFileSync('config.json', 'utf8'));
const app = express();
app.get('/', async (req, res) => res.send(await fs.promises.readFile('index.html')));
exports.handler = async (event) => ({ statusCode: 200, body: fs.readFileSync('page.html', 'utf8') });
`,
    },
  ],
});
