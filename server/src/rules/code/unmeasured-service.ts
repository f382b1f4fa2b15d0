import type { Node } from '../../engine/parse/syntax-tree';
import { applicationOf, type AppLanguage } from '../../engine/code/application';
import { ensurePythonFromImport, ensurePythonImport } from '../../engine/code/env';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import { dottedName, nodesOfType, spanOfNode } from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

/** npm packages that measure an app: metrics clients, APM agents, tracing, timing middleware. */
const javascriptMetrics =
  /^(prom-client|express-prom-bundle|express-prometheus-middleware|prometheus-api-metrics|fastify-metrics|@fastify\/metrics|koa-prometheus.*|koa2-prometheus.*|@willsoto\/nestjs-prometheus|@opentelemetry\/.+|hot-shots|node-statsd|statsd-client|lynx|dd-trace|datadog-metrics|@datadog\/.+|aws-embedded-metrics|@aws-lambda-powertools\/(metrics|tracer)|newrelic|elastic-apm-node|applicationinsights|@sentry\/.+|response-time|aws-xray-sdk.*|@aws-sdk\/client-cloudwatch|appmetrics.*|express-status-monitor|swagger-stats|@google-cloud\/monitoring|@splunk\/otel|honeycomb-beeline|@honeycombio\/.+|@dynatrace\/.+|@instana\/.+)$/;
/** Python distributions (normalised names) and the modules they import as. */
const pythonMetrics =
  /^(prometheus-client|prometheus-flask-exporter|prometheus-fastapi-instrumentator|starlette-exporter|starlette-prometheus|django-prometheus|statsd|datadog|ddtrace|aws-embedded-metrics|aws-lambda-powertools|opentelemetry-.+|newrelic|elastic-apm|sentry-sdk|aws-xray-sdk|pyformance|scout-apm|flask-monitoringdashboard|django-statsd.*|prometheus-async|honeycomb-beeline)$/;
const pythonMetricModules =
  /^(prometheus_client|prometheus_flask_exporter|prometheus_fastapi_instrumentator|starlette_exporter|starlette_prometheus|django_prometheus|statsd|datadog|ddtrace|aws_embedded_metrics|aws_lambda_powertools|opentelemetry|newrelic|elasticapm|sentry_sdk|aws_xray_sdk|pyformance|scout_apm|flask_monitoringdashboard|beeline)$/;

/** Code that measures by itself: CloudWatch metric calls and the embedded metric format. */
const metricCalls =
  /put_metric_data|PutMetricDataCommand|putMetricData|"CloudWatchMetrics"|CloudWatchMetrics\s*:/;
const clocks: Record<AppLanguage, RegExp> = {
  js: /process\.hrtime|performance\.now\(\)|Date\.now\(\)|console\.time\(|\.elapsedTime\b|getResponseTime\(/,
  py: /time\.(perf_counter|monotonic|time|process_time)(_ns)?\(\)|default_timer\(\)|perf_counter\(\)/,
};
const timingHooks: Record<AppLanguage, RegExp> = {
  js: /\.(on|once)\(\s*['"](finish|close)['"]|on-finished|['"]onResponse['"]|await\s+next\(\)|addHook\(/,
  py: /after_request|teardown_request|call_next|\bwraps\b|process_response|BaseHTTPMiddleware|__call__/,
};

/** Whether a source text measures requests: a metrics import, a metric call, or timing middleware/decorator. */
function measures(text: string, language: AppLanguage): boolean {
  if (metricCalls.test(text)) return true;
  if (clocks[language].test(text) && timingHooks[language].test(text)) return true;
  if (language === 'js') {
    for (const match of text.matchAll(/(?:require\(\s*|from\s+|import\s+)['"]((?:@[^/'"]+\/)?[^/'"]+)/g))
      if (javascriptMetrics.test(match[1])) return true;
    return false;
  }
  for (const match of text.matchAll(/^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)/gm))
    if (pythonMetricModules.test(match[1])) return true;
  return false;
}

interface App {
  /** What to underline: the call that creates the app (or Django's MIDDLEWARE). */
  at: Node;
  framework: 'Express' | 'Fastify' | 'Koa' | 'NestJS' | 'Flask' | 'FastAPI' | 'Quart' | 'Sanic' | 'Django';
  /** The variable the app is assigned to, and the statement that does it (for the scaffold). */
  variable?: string;
  statement?: Node;
}

const javascriptApps: Record<string, App['framework']> = {
  express: 'Express',
  'express.default': 'Express',
  fastify: 'Fastify',
  'fastify.fastify': 'Fastify',
  'fastify.default': 'Fastify',
  koa: 'Koa',
  'koa.default': 'Koa',
  '@nestjs/core.NestFactory.create': 'NestJS',
};
const pythonApps: Record<string, App['framework']> = {
  'flask.Flask': 'Flask',
  'quart.Quart': 'Quart',
  'fastapi.FastAPI': 'FastAPI',
  'sanic.Sanic': 'Sanic',
};

export default defineRule({
  id: 'measure-everything/unmeasured-service',
  lesson: 'measure-everything',
  title: 'HTTP service that records no metrics',
  severity: 'info',
  equivalents: [],
  fix: 'scaffold',
  strictOnly: true,
  messages: {
    unmeasured:
      'Nothing in this app{{searched}} measures the requests this {{framework}} app serves: no metrics client, APM agent or timing middleware. Record latency, errors and throughput per route ({{client}}, StatsD, OpenTelemetry, CloudWatch embedded metrics), then alarm on them.',
  },
  docs: {
    what:
      'An Express, Fastify, Koa, NestJS, Flask, Quart, FastAPI, Sanic or Django app in whose code nothing measures requests. The whole app counts, not only the file that creates it: ' +
      'its manifests (package.json, requirements*.txt, pyproject.toml, Pipfile, setup.py) and its other source files are read, and any metrics client or APM agent (prom-client, StatsD/hot-shots, OpenTelemetry, Datadog, New Relic, Elastic APM, Sentry, X-Ray, CloudWatch embedded metrics, Powertools, django-prometheus, …), ' +
      'any CloudWatch `PutMetricData` call, and any timing middleware or decorator (a clock read around `res.on("finish")`, `await next()`, `after_request`, `call_next` or a `functools.wraps` wrapper) means the app is measured. ' +
      'Lambda handlers are not judged: Lambda records invocations, errors and duration by itself. ' +
      'In the `strict` preset only: from its code alone an app that serves users cannot be told from a sample, a demo or an internal tool, ' +
      'and most apps in the wild that create a web framework without a metrics client are of the second kind, where the finding is true but nobody adds metrics. ' +
      'Turn it on (or use `strict`) for the services you run in production.',
    why:
      'Without numbers there is nothing to alarm on: a slow dependency, a memory leak or a bad deployment shows first as users giving up, and the investigation starts without a baseline. ' +
      'Latency, error rate and throughput per route are the minimum, measured where the code runs, because the load balancer sees only what reaches it. ' +
      'The lesson adds: once the measurements exist, put alarms on them and decide who gets woken up.',
    example: {
      language: 'python',
      code: `from flask import Flask

app = Flask(__name__)

@app.get("/orders")
def orders():
    return list_orders()`,
    },
    useInstead: {
      language: 'python',
      code: `import functools, time
from flask import Flask
from prometheus_client import Histogram

app = Flask(__name__)
LATENCY = Histogram("http_request_seconds", "Request latency", ["route"])

def timed(route):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return view(*args, **kwargs)
            finally:
                LATENCY.labels(route).observe(time.perf_counter() - started)
        return wrapper
    return decorator

@app.get("/orders")
@timed("orders")
def orders():
    return list_orders()`,
    },
    fix: 'Adds a timing middleware (Express, NestJS, Fastify, Koa, FastAPI) or a before/after-request pair (Flask, Quart) that logs the duration, method, route and status of every request. A scaffold: send those numbers to your metrics backend and put alarms on them.',
    references: [
      { title: 'Prometheus client for Node.js (prom-client)', url: 'https://github.com/siimon/prom-client' },
      { title: 'Prometheus Python client', url: 'https://prometheus.github.io/client_python/' },
      {
        title: 'CloudWatch embedded metric format',
        url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format.html',
      },
      { title: 'OpenTelemetry: instrumentation', url: 'https://opentelemetry.io/docs/languages/' },
    ],
  },
  checks: {
    js: (context) => check(context, 'js'),
    py: (context) => check(context, 'py'),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>, language: AppLanguage): void {
  const app = language === 'js' ? javascriptApp(model) : pythonApp(model, document.path);
  if (!app) return;
  if (measures(document.text, language)) return;
  const application = applicationOf(document.path, workspace, language);
  const packages = language === 'js' ? javascriptMetrics : pythonMetrics;
  if ([...application.dependencies].some((name) => packages.test(name))) return;
  if (application.otherSources().some((source) => measures(source.text, language))) return;
  report({
    at: spanOfNode(app.at),
    messageId: 'unmeasured',
    data: {
      searched: application.manifests.length > 0 ? ' (its manifests and source files)' : '',
      framework: app.framework,
      client: language === 'js' ? 'prom-client' : 'prometheus_client',
    },
    fix: () => scaffold(model, document.lines, app),
  });
}

function javascriptApp(model: CodeModel): App | undefined {
  const bindings = bindingsOf(model);
  for (const call of nodesOfType(model, ['call_expression', 'new_expression'])) {
    if (!call) continue;
    const framework = javascriptApps[calleeQualifiedName(call, bindings) ?? ''];
    if (!framework || (framework === 'Koa') !== (call.type === 'new_expression')) continue;
    return { at: call, framework, ...assignedTo(call) };
  }
  return undefined;
}

function pythonApp(model: CodeModel, path: string): App | undefined {
  const bindings = bindingsOf(model);
  for (const call of nodesOfType(model, 'call')) {
    const framework = call && pythonApps[calleeQualifiedName(call, bindings) ?? ''];
    if (call && framework) return { at: call, framework, ...assignedTo(call) };
  }
  // Django: the settings module's MIDDLEWARE list.
  if (/settings/.test(path.split(/[\\/]/).slice(-2).join('/'))) {
    for (const statement of model.root.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
      if (left?.text === 'MIDDLEWARE') return { at: left, framework: 'Django' };
    }
  }
  return undefined;
}

/** `const app = express();` / `app = Flask(__name__)`: the variable and its statement. */
function assignedTo(call: Node): { variable?: string; statement?: Node } {
  let node = call;
  while (
    node.parent &&
    [
      'await_expression',
      'await',
      'parenthesized_expression',
      'as_expression',
      'non_null_expression',
    ].includes(node.parent.type)
  )
    node = node.parent;
  const holder = node.parent;
  if (holder?.type === 'variable_declarator' && holder.parent?.type.endsWith('declaration')) {
    const name = holder.childForFieldName('name');
    if (name?.type === 'identifier' && holder.parent.namedChildCount === 1)
      return { variable: name.text, statement: holder.parent };
  }
  if (holder?.type === 'assignment' && holder.parent?.type === 'expression_statement') {
    const name = dottedName(holder.childForFieldName('left'));
    if (name && !name.includes('.')) return { variable: name, statement: holder.parent };
  }
  return {};
}

function scaffold(model: CodeModel, lines: LineIndex, app: App): Fix | undefined {
  const { variable, statement } = app;
  if (!variable || !statement) return undefined;
  const eol = lines.eol;
  const indent = lines.indentAt(statement.startIndex);
  const block = (text: string[]) => text.map((line) => (line ? indent + line : line)).join(eol);
  const at = statement.endIndex;
  // Two short comment lines: scaffold lines stay under 100 characters.
  const note = (client: string) => [
    `Report the duration to your metrics backend (${client},`,
    'StatsD, CloudWatch EMF) and alarm on it.',
  ];
  const log = (fields: string[]) => [
    'console.log(JSON.stringify({',
    "  metric: 'http_request_duration_ms',",
    ...fields.map((field) => `  ${field},`),
    '}));',
  ];
  const indented = (prefix: string, code: string[]) => code.map((line) => prefix + line);
  let code: string[];
  switch (app.framework) {
    case 'Express':
    case 'NestJS':
      code = [
        '// Time every request.',
        ...note('prom-client').map((line) => `// ${line}`),
        `${variable}.use((req, res, next) => {`,
        '  const started = performance.now();',
        "  res.on('finish', () => {",
        ...indented(
          '    ',
          log([
            'method: req.method',
            'path: req.route?.path ?? req.path',
            'status: res.statusCode',
            'ms: performance.now() - started',
          ]),
        ),
        '  });',
        '  next();',
        '});',
      ];
      break;
    case 'Fastify':
      code = [
        '// Time every request.',
        ...note('prom-client').map((line) => `// ${line}`),
        `${variable}.addHook('onResponse', async (request, reply) => {`,
        ...indented(
          '  ',
          log([
            'method: request.method',
            'path: request.routeOptions?.url ?? request.url',
            'status: reply.statusCode',
            'ms: reply.elapsedTime',
          ]),
        ),
        '});',
      ];
      break;
    case 'Koa':
      code = [
        '// Time every request.',
        ...note('prom-client').map((line) => `// ${line}`),
        `${variable}.use(async (ctx, next) => {`,
        '  const started = performance.now();',
        '  await next();',
        ...indented(
          '  ',
          log([
            'method: ctx.method',
            'path: ctx.path',
            'status: ctx.status',
            'ms: performance.now() - started',
          ]),
        ),
        '});',
      ];
      break;
    case 'Flask':
    case 'Quart': {
      const module = app.framework.toLowerCase();
      const imports = ensurePythonFromImport(model, lines, module, ['g', 'request']);
      if (!imports) return undefined;
      return {
        title: 'Add a request timer (before_request/after_request)',
        needs: pythonNeeds,
        edits: [
          ...ensurePythonImport(model, lines, 'time'),
          ...imports,
          {
            start: at,
            end: at,
            text:
              eol.repeat(indent ? 2 : 3) +
              block([
                `@${variable}.before_request`,
                'def _start_request_timer():',
                '    g.request_started = time.perf_counter()',
                '',
                '',
                `@${variable}.after_request`,
                'def _record_request_duration(response):',
                ...note('prometheus_client').map((line) => `    # ${line}`),
                '    started = g.pop("request_started", None)',
                '    if started is not None:',
                `        ${variable}.logger.info(`,
                '            "http_request_duration_ms=%.1f method=%s path=%s status=%s",',
                '            (time.perf_counter() - started) * 1000,',
                '            request.method,',
                '            request.path,',
                '            response.status_code,',
                '        )',
                '    return response',
              ]) +
              separation(lines, at, indent ? 1 : 2),
          },
        ],
      };
    }
    case 'FastAPI':
      return {
        title: 'Add a request timing middleware',
        needs: pythonNeeds,
        edits: [
          ...ensurePythonImport(model, lines, 'logging'),
          ...ensurePythonImport(model, lines, 'time'),
          {
            start: at,
            end: at,
            text:
              eol.repeat(indent ? 2 : 3) +
              block([
                `@${variable}.middleware("http")`,
                'async def record_request_duration(request, call_next):',
                ...note('prometheus_client').map((line) => `    # ${line}`),
                '    started = time.perf_counter()',
                '    response = await call_next(request)',
                '    logging.getLogger("metrics").info(',
                '        "http_request_duration_ms=%.1f method=%s path=%s status=%s",',
                '        (time.perf_counter() - started) * 1000,',
                '        request.method,',
                '        request.url.path,',
                '        response.status_code,',
                '    )',
                '    return response',
              ]) +
              separation(lines, at, indent ? 1 : 2),
          },
        ],
      };
    default:
      return undefined;
  }
  return {
    title: 'Add a request timing middleware',
    edits: [{ start: at, end: at, text: eol + eol + block(code) }],
    needs: [
      'Send the logged durations to your metrics backend (prom-client, StatsD, CloudWatch EMF)',
      'Put alarms on latency and error rate, with someone to notify',
    ],
  };
}

const pythonNeeds = [
  'Send the logged durations to your metrics backend (prometheus_client, StatsD, CloudWatch EMF)',
  'Put alarms on latency and error rate, with someone to notify',
];

/** The line breaks that leave `blank` empty lines between inserted functions and the code after `at`. */
function separation(lines: LineIndex, at: number, blank: number): string {
  const following = /^[ \t]*(\r?\n[ \t]*)*/.exec(lines.text.slice(at))?.[0] ?? '';
  const existing = Math.max(0, (following.match(/\n/g)?.length ?? 0) - 1);
  const atEnd = at + following.length >= lines.text.length;
  return atEnd ? '' : lines.eol.repeat(Math.max(0, blank - existing));
}
