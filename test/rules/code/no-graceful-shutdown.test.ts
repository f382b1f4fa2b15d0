import rule from '../../../server/src/rules/code/no-graceful-shutdown';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a graceful-shutdown package in the manifest that no file requires',
      path: 'polls/index.js',
      text: `const express = require('express');
const app = express();
const server = require('http').Server(app);
app.get('/', (req, res) => res.send('ok'));
«server.listen»(process.env.PORT || 4000);
`,
      files: {
        '/work/polls/package.json': JSON.stringify({ dependencies: { express: '4', stoppable: '1' } }),
        '/work/polls/lib/db.js': "const { Pool } = require('pg');\nmodule.exports = new Pool();\n",
      },
      messageIds: ['nodeServer'],
      fixed: `const express = require('express');
const app = express();
const server = require('http').Server(app);
app.get('/', (req, res) => res.send('ok'));
server.listen(process.env.PORT || 4000);

// On SIGTERM (ECS, Kubernetes, docker stop): stop taking connections,
// finish the requests in flight, then exit.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10000).unref();
});
`,
    },
    {
      name: 'Express app.listen as a statement',
      path: 'shop/server.js',
      text: `const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('ok'));

«app.listen»(process.env.PORT || 3000, () => {
  console.log('listening');
});
`,
      files: { '/work/shop/package.json': JSON.stringify({ dependencies: { express: '4' } }) },
      messages: [
        'Nothing in this app handles SIGTERM, the signal ECS, Kubernetes and `docker stop` send to stop a container. Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off the requests in flight. Close the server on SIGTERM and exit once it has drained.',
      ],
      fixed: `const express = require('express');
const app = express();
app.get('/', (req, res) => res.send('ok'));

const server = app.listen(process.env.PORT || 3000, () => {
  console.log('listening');
});

// On SIGTERM (ECS, Kubernetes, docker stop): stop taking connections,
// finish the requests in flight, then exit.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10000).unref();
});
`,
    },
    {
      name: 'express-generator bin/www: an http server around the app',
      path: 'bin/www.js',
      text: `const app = require('../app');
const http = require('http');
const port = process.env.PORT || '3000';
const httpServer = http.createServer(app);
«httpServer.listen»(port);
`,
      fixed: `const app = require('../app');
const http = require('http');
const port = process.env.PORT || '3000';
const httpServer = http.createServer(app);
httpServer.listen(port);

// On SIGTERM (ECS, Kubernetes, docker stop): stop taking connections,
// finish the requests in flight, then exit.
process.on('SIGTERM', () => {
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10000).unref();
});
`,
    },
    {
      name: 'Fastify',
      path: 'api/index.mjs',
      text: `import Fastify from 'fastify';
const fastify = Fastify();
await «fastify.listen»({ port: 3000, host: '0.0.0.0' });
`,
      fixed: `import Fastify from 'fastify';
const fastify = Fastify();
await fastify.listen({ port: 3000, host: '0.0.0.0' });

// On SIGTERM (ECS, Kubernetes, docker stop): stop taking connections,
// finish the requests in flight, then exit.
process.on('SIGTERM', () => {
  fastify.close().then(() => process.exit(0), () => process.exit(1));
});
`,
    },
    {
      name: 'NestJS bootstrap without shutdown hooks',
      path: 'nest/src/main.ts',
      text: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await «app.listen»(3000);
}
bootstrap();
`,
      fixed: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  await app.listen(3000);
}
bootstrap();
`,
    },
    {
      name: 'Python http.server',
      path: 'serve.py',
      text: `from http.server import HTTPServer, BaseHTTPRequestHandler

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

if __name__ == "__main__":
    httpd = HTTPServer(("", 8000), Handler)
    «httpd.serve_forever»()
`,
      fixed: `from http.server import HTTPServer, BaseHTTPRequestHandler
import signal
import threading

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

if __name__ == "__main__":
    httpd = HTTPServer(("", 8000), Handler)
    def _stop(signum, frame):
        # Finish the request in progress, then leave serve_forever();
        # shutdown() must run on another thread.
        threading.Thread(target=httpd.shutdown).start()

    signal.signal(signal.SIGTERM, _stop)
    httpd.serve_forever()
`,
    },
  ],
  clean: [
    {
      name: 'a loopback or ephemeral-port server, such as an OAuth redirect catcher (from msal-node)',
      path: 'loopback.js',
      text: `const http = require('http');
const server = http.createServer((req, res) => res.end());
server.listen(0, '127.0.0.1');
`,
    },
    {
      name: 'a SIGTERM handler in another file of the app',
      path: 'shop/server.js',
      text: `const express = require('express');\nconst app = express();\napp.listen(3000);\n`,
      files: {
        '/work/shop/package.json': '{}',
        '/work/shop/lib/shutdown.js': "process.on('SIGTERM', () => process.exit(0));\n",
      },
    },
    {
      name: 'terminus in package.json, required where the app wires its health checks',
      path: 'shop/server.js',
      text: `const express = require('express');\nconst app = express();\napp.listen(3000);\n`,
      files: {
        '/work/shop/package.json': JSON.stringify({ dependencies: { '@godaddy/terminus': '4' } }),
        '/work/shop/lib/health.js':
          "const terminus = require('@godaddy/terminus');\nmodule.exports = terminus;\n",
      },
    },
    {
      name: 'stoppable listed and wrapped around the server in the same file',
      path: 'shop/server.js',
      text: `import http from 'http';\nimport stoppable from 'stoppable';\nimport app from './app.js';\nconst server = http.createServer(app);\nstoppable(server);\nserver.listen(3000);\n`,
      files: { '/work/shop/package.json': JSON.stringify({ dependencies: { stoppable: '1' } }) },
    },
    {
      name: 'handled in the same file, and a serverless app without listen',
      path: 'app.js',
      text: `const express = require('express');
const serverless = require('serverless-http');
const app = express();
module.exports.handler = serverless(app);
`,
    },
    {
      name: 'Flask development server and uvicorn',
      path: 'app.py',
      text: `import uvicorn
from flask import Flask
app = Flask(__name__)
if __name__ == "__main__":
    app.run(debug=True)
    uvicorn.run("main:app")
`,
    },
    {
      name: 'a test starting a server',
      path: 'test/server.test.js',
      text: `const app = require('express')();\nconst server = app.listen(0);\n`,
    },
  ],
});
