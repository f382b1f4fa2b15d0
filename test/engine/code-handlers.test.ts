import assert from 'node:assert/strict';
import { requestHandlers } from '../../server/src/engine/code/handlers';
import { grammarFor, parseCode } from '../../server/src/engine/parse/code';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

/** The handlers of a file as `name [framework/role]`, and the helper scopes as `helper <- handler`. */
async function handlersOf(
  path: string,
  text: string,
  files?: Record<string, string>,
): Promise<{ handlers: string[]; helpers: string[] }> {
  const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
  try {
    const index = requestHandlers(
      model,
      path,
      files ? inMemoryWorkspace({ ...files, [path]: text }) : undefined,
    );
    return {
      handlers: index.handlers.map((h) => `${h.name} [${h.framework}/${h.role}]`),
      helpers: index.scopes.filter((s) => s.via).map((s) => `${s.via} <- ${s.handler.name}`),
    };
  } finally {
    model.dispose();
  }
}

describe('engine/code/handlers', () => {
  it('finds Express routes, route chains, named handlers, middleware and helpers', async () => {
    const { handlers, helpers } = await handlersOf(
      '/app/server.js',
      `const express = require('express');
const app = express();
const router = express.Router();
function list(req, res) { render(res); }
function render(res) { res.end(); }
app.use((req, res, next) => next());
app.use(express.json());
app.get('/items', list);
router.route('/items/:id').get((req, res) => {}).delete(async (req, res) => {});
app.get('env');
`,
    );
    assert.deepEqual(handlers, [
      'middleware [express/request]',
      'list (GET /items) [express/request]',
      'DELETE /items/:id [express/request]',
      'GET /items/:id [express/request]',
    ]);
    assert.deepEqual(helpers, ['render <- list (GET /items)']);
  });

  it('recognises routes on objects from elsewhere only by their shape', async () => {
    const { handlers } = await handlersOf(
      '/app/routes.js',
      `module.exports = (router) => {
  router.get('/a', (req, res) => {});
  router.post('/b', async (request, reply) => {});
  cache.get('/key', (err, value) => {});
  client.get('/x', { params }, handleResponse);
};
`,
    );
    assert.deepEqual(handlers, ['GET /a [web/request]', 'POST /b [web/request]']);
  });

  it('finds handlers of a controller module, registered by a route file elsewhere', async () => {
    const controller = `const catchAsync = require('../utils/catchAsync');
const service = require('../services/orders');

exports.list = async (req, res) => res.json(await service.list());
const create = catchAsync(async (req, res) => res.status(201).json(await service.create(req.body)));
function format(order) { return order; }
module.exports.create = create;
module.exports.format = format;
`;
    // By its place: a controllers folder.
    assert.deepEqual((await handlersOf('/app/src/controllers/orders.js', controller)).handlers, [
      'list [express/request]',
      'create [express/request]',
    ]);
    // Anywhere else only when a route file of the app imports it and registers routes.
    const routes = `const express = require('express');
const orders = require('../lib/orders');
const router = express.Router();
router.get('/', orders.list);
router.post('/', orders.create);
module.exports = router;
`;
    const files = {
      '/app/package.json': '{"dependencies": {"express": "4"}}',
      '/app/src/routes/orders.js': routes,
    };
    assert.deepEqual((await handlersOf('/app/src/lib/orders.js', controller, files)).handlers, [
      'list [express/request]',
      'create [express/request]',
    ]);
    assert.deepEqual(
      (await handlersOf('/app/src/lib/orders.js', controller, { '/app/package.json': '{}' })).handlers,
      [],
    );
  });

  it('finds a handler that is a method of an object of the same file', async () => {
    const { handlers } = await handlersOf(
      '/app/server.js',
      `const express = require('express');
const app = express();
const items = {
  list(req, res) { res.json([]); },
  remove: (req, res) => res.sendStatus(204),
};
app.get('/items', items.list);
app.delete('/items/:id', items.remove);
`,
    );
    assert.deepEqual(handlers, [
      'items.list (GET /items) [express/request]',
      'items.remove (DELETE /items/:id) [express/request]',
    ]);
  });

  it('finds Fastify, Koa, Node http, NestJS controllers and providers', async () => {
    const { handlers } = await handlersOf(
      '/app/src/cats.ts',
      `import Fastify from 'fastify';
import Koa from 'koa';
import http from 'node:http';
import { Controller, Get, Injectable, Post } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
const fastify = Fastify();
fastify.route({ method: 'PUT', url: '/x', handler: async (request, reply) => {} });
const app = new Koa();
app.use(async (ctx) => {});
http.createServer((req, res) => res.end());
@Controller('cats')
export class CatsController {
  @Get(':id') findOne() {}
  helper() {}
}
@Injectable()
export class CatsService {
  constructor() {}
  create() {}
  @Cron('* * * * *') sweep() {}
}
`,
    );
    assert.deepEqual(handlers, [
      'PUT /x [fastify/request]',
      'middleware [koa/request]',
      'http server [node-http/request]',
      'CatsController.findOne (GET /cats/:id) [nestjs/request]',
      'CatsService.create [nestjs/provider]',
    ]);
  });

  it('finds Lambda handlers and tells API handlers from event handlers', async () => {
    const js = await handlersOf(
      '/fn/index.mjs',
      `export const handler = async (event) => ({ statusCode: 200, body: event.body });
export async function worker(event, context) { for (const r of event.Records) {} }
export const lambdaHandler = middy(base);
`,
    );
    assert.deepEqual(js.handlers, ['handler [lambda/request]', 'worker [lambda/event]']);
    const cjs = await handlersOf(
      '/fn/app.js',
      `const run = async (event) => {};\nmodule.exports = { handler: run };\n`,
    );
    assert.deepEqual(cjs.handlers, ['handler [lambda/event]']);
    const py = await handlersOf(
      '/fn/app.py',
      `def lambda_handler(event, context):\n    return {"statusCode": 200, "body": event["body"]}\n\ndef process(event, _):\n    pass\n\ndef helper(a, b):\n    pass\n`,
    );
    assert.deepEqual(py.handlers, ['lambda_handler [lambda/request]', 'process [lambda/event]']);
  });

  it('finds Next.js API routes and App Router handlers', async () => {
    const pages = await handlersOf(
      '/site/pages/api/users/[id].ts',
      `export default function handler(req, res) {}\n`,
    );
    assert.deepEqual(pages.handlers, ['API /api/users/[id] [nextjs/request]']);
    const app = await handlersOf(
      '/site/app/api/items/route.ts',
      `export async function GET(request) {}\nexport const POST = async () => {};\nexport function helper() {}\n`,
    );
    assert.deepEqual(app.handlers, ['GET /api/items [nextjs/request]', 'POST /api/items [nextjs/request]']);
  });

  it('finds Flask, FastAPI, blueprints, app factories, class views and Django views', async () => {
    const { handlers } = await handlersOf(
      '/site/app.py',
      `from flask import Flask as F, Blueprint
from fastapi import APIRouter
from flask_restful import Resource
from django.views import View
from rest_framework.decorators import api_view

bp = Blueprint("bp", __name__)
router = APIRouter()

def create_app():
    app = F(__name__)
    @app.route("/", methods=["GET", "POST"])
    def index():
        pass
    return app

@bp.get("/b")
def b():
    pass

@router.post("/items")
async def create_item(item):
    pass

@cache.get("key")
def not_a_route():
    pass

class Todo(Resource):
    def get(self, todo_id):
        pass
    def __init__(self):
        pass

class Page(View):
    def post(self, request):
        pass

@api_view(["GET"])
def hello(request):
    pass
`,
    );
    assert.deepEqual(handlers, [
      'index (GET, POST /) [flask/request]',
      'b (GET /b) [flask/request]',
      'create_item (POST /items) [fastapi/request]',
      'hello [django/request]',
      'Todo.get [django/request]',
      'Page.post [django/request]',
    ]);
    const views = await handlersOf(
      '/site/polls/views.py',
      `def index(request):\n    pass\n\ndef _helper(x):\n    pass\n`,
    );
    assert.deepEqual(views.handlers, ['index [django/request]']);
  });
});
