import type { Node } from 'web-tree-sitter';
import { describeScope, requestHandlers, type HandlerScope } from '../../engine/code/handlers';
import {
  classFieldValues,
  createsClient,
  guardedBy,
  moduleValues,
  requestDerived,
  writesIn,
  type ModuleValue,
  type StateWrite,
} from '../../engine/code/state';
import { parameterNames } from '../../engine/code/syntax';
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
  const index = requestHandlers(model, document.path, workspace);
  if (index.handlers.length === 0) return;
  // Every write of the file, found once and given to the handler scope it runs in: walking each
  // scope's body again would be quadratic in nested callbacks.
  const writes = writesIn(model, model.root, moduleValues(model));
  const classBodies = new Map<number, Node>();
  // (`parent` costs a descent from the root in tree-sitter: asked only where it can matter.)
  for (const scope of index.scopes) {
    if (scope.handler.framework !== 'nestjs') continue;
    const body = scope.function.parent;
    if (body?.type === 'class_body') classBodies.set(body.id, body);
  }
  for (const body of classBodies.values()) writes.push(...writesIn(model, body, classFieldValues(body)));
  writes.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const reported = new Set<string>();
  for (const write of writes) {
    const scope = index.at(write.node);
    if (!scope) continue;
    // Class fields count only in the methods of their own class.
    if (
      write.value.name.startsWith('this.') &&
      scope.function.parent?.id !== write.value.declaration.parent?.parent?.id
    )
      continue;
    const key = `${scope.handler.function.id}\u0000${write.value.name}`;
    if (reported.has(key)) continue;
    const requestNames = scope.via
      ? new Set([...scope.handler.requestNames, ...parameterNames(scope.function)])
      : scope.handler.requestNames;
    const finding = judge(write, scope, requestNames);
    if (!finding) continue;
    reported.add(key);
    report({
      at: { span: { start: write.target.startIndex, end: write.target.endIndex } },
      messageId: finding.messageId,
      data: { name: write.value.name, scope: describeScope(scope), ...finding.data },
      severity: finding.severity,
    });
  }
}

/**
 * State that belongs to this one instance by its nature: whether it is ready, draining or
 * warm, how many requests it has in flight, how many invocations its environment served.
 */
const lifecycleName =
  /^_*(is_?|has_?|was_?)?(cold_?start|warm|ready|healthy|alive|live|shutting_?down|shutdown|draining|closing|stopping|initiali[sz]ed|init_?done|started|booted|connected|in_?flight|active_?requests|pending_?requests|open_?connections|invocations?(_?count)?|requests_?in_?flight)/i;

/** The connections a server keeps open (SSE clients, WebSockets): only this instance can hold them. */
const connectionName = /^_?(res|response|reply|ws|socket|sock|conn|connection|stream|client|subscriber)s?$/i;

/** SDK reads whose results Lambda functions keep between invocations: configuration and secrets. */
const configurationRead =
  /\b(get_secret_value|get_parameters?(_by_path)?|GetSecretValueCommand|GetParameters?Command|GetParametersByPathCommand|getSecretValue|getParameters?)\b/;

/** Classes that are in memory on purpose: the in-memory twin of a repository, a fake, a stub. */
const inMemoryClass = /^(InMemory|Memory|Fake|Mock|Stub|Dummy)[A-Z_]/;

function judge(
  write: StateWrite,
  scope: HandlerScope,
  requestNames: Set<string>,
): { messageId: string; data?: MessageData; severity?: 'info' } | undefined {
  const value = write.value;
  const bare = value.name.replace(/^this\./, '');
  if (lifecycleName.test(bare)) return undefined;
  if (write.operation !== 'delete' && write.written.length > 0 && write.written.some((n) => createsClient(n)))
    return undefined;
  if (
    write.operation === 'mutate' &&
    write.written.some((n) => n.type === 'identifier' && connectionName.test(n.text))
  )
    return undefined;
  const lambda = scope.handler.framework === 'lambda';
  if (lambda && write.written.some((n) => configurationRead.test(n.text))) return undefined;
  if (value.name.startsWith('this.') && inMemoryClass.test(className(scope) ?? '')) return undefined;
  const fromRequest = write.written.some((n) => requestDerived(n, requestNames, scope.function));
  switch (value.kind) {
    case 'collection': {
      if (!fromRequest && guardedBy(write.node, value.name, scope.function)) return undefined;
      return { messageId: lambda ? 'lambdaCollection' : 'collection', data: { container: describe(value) } };
    }
    case 'cache':
      if (!fromRequest || createsClient(write.written[0])) return undefined;
      return { messageId: 'cache', severity: 'info' };
    case 'scalar':
    case 'unset':
      if (write.operation === 'increment') return { messageId: lambda ? 'lambdaCounter' : 'counter' };
      if (write.operation === 'assign' && fromRequest)
        return { messageId: lambda ? 'lambdaSetFromRequest' : 'setFromRequest' };
      return undefined;
    default:
      return undefined;
  }
}

/** The name of the class a method belongs to (NestJS providers and controllers). */
function className(scope: HandlerScope): string | undefined {
  const body = scope.function.parent;
  return body?.type === 'class_body'
    ? (body.parent?.childForFieldName('name')?.text ?? undefined)
    : undefined;
}

function describe(value: ModuleValue): string {
  if (value.name.startsWith('this.')) {
    const article = /^[aeiouAEIOU]/.test(value.container) ? 'an' : 'a';
    return `${article} ${value.container} field of a long-lived class instance`;
  }
  return `a module-level ${value.container}`;
}
