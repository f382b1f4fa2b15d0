import assert from 'node:assert/strict';
import { requestHandlers } from '../../server/src/engine/code/handlers';
import { moduleValues, requestDerived, writesIn } from '../../server/src/engine/code/state';
import { grammarFor, parseCode, type CodeModel } from '../../server/src/engine/parse/code';

async function withModel<T>(path: string, text: string, use: (model: CodeModel) => T): Promise<T> {
  const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
  try {
    return use(model);
  } finally {
    model.dispose();
  }
}

describe('engine/code/state', () => {
  it('classifies JS module values: collections, caches, counters, lazy slots and set-up', async () => {
    const kinds = await withModel(
      '/a.ts',
      `import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';
const items: Item[] = [];
const byId = new Map<string, Item>();
const seen = new Set();
const settings = {};
const profileCache = {};
const lru = new LRUCache({ max: 10 });
let count = 0;
let client;
const pool = new Pool();
const PATTERN = /x/;
const ROLES = ['a', 'b'] as const;
const FROZEN = Object.freeze({ a: 1 });
export const exported = [];
`,
      (model) =>
        Object.fromEntries([...moduleValues(model)].map(([name, v]) => [name, `${v.kind}:${v.container}`])),
    );
    assert.deepEqual(kinds, {
      items: 'collection:array',
      byId: 'collection:Map',
      seen: 'collection:Set',
      settings: 'collection:object',
      profileCache: 'cache:object',
      lru: 'cache:cache',
      count: 'scalar:counter',
      client: 'unset:variable',
      pool: 'fixed:object',
      PATTERN: 'fixed:value',
      ROLES: 'fixed:constant',
      FROZEN: 'fixed:value',
      exported: 'collection:array',
    });
  });

  it('classifies Python module values, including those under if/try at the top', async () => {
    const kinds = await withModel(
      '/a.py',
      `import re
from collections import defaultdict, deque
import boto3
from cachetools import TTLCache
items = []
table = {}
tags = set()
groups = defaultdict(list)
jobs = deque()
ttl = TTLCache(maxsize=10, ttl=60)
counter = 0
PATTERN = re.compile("x")
s3 = boto3.client("s3")
NAMES = ("a", "b")
try:
    registry = {}
except ImportError:
    pass
`,
      (model) =>
        Object.fromEntries([...moduleValues(model)].map(([name, v]) => [name, `${v.kind}:${v.container}`])),
    );
    assert.deepEqual(kinds, {
      items: 'collection:list',
      table: 'collection:dict',
      tags: 'collection:set',
      groups: 'collection:defaultdict',
      jobs: 'collection:deque',
      ttl: 'cache:cache',
      counter: 'scalar:counter',
      PATTERN: 'fixed:value',
      s3: 'fixed:value',
      NAMES: 'fixed:value',
      registry: 'collection:dict',
    });
  });

  it('finds writes through methods, subscripts, deletes, increments and globals, not through local shadows', async () => {
    const writes = await withModel(
      '/app.py',
      `from flask import Flask, request
app = Flask(__name__)
items = []
index = {}
hits = 0
name = None

@app.post("/x")
def x():
    global hits, name
    items.append(request.json)
    index[request.json["id"]]["tags"].add("new")
    del index["old"]
    hits += 1
    name = request.args["name"]
    local = []
    local.append(1)

@app.get("/y")
def y():
    items = []
    items.append(1)
    hits = 0
`,
      (model) => {
        const index = requestHandlers(model, '/app.py');
        const values = moduleValues(model);
        return index.handlers.map((h) =>
          writesIn(model, h.function, values).map((w) => `${w.value.name} ${w.operation} ${w.target.text}`),
        );
      },
    );
    assert.deepEqual(writes, [
      [
        'items mutate items.append',
        'index mutate index[request.json["id"]]["tags"].add',
        'hits increment hits',
        'name assign name',
        'index delete index["old"]',
      ],
      [],
    ]);
  });

  it('follows request data through local variables', async () => {
    const result = await withModel(
      '/s.js',
      `app.post('/x', (req, res) => {
  const body = req.body;
  const item = { ...body, at: Date.now() };
  const fixed = { at: Date.now() };
  store(item, fixed);
});
`,
      (model) => {
        const handler = requestHandlers(model, '/s.js').handlers[0];
        const call = handler.function
          .descendantsOfType('call_expression')
          .find((c) => c?.text.startsWith('store'))!;
        const [item, fixed] = call.childForFieldName('arguments')!.namedChildren;
        return [
          requestDerived(item!, handler.requestNames, handler.function),
          requestDerived(fixed!, handler.requestNames, handler.function),
        ];
      },
    );
    assert.deepEqual(result, [true, false]);
  });
});
