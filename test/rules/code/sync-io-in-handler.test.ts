import rule from '../../../server/src/rules/code/sync-io-in-handler';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Python: time.sleep inside coroutines, a FastAPI handler and a worker task',
      path: 'api/main.py',
      text: `import time
from time import sleep
from fastapi import FastAPI

app = FastAPI()

@app.get("/slow")
async def slow():
    «time.sleep»(0.5)
    return {"ok": True}

async def poll(queue):
    while True:
        delay = «sleep»(1) or 0
`,
      messages: [
        '`time.sleep` blocks the event loop inside the coroutine `slow`: no other request or task of this process moves while it sleeps. Use `await asyncio.sleep(…)`.',
        /inside the coroutine `poll`/,
      ],
      fixed: `import time
from time import sleep
from fastapi import FastAPI
import asyncio

app = FastAPI()

@app.get("/slow")
async def slow():
    await asyncio.sleep(0.5)
    return {"ok": True}

async def poll(queue):
    while True:
        delay = (await asyncio.sleep(1)) or 0
`,
    },
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
      name: 'Python: time.sleep in plain functions, and in a function a coroutine hands to a thread',
      path: 'worker.py',
      text: `import asyncio
import time

def retry_later():
    time.sleep(2)

async def run():
    def blocking():
        time.sleep(1)
    await asyncio.to_thread(blocking)
    await asyncio.sleep(1)
`,
    },
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
