import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import rule from '../../../server/src/rules/docker/no-healthcheck';
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
    {
      name: 'compose: a Swarm service and a database it depends on',
      path: 'compose.yaml',
      text: `services:
  «api»:
    image: example/api:1.4.2
    ports:
      - "8080:8080"
    depends_on:
      - db
    deploy:
      replicas: 2
  «db»:
    image: postgres:16
`,
      messages: [
        'Service api has no healthcheck: Swarm cannot tell a hung task from a working one, so it never replaces it.',
        'Service db has no healthcheck: api cannot wait until it is ready, and a hung db looks like a working one.',
      ],
      messageIds: ['swarm', 'waitedFor'],
      fixed: `services:
  api:
    image: example/api:1.4.2
    ports:
      - "8080:8080"
    depends_on:
      - db
    deploy:
      replicas: 2
    healthcheck:
      test:
        - CMD-SHELL
        - 'curl -fsS http://127.0.0.1:8080/health || exit 1'
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
  db:
    image: postgres:16
    healthcheck:
      test:
        - CMD
        - pg_isready
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
`,
    },
    {
      name: 'compose: a built service whose Dockerfile has no HEALTHCHECK',
      path: 'app/compose.yaml',
      files: { '/work/app/web/Dockerfile': 'FROM nginx:1.27\n' },
      text: `services:
  «web»:
    build: ./web
    expose: ["80"]
    restart: unless-stopped
  proxy:
    image: traefik:v3.1
    depends_on: [web]
    healthcheck:
      test: ["CMD", "traefik", "healthcheck"]
`,
      fixed: `services:
  web:
    build: ./web
    expose: ["80"]
    restart: unless-stopped
    healthcheck:
      test:
        - CMD-SHELL
        - 'curl -fsS http://127.0.0.1:80/health || exit 1'
      interval: 30s
      timeout: 5s
      retries: 3
      start_period: 10s
  proxy:
    image: traefik:v3.1
    depends_on: [web]
    healthcheck:
      test: ["CMD", "traefik", "healthcheck"]
`,
    },
    {
      name: 'ECS: an essential container without HealthCheck, YAML and JSON',
      path: 'ecs.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: «worker»
          Image: example/worker:2.1
          PortMappings:
            - ContainerPort: 9000
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:2.32.2
          Essential: false
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`,
      messages: [
        'Container worker of Task has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
      ],
      messageIds: ['container'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: worker
          Image: example/worker:2.1
          PortMappings:
            - ContainerPort: 9000
          HealthCheck:
            Command:
              - CMD-SHELL
              - 'curl -f http://localhost:9000/health || exit 1'
            Interval: 30
            Timeout: 5
            Retries: 3
            StartPeriod: 60
        - Name: log-router
          Image: amazon/aws-for-fluent-bit:2.32.2
          Essential: false
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`,
    },
    {
      name: 'ECS: a private service container named by a parameter',
      path: 'private.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: «!Ref ServiceName»
          Image: !Ref ImageUrl
          PortMappings:
            - ContainerPort: !Ref ContainerPort
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
`,
      messages: [
        'Container (Ref ServiceName) of TaskDefinition has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
      ],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Ref ServiceName
          Image: !Ref ImageUrl
          PortMappings:
            - ContainerPort: !Ref ContainerPort
          HealthCheck:
            Command:
              - CMD-SHELL
              - 'curl -f http://localhost:8080/health || exit 1'
            Interval: 30
            Timeout: 5
            Retries: 3
            StartPeriod: 60
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
`,
    },
  ],
  clean: [
    {
      name: 'compose: a Redis the app depends on answers as soon as it starts, so nothing waits for it',
      path: 'compose.yaml',
      text: `services:
  web:
    image: example/web:1.4.2
    depends_on: [cache]
  cache:
    image: redis:7.4-alpine
`,
    },
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
      name: 'a test stack, by its name or by its sut service, is run once and thrown away',
      path: 'docker-compose.test.yml',
      text: `services:
  tests:
    image: example/api-tests:1.4
    depends_on: [api]
  api:
    image: example/api:2.0
    depends_on: [db]
  db:
    image: postgres:16
`,
    },
    {
      name: "Docker Hub's automated tests: a sut service in a stack of any name",
      path: 'stack.yml',
      text: `services:
  sut:
    build: ./tests
    depends_on: [web]
  web:
    image: example/web:3.1
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
    {
      name: 'compose: checked, disabled, one-shot, published but not waited for, built with a HEALTHCHECK, image with its own, partial override',
      path: 'app/docker-compose.yml',
      files: {
        '/work/app/Dockerfile':
          'FROM node:22-slim\nHEALTHCHECK CMD node healthcheck.js\nCMD ["node", "server.js"]\n',
      },
      text: `services:
  api:
    build: .
    ports: ["3000:3000"]
    depends_on:
      migrate:
        condition: service_completed_successfully
      cache:
        condition: service_healthy
  migrate:
    image: example/migrate:1.0
    ports: ["9999:9999"]
  cache:
    image: redis:7.4
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  proxy:
    image: traefik:v3.1
    ports: ["80:80"]
    healthcheck:
      disable: true
  worker:
    image: example/worker:1.0
    ports: ["9000:9000"]
  gateway:
    image: example/gateway:1.0
    depends_on: [api]
    healthcheck:
      test: ["CMD", "true"]
  dns:
    image: pihole/pihole:2024.07.0
    ports: ["53:53/udp"]
  client:
    image: example/client:1.0
    depends_on: [dns]
    healthcheck:
      test: ["CMD", "true"]
  web:
    ports: ["8080:80"]
`,
    },
    {
      name: 'ECS: a task definition that no service runs is a one-off task',
      path: 'tasks.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  ReportTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: report
          Image: example/report:1.0
`,
    },
    {
      name: 'ECS: a container named by a parameter behind a load balancer that names it the same way',
      path: 'service.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  ServiceName:
    Type: String
Resources:
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: !Ref ServiceName
          Image: example/web:1.0
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TaskDefinition
      LoadBalancers:
        - ContainerName: !Ref ServiceName
          ContainerPort: 80
          TargetGroupArn: !Ref TargetGroup
`,
    },
    {
      name: 'ECS: a container behind a load balancer, and one with a HealthCheck',
      path: 'ecs.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: example/web:1.0
        - Name: api
          Image: example/api:1.0
          HealthCheck:
            Command: [CMD-SHELL, "curl -f http://localhost:8080/health || exit 1"]
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      LoadBalancers:
        - ContainerName: web
          ContainerPort: 80
          TargetGroupArn: !Ref TargetGroup
`,
    },
  ],
});

describe(`${rule.id} on a compose file, with the Dockerfile it builds`, () => {
  const compose = `services:
  api:
    build: .
  web:
    image: example/web:1.0
    depends_on: [api]
    healthcheck:
      test: ["CMD", "true"]
`;
  const findings = async (dockerfile: string) =>
    (
      await new Analyzer({
        rules: [rule],
        workspace: inMemoryWorkspace({ '/work/cached/Dockerfile': dockerfile }),
      }).analyze({ path: '/work/cached/compose.yaml', text: compose })
    ).findings.map((f) => f.message);

  it('follows the Dockerfile as it changes, though its verdict is kept between keystrokes', async () => {
    const without = 'FROM node:22-slim\nCMD ["node", "server.js"]\n';
    const withCheck = 'FROM node:22-slim\nHEALTHCHECK CMD node check.js\nCMD ["node", "server.js"]\n';
    assert.equal((await findings(without)).length, 1);
    assert.equal((await findings(without)).length, 1);
    assert.deepEqual(await findings(withCheck), []);
    assert.equal((await findings(without)).length, 1);
  });
});
