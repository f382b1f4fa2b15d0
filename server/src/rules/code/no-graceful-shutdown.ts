import type { Node } from '../../engine/parse/syntax-tree';
import { applicationOf, type AppLanguage } from '../../engine/code/application';
import { ensurePythonImport } from '../../engine/code/env';
import { javascriptAppObjects } from '../../engine/code/handlers';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import { codeChildren } from '../../engine/code/edit';
import { assignedCalls, dottedName, nodesOfType, spanOfNode } from '../../engine/code/syntax';
import { uniqueName, usesIdentifier } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import type { RelatedLocation, Runtime } from '../../engine/applications';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

/** Code or packages that stop a server gracefully. */
const handlesTermination =
  /SIGTERM|enableShutdownHooks|createTerminus|createHttpTerminator|closeWithGrace|gracefulShutdown|GracefulShutdown/;
const shutdownPackages =
  /^(@godaddy\/terminus|http-terminator|stoppable|lightship|close-with-grace|fastify-graceful-shutdown|http-graceful-shutdown|express-graceful-shutdown|@moebius\/http-graceful-shutdown|async-exit-hook|death)$/;

const serverConstructors =
  /^((node:)?https?2?\.(createServer|createSecureServer|Server)|http\.server\.(HTTPServer|ThreadingHTTPServer)|socketserver\.(TCPServer|ThreadingTCPServer|ForkingTCPServer)|wsgiref\.simple_server\.make_server)$/;

interface Server {
  /** The `listen` / `serve_forever` callee. */
  at: Node;
  kind: 'node' | 'fastify' | 'nest' | 'python';
  /** The server or app object's name, when it has one. */
  receiver?: string;
  /** The statement that starts the server. */
  statement?: Node;
  /** Whether `receiver` is the http.Server itself (not an app whose listen() returns one). */
  isServer?: boolean;
}

export default defineRule({
  id: 'container-ready/no-graceful-shutdown',
  lesson: 'container-ready',
  title: 'HTTP server without SIGTERM handling',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  messages: {
    nodeServer:
      'Nothing in this app handles SIGTERM{{stop}}. {{exitsNode}} Close the server on SIGTERM and exit once it has drained.',
    pythonServer:
      'Nothing in this app handles SIGTERM{{stop}}. {{exitsPython}} Shut the server down on SIGTERM, or serve the app with Gunicorn or Uvicorn, which drain requests themselves.',
  },
  docs: {
    what:
      'A Node.js HTTP server (Express, Koa, Fastify, NestJS, `http.createServer`) started with `listen()`, or a Python `http.server`/`socketserver`/`wsgiref` server started with `serve_forever()`, in an app where nothing handles SIGTERM: ' +
      'no `process.on("SIGTERM")`/`signal.signal(SIGTERM, …)` in its source files, no NestJS `enableShutdownHooks()`, and no graceful-shutdown package (terminus, http-terminator, stoppable, lightship, close-with-grace, fastify-graceful-shutdown) that the app imports: one listed in its manifest and never required stops nothing. ' +
      'Python apps served by Gunicorn, Uvicorn or aiohttp are not flagged: those servers drain requests on SIGTERM themselves. ' +
      'Where the workspace shows what replaces the app’s copies on each deployment (an ECS service, a Kubernetes workload, a compose service with several replicas), the finding names it and points at its stop timeout.',
    why:
      'Every deployment, scale-in and host replacement stops containers the same way: SIGTERM, a grace period (30 s on ECS and Kubernetes, 10 s for `docker stop`), then SIGKILL. ' +
      'Node.js without a handler exits at once on SIGTERM, and as PID 1 in a container it ignores the signal until it is killed; either way the requests in flight are cut off and clients see resets and 502s on every release. ' +
      'Stop accepting connections, let the open requests finish, close pools, then exit: deployments become invisible to users.',
    example: {
      language: 'javascript',
      code: `const app = express();
// …
app.listen(process.env.PORT ?? 3000);`,
    },
    useInstead: {
      language: 'javascript',
      code: `const app = express();
// …
const server = app.listen(process.env.PORT ?? 3000);

process.on('SIGTERM', () => {
  server.close(() => process.exit(0)); // stop accepting, finish requests in flight
  setTimeout(() => process.exit(1), 10000).unref();
});`,
    },
    fix: 'Closes the server on SIGTERM and exits once the requests in flight are done (NestJS: `enableShutdownHooks()`; Python: `shutdown()` from a signal handler). A scaffold: close pools and clients there too, and keep the drain shorter than the grace period before SIGKILL.',
    references: [
      {
        title: 'Amazon ECS: graceful shutdowns with ECS',
        url: 'https://aws.amazon.com/blogs/containers/graceful-shutdowns-with-ecs/',
      },
      {
        title: 'Kubernetes: termination of pods',
        url: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination',
      },
      { title: 'Node.js: server.close()', url: 'https://nodejs.org/api/net.html#serverclosecallback' },
      { title: 'The Twelve-Factor App: disposability', url: 'https://12factor.net/disposability' },
    ],
  },
  checks: {
    js: (context) => check(context, 'js'),
    py: (context) => check(context, 'py'),
  },
});

function check(
  { model, document, workspace, applications, report }: CheckContext<CodeModel>,
  language: AppLanguage,
): void {
  const server = language === 'js' ? javascriptServer(model) : pythonServer(model);
  if (!server) return;
  if (handlesTermination.test(document.text)) return;
  const application = applicationOf(document.path, workspace, language);
  const sources = [document.text, ...application.otherSources().map((source) => source.text)];
  if (sources.slice(1).some((text) => handlesTermination.test(text))) return;
  // A graceful-shutdown package counts once the app imports it: one listed in the manifest and
  // never required stops nothing.
  const packages = [...application.dependencies].filter((name) => shutdownPackages.test(name));
  if (packages.some((name) => sources.some((text) => importsPackage(text, name)))) return;
  // Where the files say what runs the app and replaces its copies, the finding names it.
  const runtimes = applications.of(document.path)?.runtimes ?? [];
  const replaced = runtimes.filter(replacesCopies);
  const lead = replaced[0];
  const lambda = lead ? undefined : runtimes.find((runtime) => runtime.kind === 'lambda');
  report({
    at: spanOfNode(server.at),
    messageId: language === 'js' ? 'nodeServer' : 'pythonServer',
    data: stopWords(lead, lambda),
    ...(lead ? { related: replaced.map(replacedRelated) } : {}),
    fix: () => scaffold(model, document.lines, server),
  });
}

/** How a Node.js or Python server dies on SIGTERM without a handler, ending in what it cuts off. */
const exits = (cut: string) => ({
  exitsNode: `Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off ${cut}.`,
  exitsPython: `serve_forever() then dies with ${cut}.`,
});

/**
 * The message's words for what stops the server: the runtime that replaces its copies when the
 * files show one, a Lambda function (which stops an environment only between requests), or the
 * platforms that stop containers in general.
 */
function stopWords(lead: Runtime | undefined, lambda: Runtime | undefined): Record<string, string> {
  if (lead) {
    const kill = lead.stopTimeout ? ` (then SIGKILL ${lead.stopTimeout.seconds} s later)` : '';
    const title = runtimeTitle(lead);
    if (lead.kind === 'ecs') {
      // Behind a load balancer the task is drained before SIGTERM: what is cut is what outlasts that.
      const drained = lead.loadBalanced
        ? ', once its load balancer has stopped sending them new requests'
        : '';
      return {
        stop: `, and ${title} stops its tasks with SIGTERM${kill} on every deployment and scale-in${drained}`,
        ...exits(
          lead.loadBalanced
            ? 'the long requests, open connections and background work still running'
            : 'the requests in flight',
        ),
      };
    }
    if (lead.kind === 'kubernetes')
      return {
        stop: `, and Kubernetes stops the pods of ${title} with SIGTERM${kill} on every rollout and scale-in`,
        ...exits('the requests in flight'),
      };
    return {
      stop: `, and Docker Compose stops the containers of ${title} with SIGTERM${kill} whenever it recreates them or scales them down`,
      ...exits('the requests in flight'),
    };
  }
  if (lambda) {
    const cut = 'the requests in flight';
    return {
      stop: ` (${runtimeTitle(lambda)} runs it, and Lambda shuts an execution environment down only between invocations, so nothing is cut there)`,
      exitsNode: `But wherever this server runs in a container, ECS, Kubernetes or \`docker stop\` stops it with SIGTERM, and Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off ${cut}.`,
      exitsPython: `But wherever this server runs in a container, ECS, Kubernetes or \`docker stop\` stops it with SIGTERM, and serve_forever() then dies with ${cut}.`,
    };
  }
  return {
    stop: ', the signal ECS, Kubernetes and `docker stop` send to stop a container',
    ...exits('the requests in flight'),
  };
}

/**
 * A runtime named for a sentence: `ECS service \`Api\``, `ECS service \`Api\` (CDK
 * \`ApplicationLoadBalancedFargateService\`)`, `service \`api\``, `Deployment \`web\``, `Lambda function \`Fn\``.
 */
function runtimeTitle(runtime: Runtime): string {
  const cdk = /^CDK (\S+) (.+)$/.exec(runtime.name);
  if (cdk) {
    const noun = runtime.kind === 'lambda' ? 'Lambda function' : 'ECS service';
    return `${noun} \`${cdk[2]}\` (CDK \`${cdk[1]}\`)`;
  }
  const kubernetes = /^Kubernetes (\S+) (.+)$/.exec(runtime.name);
  if (runtime.kind === 'kubernetes' && kubernetes) return `${kubernetes[1]} \`${kubernetes[2]}\``;
  const named = /^(ECS service|compose service|Lambda function) (.+)$/.exec(runtime.name);
  if (!named) return runtime.name;
  return runtime.kind === 'compose' ? `service \`${named[2]}\`` : `${named[1]} \`${named[2]}\``;
}

/** ECS services, Kubernetes workloads, and compose services with several replicas: a deployment replaces their copies. */
const replacesCopies = (runtime: Runtime) =>
  runtime.kind === 'ecs' ||
  runtime.kind === 'kubernetes' ||
  (runtime.kind === 'compose' && runtime.copies.most > 1);

function replacedRelated(runtime: Runtime): RelatedLocation {
  const stop = runtime.stopTimeout;
  const at = stop ?? runtime;
  const title = runtime.kind === 'compose' ? `compose ${runtimeTitle(runtime)}` : runtimeTitle(runtime);
  return {
    path: at.at.path,
    range: at.at.range,
    message: stop
      ? `${title} sends SIGTERM, then SIGKILL ${stop.seconds} s later (${stop.words})`
      : `${title} runs this server as ${runtime.copies.words}; the copies a deployment replaces are stopped with SIGTERM`,
  };
}

/** Whether source text imports or requires a package (`require('stoppable')`, `from 'lightship'`, `import death`). */
function importsPackage(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`['"\`]${escaped}(/[^'"\`]*)?['"\`]|^\\s*(import|from)\\s+${escaped}\\b`, 'm').test(text);
}

function javascriptServer(model: CodeModel): Server | undefined {
  const bindings = bindingsOf(model);
  const apps = javascriptAppObjects(model);
  const servers = new Map<string, Server['kind']>();
  const httpServers = new Set<string>();
  for (const [name, app] of apps) servers.set(name, app.framework === 'fastify' ? 'fastify' : 'node');
  for (const assigned of assignedCalls(model)) {
    const target = dottedName(assigned.target);
    if (!target) continue;
    const value = assigned.value;
    const qualified = calleeQualifiedName(value, bindings) ?? '';
    if (serverConstructors.test(qualified)) {
      servers.set(target, 'node');
      httpServers.add(target);
    } else if (qualified === '@nestjs/core.NestFactory.create') servers.set(target, 'nest');
  }
  for (const call of nodesOfType(model, 'call_expression')) {
    const callee = call?.childForFieldName('function');
    if (
      !call ||
      callee?.type !== 'member_expression' ||
      callee.childForFieldName('property')?.text !== 'listen'
    )
      continue;
    const object = callee.childForFieldName('object');
    if (!object) continue;
    let kind: Server['kind'] | undefined;
    let receiver: string | undefined;
    if (object.type === 'call_expression' || object.type === 'new_expression') {
      // http.createServer(app).listen(…), express().listen(…)
      const qualified = calleeQualifiedName(object, bindings) ?? '';
      if (serverConstructors.test(qualified) || qualified === 'express') kind = 'node';
    } else {
      receiver = dottedName(object);
      kind = receiver ? servers.get(receiver) : undefined;
    }
    if (!kind) continue;
    // A server on an ephemeral port or the loopback interface (an OAuth redirect catcher, a test
    // double) takes no traffic from a load balancer.
    const args = codeChildren(call.childForFieldName('arguments')!);
    if (args[0]?.text === '0' || args.some((a) => /^['"`](127\.0\.0\.1|localhost|::1)['"`]$/.test(a.text)))
      continue;
    return {
      at: callee,
      kind,
      receiver,
      statement: statementOf(call),
      isServer: !!receiver && httpServers.has(receiver),
    };
  }
  return undefined;
}

function pythonServer(model: CodeModel): Server | undefined {
  const bindings = bindingsOf(model);
  const servers = new Set<string>();
  for (const node of nodesOfType(model, ['assignment', 'with_item'])) {
    if (!node) continue;
    let target: string | undefined;
    let value: Node | null = null;
    if (node.type === 'assignment') {
      target = dottedName(node.childForFieldName('left'));
      value = node.childForFieldName('right');
    } else {
      const pattern = node.childForFieldName('value');
      if (pattern?.type !== 'as_pattern') continue;
      value = pattern.namedChildren[0];
      target = pattern.childForFieldName('alias')?.text;
    }
    if (
      target &&
      value?.type === 'call' &&
      serverConstructors.test(calleeQualifiedName(value, bindings) ?? '')
    )
      servers.add(target);
  }
  for (const call of nodesOfType(model, 'call')) {
    const callee = call?.childForFieldName('function');
    if (
      !call ||
      callee?.type !== 'attribute' ||
      callee.childForFieldName('attribute')?.text !== 'serve_forever'
    )
      continue;
    const receiver = dottedName(callee.childForFieldName('object'));
    if (receiver && servers.has(receiver))
      return { at: callee, kind: 'python', receiver, statement: statementOf(call) };
  }
  return undefined;
}

/** The statement a call is the whole of (`app.listen(…);`, `const server = app.listen(…)`, `await app.listen(…)`). */
function statementOf(call: Node): Node | undefined {
  let node = call;
  while (node.parent && ['await_expression', 'await', 'parenthesized_expression'].includes(node.parent.type))
    node = node.parent;
  const parent = node.parent;
  if (parent?.type === 'expression_statement') return parent;
  if (parent?.type === 'variable_declarator' && parent.parent?.namedChildCount === 1) return parent.parent;
  return undefined;
}

function scaffold(model: CodeModel, lines: LineIndex, server: Server): Fix | undefined {
  const { statement } = server;
  if (!statement) return undefined;
  const eol = lines.eol;
  const indent = lines.indentAt(statement.startIndex);
  const block = (code: string[]) => code.map((line) => (line ? indent + line : line)).join(eol);
  const end = statement.endIndex;
  // Two lines: scaffold lines stay under 100 characters.
  const comment = [
    '// On SIGTERM (ECS, Kubernetes, docker stop): stop taking connections,',
    '// finish the requests in flight, then exit.',
  ];
  const needs = [
    'Close database pools and other clients in the SIGTERM handler too',
    'Keep the drain shorter than the grace period before SIGKILL (30 s on ECS and Kubernetes)',
  ];

  if (server.kind === 'nest') {
    // NestJS closes the app (and its server) on SIGTERM once shutdown hooks are on.
    if (!server.receiver) return undefined;
    return {
      title: 'Enable NestJS shutdown hooks',
      needs: ['Close database pools and other clients in onModuleDestroy or beforeApplicationShutdown'],
      edits: [
        {
          start: statement.startIndex,
          end: statement.startIndex,
          text: `${server.receiver}.enableShutdownHooks();${eol}${indent}`,
        },
      ],
    };
  }
  if (server.kind === 'fastify') {
    if (!server.receiver) return undefined;
    return {
      title: 'Close the server on SIGTERM',
      needs,
      edits: [
        {
          start: end,
          end,
          text:
            eol +
            eol +
            block([
              ...comment,
              "process.on('SIGTERM', () => {",
              `  ${server.receiver}.close().then(() => process.exit(0), () => process.exit(1));`,
              '});',
            ]),
        },
      ],
    };
  }
  if (server.kind === 'python') {
    if (!server.receiver) return undefined;
    const at = lines.lineStart(lines.lineOf(statement.startIndex));
    return {
      title: 'Shut the server down on SIGTERM',
      needs: ['Close database connections and other clients once serve_forever() returns'],
      edits: [
        ...ensurePythonImport(model, lines, 'signal'),
        ...ensurePythonImport(model, lines, 'threading'),
        {
          start: at,
          end: at,
          text:
            block([
              'def _stop(signum, frame):',
              '    # Finish the request in progress, then leave serve_forever();',
              '    # shutdown() must run on another thread.',
              `    threading.Thread(target=${server.receiver}.shutdown).start()`,
              '',
              'signal.signal(signal.SIGTERM, _stop)',
            ]) + eol,
        },
      ],
    };
  }
  // Node http servers: `const server = app.listen(…)` already names it; a bare call gets a name.
  const edits = [];
  let name: string;
  if (server.isServer && server.receiver) {
    name = server.receiver;
  } else if (statement.type === 'expression_statement') {
    name = uniqueName('server', (candidate) => usesIdentifier(lines.text, candidate));
    edits.push({ start: statement.startIndex, end: statement.startIndex, text: `const ${name} = ` });
  } else {
    const declarator = statement.namedChildren[0];
    const declared = declarator?.childForFieldName('name');
    if (declared?.type !== 'identifier') return undefined;
    name = declared.text;
  }
  edits.push({
    start: end,
    end,
    text:
      eol +
      eol +
      block([
        ...comment,
        "process.on('SIGTERM', () => {",
        `  ${name}.close(() => process.exit(0));`,
        '  setTimeout(() => process.exit(1), 10000).unref();',
        '});',
      ]),
  });
  return { title: 'Close the server on SIGTERM', edits, needs };
}
