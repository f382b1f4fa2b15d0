import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import { posix } from 'node:path';
import type { WorkspaceView } from '../workspace';
import { applicationOf } from './application';
import { codeChildren, objectProperty, topLevelStatements } from './edit';
import { bindingsOf, calleeQualifiedName, callSites, qualifiedName, type Bindings } from './imports';
import { trimTrailing } from '../text';
import {
  assignedCalls,
  callArguments,
  dottedName,
  enclosingFunction,
  isFunction,
  keywordArgument,
  nodesOfType,
  parameterList,
  parameterNames,
  positionalArguments,
  stringLiteral,
  unwrapExpression,
  sourceOf,
} from './syntax';

/**
 * Where a file answers requests: the functions that frameworks call once per request (Express,
 * Fastify, Koa, Hono, NestJS, Next.js API routes, Node's http server, AWS Lambda, Flask, Quart,
 * FastAPI, Sanic, Django, Flask-RESTful, aiohttp, Tornado, Powertools/Chalice resolvers).
 * Rules about request-time behaviour (state written per request, blocking work, local files)
 * ask this index instead of guessing from names.
 */

export type Framework =
  | 'express'
  | 'fastify'
  | 'koa'
  | 'hono'
  | 'nestjs'
  | 'nextjs'
  | 'node-http'
  | 'lambda'
  | 'flask'
  | 'fastapi'
  | 'django'
  | 'aiohttp'
  | 'tornado'
  | 'python-http'
  | 'web';

/**
 * `request`: answers an HTTP request. `event`: a Lambda function fed by queues, streams, S3 or
 * schedules (slow work is its job). `provider`: a method of a NestJS singleton service, which
 * controllers call per request.
 */
export type HandlerRole = 'request' | 'event' | 'provider';

export interface RequestHandler {
  /** The function the framework calls. */
  function: Node;
  /** How messages name it: `create_item (POST /items)`, `GET /health`, `handler (Lambda)`. */
  name: string;
  framework: Framework;
  role: HandlerRole;
  /** Names that hold request data inside it: its parameters, and Flask's `request`. */
  requestNames: Set<string>;
}

/** A function that runs for a request: a handler, or a same-file function a handler calls. */
export interface HandlerScope {
  handler: RequestHandler;
  function: Node;
  /** The helper's name when this is not the handler itself. */
  via?: string;
}

export interface HandlerIndex {
  handlers: RequestHandler[];
  /** Handlers and the same-file helpers they call. */
  scopes: HandlerScope[];
  /** The handler scope `node` runs in (its innermost enclosing handler or helper), if any. */
  at(node: Node): HandlerScope | undefined;
}

/** How a finding names where it happens: "the request handler `x` (POST /y)". */
export function describeScope(scope: HandlerScope): string {
  const handler = scope.handler;
  const what =
    handler.role === 'event'
      ? `the Lambda handler \`${handler.name}\``
      : handler.role === 'provider'
        ? `\`${handler.name}\` (a NestJS provider: one instance serves every request)`
        : handler.framework === 'lambda'
          ? `the Lambda handler \`${handler.name}\``
          : `the request handler \`${handler.name}\``;
  return scope.via ? `\`${scope.via}\`, called by ${what}` : what;
}

const cache = new WeakMap<CodeModel, HandlerIndex>();

/**
 * The handlers of a file. With the workspace, a module of route handlers is also recognised by
 * the route file that imports it (see `controllerHandlers`).
 */
export function requestHandlers(model: CodeModel, path: string, workspace?: WorkspaceView): HandlerIndex {
  let index = cache.get(model);
  if (!index) {
    const handlers = dedupe(
      model.grammar === 'python' ? pythonHandlers(model, path) : javascriptHandlers(model, path, workspace),
    );
    index = buildIndex(model, handlers);
    cache.set(model, index);
  }
  return index;
}

function dedupe(handlers: RequestHandler[]): RequestHandler[] {
  const seen = new Set<number>();
  return handlers.filter((h) => (seen.has(h.function.id) ? false : (seen.add(h.function.id), true)));
}

function buildIndex(model: CodeModel, handlers: RequestHandler[]): HandlerIndex {
  const scopes: HandlerScope[] = handlers.map((handler) => ({ handler, function: handler.function }));
  const byId = new Map<number, HandlerScope>(scopes.map((s) => [s.function.id, s]));
  const depthOf = new Map<number, number>(scopes.map((s) => [s.function.id, 0]));
  // The scope of each function, found once: nested callbacks ask for the same outer functions,
  // and walking every function above every node of a deep file is quadratic.
  let scopeOfFunction = new Map<number, HandlerScope | undefined>();
  const scopeOf = (fn: Node | undefined): HandlerScope | undefined => {
    const chain: number[] = [];
    let found: HandlerScope | undefined;
    for (let current = fn; current; current = enclosingFunction(current)) {
      if (scopeOfFunction.has(current.id)) {
        found = scopeOfFunction.get(current.id);
        break;
      }
      chain.push(current.id);
      found = byId.get(current.id);
      if (found) break;
    }
    for (const id of chain) scopeOfFunction.set(id, found);
    return found;
  };
  if (handlers.length > 0) {
    // Same-file functions a handler calls run per request too (three calls deep at most). Each
    // round reads every call of the file once, and gives it to the scope it runs in.
    const functions = moduleFunctions(model);
    const calls = nodesOfType(model, model.grammar === 'python' ? 'call' : 'call_expression');
    const methodsOf = new Map<number, Map<string, Node> | undefined>();
    for (let depth = 0; depth < 3; depth++) {
      scopeOfFunction = new Map();
      let added = false;
      for (const call of calls) {
        const scope = scopeOf(enclosingFunction(call));
        if (!scope || depthOf.get(scope.function.id) !== depth) continue;
        const called = calledFunction(call, functions, () => {
          if (!methodsOf.has(scope.function.id))
            methodsOf.set(scope.function.id, classMethods(scope.function));
          return methodsOf.get(scope.function.id);
        });
        if (!called || byId.has(called.target.id)) continue;
        const added_: HandlerScope = { handler: scope.handler, function: called.target, via: called.name };
        byId.set(called.target.id, added_);
        depthOf.set(called.target.id, depth + 1);
        scopes.push(added_);
        added = true;
      }
      if (!added) break;
    }
    scopeOfFunction = new Map();
  }
  return {
    handlers,
    scopes,
    at(node: Node) {
      if (isFunction(node)) {
        const own = byId.get(node.id);
        if (own) return own;
      }
      if (byId.size === 0) return undefined;
      return scopeOf(enclosingFunction(node));
    },
  };
}

/** Functions declared at the top of the module, by name (JS declarations and `const f = () => …`; Python `def`). */
export function moduleFunctions(model: CodeModel): Map<string, Node> {
  const functions = new Map<string, Node>();
  for (let statement of model.root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'export_statement') {
      statement = statement.childForFieldName('declaration') ?? statement;
    }
    if (statement.type === 'decorated_definition') {
      statement = statement.childForFieldName('definition') ?? statement;
    }
    if (
      statement.type === 'function_declaration' ||
      statement.type === 'generator_function_declaration' ||
      statement.type === 'function_definition'
    ) {
      const name = statement.childForFieldName('name')?.text;
      if (name) functions.set(name, statement);
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      for (const declarator of codeChildren(statement)) {
        if (declarator.type !== 'variable_declarator') continue;
        const name = declarator.childForFieldName('name');
        const value = unwrapExpression(declarator.childForFieldName('value'));
        if (name?.type === 'identifier' && value && isFunction(value)) functions.set(name.text, value);
      }
    }
  }
  return functions;
}

/** The same-file function a call calls by name (also `self.method()` / `this.method()` of the caller's class). */
function calledFunction(
  call: Node,
  functions: Map<string, Node>,
  methods: () => Map<string, Node> | undefined,
): { name: string; target: Node } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'identifier') {
    const target = functions.get(callee.text);
    return target ? { name: callee.text, target } : undefined;
  }
  const name = dottedName(callee);
  const match = name && /^(?:self|this)\.(\w+)$/.exec(name);
  const target = match ? methods()?.get(match[1]) : undefined;
  return match && target ? { name: match[1], target } : undefined;
}

/** The methods of the class `fn` is a method of, by name. */
function classMethods(fn: Node): Map<string, Node> | undefined {
  let body = fn.parent;
  if (body?.type === 'decorated_definition') body = body.parent;
  if (!body) return undefined;
  if (body.type === 'block' && body.parent?.type !== 'class_definition') return undefined;
  if (body.type !== 'block' && body.type !== 'class_body') return undefined;
  const methods = new Map<string, Node>();
  for (let member of codeChildren(body)) {
    if (member.type === 'decorated_definition') member = member.childForFieldName('definition') ?? member;
    if (member.type === 'function_definition' || member.type === 'method_definition') {
      const name = member.childForFieldName('name')?.text;
      if (name) methods.set(name, member);
    }
  }
  return methods;
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript

const routeMethods = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const nestRouteDecorators = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Options', 'Head']);
/** NestJS methods that run on a schedule or a message, not per HTTP request. */
const nestNonRequestDecorators = new Set([
  'Cron',
  'Interval',
  'Timeout',
  'OnEvent',
  'Process',
  'EventPattern',
  'MessagePattern',
  'SubscribeMessage',
]);
const nestLifecycle = new Set([
  'constructor',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
]);

/** What an app or router object created by a call or `new` is. */
const javascriptApps: Record<string, Framework> = {
  express: 'express',
  'express.Router': 'express',
  'express.default': 'express',
  fastify: 'fastify',
  'fastify.fastify': 'fastify',
  'fastify.default': 'fastify',
  koa: 'koa',
  'koa.default': 'koa',
  '@koa/router': 'koa',
  'koa-router': 'koa',
  'hono.Hono': 'hono',
  'restify.createServer': 'web',
  polka: 'web',
};

const requestParameter = /^_?(req|request|ctx)$/;
const responseParameter = /^_?(res|response|reply|next|h)$/;

function looksLikeRequestHandler(fn: Node): boolean {
  const [first, second] = parameterList(fn);
  if (!first || !requestParameter.test(first)) return false;
  return second === undefined ? /^_?(ctx|request)$/.test(first) : responseParameter.test(second);
}

/** Express/Koa/Fastify app and router variables of the file, with their framework. */
const appObjectCache = new WeakMap<CodeModel, Map<string, { framework: Framework; node: Node }>>();

/** Express/Koa/Fastify app and router variables of the file, with their framework (once per parse: do not change the map). */
export function javascriptAppObjects(model: CodeModel): Map<string, { framework: Framework; node: Node }> {
  const cached = appObjectCache.get(model);
  if (cached) return cached;
  const bindings = bindingsOf(model);
  const apps = new Map<string, { framework: Framework; node: Node }>();
  appObjectCache.set(model, apps);
  if (!/express|fastify|koa|hono|restify|polka/i.test(sourceOf(model))) return apps;
  for (const { target, value } of assignedCalls(model)) {
    const framework = javascriptApps[calleeQualifiedName(value, bindings) ?? ''];
    const key = framework && dottedName(target);
    if (framework && key) apps.set(key, { framework, node: value });
  }
  return apps;
}

function javascriptHandlers(model: CodeModel, path: string, workspace?: WorkspaceView): RequestHandler[] {
  const bindings = bindingsOf(model);
  const functions = moduleFunctions(model);
  const apps = javascriptAppObjects(model);
  const handlers: RequestHandler[] = [];
  const add = (fn: Node, name: string, framework: Framework, role: HandlerRole = 'request') =>
    handlers.push({ function: fn, name, framework, role, requestNames: new Set(parameterNames(fn)) });

  let declarations: Map<string, Node> | undefined;
  const declared = () => (declarations ??= moduleDeclarations(model));
  /** A function given as an argument: inline, by a same-file name, or in `{ handler }` (Fastify). */
  const resolve = (node: Node | null | undefined): { fn: Node; name?: string }[] => {
    const value = unwrapExpression(node);
    if (!value) return [];
    if (isFunction(value)) {
      const own = value.childForFieldName('name')?.text;
      return [{ fn: value, name: own }];
    }
    if (value.type === 'identifier') {
      const fn = functions.get(value.text);
      return fn ? [{ fn, name: value.text }] : [];
    }
    // `router.get('/', controller.list)` with `const controller = { list(req, res) { … } }`.
    if (value.type === 'member_expression') {
      const object = value.childForFieldName('object');
      const property = value.childForFieldName('property')?.text;
      const holder =
        object?.type === 'identifier' ? unwrapExpression(declared().get(object.text)) : undefined;
      if (!holder || holder.type !== 'object' || !property) return [];
      const member = objectProperty(holder, property);
      if (member?.type === 'method_definition') return [{ fn: member, name: value.text }];
      const fn = member?.type === 'pair' ? unwrapExpression(member.childForFieldName('value')) : undefined;
      return fn && isFunction(fn) ? [{ fn, name: value.text }] : [];
    }
    if (value.type === 'array') return codeChildren(value).flatMap(resolve);
    if (value.type === 'object') {
      const handler = codeChildren(value).find(
        (p) =>
          (p.type === 'pair' && p.childForFieldName('key')?.text === 'handler') ||
          (p.type === 'shorthand_property_identifier' && p.text === 'handler') ||
          (p.type === 'method_definition' && p.childForFieldName('name')?.text === 'handler'),
      );
      if (!handler) return [];
      if (handler.type === 'method_definition') return [{ fn: handler, name: 'handler' }];
      if (handler.type === 'shorthand_property_identifier') return resolve(handler);
      return resolve(handler.childForFieldName('value'));
    }
    return [];
  };

  for (const site of callSites(model)) {
    const method = site.method ?? '';
    if (!routeMethods.has(method) && method !== 'route' && method !== 'use' && method !== 'createServer')
      continue;
    const call = site.call;
    const callee = call.childForFieldName('function');
    if (call.type !== 'call_expression' || callee?.type !== 'member_expression') continue;
    let receiver = callee.childForFieldName('object');
    let routePath: string | undefined;
    // `app.route('/x').get(h).post(h)`: the path is on the route() call down the chain.
    while (receiver?.type === 'call_expression') {
      const inner = receiver.childForFieldName('function');
      if (inner?.type !== 'member_expression') break;
      const innerMethod = inner.childForFieldName('property')?.text ?? '';
      if (innerMethod === 'route') routePath ??= stringLiteral(callArguments(receiver)[0])?.value;
      else if (!routeMethods.has(innerMethod)) break;
      receiver = inner.childForFieldName('object');
    }
    const args = callArguments(call);
    const known = receiver ? apps.get(dottedName(receiver) ?? '') : undefined;
    const firstPath = stringLiteral(args[0])?.value;
    routePath ??= firstPath;

    if (method === 'route' && args.length === 1 && args[0].type === 'object') {
      // Fastify's full declaration: route({ method, url, handler }).
      const options = args[0];
      const url = codeChildren(options).find(
        (p) => p.type === 'pair' && p.childForFieldName('key')?.text === 'url',
      );
      const verb = codeChildren(options).find(
        (p) => p.type === 'pair' && p.childForFieldName('key')?.text === 'method',
      );
      if (!known && !url) continue;
      for (const { fn, name } of resolve(options)) {
        const route =
          `${stringLiteral(verb?.childForFieldName('value'))?.value ?? 'ANY'} ${stringLiteral(url?.childForFieldName('value'))?.value ?? ''}`.trim();
        add(fn, label(name, route), known?.framework ?? 'fastify');
      }
      continue;
    }

    if (routeMethods.has(method)) {
      const route = `${method === 'del' ? 'DELETE' : method.toUpperCase()} ${routePath ?? ''}`.trim();
      const candidates = args.flatMap(resolve);
      for (const { fn, name } of candidates) {
        if (known) add(fn, label(name, route), known.framework);
        else if (
          routePath !== undefined &&
          /^[/*]/.test(routePath) &&
          (looksLikeRequestHandler(fn) || args.some((a) => a.type === 'object'))
        )
          add(fn, label(name, route), 'web');
      }
      continue;
    }

    if (method === 'use' && known) {
      for (const { fn, name } of args.flatMap(resolve)) {
        const params = parameterList(fn);
        if (params.length >= 2 || known.framework === 'koa' || known.framework === 'hono')
          add(fn, label(name, `middleware${firstPath ? ` ${firstPath}` : ''}`), known.framework);
      }
      continue;
    }

    if (method === 'createServer') {
      const module = calleeQualifiedName(call, bindings) ?? '';
      if (/^(node:)?https?2?\.createServer$/.test(module)) {
        for (const { fn, name } of args.flatMap(resolve)) add(fn, label(name, 'http server'), 'node-http');
      }
    }
  }

  handlers.push(...nestHandlers(model, bindings));
  handlers.push(...nextHandlers(model, path, functions));
  handlers.push(...javascriptLambdaHandlers(model, bindings, functions));
  handlers.push(...controllerHandlers(model, path, functions, workspace));
  return handlers;
}

/** Where route handlers live when the routes are declared elsewhere (`controllers/user.controller.js`). */
const controllerPath =
  /(^|\/)(controllers?|handlers|routes|endpoints|api)\/|[./_-](controller|handlers?|routes?)\.[cm]?[jt]sx?$/i;

/**
 * Route handlers defined in one module and registered in another: `exports.list = (req, res) =>
 * …`, `module.exports = { create: catchAsync(async (req, res) => …) }`, `export async function
 * show(req, res)`. The signature alone does not make a handler (a helper may take a request); the
 * module must be a controller by its place (`controllers/`, `*.controller.js`, `routes/`), or a
 * module of the same app must import it and register routes.
 */
function controllerHandlers(
  model: CodeModel,
  path: string,
  functions: Map<string, Node>,
  workspace: WorkspaceView | undefined,
): RequestHandler[] {
  const found: { name: string; fn: Node }[] = [];
  const declared = moduleDeclarations(model);
  for (const { name, value } of javascriptExports(model)) {
    if (!name || lambdaExportName.test(name)) continue;
    let node = unwrapExpression(value);
    if (node?.type === 'identifier' || node?.type === 'shorthand_property_identifier')
      node = functions.get(node.text) ?? unwrapExpression(declared.get(node.text));
    // `catchAsync(async (req, res) => …)`, `asyncHandler(…)`: the wrapped function.
    if (node?.type === 'call_expression') node = unwrapExpression(callArguments(node).find(isFunction));
    if (node && isFunction(node) && looksLikeRequestHandler(node)) found.push({ name, fn: node });
  }
  if (found.length === 0) return [];
  const normal = path.replace(/\\/g, '/');
  if (!controllerPath.test(normal) && !(workspace && registeredElsewhere(normal, workspace))) return [];
  return found.map(({ name, fn }) => {
    const [first] = parameterList(fn);
    return {
      function: fn,
      name,
      framework: first && /ctx/.test(first) ? 'koa' : 'express',
      role: 'request',
      requestNames: new Set(parameterNames(fn)),
    };
  });
}

/** Top-level `const x = …` of the file, by name (the value, not only functions). */
function moduleDeclarations(model: CodeModel): Map<string, Node> {
  const declared = new Map<string, Node>();
  for (const statement of topLevelStatements(model.root)) {
    const declaration =
      statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (declaration?.type !== 'lexical_declaration' && declaration?.type !== 'variable_declaration') continue;
    for (const declarator of codeChildren(declaration)) {
      const name = declarator.childForFieldName('name');
      const value = declarator.childForFieldName('value');
      if (name?.type === 'identifier' && value) declared.set(name.text, value);
    }
  }
  return declared;
}

/** Whether another source of the app imports this file and registers routes (`router.get('/', users.list)`). */
function registeredElsewhere(path: string, workspace: WorkspaceView): boolean {
  const stem = path.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
  for (const source of applicationOf(path, workspace, 'js').otherSources()) {
    if (!/\.(get|post|put|patch|delete|all|route|use)\s*\(/.test(source.text)) continue;
    const folder = source.path.replace(/\\/g, '/').replace(/\/[^/]*$/, '');
    for (const match of source.text.matchAll(
      /(?:require\(\s*|from\s+|import\(\s*)['"](\.{1,2}\/[^'"]{1,300})['"]/g,
    )) {
      const target = posix
        .join(folder, match[1])
        .replace(/\.[cm]?[jt]sx?$/, '')
        .replace(/\/index$/, '');
      if (target === stem) return true;
    }
  }
  return false;
}

function label(name: string | undefined, route: string): string {
  return name ? `${name} (${route})` : route;
}

/** The decorators written before a class member (TS puts them beside it in the class body). */
function memberDecorators(member: Node): Node[] {
  const decorators: Node[] = [];
  for (
    let previous = member.previousNamedSibling;
    previous?.type === 'decorator';
    previous = previous.previousNamedSibling
  )
    decorators.push(previous);
  decorators.push(...codeChildren(member).filter((c) => c.type === 'decorator'));
  return decorators;
}

/** `@Get(':id')` → {name: '@nestjs/common.Get', argument: ':id'}. */
function decoratorCall(decorator: Node, bindings: Bindings): { name: string; argument?: string } | undefined {
  const expression = codeChildren(decorator)[0];
  if (!expression) return undefined;
  const callee =
    expression.type === 'call_expression' ? expression.childForFieldName('function') : expression;
  const name = qualifiedName(callee, bindings);
  if (!name) return undefined;
  const argument =
    expression.type === 'call_expression' ? stringLiteral(callArguments(expression)[0])?.value : undefined;
  return { name, argument };
}

function nestHandlers(model: CodeModel, bindings: Bindings): RequestHandler[] {
  const handlers: RequestHandler[] = [];
  if (![...bindings.values()].some((b) => b.module === '@nestjs/common')) return handlers;
  for (const declaration of nodesOfType(model, ['class_declaration', 'class'])) {
    if (!declaration) continue;
    const decorators = codeChildren(declaration).filter((c) => c.type === 'decorator');
    if (declaration.parent?.type === 'export_statement')
      decorators.push(...codeChildren(declaration.parent).filter((c) => c.type === 'decorator'));
    const classDecorators = decorators.map((d) => decoratorCall(d, bindings)).filter((d) => !!d);
    const controller = classDecorators.find((d) => d.name === '@nestjs/common.Controller');
    const provider = classDecorators.some((d) => d.name === '@nestjs/common.Injectable');
    if (!controller && !provider) continue;
    const className = declaration.childForFieldName('name')?.text ?? 'class';
    const body = declaration.childForFieldName('body');
    for (const member of body ? codeChildren(body) : []) {
      if (member.type !== 'method_definition') continue;
      const methodName = member.childForFieldName('name')?.text ?? '';
      const decorated = memberDecorators(member)
        .map((d) => decoratorCall(d, bindings))
        .filter((d) => !!d);
      if (decorated.some((d) => nestNonRequestDecorators.has(d.name.split('.').pop() ?? ''))) continue;
      const route = decorated.find(
        (d) => d.name.startsWith('@nestjs/common.') && nestRouteDecorators.has(d.name.split('.').pop() ?? ''),
      );
      const requestNames = new Set(parameterNames(member));
      if (controller && route) {
        const verb = (route.name.split('.').pop() ?? '').toUpperCase();
        const path = [controller.argument, route.argument]
          .filter((p): p is string => !!p)
          .map((p) => trimTrailing(p, '/').replace(/^\/+/, ''))
          .join('/');
        handlers.push({
          function: member,
          name: `${className}.${methodName} (${verb} /${path})`,
          framework: 'nestjs',
          role: 'request',
          requestNames,
        });
      } else if (provider && !controller && !nestLifecycle.has(methodName) && !methodName.startsWith('#')) {
        handlers.push({
          function: member,
          name: `${className}.${methodName}`,
          framework: 'nestjs',
          role: 'provider',
          requestNames,
        });
      }
    }
  }
  return handlers;
}

/** Next.js: `pages/api/**` default exports and App Router `route.ts` method exports. */
function nextHandlers(model: CodeModel, path: string, functions: Map<string, Node>): RequestHandler[] {
  const normal = path.replace(/\\/g, '/');
  const pagesApi = /\/pages\/api\//.test(normal);
  const appRoute = /\/app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(normal);
  if (!pagesApi && !appRoute) return [];
  const route = pagesApi
    ? normal
        .slice(normal.indexOf('/pages/api/') + 6)
        .replace(/\.[cm]?[jt]sx?$/, '')
        .replace(/\/index$/, '')
    : normal.slice(normal.lastIndexOf('/app/') + 4).replace(/\/route\.[cm]?[jt]sx?$/, '') || '/';
  const handlers: RequestHandler[] = [];
  const add = (fn: Node | undefined, verb: string) => {
    if (fn && isFunction(fn))
      handlers.push({
        function: fn,
        name: `${verb} ${route}`,
        framework: 'nextjs',
        role: 'request',
        requestNames: new Set(parameterNames(fn)),
      });
  };
  for (const statement of model.root.namedChildren) {
    if (statement?.type !== 'export_statement') continue;
    const isDefault = statement.children.some((c) => c?.type === 'default');
    const declaration = statement.childForFieldName('declaration');
    const value = unwrapExpression(statement.childForFieldName('value'));
    if (pagesApi && isDefault) {
      if (declaration) add(declaration, 'API');
      else if (value?.type === 'identifier') add(functions.get(value.text), 'API');
      else if (isFunction(value)) add(value, 'API');
      else if (value?.type === 'call_expression') {
        // export default withAuth(handler)
        for (const arg of callArguments(value)) {
          const inner = unwrapExpression(arg);
          add(inner?.type === 'identifier' ? functions.get(inner.text) : inner, 'API');
        }
      }
    } else if (appRoute && declaration) {
      if (declaration.type === 'function_declaration') {
        const name = declaration.childForFieldName('name')?.text ?? '';
        if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) add(declaration, name);
      } else if (declaration.type === 'lexical_declaration') {
        for (const declarator of codeChildren(declaration)) {
          const name = declarator.childForFieldName('name')?.text ?? '';
          if (/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name))
            add(unwrapExpression(declarator.childForFieldName('value')), name);
        }
      }
    }
  }
  return handlers;
}

const lambdaExportName = /^(handler|\w*Handler|handle)$/;
const eventParameter = /^_?(event|evt|e)$/;

/** What a CommonJS or ES module exports by name: `exports.x = …`, `module.exports = { … }`, `export const x = …`. */
function javascriptExports(model: CodeModel): { name: string; value: Node | null }[] {
  const exported: { name: string; value: Node | null }[] = [];
  for (const statement of model.root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'expression_statement') {
      const assignment = statement.namedChildren[0];
      if (assignment?.type !== 'assignment_expression') continue;
      const target = dottedName(assignment.childForFieldName('left')) ?? '';
      const value = assignment.childForFieldName('right');
      const match = /^(?:module\.)?exports\.(\w+)$/.exec(target);
      if (match) exported.push({ name: match[1], value });
      else if (target === 'module.exports' && value?.type === 'object') {
        for (const entry of codeChildren(value)) {
          if (entry.type === 'shorthand_property_identifier')
            exported.push({ name: entry.text, value: entry });
          else if (entry.type === 'pair')
            exported.push({
              name: entry.childForFieldName('key')?.text ?? '',
              value: entry.childForFieldName('value'),
            });
          else if (entry.type === 'method_definition')
            exported.push({ name: entry.childForFieldName('name')?.text ?? '', value: entry });
        }
      }
    } else if (statement.type === 'export_statement') {
      const declaration = statement.childForFieldName('declaration');
      if (declaration?.type === 'function_declaration')
        exported.push({ name: declaration.childForFieldName('name')?.text ?? '', value: declaration });
      else if (declaration?.type === 'lexical_declaration' || declaration?.type === 'variable_declaration') {
        for (const declarator of codeChildren(declaration))
          exported.push({
            name: declarator.childForFieldName('name')?.text ?? '',
            value: declarator.childForFieldName('value'),
          });
      }
      for (const clause of codeChildren(statement).filter((c) => c.type === 'export_clause')) {
        for (const specifier of codeChildren(clause)) {
          const local = specifier.childForFieldName('name');
          const alias = specifier.childForFieldName('alias')?.text;
          exported.push({ name: alias ?? local?.text ?? '', value: local });
        }
      }
    }
  }
  return exported;
}

/** Lambda: `exports.handler = …`, `module.exports = { handler }`, `export const handler = …`, middy-wrapped. */
function javascriptLambdaHandlers(
  model: CodeModel,
  bindings: Bindings,
  functions: Map<string, Node>,
): RequestHandler[] {
  const handlers: RequestHandler[] = [];
  const exported = javascriptExports(model);
  for (const { name, value } of exported) {
    let fn = resolveFunction(value, functions);
    if (!fn) {
      // middy(baseHandler) and similar wrappers from Lambda middleware libraries.
      const inner = unwrapExpression(value);
      const wrapper = inner?.type === 'call_expression' ? calleeQualifiedName(inner, bindings) : undefined;
      if (inner && wrapper && /^(@middy\/core|middy)/.test(wrapper))
        fn = resolveFunction(callArguments(inner)[0], functions);
    }
    if (!fn) continue;
    const [first, second] = parameterList(fn);
    // `handler`, `lambdaHandler`, … by name; any other export only with the (event, context) signature.
    // yargs command modules export `handler(argv)` beside `command` and `builder`: not Lambda.
    const yargsCommand = exported.some((e) => e.name === 'command' || e.name === 'builder');
    const byName =
      lambdaExportName.test(name) &&
      !yargsCommand &&
      (!!(first && eventParameter.test(first)) ||
        !!(second && /context/i.test(second)) ||
        (name === 'handler' && parameterList(fn).length === 0));
    const bySignature =
      !!first && eventParameter.test(first) && !!second && /^_?(context|ctx)$/i.test(second);
    if (!byName && !bySignature) continue;
    handlers.push({
      function: fn,
      name: `${name}`,
      framework: 'lambda',
      role: lambdaRole(fn, first),
      requestNames: new Set(parameterNames(fn)),
    });
  }
  return handlers;
}

function resolveFunction(node: Node | null | undefined, functions: Map<string, Node>): Node | undefined {
  const value = unwrapExpression(node);
  if (!value) return undefined;
  if (isFunction(value)) return value;
  if (value.type === 'identifier' || value.type === 'shorthand_property_identifier')
    return functions.get(value.text);
  return undefined;
}

/** An API Gateway / function URL handler reads the HTTP request or answers with a status code. */
const httpEventFields =
  /^(body|httpMethod|requestContext|pathParameters|queryStringParameters|headers|rawPath|routeKey|multiValueQueryStringParameters|isBase64Encoded)$/;

function lambdaRole(fn: Node, eventName: string | undefined): HandlerRole {
  const text = fn.text;
  if (/\bstatusCode\b/.test(text)) return 'request';
  if (!eventName) return 'event';
  for (const access of fn.descendantsOfType([
    'member_expression',
    'subscript_expression',
    'attribute',
    'subscript',
  ])) {
    if (!access) continue;
    const object = access.childForFieldName(access.type === 'subscript' ? 'value' : 'object');
    if (object?.text !== eventName) continue;
    const key =
      access.childForFieldName('property')?.text ??
      access.childForFieldName('attribute')?.text ??
      stringLiteral(access.childForFieldName('index') ?? access.childForFieldName('subscript'))?.value;
    if (key && httpEventFields.test(key)) return 'request';
  }
  for (const call of fn.descendantsOfType('call')) {
    // Python: event.get("body")
    const callee = call?.childForFieldName('function');
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === eventName) {
      const key = call && stringLiteral(positionalArguments(call)[0])?.value;
      if (key && httpEventFields.test(key)) return 'request';
    }
  }
  return 'event';
}

// ---------------------------------------------------------------------------------------------
// Python

const pythonApps: Record<string, Framework> = {
  'flask.Flask': 'flask',
  'flask.Blueprint': 'flask',
  'quart.Quart': 'flask',
  'quart.Blueprint': 'flask',
  'fastapi.FastAPI': 'fastapi',
  'fastapi.APIRouter': 'fastapi',
  'sanic.Sanic': 'web',
  'sanic.Blueprint': 'web',
  'aiohttp.web.RouteTableDef': 'aiohttp',
  'chalice.Chalice': 'lambda',
  'starlette.applications.Starlette': 'web',
  'litestar.Litestar': 'web',
};
const pythonRouteDecorators = new Set([
  'route',
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'api_route',
]);

/** Base classes whose methods answer requests (one instance per request in Django and Tornado). */
const pythonViewModules =
  /^(django\.views|rest_framework|flask_restful|flask_restx|flask\.views|flask_smorest|tornado\.web|http\.server|starlette\.endpoints)/;
const pythonViewBases = new Set([
  'View',
  'TemplateView',
  'FormView',
  'CreateView',
  'UpdateView',
  'DeleteView',
  'ListView',
  'DetailView',
  'APIView',
  'GenericAPIView',
  'ViewSet',
  'GenericViewSet',
  'ModelViewSet',
  'ReadOnlyModelViewSet',
  'Resource',
  'MethodView',
  'RequestHandler',
  'BaseHTTPRequestHandler',
  'SimpleHTTPRequestHandler',
  'HTTPEndpoint',
]);
const djangoViewDecorators =
  /^(django\.(contrib\.auth\.decorators|views\.decorators)|rest_framework\.decorators\.api_view)/;

/** Module-level (and app-factory) `app = Flask(__name__)`-style objects, by name. */
export function pythonAppObjects(
  model: CodeModel,
): Map<string, { framework: Framework; node: Node; type: string }> {
  const bindings = bindingsOf(model);
  const apps = new Map<string, { framework: Framework; node: Node; type: string }>();
  if (
    !/Flask|Blueprint|Quart|FastAPI|APIRouter|Sanic|RouteTableDef|Chalice|Starlette|Litestar/.test(
      sourceOf(model),
    )
  )
    return apps;
  for (const assignment of nodesOfType(model, 'assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (!assignment || !left || right?.type !== 'call') continue;
    const type = qualifiedName(right.childForFieldName('function'), bindings) ?? '';
    const framework = pythonApps[type];
    const name = dottedName(left);
    if (framework && name) apps.set(name, { framework, node: right, type });
  }
  return apps;
}

/** What a Python file needs to contain to have a request handler at all. */
const pythonHandlerSigns =
  /\.(route|get|post|put|patch|delete|head|options|api_route)\(|Resource|View|ViewSet|RequestHandler|HTTPEndpoint|add_url_rule|add_api_route|api_view|login_required|require_http_methods|def \w+\(\s*_?(event|evt|e)\s*,|def \w+\(\s*request\b/;

function pythonHandlers(model: CodeModel, path: string): RequestHandler[] {
  if (!pythonHandlerSigns.test(sourceOf(model))) return [];
  const bindings = bindingsOf(model);
  const apps = pythonAppObjects(model);
  const functions = moduleFunctions(model);
  const handlers: RequestHandler[] = [];
  // Flask and Quart hand the request over as a global, not a parameter.
  const requestGlobals = [...bindings]
    .filter(([, b]) => /^(flask|quart)$/.test(b.module) && b.path.join('.') === 'request')
    .map(([local]) => local);
  const add = (fn: Node, name: string, framework: Framework, role: HandlerRole = 'request') => {
    const names = new Set(parameterNames(fn).filter((n) => n !== 'self' && n !== 'cls'));
    if (framework === 'flask' || framework === 'web') for (const g of requestGlobals) names.add(g);
    handlers.push({ function: fn, name, framework, role, requestNames: names });
  };

  for (const decorated of nodesOfType(model, 'decorated_definition')) {
    const definition = decorated?.childForFieldName('definition');
    if (!decorated || definition?.type !== 'function_definition') continue;
    const fnName = definition.childForFieldName('name')?.text ?? 'view';
    for (const decorator of codeChildren(decorated).filter((c) => c.type === 'decorator')) {
      const expression = codeChildren(decorator)[0];
      const call = expression?.type === 'call' ? expression : undefined;
      const callee = call ? call.childForFieldName('function') : expression;
      if (callee?.type === 'attribute') {
        const method = callee.childForFieldName('attribute')?.text ?? '';
        const receiver = dottedName(callee.childForFieldName('object')) ?? '';
        if (!pythonRouteDecorators.has(method) || !call) continue;
        const routePath =
          stringLiteral(positionalArguments(call)[0])?.value ??
          stringLiteral(keywordArgument(call, 'path')?.childForFieldName('value'))?.value;
        const known = apps.get(receiver);
        if (!known && !(routePath !== undefined && (routePath.startsWith('/') || method === 'route')))
          continue;
        let verbs = method === 'route' || method === 'api_route' ? 'GET' : method.toUpperCase();
        const methods = keywordArgument(call, 'methods')?.childForFieldName('value');
        if (methods) {
          const listed = codeChildren(methods)
            .map((m) => stringLiteral(m)?.value?.toUpperCase())
            .filter((m) => !!m);
          if (listed.length > 0) verbs = listed.join(', ');
        }
        add(
          definition,
          `${fnName} (${verbs} ${routePath ?? ''})`.replace(' )', ')'),
          known?.framework ?? 'web',
        );
        break;
      }
      const name = qualifiedName(callee, bindings) ?? '';
      if (djangoViewDecorators.test(name)) {
        add(definition, fnName, 'django');
        break;
      }
    }
  }

  // Class-based views: Django, DRF, Flask-RESTful/RESTX, MethodView, Tornado, http.server.
  const viewClasses = new Set<string>();
  const isViewClass = (cls: Node): boolean => {
    const bases = cls.childForFieldName('superclasses');
    for (const base of bases ? codeChildren(bases) : []) {
      const qualified = qualifiedName(base, bindings);
      const last = (dottedName(base) ?? '').split('.').pop() ?? '';
      if (qualified && pythonViewModules.test(qualified)) return true;
      if (!qualified && viewClasses.has(base.text)) return true;
      if (qualified === undefined && base.type === 'attribute' && pythonViewBases.has(last)) return true;
      if (qualified && /^(django|rest_framework|flask|tornado)/.test(qualified) && pythonViewBases.has(last))
        return true;
    }
    return false;
  };
  for (const cls of nodesOfType(model, 'class_definition')) {
    if (!cls || !isViewClass(cls)) continue;
    const className = cls.childForFieldName('name')?.text ?? 'View';
    viewClasses.add(className);
    const bases = cls.childForFieldName('superclasses');
    const framework: Framework = (bases ? codeChildren(bases) : []).some((base) =>
      /tornado/.test(`${qualifiedName(base, bindings) ?? ''} ${base.text}`),
    )
      ? 'tornado'
      : 'django';
    const body = cls.childForFieldName('body');
    for (let member of body ? codeChildren(body) : []) {
      if (member.type === 'decorated_definition') member = member.childForFieldName('definition') ?? member;
      if (member.type !== 'function_definition') continue;
      const methodName = member.childForFieldName('name')?.text ?? '';
      if (methodName.startsWith('__') || methodName === 'as_view') continue;
      add(member, `${className}.${methodName}`, framework);
    }
  }

  // Django function views: `views.py` or a `views/` package, first parameter `request`.
  const normal = path.replace(/\\/g, '/');
  if (/(^|\/)views(\.py$|\/)/.test(normal)) {
    for (const [name, fn] of functions) {
      if (fn.type === 'function_definition' && parameterList(fn)[0] === 'request') add(fn, name, 'django');
    }
  }

  for (const site of callSites(model)) {
    if (!site.method || !(site.method.startsWith('add_') || pythonRouteDecorators.has(site.method))) continue;
    const call = site.call;
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute') continue;
    const method = site.method;
    // Flask: app.add_url_rule('/x', view_func=fn); aiohttp: web.get('/x', fn).
    if (method === 'add_url_rule' || method === 'add_api_route') {
      const view =
        keywordArgument(call, method === 'add_url_rule' ? 'view_func' : 'endpoint')?.childForFieldName(
          'value',
        ) ?? positionalArguments(call)[method === 'add_url_rule' ? 2 : 1];
      const fn = view?.type === 'identifier' ? functions.get(view.text) : undefined;
      const route = stringLiteral(positionalArguments(call)[0])?.value ?? '';
      if (fn) add(fn, `${view!.text} (${route})`, method === 'add_url_rule' ? 'flask' : 'fastapi');
    } else if (
      pythonRouteDecorators.has(method) &&
      /^aiohttp\.web\./.test(qualifiedName(callee, bindings) ?? '')
    ) {
      const [route, view] = positionalArguments(call);
      const fn = view?.type === 'identifier' ? functions.get(view.text) : undefined;
      if (fn)
        add(fn, `${view.text} (${method.toUpperCase()} ${stringLiteral(route)?.value ?? ''})`, 'aiohttp');
    }
  }

  // Lambda: a module-level def taking (event, context).
  for (const [name, fn] of functions) {
    if (fn.type !== 'function_definition') continue;
    const [first, second, third] = parameterList(fn);
    if (third !== undefined || !first || !second) continue;
    if (eventParameter.test(first) && /^_?(context|ctx|_)$/.test(second)) {
      handlers.push({
        function: fn,
        name,
        framework: 'lambda',
        role: lambdaRole(fn, first),
        requestNames: new Set([first]),
      });
    }
  }
  return handlers;
}
