import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import noGracefulShutdown from '../../../server/src/rules/code/no-graceful-shutdown';
import { analyse, memory, projectOver, read } from '../cross-file';

// The whole message of container-ready/no-graceful-shutdown for each thing the files can say runs
// the server: nothing, a compose service, an ECS service of a template, a Lambda function, a
// Kubernetes Deployment and a CDK construct. Each one is a plain sentence pair, never one sentence
// spliced into another.

const fixtures = join(__dirname, '..', '..', 'fixtures', 'applications');
const express = "const express = require('express');\nconst app = express();\napp.listen(3000);\n";
const flask = `from http.server import HTTPServer, BaseHTTPRequestHandler
httpd = HTTPServer(("", 8000), BaseHTTPRequestHandler)
httpd.serve_forever()
`;

async function inMemory(files: Record<string, string>, path: string): Promise<AnalysisResult> {
  const project = projectOver('/w', [noGracefulShutdown], memory('/w', files));
  return analyse(project, `/w/${path}`, files[path]);
}

async function inFixture(name: string, file: string): Promise<{ result: AnalysisResult; root: string }> {
  const root = join(fixtures, name);
  const path = join(root, file);
  return { result: await analyse(projectOver(root, [noGracefulShutdown]), path, read(path)), root };
}

const relatedOf = (result: AnalysisResult, root: string) =>
  (result.findings[0].related ?? []).map(
    (r) => `${relative(root, r.path)}:${r.range.start.line + 1} ${r.message}`,
  );

const nodeTail =
  'Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off the requests in flight. Close the server on SIGTERM and exit once it has drained.';

describe('container-ready/no-graceful-shutdown messages', () => {
  it('says what SIGTERM is when no file says what runs the server', async () => {
    const result = await inMemory({ 'api/package.json': '{}', 'api/server.js': express }, 'api/server.js');
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        `Nothing in this app handles SIGTERM, the signal ECS, Kubernetes and \`docker stop\` send to stop a container. ${nodeTail}`,
      ],
    );
    assert.equal(result.findings[0].related, undefined);
  });

  it('says the same for a Python server, in its own words', async () => {
    const result = await inMemory({ 'svc/server.py': flask }, 'svc/server.py');
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        'Nothing in this app handles SIGTERM, the signal ECS, Kubernetes and `docker stop` send to stop a container. serve_forever() then dies with the requests in flight. Shut the server down on SIGTERM, or serve the app with Gunicorn or Uvicorn, which drain requests themselves.',
      ],
    );
  });

  it('keeps the general sentence for one compose container, and names a service of several replicas', async () => {
    const files = {
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n',
      'api/Dockerfile': 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n',
      'api/server.js': express,
    };
    const single = await inMemory(files, 'api/server.js');
    assert.equal(
      single.findings[0].message,
      `Nothing in this app handles SIGTERM, the signal ECS, Kubernetes and \`docker stop\` send to stop a container. ${nodeTail}`,
    );
    const scaled = await inMemory(
      {
        ...files,
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    deploy:\n      replicas: 3\n',
      },
      'api/server.js',
    );
    assert.equal(
      scaled.findings[0].message,
      `Nothing in this app handles SIGTERM, and Docker Compose stops the containers of service \`api\` with SIGTERM (then SIGKILL 10 s later) whenever it recreates them or scales them down. ${nodeTail}`,
    );
    assert.deepEqual(relatedOf(scaled, '/w'), [
      'docker-compose.yml:2 compose service `api` sends SIGTERM, then SIGKILL 10 s later (no stop_grace_period: the compose default)',
    ]);
  });

  it('names the ECS service of a template and its stop timeout', async () => {
    const { result, root } = await inFixture('ecs-sqs-worker', 'worker/index.js');
    assert.equal(
      result.findings[0].message,
      `Nothing in this app handles SIGTERM, and ECS service \`WorkerService\` stops its tasks with SIGTERM (then SIGKILL 30 s later) on every deployment and scale-in. ${nodeTail}`,
    );
    assert.deepEqual(relatedOf(result, root), [
      'infra/stack.yaml:33 ECS service `WorkerService` sends SIGTERM, then SIGKILL 30 s later (no StopTimeout: the Fargate default)',
    ]);
  });

  it('names the Kubernetes Deployment, whose Service does not drain the pod before SIGTERM', async () => {
    const { result, root } = await inFixture('k8s-express-sessions', 'shop-web/server.js');
    assert.equal(
      result.findings[0].message,
      `Nothing in this app handles SIGTERM, and Kubernetes stops the pods of Deployment \`shop-web\` with SIGTERM on every rollout and scale-in. ${nodeTail}`,
    );
    assert.deepEqual(relatedOf(result, root), [
      'k8s/shop-web.yaml:4 Deployment `shop-web` runs this server as 3 replicas; the copies a deployment replaces are stopped with SIGTERM',
    ]);
  });

  it('names a CDK construct by its id and its type, and what a load balancer leaves to cut', async () => {
    const { result, root } = await inFixture('cdk-fargate-sessions', 'web/server.js');
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        'Nothing in this app handles SIGTERM, and ECS service `GuestbookService` (CDK `ApplicationLoadBalancedFargateService`) stops its tasks with SIGTERM on every deployment and scale-in, once its load balancer has stopped sending them new requests. Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off the long requests, open connections and background work still running. Close the server on SIGTERM and exit once it has drained.',
      ],
    );
    assert.deepEqual(relatedOf(result, root), [
      'stacks/web_stack.py:14 ECS service `GuestbookService` (CDK `ApplicationLoadBalancedFargateService`) runs this server as 2 tasks; the copies a deployment replaces are stopped with SIGTERM',
    ]);
  });

  it('says that Lambda cuts nothing, and what happens where the server runs in a container', async () => {
    const files = {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Web:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Handler: run.sh
      Runtime: nodejs22.x
`,
      'web/package.json': '{}',
      'web/server.js': express,
    };
    const result = await inMemory(files, 'web/server.js');
    assert.equal(
      result.findings[0].message,
      'Nothing in this app handles SIGTERM (Lambda function `Web` runs it, and Lambda shuts an execution environment down only between invocations, so nothing is cut there). But wherever this server runs in a container, ECS, Kubernetes or `docker stop` stops it with SIGTERM, and Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off the requests in flight. Close the server on SIGTERM and exit once it has drained.',
    );
    assert.equal(result.findings[0].related, undefined);
  });
});
