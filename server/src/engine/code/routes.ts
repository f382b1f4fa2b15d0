import { dirname, join, normalize } from 'node:path';
import { FileVerdicts } from '../file-verdicts';
import { trimTrailing, type Span } from '../text';
import type { WorkspaceView } from '../workspace';

/**
 * The HTTP routes an application's code registers, read from the text of every source file
 * under its folder: Express, Fastify and Koa (with `@koa/router`) in JavaScript and TypeScript,
 * Flask (and Quart) and FastAPI in Python. What a rule may conclude from them is whether a path
 * is served, so the reading is one-sided: anything that may answer requests in a way the text
 * does not spell out (a route path built at run time, a catch-all middleware, static files, a
 * router or plugin from a package, a framework not read here) makes the routes `unseen`, or, when
 * it is mounted at a prefix, covers the paths under that prefix. A route counted that is none
 * (an HTTP client's `.get('/x')`) only ever makes a path look served.
 */
export interface AppRoutes {
  routes: Route[];
  /** Prefixes under which something the files do not spell out may answer (a router mounted at `/api`, static files). */
  mounts: RouteMount[];
  /** Why the routes cannot all be seen; undefined when they can. */
  unseen?: string;
}

export interface Route {
  /** `GET`, `POST`, …, `ALL` (a method the text does not say is `ALL`). */
  method: string;
  /** The path as registered (`/users/:id`, `/items/{item_id}`, `*`). */
  path: string;
  file: string;
  /** The path's string in the file, quotes included. */
  span: Span;
}

export interface RouteMount {
  prefix: string;
  file: string;
  span: Span;
}

/** Where one file's routes come from; undefined when the file uses no web framework. */
interface FileRoutes {
  framework: boolean;
  routes: Omit<Route, 'file'>[];
  mounts: Omit<RouteMount, 'file'>[];
  unseen?: string;
  /** The relative modules the file imports, by local name (`./routes` for `const routes = require('./routes')`). */
  imports: Map<string, string>;
  /** Whether the file creates a router, or registers routes on the app it is given (a plugin, a route module). */
  registers: boolean;
  /** Identifiers `use`d that must be routers of the app: each must name a relative module that registers routes. */
  usedModules: { name: string; span: Span }[];
  /** Routers of the app mounted here (a relative module's name or a router of this file), and at which prefix (`''`: none). */
  mounted: { name: string; prefix: string }[];
  /** The router variables the file creates. */
  routers: Set<string>;
  /** The variable the module exports as a whole (`module.exports = router`, `export default router`). */
  exported?: string;
  /** The receiver of each route (`router` of `router.get(…)`), by route. */
  receivers: Map<Omit<Route, 'file'>, string>;
}

/** What a file's reading starts from: nothing found yet. */
function noRoutesYet(framework: boolean): FileRoutes {
  return {
    framework,
    routes: [],
    mounts: [],
    imports: new Map(),
    registers: false,
    usedModules: [],
    mounted: [],
    routers: new Set(),
    receivers: new Map(),
  };
}

const maxSources = 300;
const maxChars = 4_000_000;
const maxDepth = 6;
const memoryMs = 5_000;
const skipped =
  /^(node_modules|\.git|venv|\.venv|env|__pycache__|dist|build|\.next|coverage|site-packages|\.tox|\.aws-sam|cdk\.out|test|tests|__tests__|spec|e2e|cypress|fixtures|migrations|public|static)\/$/;
const sourceFile = /\.(js|mjs|cjs|ts|mts|cts|py)$/;
const otherLanguage = /\.(go|java|kt|kts|scala|cs|fs|vb|rb|php|rs|ex|exs|clj|swift|dart|cpp|cc)$/;
const testFile = /(\.|_)(test|spec)\.[cm]?[jt]s$|^test_.*\.py$|_test\.py$|^conftest\.py$|\.d\.ts$/;

const verdicts = new FileVerdicts<FileRoutes | undefined>(512);
const memory = new WeakMap<WorkspaceView, Map<string, { at: number; value: AppRoutes | undefined }>>();

/** The routes the code under `root` registers; undefined when it uses none of the frameworks read here. */
export function appRoutes(root: string, workspace: WorkspaceView): AppRoutes | undefined {
  let entries = memory.get(workspace);
  if (!entries) memory.set(workspace, (entries = new Map()));
  const now = Date.now();
  for (const [key, entry] of entries) if (now - entry.at >= memoryMs) entries.delete(key);
  const hit = entries.get(root);
  if (hit) return hit.value;
  const value = readRoutes(root, workspace);
  entries.set(root, { at: now, value });
  return value;
}

function readRoutes(root: string, workspace: WorkspaceView): AppRoutes | undefined {
  const sources = listSources(root, workspace);
  if (!sources)
    return {
      routes: [],
      mounts: [],
      unseen: 'the app has more source files than are read, or code in other languages',
    };
  const files = new Map<string, FileRoutes>();
  for (const { path, text } of sources) {
    const routes = verdicts.get(path, text, () => fileRoutes(path, text));
    if (routes) files.set(path, routes);
  }
  if (![...files.values()].some((f) => f.framework)) return undefined;
  // Where each router is mounted: a router mounted only under prefixes serves its routes there.
  const prefixes = new Map<string, string[]>();
  const mountAt = (key: string, prefix: string) => prefixes.set(key, [...(prefixes.get(key) ?? []), prefix]);
  for (const [path, file] of files)
    for (const { name, prefix } of file.mounted) {
      if (file.routers.has(name)) mountAt(`${path}\u0000${name}`, prefix);
      const module = file.imports.get(name);
      const target = module ? resolveModuleWithPath(path, module, files) : undefined;
      if (target?.routes.exported) mountAt(`${target.path}\u0000${target.routes.exported}`, prefix);
    }
  const result: AppRoutes = { routes: [], mounts: [] };
  for (const [path, file] of files) {
    for (const route of file.routes) {
      const receiver = file.receivers.get(route);
      const at = receiver !== undefined ? prefixes.get(`${path}\u0000${receiver}`) : undefined;
      if (!at || at.includes('')) result.routes.push({ ...route, file: path });
      else
        for (const prefix of new Set(at))
          result.routes.push({ ...route, path: joinPath(prefix, route.path), file: path });
    }
    result.mounts.push(...file.mounts.map((m) => ({ ...m, file: path })));
    result.unseen ??= file.unseen;
    for (const used of file.usedModules) {
      const module = file.imports.get(used.name);
      const target = module ? resolveModule(path, module, files) : undefined;
      if (!target?.registers)
        result.unseen ??= `\`${used.name}\` is mounted in ${path} and is not a router of the app`;
    }
  }
  return result;
}

function resolveModule(from: string, module: string, files: Map<string, FileRoutes>): FileRoutes | undefined {
  return resolveModuleWithPath(from, module, files)?.routes;
}

function resolveModuleWithPath(
  from: string,
  module: string,
  files: Map<string, FileRoutes>,
): { path: string; routes: FileRoutes } | undefined {
  const base = normalize(join(dirname(from), module)).replace(/\.[cm]?[jt]s$/, '');
  for (const ext of ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts']) {
    for (const path of [base + ext, join(base, `index${ext}`)]) {
      const routes = files.get(path);
      if (routes) return { path, routes };
    }
  }
  return undefined;
}

/** A router's route under the prefix it is mounted at: `/orders` + `/:id` → `/orders/:id`. */
function joinPath(prefix: string, path: string): string {
  if (path === '*' || path.startsWith('(')) return `${trimTrailing(prefix, '/')}/${path}`;
  return `${trimTrailing(prefix, '/')}/${path.replace(/^\/+/, '')}`.replace(/(.)\/$/, '$1') || '/';
}

/** The app's source files, or undefined when there are more than are read or some are in another language. */
function listSources(root: string, workspace: WorkspaceView): { path: string; text: string }[] | undefined {
  const sources: { path: string; text: string }[] = [];
  if (!workspace.list) return sources;
  const queue: { folder: string; depth: number }[] = [{ folder: root, depth: 0 }];
  let chars = 0;
  while (queue.length > 0) {
    const { folder, depth } = queue.shift()!;
    for (const entry of (workspace.list(folder) ?? []).sort()) {
      if (entry.endsWith('/')) {
        if (depth < maxDepth && !skipped.test(entry) && !entry.startsWith('.'))
          queue.push({ folder: join(folder, entry), depth: depth + 1 });
        continue;
      }
      // Code in a language whose routes are not read may be what answers.
      if (otherLanguage.test(entry)) return undefined;
      if (!sourceFile.test(entry) || testFile.test(entry)) continue;
      const path = join(folder, entry);
      const text = workspace.read(path);
      if (text === undefined) continue;
      sources.push({ path, text });
      chars += text.length;
      if (sources.length > maxSources || chars > maxChars) return undefined;
    }
  }
  return sources;
}

function fileRoutes(path: string, text: string): FileRoutes | undefined {
  return path.endsWith('.py') ? pythonRoutes(text) : javascriptRoutes(path, text);
}

// ---------------------------------------------------------------------------------------------
// Reading calls out of text

/** The arguments of the call whose `(` is at `open`: each one's text and start, top-level commas only. */
function callArguments(text: string, open: number): { text: string; start: number }[] | undefined {
  const args: { text: string; start: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let at = open; at < text.length && at < open + 20_000; at++) {
    const c = text[at];
    if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, at);
      if (end < 0) return undefined;
      at = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        const last = text.slice(start, at);
        if (last.trim() || args.length > 0) args.push(trimmed(last, start));
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(trimmed(text.slice(start, at), start));
      start = at + 1;
    }
  }
  return undefined;
}

function trimmed(raw: string, start: number): { text: string; start: number } {
  const lead = raw.length - raw.trimStart().length;
  return { text: raw.trim(), start: start + lead };
}

/** The index of the quote that closes the string opening at `at`, or -1. */
function stringEnd(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n' && quote !== '`') return -1;
  }
  return -1;
}

/** A whole string literal's value (`'/x'`, `"/x"`, a template without `${}`, Python `r'/x'`); undefined otherwise. */
function literal(arg: string): string | undefined {
  const match = /^[rRuU]?(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1$/.exec(arg);
  if (!match || (match[1] === '`' && match[2].includes('${'))) return undefined;
  return match[2];
}

/** `name=value` keyword argument of a Python call, or `name: value` of a JavaScript options object. */
function option(args: { text: string }[], name: string): string | undefined {
  for (const arg of args) {
    const python = new RegExp(`^${name}\\s*=\\s*([\\s\\S]+)$`).exec(arg.text);
    if (python) return python[1].trim();
    const object = /^\{[\s\S]*\}$/.test(arg.text)
      ? new RegExp(`[{,]\\s*['"]?${name}['"]?\\s*:\\s*([^,}]+)`).exec(arg.text)
      : null;
    if (object) return object[1].trim();
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// JavaScript and TypeScript

const supportedJs = /^(express|fastify|koa|@koa\/router|koa-router)$/;
/** Frameworks whose routes are declared in ways not read here (decorators, files, configuration). */
const otherJs =
  /^(@nestjs\/core|@nestjs\/common|next|@hapi\/hapi|hapi|restify|hono|@hono\/node-server|polka|sails|loopback|@loopback\/[\w-]+|@feathersjs\/[\w-]+|feathers|micro|connect|h3|elysia|@fastify\/autoload|fastify-autoload|express-openapi|swagger-routes-express|express-openapi-validator|routing-controllers|tsoa|@adonisjs\/[\w-]+|serverless-http|@vendia\/serverless-express|aws-serverless-express|@apollo\/server|apollo-server[\w-]*|express-graphql|json-server)$/;
const jsModules = /(?:require\s*\(\s*|from\s+|import\s*\(\s*|import\s+)(['"])([^'"\n]+)\1/g;
const routeMethod =
  /(?:^|[^\w$])([\w$]+(?:\.[\w$]+)*)\s*\.\s*(get|post|put|patch|delete|del|all|head|options|route)\s*\(/g;
/** Receivers that conventionally hold an app or router (a plugin's or route module's parameter). */
const appNames = /^(app|application|router|routes|api|server|fastify|instance|r)$/;
const appCreation =
  /(?:const|let|var)\s+([\w$]+)\s*(?::[^=;\n]+)?=\s*(?:await\s+)?(?:new\s+)?(express(?:\.Router)?|Router|fastify|Fastify|[Kk]oa|KoaRouter|KoaRouter)\s*\(/g;
/** Middleware from packages that passes every request on (body parsers, logging, security headers, sessions). */
const passingMiddleware =
  /^(express\.(json|urlencoded|raw|text)|bodyParser(\.\w+)?|bodyparser|koaBody|cors|helmet(\.\w+)?|morgan|compression|compress|cookieParser|cookieSession|session|expressSession|passport\.(initialize|session|authenticate)|pinoHttp|pino|logger|requestLogger|rateLimit|limiter|slowDown|methodOverride|csurf|csrf|hpp|xss|mongoSanitize|responseTime|requestId|timeout|flash|expressWinston\.\w+|Sentry\.Handlers\.\w+|Sentry\.\w+|[\w$]+\.(routes|allowedMethods|middleware))\s*\(/;
/** Fastify plugins from packages that register no route. */
const passingPlugins =
  /^@fastify\/(cors|helmet|cookie|formbody|multipart|jwt|rate-limit|sensible|compress|session|secure-session|csrf-protection|env|postgres|mongodb|redis|mysql|auth|websocket|swagger|etag|accepts|circuit-breaker|request-context|under-pressure)$|^fastify-(cors|helmet|cookie|formbody|multipart|jwt|rate-limit|sensible|compress|plugin|swagger)$|^fastify-plugin$/;

function javascriptRoutes(path: string, text: string): FileRoutes | undefined {
  const modules = [...text.matchAll(jsModules)].map((m) => m[2]);
  const normal = path.replace(/\\/g, '/');
  const framework = modules.some((m) => supportedJs.test(m));
  const result = noRoutesYet(framework);
  result.exported =
    /(?:^|\n)[ \t]*(?:module\.exports|export\s+default)\s*=?\s*([\w$]+)[ \t]*;?[ \t]*(?:\r?\n|$)/.exec(
      text,
    )?.[1];
  const other = modules.find((m) => otherJs.test(m));
  if (other) result.unseen = `the app uses ${other}, whose routes are not read here`;
  if (/(^|\/)pages\/api\/|(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(normal))
    result.unseen ??= 'the app has Next.js API routes';
  if (!framework && !/\.\s*(get|post|put|patch|delete|all|route|use|register)\s*\(/.test(text))
    return result.unseen ? result : undefined;

  for (const match of text.matchAll(
    /(?:const|let|var)\s+(?:\{[^}]*\}|([\w$]+))\s*=\s*require\s*\(\s*(['"])(\.{1,2}\/[^'"]+)\2\s*\)/g,
  ))
    if (match[1]) result.imports.set(match[1], match[3]);
  for (const match of text.matchAll(
    /import\s+([\w$]+)(?:\s*,\s*\{[^}]*\})?\s+from\s+(['"])(\.{1,2}\/[^'"]+)\2/g,
  ))
    result.imports.set(match[1], match[3]);
  for (const match of text.matchAll(/import\s+\{([^}]*)\}\s+from\s+(['"])(\.{1,2}\/[^'"]+)\2/g))
    for (const name of match[1].split(',')) {
      // `a` or `a as b`: the last word is the local name.
      const local = name.trim().split(/\s+/).pop();
      if (local) result.imports.set(local, match[3]);
    }

  const apps = new Set<string>();
  for (const match of text.matchAll(appCreation)) {
    apps.add(match[1]);
    if (/Router/.test(match[2])) {
      result.registers = true;
      result.routers.add(match[1]);
    }
    // `new Router({ prefix: '/api' })`: every route of it is under the prefix.
    const open = (match.index ?? 0) + match[0].length - 1;
    const args = callArguments(text, open) ?? [];
    const prefix = option(args, 'prefix');
    if (prefix !== undefined) addPrefix(result, prefix, args[0].start, args[0].start + args[0].text.length);
  }
  const isApp = (receiver: string) => apps.has(receiver) || appNames.test(receiver.split('.').pop() ?? '');

  for (const match of text.matchAll(routeMethod)) {
    const receiver = match[1];
    const method = match[2];
    const open = (match.index ?? 0) + match[0].length - 1;
    const args = callArguments(text, open);
    if (!args || args.length === 0) continue;
    const known = isApp(receiver);
    if (known) result.registers = true;
    const first = args[0];
    if (method === 'route' && first.text.startsWith('{')) {
      // Fastify's full declaration: route({ method, url, handler }).
      const url = option([first], 'url') ?? option([first], 'path');
      const value = url !== undefined ? literal(url) : undefined;
      if (value === undefined) {
        if (known) result.unseen ??= `a route's path is built at run time (${receiver}.route)`;
        continue;
      }
      const at = first.start + first.text.indexOf(url!);
      result.routes.push({ method: 'ALL', path: value, span: { start: at, end: at + url!.length } });
      continue;
    }
    const paths = first.text.startsWith('[') ? arrayStrings(first.text) : [literal(first.text)];
    if (paths.some((p) => p === undefined)) {
      // A route whose path the text does not give: on an app it may serve anything.
      if (known && args.length >= 2)
        result.unseen ??= `a route's path is built at run time (${receiver}.${method})`;
      else if (
        args.length >= 2 &&
        /^\s*(async\s*)?(function\b[^(]*)?\(\s*_?(req|request|ctx)\b/.test(args[1].text)
      )
        result.unseen ??= `a route's path is built at run time (${receiver}.${method})`;
      continue;
    }
    // A path that is no URL path (`map.get('key')`) is no route; one that is counts, even if it is a client's call.
    if (!paths.every((p) => /^[/*(]/.test(p!))) continue;
    if (method === 'route' && args.length === 1) {
      // `app.route('/x').get(…)`: the methods follow.
      result.routes.push({ method: 'ALL', path: paths[0]!, span: spanOf(first) });
      continue;
    }
    if (args.length < 2 && !known) continue;
    for (const p of paths) {
      const route = {
        method: method === 'del' ? 'DELETE' : method.toUpperCase(),
        path: p!,
        span: spanOf(first),
      };
      result.routes.push(route);
      result.receivers.set(route, receiver);
    }
  }

  // `app.use(…)`, `router.use(…)`, `fastify.register(…)`.
  for (const match of text.matchAll(/(?:^|[^\w$])([\w$]+(?:\.[\w$]+)*)\s*\.\s*(use|register|prefix)\s*\(/g)) {
    const receiver = match[1];
    if (!isApp(receiver)) continue;
    const open = (match.index ?? 0) + match[0].length - 1;
    const args = callArguments(text, open);
    if (!args || args.length === 0) continue;
    if (match[2] === 'prefix') {
      addPrefix(result, args[0].text, args[0].start, args[0].start + args[0].text.length);
      continue;
    }
    if (match[2] === 'register') {
      judgePlugin(result, text, args);
      continue;
    }
    let mounted = args;
    const prefix = literal(args[0].text);
    if (prefix !== undefined) {
      mounted = args.slice(1);
      // What is mounted at a prefix answers under it, whatever it is.
      if (mounted.some((a) => !isPassing(a.text))) result.mounts.push({ prefix, span: spanOf(args[0]) });
      for (const arg of mounted)
        if (result.imports.has(arg.text) || result.routers.has(arg.text))
          result.mounted.push({ name: arg.text, prefix });
      continue;
    }
    if (args[0].text.startsWith('[') || /^\/.*\/[gimsuy]*$/.test(args[0].text)) {
      result.unseen ??= `middleware is mounted at paths the rule does not read (${receiver}.use)`;
      continue;
    }
    for (const arg of mounted) {
      judgeMiddleware(result, arg, apps);
      if (result.imports.has(arg.text) || result.routers.has(arg.text))
        result.mounted.push({ name: arg.text, prefix: '' });
    }
  }

  // Node's own server with a request listener of its own answers every path.
  for (const match of text.matchAll(/\bcreateServer\s*\(/g)) {
    const args = callArguments(text, (match.index ?? 0) + match[0].length - 1) ?? [];
    const listener = args.find((a) => /^(async\s*)?(function\b|\()/.test(a.text) || a.text.includes('=>'));
    if (listener) result.unseen ??= 'a Node http server answers requests with its own listener';
  }
  return result;
}

function spanOf(arg: { text: string; start: number }): Span {
  return { start: arg.start, end: arg.start + arg.text.length };
}

function addPrefix(result: FileRoutes, raw: string, start: number, end: number): void {
  const value = literal(raw);
  if (value === undefined) result.unseen ??= 'routes are mounted at a prefix built at run time';
  else result.mounts.push({ prefix: value, span: { start, end } });
}

function arrayStrings(text: string): (string | undefined)[] {
  const inner = text.slice(1, -1).trim();
  if (!inner) return [undefined];
  return inner
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s)
    .map(literal);
}

function isPassing(arg: string): boolean {
  return passingMiddleware.test(arg);
}

/** A middleware `use`d without a path: does it pass every request on, or is it a router of the app? */
function judgeMiddleware(result: FileRoutes, arg: { text: string; start: number }, apps: Set<string>): void {
  const text = arg.text;
  if (isPassing(text)) return;
  if (/^(express\.static|serveStatic|koaStatic|staticFiles|serve|history|static)\s*\(/.test(text)) {
    result.mounts.push({ prefix: '/', span: spanOf(arg) });
    return;
  }
  if (/^[\w$]+$/.test(text)) {
    if (apps.has(text)) return;
    if (result.imports.has(text)) {
      result.usedModules.push({ name: text, span: spanOf(arg) });
      return;
    }
    result.unseen ??= `\`${text}\` is used as middleware, and what it answers is not read here`;
    return;
  }
  const required = /^require\s*\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)(\.[\w$]+)?$/.exec(text);
  if (required) {
    const name = `require('${required[2]}')`;
    result.imports.set(name, required[2]);
    result.usedModules.push({ name, span: spanOf(arg) });
    return;
  }
  if (/^(async\s*)?(function\b[^(]*)?\(/.test(text) || /^(async\s+)?[\w$]+\s*=>/.test(text)) {
    const params = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(text)?.[1] ?? '';
    // An error handler, a 404 handler, or a middleware that always calls `next()` without
    // looking at the path: none of them serves a path of its own.
    if (params.split(',').filter((p) => p.trim()).length === 4) return;
    if (/\b404\b/.test(text)) return;
    if (/\bnext\s*\(/.test(text) && !/\.(path|url|originalUrl|baseUrl)\b/.test(text)) return;
    result.unseen ??= 'a middleware answers requests in code the rule does not read';
    return;
  }
  result.unseen ??= `\`${text.slice(0, 40)}\` is used as middleware, and what it answers is not read here`;
}

/** A Fastify plugin: its routes are read when it is the app's own; a package's must be one that adds none. */
function judgePlugin(result: FileRoutes, text: string, args: { text: string; start: number }[]): void {
  const [plugin, options] = args;
  const prefixText = options ? option([options], 'prefix') : undefined;
  if (prefixText !== undefined)
    addPrefix(result, prefixText, options.start, options.start + options.text.length);
  let module = /^(?:await\s+)?(?:require|import)\s*\(\s*(['"])([^'"]+)\1\s*\)/.exec(plugin.text)?.[2];
  if (!module && /^[\w$]+$/.test(plugin.text)) {
    const local = plugin.text.replace(/[$]/g, '\\$');
    module =
      new RegExp(`(?:const|let|var)\\s+${local}\\s*=\\s*require\\s*\\(\\s*(['"])([^'"]+)\\1`).exec(
        text,
      )?.[2] ?? new RegExp(`import\\s+${local}\\s+from\\s+(['"])([^'"]+)\\1`).exec(text)?.[2];
    // A plugin defined in this file registers its routes here, where they are read.
    if (!module) return;
  }
  if (!module) {
    if (/^(async\s*)?(function\b|\()/.test(plugin.text)) return;
    result.unseen ??= 'a Fastify plugin is registered that the rule does not read';
    return;
  }
  if (module.startsWith('.')) return;
  if (/^(@fastify\/static|fastify-static)$/.test(module)) {
    if (prefixText === undefined) result.mounts.push({ prefix: '/', span: spanOf(plugin) });
    return;
  }
  if (!passingPlugins.test(module)) result.unseen ??= `the Fastify plugin ${module} may add routes`;
}

// ---------------------------------------------------------------------------------------------
// Python

const supportedPy = /^[ \t]*(?:from\s+(flask|quart|fastapi)\b|import\s+(flask|quart|fastapi)\b)/m;
const otherPy =
  /^[ \t]*(?:from|import)\s+(django|aiohttp|tornado|sanic|falcon|bottle|pyramid|litestar|chalice|connexion|cherrypy|http\.server|starlette\.routing|flask_restx|flask_restplus|flask_smorest|flask_appbuilder|flask_admin|dash|strawberry|graphene|mangum|aws_lambda_powertools\.event_handler|serverless_wsgi)\b/m;
const pyDecorator = /@([\w.]+)\.(route|get|post|put|patch|delete|head|options|api_route|websocket)\s*\(/g;

function pythonRoutes(text: string): FileRoutes | undefined {
  const supported = supportedPy.exec(text);
  const other = otherPy.exec(text);
  const result = noRoutesYet(!!supported);
  if (other) result.unseen = `the app uses ${other[1]}, whose routes are not read here`;
  if (/\burlpatterns\b/.test(text)) result.unseen ??= 'the app declares Django URL patterns';
  if (
    !supported &&
    !pyDecorator.test(text) &&
    !/\.(add_url_rule|add_resource|add_api_route|mount)\s*\(/.test(text)
  )
    return result.unseen ? result : undefined;
  pyDecorator.lastIndex = 0;
  const flask = supported && /flask|quart/.test(supported[1] ?? supported[2] ?? '');
  const fastapi = supported && /fastapi/.test(supported[1] ?? supported[2] ?? '');
  // Flask serves its static folder, FastAPI its documentation, unless told otherwise.
  if (flask && /\bFlask\s*\(/.test(text) && !/static_folder\s*=\s*None/.test(text))
    result.routes.push({ method: 'GET', path: '/static/<path:filename>', span: { start: 0, end: 0 } });
  if (fastapi && /\bFastAPI\s*\(/.test(text))
    for (const p of ['/docs', '/redoc', '/openapi.json'])
      result.routes.push({ method: 'GET', path: p, span: { start: 0, end: 0 } });

  for (const match of text.matchAll(pyDecorator)) {
    const open = (match.index ?? 0) + match[0].length - 1;
    const args = callArguments(text, open);
    if (!args) continue;
    const first = args[0] && !/^\w+\s*=/.test(args[0].text) ? args[0] : undefined;
    const pathText = first?.text ?? option(args, 'path') ?? option(args, 'rule');
    const value = pathText !== undefined ? literal(pathText) : undefined;
    if (value === undefined) {
      result.unseen ??= `a route's path is built at run time (@${match[1]}.${match[2]})`;
      continue;
    }
    result.registers = true;
    const at = first ? first.start : text.indexOf(pathText!, open);
    result.routes.push({
      method: /route|api_route/.test(match[2]) ? 'ALL' : match[2].toUpperCase(),
      path: value,
      span: { start: at, end: at + pathText!.length },
    });
  }
  for (const match of text.matchAll(/\.(add_url_rule|add_api_route|add_resource)\s*\(/g)) {
    const args = callArguments(text, (match.index ?? 0) + match[0].length - 1) ?? [];
    const paths =
      match[1] === 'add_resource' ? args.slice(1).filter((a) => !/^\w+\s*=/.test(a.text)) : args.slice(0, 1);
    for (const arg of paths) {
      const value = literal(arg.text);
      if (value === undefined) result.unseen ??= `a route's path is built at run time (${match[1]})`;
      else result.routes.push({ method: 'ALL', path: value, span: spanOf(arg) });
    }
  }
  // Prefixes: blueprints and routers declared or included under one, apps mounted at one.
  for (const match of text.matchAll(
    /\b(Blueprint|APIRouter|register_blueprint|include_router|mount|Namespace|namespace)\s*\(/g,
  )) {
    const args = callArguments(text, (match.index ?? 0) + match[0].length - 1) ?? [];
    const kind = match[1];
    if (kind === 'mount') {
      const prefix = args[0] ? literal(args[0].text) : undefined;
      if (prefix === undefined) result.unseen ??= 'an app is mounted at a path built at run time';
      else result.mounts.push({ prefix, span: spanOf(args[0]) });
      continue;
    }
    if (kind === 'Namespace' || kind === 'namespace') {
      result.unseen ??= 'routes are declared on a namespace whose path is not read here';
      continue;
    }
    const prefixText = option(
      args,
      kind === 'Blueprint' || kind === 'register_blueprint' ? 'url_prefix' : 'prefix',
    );
    if (prefixText === undefined) continue;
    const prefix = literal(prefixText);
    const arg = args.find((a) => a.text.includes(prefixText))!;
    if (prefix === undefined) result.unseen ??= 'routes are mounted at a prefix built at run time';
    else result.mounts.push({ prefix, span: spanOf(arg) });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Matching a path

/** One segment of a route path: a literal, one parameter, or the rest of the path. */
type Segment = { literal: string } | 'one' | 'rest' | 'optional';

function segments(path: string): Segment[] | 'any' {
  const parts = path.split('/').filter((p) => p !== '');
  const out: Segment[] = [];
  for (const part of parts) {
    if (
      part === '*' ||
      /^\*\w*$/.test(part) ||
      /^\{\*\w*\}$/.test(part) ||
      part === '(.*)' ||
      /^<path:\w+>$/.test(part) ||
      /^\{\w+:path\}$/.test(part) ||
      /^:\w+[*+]$/.test(part)
    )
      out.push('rest');
    else if (/^:\w+\?$/.test(part) || /^\{\/?:\w+\}$/.test(part)) out.push('optional');
    else if (/^:\w+(\(.*\))?$/.test(part) || /^\{\w+\}$/.test(part) || /^<(\w+:)?\w+>$/.test(part))
      out.push('one');
    else if (/[*()?+[\]{}<>:]/.test(part)) return 'any';
    else out.push({ literal: part.toLowerCase() });
  }
  return out;
}

function matches(pattern: Segment[], path: string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return path.length === 0;
  if (head === 'rest') return true;
  if (head === 'optional') return matches(rest, path) || (path.length > 0 && matches(rest, path.slice(1)));
  if (path.length === 0) return false;
  if (head === 'one' || head.literal === path[0]) return matches(rest, path.slice(1));
  return false;
}

function requestSegments(path: string): string[] {
  return path
    .replace(/[?#].*$/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => decodeURIComponentSafe(p).toLowerCase());
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether a route of the app serves `path` (exactly or through its parameters). */
export function serves(routes: AppRoutes, path: string): Route | undefined {
  const wanted = requestSegments(path);
  return routes.routes.find((route) => {
    const pattern = segments(route.path);
    return pattern === 'any' || matches(pattern, wanted);
  });
}

/** The mount under which something the files do not spell out may answer `path`. */
export function coveringMount(routes: AppRoutes, path: string): RouteMount | undefined {
  const wanted = requestSegments(path);
  return routes.mounts.find((mount) => {
    const pattern = segments(mount.prefix);
    return pattern === 'any' || matches([...pattern, 'rest'], wanted);
  });
}

const healthWords =
  /^(health|healthz|healthcheck|health-check|ping|status|ready|readyz|readiness|live|livez|liveness)$/;

/** The one health route (a literal path) the app registers, when it registers exactly one. */
export function soleHealthRoute(routes: AppRoutes): string | undefined {
  const health = new Set(
    routes.routes
      .filter((r) => r.span.end > r.span.start && isHealthRoute(r.path) && !/[:{<*(]/.test(r.path))
      .map((r) => r.path),
  );
  return health.size === 1 ? [...health][0] : undefined;
}

/** A route path whose last segment says it answers health checks (`/health`, `/api/healthz`). */
export function isHealthRoute(path: string): boolean {
  const last =
    path
      .split('/')
      .filter((p) => p)
      .pop() ?? '';
  return healthWords.test(last.toLowerCase());
}

/** The routes to name beside a path that is not served: health-like ones first, then those sharing its first segment. */
export function nearbyRoutes(routes: AppRoutes, path: string, count = 4): Route[] {
  const first = requestSegments(path)[0];
  const seen = new Set<string>();
  const scored = routes.routes
    .filter((r) => r.span.end > r.span.start && !seen.has(r.path) && (seen.add(r.path), true))
    .map((r, index) => ({
      r,
      score: (isHealthRoute(r.path) ? 0 : 2) + (first && requestSegments(r.path)[0] === first ? 0 : 1),
      index,
    }));
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.slice(0, count).map((s) => s.r);
}
