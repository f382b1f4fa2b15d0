import rule from '../../../server/src/rules/code/unmeasured-service';
import { ruleTester } from '../../rule-tester';

const express = `const express = require('express');
const app = «express()»;

app.get('/orders', (req, res) => res.json([]));
app.listen(3000);
`;

ruleTester(rule, {
  flagged: [
    {
      name: 'Express app whose package has no metrics library',
      path: 'shop/app.js',
      text: express,
      files: {
        '/work/shop/package.json': JSON.stringify({
          dependencies: { express: '^4.19.0', morgan: '^1.10.0' },
        }),
        '/work/shop/routes/orders.js': "module.exports = require('express').Router();\n",
      },
      messages: [
        'Nothing in this app (its manifests and source files) measures the requests this Express app serves: no metrics client, APM agent or timing middleware. Record latency, errors and throughput per route (prom-client, StatsD, OpenTelemetry, CloudWatch embedded metrics), then alarm on them.',
      ],
      fixed: `const express = require('express');
const app = express();

// Time every request.
// Report the duration to your metrics backend (prom-client,
// StatsD, CloudWatch EMF) and alarm on it.
app.use((req, res, next) => {
  const started = performance.now();
  res.on('finish', () => {
    console.log(JSON.stringify({
      metric: 'http_request_duration_ms',
      method: req.method,
      path: req.route?.path ?? req.path,
      status: res.statusCode,
      ms: performance.now() - started,
    }));
  });
  next();
});

app.get('/orders', (req, res) => res.json([]));
app.listen(3000);
`,
    },
    {
      name: 'Flask app: scaffold with imports',
      path: 'api/app.py',
      text: `from flask import Flask, jsonify

app = «Flask(__name__)»

@app.get("/health")
def health():
    return jsonify(ok=True)
`,
      files: { '/work/api/requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n' },
      fixed: `from flask import Flask, jsonify
import time
from flask import g, request

app = Flask(__name__)


@app.before_request
def _start_request_timer():
    g.request_started = time.perf_counter()


@app.after_request
def _record_request_duration(response):
    # Report the duration to your metrics backend (prometheus_client,
    # StatsD, CloudWatch EMF) and alarm on it.
    started = g.pop("request_started", None)
    if started is not None:
        app.logger.info(
            "http_request_duration_ms=%.1f method=%s path=%s status=%s",
            (time.perf_counter() - started) * 1000,
            request.method,
            request.path,
            response.status_code,
        )
    return response


@app.get("/health")
def health():
    return jsonify(ok=True)
`,
    },
    {
      name: 'FastAPI app',
      path: 'svc/main.py',
      text: `from fastapi import FastAPI

app = «FastAPI(title="orders")»
`,
      fixed: `from fastapi import FastAPI
import logging
import time

app = FastAPI(title="orders")


@app.middleware("http")
async def record_request_duration(request, call_next):
    # Report the duration to your metrics backend (prometheus_client,
    # StatsD, CloudWatch EMF) and alarm on it.
    started = time.perf_counter()
    response = await call_next(request)
    logging.getLogger("metrics").info(
        "http_request_duration_ms=%.1f method=%s path=%s status=%s",
        (time.perf_counter() - started) * 1000,
        request.method,
        request.url.path,
        response.status_code,
    )
    return response
`,
    },
    {
      name: 'Fastify and NestJS',
      path: 'api/server.ts',
      text: `import Fastify from 'fastify';
const fastify = «Fastify({ logger: true })»;
await fastify.listen({ port: 3000 });
`,
      fixed: `import Fastify from 'fastify';
const fastify = Fastify({ logger: true });

// Time every request.
// Report the duration to your metrics backend (prom-client,
// StatsD, CloudWatch EMF) and alarm on it.
fastify.addHook('onResponse', async (request, reply) => {
  console.log(JSON.stringify({
    metric: 'http_request_duration_ms',
    method: request.method,
    path: request.routeOptions?.url ?? request.url,
    status: reply.statusCode,
    ms: reply.elapsedTime,
  }));
});
await fastify.listen({ port: 3000 });
`,
    },
    {
      name: 'NestJS bootstrap',
      path: 'nest/src/main.ts',
      text: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await «NestFactory.create(AppModule)»;
  await app.listen(3000);
}
bootstrap();
`,
      files: { '/work/nest/package.json': JSON.stringify({ dependencies: { '@nestjs/core': '^10.0.0' } }) },
      fixed: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);

  // Time every request.
  // Report the duration to your metrics backend (prom-client,
  // StatsD, CloudWatch EMF) and alarm on it.
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      console.log(JSON.stringify({
        metric: 'http_request_duration_ms',
        method: req.method,
        path: req.route?.path ?? req.path,
        status: res.statusCode,
        ms: performance.now() - started,
      }));
    });
    next();
  });
  await app.listen(3000);
}
bootstrap();
`,
    },
    {
      name: 'Django settings without django-prometheus',
      path: 'mysite/mysite/settings.py',
      text: `INSTALLED_APPS = ["django.contrib.admin"]
«MIDDLEWARE» = ["django.middleware.security.SecurityMiddleware"]
`,
      files: { '/work/mysite/requirements.txt': 'Django==5.0\n' },
    },
  ],
  clean: [
    {
      name: 'prom-client in package.json',
      path: 'shop/app.js',
      text: express.replace(/[«»]/g, ''),
      files: {
        '/work/shop/package.json': JSON.stringify({ dependencies: { express: '4', 'prom-client': '15' } }),
      },
    },
    {
      name: 'a metrics module elsewhere in the app',
      path: 'shop/src/app.js',
      text: express.replace(/[«»]/g, ''),
      files: {
        '/work/shop/package.json': JSON.stringify({ dependencies: { express: '4' } }),
        '/work/shop/src/middleware/metrics.js':
          "const StatsD = require('hot-shots');\nmodule.exports = new StatsD();\n",
      },
    },
    {
      name: 'a timing decorator in another module of a Flask app',
      path: 'api/app.py',
      text: `from flask import Flask\napp = Flask(__name__)\n`,
      files: {
        '/work/api/pyproject.toml': '[project]\nname = "api"\ndependencies = ["flask>=3"]\n',
        '/work/api/timing.py': `import functools, time, logging

def timed(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return view(*args, **kwargs)
        finally:
            logging.info("took %s", time.perf_counter() - started)
    return wrapper
`,
      },
    },
    {
      name: 'prometheus-flask-exporter in requirements, with an underscore and extras',
      path: 'api/app.py',
      text: `from flask import Flask\napp = Flask(__name__)\n`,
      files: {
        '/work/api/requirements.txt': '# web\nFlask==3.0\nprometheus_flask_exporter[gunicorn]>=0.23\n',
      },
    },
    {
      name: 'OpenTelemetry in poetry dependencies',
      path: 'svc/main.py',
      text: `from fastapi import FastAPI\napp = FastAPI()\n`,
      files: {
        '/work/svc/pyproject.toml':
          '[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "^0.110"\nopentelemetry-instrumentation-fastapi = "^0.45b0"\n',
      },
    },
    {
      name: 'a Flask app created in a test',
      path: 'tests/test_app.py',
      text: `from flask import Flask\napp = Flask(__name__)\n`,
    },
    {
      name: 'Koa app timing itself',
      path: 'koa/app.js',
      text: `const Koa = require('koa');
const app = new Koa();
app.use(async (ctx, next) => {
  const start = Date.now();
  await next();
  ctx.set('X-Response-Time', \`\${Date.now() - start}ms\`);
});
`,
    },
    {
      name: 'a router file is not an app',
      path: 'routes/users.js',
      text: `const router = require('express').Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n`,
    },
  ],
});
