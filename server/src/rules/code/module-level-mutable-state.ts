import { requestState, type RequestState } from '../../engine/code/request-state';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type MessageData } from '../../engine/rule';

export default defineRule({
  id: 'local-state/module-level-mutable-state',
  lesson: 'local-state',
  title: 'Request data kept in a module-level variable',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    collection:
      '`{{name}}` is {{container}} that {{scope}} writes to: every instance and worker process keeps its own copy, and it is lost at every restart, deployment or scale-in. Keep this data in a database or a shared store such as Redis or DynamoDB.',
    lambdaCollection:
      '`{{name}}` is {{container}} that {{scope}} writes to: each concurrent Lambda execution environment has its own copy, kept for some invocations and lost for others. Keep this data in DynamoDB, ElastiCache or S3.',
    cache:
      '`{{name}}` is a cache inside this process that {{scope}} fills with request data: each instance warms and keeps its own copy, so instances disagree after an update and every deployment starts cold. That is fine for data that never changes; otherwise use a shared cache (ElastiCache/Redis).',
    counter:
      '`{{name}}` is a module-level counter that {{scope}} changes: each instance counts only the requests it served, and the count starts again at zero with every new process. Count in a shared store instead (Redis INCR, a DynamoDB atomic counter, or a metric).',
    lambdaCounter:
      '`{{name}}` is a module-level counter that {{scope}} changes: each execution environment counts only the invocations it served, and the count starts again at zero with every new environment. Count in a shared store instead (Redis INCR, a DynamoDB atomic counter, or a metric).',
    setFromRequest:
      "`{{name}}` is a module-level variable that {{scope}} sets from request data: concurrent requests overwrite each other's value, and the other instances never see it. Keep it in the request, the session, or a database or a shared store such as Redis or DynamoDB.",
    lambdaSetFromRequest:
      "`{{name}}` is a module-level variable that {{scope}} sets from request data: concurrent requests overwrite each other's value, and the other instances never see it. Keep it in the request, the session, or DynamoDB, ElastiCache or S3.",
  },
  docs: {
    what:
      'A list, dict, array, Map, Set or object defined at the top of a module (or as a field of a NestJS controller or provider) that a request handler writes to: ' +
      'Express, Fastify, Koa, Hono, NestJS, Next.js API routes, Node http servers, Lambda handlers, Flask, FastAPI, Django, Flask-RESTful, aiohttp and Tornado views, and the same-file functions they call. ' +
      'Counters incremented per request and module variables set from request data count too. ' +
      'Handlers in controller modules whose routes are registered elsewhere (`exports.list = (req, res) => …` in `controllers/`, or imported by a route file of the app) count too. ' +
      'Clients, pools, compiled patterns and configuration loaded once are not flagged, and neither are SDK clients and configuration or secrets that a Lambda function caches between invocations (a recommended practice, also keyed by region or name), ' +
      'state that belongs to the instance by its nature (cold start, readiness, draining, requests in flight, invocations of this environment, the open connections of SSE or WebSocket clients), ' +
      'classes that are in memory on purpose (`InMemory…`, `Fake…`, `Stub…` repositories, picked by configuration beside a shared one), a cache filled with data that does not come from the request, or test code (mock servers record what they receive).',
    why:
      'A module lives as long as its process. Data a handler adds to it exists in that one process only: the next request may land on another instance, another Gunicorn or cluster worker, or another Lambda execution environment that has never seen it, ' +
      'and everything is gone at the next deployment, crash or scale-in. Under load the list also grows without bound. ' +
      'Put per-user and per-request data in a store every instance shares (a database, Redis/ElastiCache, DynamoDB), and keep module scope for things that are the same everywhere: clients, settings, compiled patterns.',
    example: {
      language: 'python',
      code: `from flask import Flask, request

app = Flask(__name__)
todos = []

@app.post("/todos")
def add_todo():
    todos.append(request.get_json())   # only this worker will ever see it
    return {"count": len(todos)}, 201`,
    },
    useInstead: {
      language: 'python',
      code: `import os
import boto3
from flask import Flask, request

app = Flask(__name__)
table = boto3.resource("dynamodb").Table(os.environ["TODOS_TABLE"])  # a client: fine at module level

@app.post("/todos")
def add_todo():
    table.put_item(Item=request.get_json())
    return {}, 201`,
    },
    references: [
      { title: 'The Twelve-Factor App: processes are stateless', url: 'https://12factor.net/processes' },
      {
        title: 'AWS Lambda: execution environment reuse',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html',
      },
      {
        title: 'Gunicorn: worker processes do not share memory',
        url: 'https://docs.gunicorn.org/en/stable/design.html',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>): void {
  for (const state of requestState(model, document.path, workspace)) {
    const { messageId, data } = message(state);
    report({
      at: state.span,
      messageId,
      data: { name: state.name, scope: state.scope, ...data },
      severity: state.what === 'cache' ? 'info' : undefined,
    });
  }
}

/** The message of a kind of request state, in a Lambda handler's words when it is one. */
function message(state: RequestState): { messageId: string; data?: MessageData } {
  const lambda = state.lambda;
  switch (state.what) {
    case 'collection':
      return { messageId: lambda ? 'lambdaCollection' : 'collection', data: { container: state.container! } };
    case 'cache':
      return { messageId: 'cache' };
    case 'counter':
      return { messageId: lambda ? 'lambdaCounter' : 'counter' };
    case 'setFromRequest':
      return { messageId: lambda ? 'lambdaSetFromRequest' : 'setFromRequest' };
  }
}
