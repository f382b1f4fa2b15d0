import rule from '../../../server/src/rules/code/module-level-mutable-state';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'Flask REST tutorial: a module-level list of tasks',
      path: 'app.py',
      text: `from flask import Flask, jsonify, request

app = Flask(__name__)
tasks = [{"id": 1, "title": "Buy groceries", "done": False}]

@app.route("/todo/api/v1.0/tasks", methods=["GET"])
def get_tasks():
    return jsonify({"tasks": tasks})

@app.route("/todo/api/v1.0/tasks", methods=["POST"])
def create_task():
    task = {"id": tasks[-1]["id"] + 1, "title": request.json["title"], "done": False}
    «tasks.append»(task)
    return jsonify({"task": task}), 201

@app.route("/todo/api/v1.0/tasks/<int:task_id>", methods=["DELETE"])
def delete_task(task_id):
    task = [t for t in tasks if t["id"] == task_id]
    «tasks.remove»(task[0])
    return jsonify({"result": True})
`,
      messages: [
        '`tasks` is a module-level list that the request handler `create_task (POST /todo/api/v1.0/tasks)` writes to: every instance and worker process keeps its own copy, and it is lost at every restart, deployment or scale-in. Keep this data in a database or a shared store such as Redis or DynamoDB.',
        /`delete_task \(DELETE \/todo\/api\/v1\.0\/tasks\/<int:task_id>\)`/,
      ],
    },
    {
      name: 'Flask-RESTful resources writing a module dict, under an aliased import',
      path: 'api.py',
      text: `from flask import Flask as F
from flask_restful import Resource, Api, reqparse

app = F(__name__)
api = Api(app)
TODOS = {"todo1": {"task": "build an API"}}
parser = reqparse.RequestParser()

class Todo(Resource):
    def get(self, todo_id):
        return TODOS[todo_id]

    def delete(self, todo_id):
        del «TODOS[todo_id]»
        return "", 204

class TodoList(Resource):
    def post(self):
        args = parser.parse_args()
        todo_id = "todo%d" % (len(TODOS) + 1)
        «TODOS[todo_id]» = {"task": args["task"]}
        return TODOS[todo_id], 201
`,
      messages: [/`Todo.delete`/, /`TodoList.post`/],
    },
    {
      name: 'FastAPI CRUD with an annotated list and a router',
      path: 'main.py',
      text: `from typing import List
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

class Item(BaseModel):
    name: str

app = FastAPI()
router = APIRouter(prefix="/items")
items: List[Item] = []
fake_db = {}

@router.post("/")
async def create_item(item: Item):
    «items.append»(item)
    return item

@app.put("/items/{item_id}")
def update_item(item_id: int, item: Item):
    «fake_db[item_id]» = item
    return item
`,
      messages: [/`create_item \(POST \/\)`/, /`update_item \(PUT \/items\/\{item_id\}\)`/],
    },
    {
      name: 'Express: array, Map and a counter, handler given by name, through a helper',
      path: 'server.js',
      text: `const express = require('express');
const app = express();
const users = [];
const carts = new Map();
let visits = 0;

function register(req, res) {
  «users.push»({ name: req.body.name });
  res.sendStatus(201);
}

function addToCart(userId, item) {
  const cart = carts.get(userId) || [];
  cart.push(item);
  «carts.set»(userId, cart);
}

app.post('/register', register);
app.post('/cart', (req, res) => {
  addToCart(req.session.userId, req.body);
  res.end();
});
app.get('/', (req, res) => {
  «visits++»;
  res.send(\`\${visits} visits\`);
});
`,
      messages: [
        /^`users` is a module-level array that the request handler `register \(POST \/register\)` writes to/,
        /^`carts` is a module-level Map that `addToCart`, called by the request handler `POST \/cart` writes to/,
        /^`visits` is a module-level counter that the request handler `GET \/` changes/,
      ],
    },
    {
      name: 'passport login tutorial: users kept in an array, TypeScript',
      path: 'src/server.ts',
      text: `import express from 'express';
import bcrypt from 'bcrypt';

interface User { id: string; email: string; password: string }
const app = express();
const users: User[] = [];

app.post('/register', async (req, res) => {
  const hashedPassword = await bcrypt.hash(req.body.password, 10);
  «users.push»({ id: Date.now().toString(), email: req.body.email, password: hashedPassword });
  res.redirect('/login');
});
`,
    },
    {
      name: 'a controller module: exported handlers registered by a route file elsewhere',
      path: 'src/controllers/comments.controller.js',
      text: `const comments = [];

exports.add = (req, res) => {
  «comments.push»(req.body);
  res.status(201).end();
};
exports.count = (req, res) => res.json({ n: comments.length });
`,
      messages: [/^`comments` is a module-level array that the request handler `add` writes to/],
    },
    {
      name: 'a router passed in from another file, and a module variable set from the request',
      path: 'routes/index.js',
      text: `let lastSearch;
const seen = {};

module.exports = function (router) {
  router.get('/search', (req, res) => {
    «lastSearch» = req.query.q;
    «seen[req.ip]» = true;
    res.json([]);
  });
};
`,
      messages: [
        /`lastSearch` is a module-level variable that the request handler `GET \/search` sets from request data/,
      ],
    },
    {
      name: 'Lambda handlers: Node and Python',
      path: 'handler.mjs',
      text: `const processed = new Set();

export const handler = async (event) => {
  for (const record of event.Records) «processed.add»(record.messageId);
  return { batchItemFailures: [] };
};
`,
      messages: [
        /^`processed` is a module-level Set that the Lambda handler `handler` writes to: each concurrent Lambda execution environment/,
      ],
    },
    {
      name: 'Lambda handler keeping the tenant of the request in a module variable',
      path: 'orders.mjs',
      text: `let currentTenant;

export const handler = async (event) => {
  «currentTenant» = event.headers['x-tenant-id'];
  return { statusCode: 200, body: JSON.stringify(await listOrders(currentTenant)) };
};
`,
      messageIds: ['lambdaSetFromRequest'],
      messages: [
        "`currentTenant` is a module-level variable that the Lambda handler `handler` sets from request data: concurrent requests overwrite each other's value, and the other instances never see it. Keep it in the request, the session, or DynamoDB, ElastiCache or S3.",
      ],
    },
    {
      name: 'Python Lambda handler with a global counter',
      path: 'lambda_function.py',
      text: `import json

orders_received = 0
seen_users = {}

def lambda_handler(event, context):
    global orders_received
    «orders_received» += 1
    body = json.loads(event["body"])
    «seen_users[body["user"]]» = body
    return {"statusCode": 200, "body": json.dumps({"n": orders_received})}
`,
      messageIds: ['lambdaCounter', 'lambdaCollection'],
    },
    {
      name: 'NestJS service and controller keeping an array field',
      path: 'src/cats/cats.service.ts',
      text: `import { Controller, Get, Injectable, Post, Body } from '@nestjs/common';

@Injectable()
export class CatsService {
  private readonly cats: Cat[] = [];

  create(cat: Cat) {
    «this.cats.push»(cat);
  }

  findAll(): Cat[] {
    return this.cats;
  }
}

@Controller('dogs')
export class DogsController {
  private dogs = new Map<string, Dog>();

  @Post()
  create(@Body() dog: Dog) {
    «this.dogs.set»(dog.name, dog);
  }
}
`,
      messages: [
        /`this.cats` is an array field of a long-lived class instance that `CatsService.create` \(a NestJS provider/,
        /`DogsController.create \(POST \/dogs\)`/,
      ],
    },
    {
      name: 'Django views module and class-based view',
      path: 'polls/views.py',
      text: `from django.http import JsonResponse
from django.views import View

VOTES = {}

def vote(request, question_id):
    «VOTES[question_id]» = VOTES.get(question_id, 0) + 1
    return JsonResponse({"votes": VOTES[question_id]})

class Subscribe(View):
    emails = []

    def post(self, request):
        «SUBSCRIBERS.append»(request.POST["email"])
        return JsonResponse({})

SUBSCRIBERS = []
`,
    },
    {
      name: 'a per-process cache filled with request data is advice (info)',
      path: 'app.js',
      text: `const express = require('express');
const { LRUCache } = require('lru-cache');
const app = express();
const profiles = new LRUCache({ max: 500 });

app.get('/profile/:id', async (req, res) => {
  let profile = profiles.get(req.params.id);
  if (!profile) {
    profile = await loadProfile(req.params.id);
    «profiles.set»(req.params.id, profile);
  }
  res.json(profile);
});
`,
      messages: [/is a cache inside this process/],
    },
    {
      name: 'Koa and Fastify apps',
      path: 'server.mjs',
      text: `import Koa from 'koa';
import Router from '@koa/router';
import Fastify from 'fastify';

const app = new Koa();
const router = new Router();
const fastify = Fastify();
const likes = {};
const events = [];

router.post('/like/:id', (ctx) => {
  «likes[ctx.params.id]» = (likes[ctx.params.id] || 0) + 1;
});
fastify.route({
  method: 'POST',
  url: '/events',
  handler: async (request, reply) => {
    «events.push»(request.body);
    return { ok: true };
  },
});
`,
    },
    {
      name: 'Next.js API route',
      path: 'pages/api/guestbook.ts',
      text: `const entries: string[] = [];

export default function handler(req, res) {
  if (req.method === 'POST') «entries.push»(req.body.message);
  res.status(200).json(entries);
}
`,
      messages: [/`API \/api\/guestbook`/],
    },
  ],
  clean: [
    {
      name: 'a mock server in a test records the requests it gets',
      path: 'test/payments.test.js',
      text: `const express = require('express');
const received = [];
const app = express();
app.post('/charges', (req, res) => {
  received.push(req.body);
  res.json({ id: 'ch_1' });
});
`,
    },
    {
      name: 'Lambda reusing SDK clients, a compiled regex and configuration at module level',
      path: 'handler.js',
      text: `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const EMAIL = /^[^@]+@[^@]+$/;
const config = Object.freeze({ table: process.env.TABLE_NAME });
let cachedSecret;

exports.handler = async (event) => {
  if (!cachedSecret) cachedSecret = await loadSecret();
  const item = JSON.parse(event.body);
  if (!EMAIL.test(item.email)) return { statusCode: 400 };
  await client.send(new PutCommand({ TableName: config.table, Item: item }));
  return { statusCode: 201 };
};
`,
    },
    {
      name: 'Python Lambda with boto3 clients and a connection created lazily',
      path: 'app.py',
      text: `import os
import re
import boto3

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
PATTERN = re.compile(r"^[a-z]+$")
_connection = None
_settings = {}

def get_connection():
    global _connection
    if _connection is None:
        _connection = connect(os.environ["DB_URL"])
    return _connection

def lambda_handler(event, context):
    if not _settings:
        _settings.update(load_settings())
    conn = get_connection()
    table.put_item(Item={"id": event["id"]})
    return {"statusCode": 200}
`,
    },
    {
      name: 'per-instance lifecycle state: cold start, invocations of this environment, requests in flight, readiness',
      path: 'lambda_function.py',
      text: `cold_start = True
invocations = 0

def lambda_handler(event, context):
    global cold_start, invocations
    invocations += 1
    was_cold, cold_start = cold_start, False
    return {"statusCode": 200, "body": str(was_cold)}
`,
    },
    {
      name: 'an Express server counting requests in flight and draining, and SSE connections kept open',
      path: 'server.js',
      text: `const express = require('express');
const app = express();
let inFlight = 0;
let isShuttingDown = false;
const subscribers = new Set();
app.use((req, res, next) => {
  if (isShuttingDown) return res.sendStatus(503);
  inFlight++;
  res.on('finish', () => inFlight--);
  next();
});
app.get('/events', (req, res) => {
  subscribers.add(res);
  req.on('close', () => subscribers.delete(res));
});
app.post('/admin/drain', (req, res) => {
  isShuttingDown = true;
  res.sendStatus(202);
});
`,
    },
    {
      name: 'Lambda SDK clients and configuration cached between invocations, keyed by the event',
      path: 'handler.js',
      text: `const { S3Client } = require('@aws-sdk/client-s3');
const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');
const ssm = new SSMClient({});
const clients = {};
let regionalClient;
const parameters = {};

exports.handler = async (event) => {
  clients[event.region] ??= new S3Client({ region: event.region });
  regionalClient = regionalClient ?? new S3Client({ region: event.region });
  parameters[event.name] = await ssm.send(new GetParameterCommand({ Name: event.name }));
  return { statusCode: 200 };
};
`,
    },
    {
      name: 'an in-memory repository class, picked by configuration beside a Redis one',
      path: 'src/carts/in-memory-cart.repository.ts',
      text: `import { Injectable } from '@nestjs/common';

@Injectable()
export class InMemoryCartRepository {
  private carts = new Map<string, string[]>();

  save(id: string, items: string[]) {
    this.carts.set(id, items);
  }
}
`,
    },
    {
      name: 'writes outside any handler, at start-up',
      path: 'app.py',
      text: `from flask import Flask
app = Flask(__name__)
routes = []
routes.append("/health")

def register(path):
    routes.append(path)

register("/ready")

@app.get("/health")
def health():
    return {"ok": True}
`,
    },
    {
      name: 'local variables that shadow module names',
      path: 'server.js',
      text: `const express = require('express');
const app = express();
const items = [];
app.get('/items', (req, res) => {
  const items = [];
  items.push(req.query.q);
  const result = {};
  result[req.query.q] = true;
  res.json(items);
});
`,
    },
    {
      name: 'Python locals, comprehensions and a list read only',
      path: 'views.py',
      text: `from fastapi import FastAPI
app = FastAPI()
items = []

@app.get("/items")
def list_items(q: str = ""):
    items = [i for i in load() if q in i]
    items.append("x")
    return items
`,
    },
    {
      name: 'a request-scoped object, a database client and a Redis client',
      path: 'app.js',
      text: `const express = require('express');
const Redis = require('ioredis');
const { Pool } = require('pg');
const app = express();
const redis = new Redis(process.env.REDIS_URL);
const pool = new Pool();
app.post('/like/:id', async (req, res) => {
  await redis.incr(\`likes:\${req.params.id}\`);
  await pool.query('INSERT INTO likes (post) VALUES ($1)', [req.params.id]);
  res.locals.user = req.user;
  res.end();
});
`,
    },
    {
      name: 'a cache filled with data that does not depend on the request',
      path: 'app.py',
      text: `from flask import Flask
app = Flask(__name__)
_config_cache = {}

@app.get("/settings")
def settings():
    _config_cache["flags"] = fetch_flags()
    return _config_cache
`,
    },
    {
      name: 'functions that look like handlers but are not registered anywhere',
      path: 'utils.js',
      text: `const seen = [];
function track(req, res) {
  seen.push(req.url);
}
module.exports = { track };
`,
    },
    {
      name: 'a client cache keyed by region',
      path: 'handler.py',
      text: `import boto3
clients = {}

def handler(event, context):
    region = event["region"]
    if region not in clients:
        clients[region] = boto3.client("s3", region_name=region)
    return {"statusCode": 200}
`,
    },
  ],
});
