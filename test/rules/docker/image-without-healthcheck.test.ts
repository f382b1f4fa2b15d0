import rule from '../../../server/src/rules/docker/image-without-healthcheck';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'an image that serves a port, with no word on how it is run',
      path: 'Dockerfile',
      text: `FROM «python:3.12-slim»
EXPOSE 8888
CMD ["python", "-m", "notebook_tool", "--port", "8888"]
`,
      messageIds: ['image'],
      fixed: `FROM python:3.12-slim
EXPOSE 8888
# replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8888/health', timeout=2).status != 200)"]
CMD ["python", "-m", "notebook_tool", "--port", "8888"]
`,
    },
    {
      name: "the probe requests the app's own health route when it has exactly one",
      path: 'api/Dockerfile',
      files: {
        '/work/api/package.json': '{"name": "api", "dependencies": {"express": "^4.19.2"}}\n',
        '/work/api/server.js':
          "const express = require('express');\nconst app = express();\napp.get('/healthz', (req, res) => res.send('ok'));\napp.get('/orders/:id', (req, res) => res.json({}));\napp.listen(3000);\n",
      },
      text: `FROM «node:22-slim»
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
`,
      messageIds: ['image'],
      fixed: `FROM node:22-slim
COPY . .
EXPOSE 3000
# requests the app's /healthz route
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
`,
    },
    {
      name: 'the compose file beside it gives a healthcheck to a service built from another Dockerfile',
      path: 'shop/vote/Dockerfile',
      files: {
        '/work/shop/docker-compose.yml': `services:
  vote:
    build: ./vote
  result:
    build: ./result
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
`,
      },
      text: `FROM «debian:12-slim»
COPY vote /usr/local/bin/vote
EXPOSE 80
ENTRYPOINT ["/usr/local/bin/vote"]
`,
      messageIds: ['image'],
      fixed: `FROM debian:12-slim
COPY vote /usr/local/bin/vote
EXPOSE 80
# the probe needs curl in the image; replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:80/health || exit 1
ENTRYPOINT ["/usr/local/bin/vote"]
`,
    },
    {
      name: 'a Kubernetes manifest beside it runs the image without a probe, or probes another image',
      path: 'shop/src/basket/Dockerfile',
      files: {
        '/work/shop/k8s/basket.yaml': `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: server
          image: basket
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: server
          image: basket-admin
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
`,
      },
      text: `FROM «debian:12-slim»
COPY basket /usr/local/bin/basket
EXPOSE 7070
ENTRYPOINT ["/usr/local/bin/basket"]
`,
      messageIds: ['image'],
      fixed: `FROM debian:12-slim
COPY basket /usr/local/bin/basket
EXPOSE 7070
# the probe needs curl in the image; replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:7070/health || exit 1
ENTRYPOINT ["/usr/local/bin/basket"]
`,
    },
    {
      name: 'manifests above the project top (a licence beside the repository) belong to another project',
      path: 'clones/basket/src/Dockerfile',
      files: {
        '/work/clones/basket/LICENSE': 'MIT\n',
        '/work/clones/k8s/basket.yaml':
          'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: basket\n          livenessProbe:\n            httpGet: {path: /healthz, port: 7070}\n',
      },
      text: `FROM «debian:12-slim»
COPY basket /usr/local/bin/basket
EXPOSE 7070
ENTRYPOINT ["/usr/local/bin/basket"]
`,
      messageIds: ['image'],
      fixed: `FROM debian:12-slim
COPY basket /usr/local/bin/basket
EXPOSE 7070
# the probe needs curl in the image; replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:7070/health || exit 1
ENTRYPOINT ["/usr/local/bin/basket"]
`,
    },
    {
      name: 'a node service: a probe in node, before CMD, on the exposed port',
      path: 'Dockerfile',
      text: `FROM node:22-slim AS deps
RUN npm ci
FROM «node:22-slim»
COPY --from=deps /app /app
EXPOSE 3000
CMD ["node", "/app/server.js"]
`,
      messages: [
        'The image serves requests but has no HEALTHCHECK: Docker shows a hung process as running, and Swarm, which replaces unhealthy containers, cannot tell (Kubernetes and ECS ignore HEALTHCHECK and need their own probe).',
      ],
      messageIds: ['image'],
      fixed: `FROM node:22-slim AS deps
RUN npm ci
FROM node:22-slim
COPY --from=deps /app /app
EXPOSE 3000
# replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "/app/server.js"]
`,
    },
    {
      name: 'a gunicorn service on python without EXPOSE',
      path: 'Dockerfile',
      text: `FROM «python:3.12-slim»
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`,
      fixed: `FROM python:3.12-slim
# replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=2).status != 200)"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`,
    },
    {
      name: 'debian without curl says so; alpine uses wget',
      path: 'Dockerfile',
      text: `FROM «debian:12-slim»
EXPOSE 80
ENTRYPOINT ["/usr/sbin/nginx", "-g", "daemon off;"]
`,
      fixed: `FROM debian:12-slim
EXPOSE 80
# the probe needs curl in the image; replace /health with your health endpoint
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD curl -fsS http://127.0.0.1:80/health || exit 1
ENTRYPOINT ["/usr/sbin/nginx", "-g", "daemon off;"]
`,
    },
    {
      name: 'distroless: flagged without a fix (no shell, no curl)',
      messages: [/the probe has to be built into the app/],
      messageIds: ['shelllessImage'],
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM «gcr.io/distroless/static-debian12:nonroot»\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n`,
    },
  ],
  clean: [
    {
      name: 'documented as started with plain docker run (detached, restarted): Docker acts on no health status',
      path: 'Dockerfile',
      text: `# docker run -d --restart always -p 9001:9001 example/relay
FROM debian:12-slim
EXPOSE 9001
CMD ["relayd", "--port", "9001"]
`,
    },
    {
      name: 'a command-line tool whose default command prints its usage, though it can serve a port',
      path: 'Dockerfile',
      text: `FROM golang:1.23
EXPOSE 8888
ENTRYPOINT ["certtool"]
CMD ["--help"]
`,
    },
    {
      name: 'a console tool with a proxy port, run in a terminal',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN useradd -r inspector
COPY docker-entrypoint.sh /usr/local/bin/
EXPOSE 8080
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mitmproxy"]
`,
    },
    {
      name: 'an image whose comments say it is run with -it',
      path: 'Dockerfile',
      text: `# Usage:
#   docker run --rm -it \\
#     -p 8888:8888 \\
#     example/notebook
FROM python:3.12-slim
EXPOSE 8888
CMD ["python", "-m", "notebook_tool", "--port", "8888"]
`,
    },
    {
      name: 'the compose service that builds it has a healthcheck',
      path: 'shop/vote/Dockerfile',
      files: {
        '/work/shop/docker-compose.yml': `services:
  vote:
    build:
      context: ./vote
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/"]
`,
      },
      text: `FROM debian:12-slim
COPY vote /usr/local/bin/vote
EXPOSE 80
ENTRYPOINT ["/usr/local/bin/vote"]
`,
    },
    {
      name: 'an image that runs the tests in CI',
      path: 'shop/result/tests/Dockerfile',
      text: `FROM node:22-slim
COPY . /app
EXPOSE 3000
CMD ["node", "/app/server.js"]
`,
    },
    {
      name: 'Kubernetes probes the image (named after its folder) in manifests beside the sources',
      path: 'shop/src/basket/src/Dockerfile',
      files: {
        '/work/shop/kubernetes-manifests/basket.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: basket
spec:
  template:
    spec:
      containers:
        - name: server
          image: registry.example.com/shop/basket:1.8.0
          ports:
            - containerPort: 7070
          readinessProbe:
            grpc:
              port: 7070
`,
      },
      text: `FROM debian:12-slim
COPY basket /usr/local/bin/basket
EXPOSE 7070
ENTRYPOINT ["/usr/local/bin/basket"]
`,
    },
    {
      name: 'a HEALTHCHECK inherited from an earlier stage, and HEALTHCHECK NONE',
      path: 'Dockerfile',
      text: `FROM nginx:1.27 AS base
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
FROM base
EXPOSE 80
`,
    },
    {
      name: 'HEALTHCHECK NONE is a decision',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim\nHEALTHCHECK NONE\nEXPOSE 8000\n`,
    },
    {
      name: 'a batch job or CLI image serves nothing',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim\nCOPY job.py /\nCMD ["python", "/job.py"]\n`,
    },
  ],
});
