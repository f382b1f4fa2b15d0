import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/fixes';
import type { Rule } from '../../../server/src/engine/rule';
import drain from '../../../server/src/rules/code/drain-outlasts-stop-timeout';
import noGracefulShutdown from '../../../server/src/rules/code/no-graceful-shutdown';
import { analyse, memory, projectOver, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'applications');
const rules: Rule[] = [drain];

/** Each finding as `line:column-line:column «text»`, so that a failure shows what was found where. */
function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} «${text.slice(f.span.start, f.span.end)}» ${f.severity}`,
  );
}

function relatedOf(result: AnalysisResult, index: number, root: string): string[] {
  return (result.findings[index].related ?? []).map(
    (r) =>
      `${relative(root, r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1}-${r.range.end.line + 1}:${r.range.end.character + 1} ${r.message}`,
  );
}

const root = join(fixtures, 'ecs-graceful-api');
const fixtureFiles = (): Record<string, string> => ({
  'api/package.json': read(join(root, 'api', 'package.json')),
  'api/Dockerfile': read(join(root, 'api', 'Dockerfile')),
  'api/server.js': read(join(root, 'api', 'server.js')),
  'infra/stack.yaml': read(join(root, 'infra', 'stack.yaml')),
});

async function inMemory(files: Record<string, string>, path: string): Promise<AnalysisResult> {
  const project = projectOver('/w', rules, memory('/w', files));
  return analyse(project, `/w/${path}`, files[path]);
}

const handler = (body: string) => `const express = require('express');
const app = express();
const server = app.listen(3000);

${body}
`;

describe('container-ready/drain-outlasts-stop-timeout', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    assert.ok(drain.id.startsWith(`${drain.lesson}/`));
    for (const field of ['what', 'why', 'fix'] as const)
      assert.ok((drain.docs[field] ?? '').length > 40, field);
    assert.ok(drain.docs.example.code.trim() && drain.docs.useInstead.code.trim());
    assert.deepEqual(drain.equivalents, []);
    assert.equal(drain.fix, 'scaffold');
    assert.deepEqual([...drain.kinds].sort(), ['compose', 'docker', 'js', 'py']);
  });

  describe('a Node.js API on Fargate', () => {
    it('flags a forced-exit timer longer than the Fargate default, pointing at the container', async () => {
      const path = join(root, 'api', 'server.js');
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), ['12:37-12:43 «60_000» warning']);
      assert.equal(
        result.findings[0].message,
        'This SIGTERM handler gives the drain 60 s before it forces the exit (`setTimeout(() => process.exit(1), 60_000)`), but ECS service ApiService sends SIGKILL 30 s after SIGTERM (no StopTimeout: the Fargate default; infra/stack.yaml): a drain that runs past 30 s is killed mid-request, and the timer never fires. Keep the drain under 30 s, or give the platform more time.',
      );
      assert.deepEqual(relatedOf(result, 0, root), [
        'infra/stack.yaml:19:17-19:20 ECS service ApiService sends SIGKILL 30 s after SIGTERM (no StopTimeout: the Fargate default)',
      ]);
    });

    it('offers StopTimeout past the drain in the template, as a scaffold', async () => {
      const path = join(root, 'api', 'server.js');
      const result = await analyse(projectOver(root, rules), path, read(path));
      const fix = result.findings[0].fix!()!;
      assert.equal(fix.kind, 'scaffold');
      assert.equal(fix.title, 'Set StopTimeout to 65 s, past the drain');
      assert.deepEqual(fix.edits, []);
      const [other] = fix.otherFiles!;
      assert.equal(relative(root, other.path), 'infra/stack.yaml');
      const after = applyEdits(other.text, other.edits);
      assert.match(
        after,
        / {8}- Name: api\n {10}Image: [^\n]+\n {10}PortMappings:\n {12}- ContainerPort: 3000\n {10}StopTimeout: 65\n/,
      );
    });

    it('compares with a written StopTimeout, and replaces it in the fix', async () => {
      const files = fixtureFiles();
      files['infra/stack.yaml'] = files['infra/stack.yaml'].replace(
        '          PortMappings:',
        '          StopTimeout: 45\n          PortMappings:',
      );
      const result = await inMemory(files, 'api/server.js');
      assert.deepEqual(found(result, files['api/server.js']), ['12:37-12:43 «60_000» warning']);
      assert.match(
        result.findings[0].message,
        /sends SIGKILL 45 s after SIGTERM \(StopTimeout: 45; infra\/stack\.yaml\)/,
      );
      const other = result.findings[0].fix!()!.otherFiles![0];
      assert.equal(other.edits.length, 1);
      assert.equal(other.text.slice(other.edits[0].start, other.edits[0].end), '45');
      assert.equal(other.edits[0].text, '65');
    });

    it('is no finding when the StopTimeout covers the drain, or cannot be known', async () => {
      for (const stop of ['60', '90', '!Ref StopSeconds']) {
        const files = fixtureFiles();
        files['infra/stack.yaml'] = files['infra/stack.yaml'].replace(
          '          PortMappings:',
          `          StopTimeout: ${stop}\n          PortMappings:`,
        );
        const result = await inMemory(files, 'api/server.js');
        assert.deepEqual(found(result, files['api/server.js']), [], stop);
      }
    });

    it('leaves an EC2 service alone when the template sets the agent’s stop timeout', async () => {
      const files = fixtureFiles();
      files['infra/stack.yaml'] = files['infra/stack.yaml']
        .replace('      LaunchType: FARGATE\n', '      LaunchType: EC2\n')
        .replace(
          'Resources:\n',
          "Resources:\n  Hosts:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      LaunchTemplateData:\n        UserData: !Base64 'echo ECS_CONTAINER_STOP_TIMEOUT=2m >> /etc/ecs/ecs.config'\n\n",
        );
      assert.deepEqual(found(await inMemory(files, 'api/server.js'), files['api/server.js']), []);
    });

    it('leaves timers shorter than the stop timeout, timers in an `if`, and timers read from the environment alone', async () => {
      for (const body of [
        "process.on('SIGTERM', () => {\n  server.close(() => process.exit(0));\n  setTimeout(() => process.exit(1), 25000).unref();\n});",
        "process.on('SIGTERM', () => {\n  if (process.env.SLOW) setTimeout(() => process.exit(1), 60000);\n});",
        "process.on('SIGTERM', () => {\n  setTimeout(() => process.exit(1), Number(process.env.DRAIN_MS));\n});",
        // A timer that does not exit.
        "process.on('SIGTERM', () => {\n  setTimeout(() => console.log('still draining'), 60000);\n});",
        // Another signal.
        "process.on('SIGINT', () => {\n  setTimeout(() => process.exit(1), 60000);\n});",
      ]) {
        const files = { ...fixtureFiles(), 'api/server.js': handler(body) };
        assert.deepEqual(found(await inMemory(files, 'api/server.js'), files['api/server.js']), [], body);
      }
    });

    it('flags a wait before server.close that outlasts the stop timeout, through a delay helper and a named handler', async () => {
      const body = `const DRAIN_DELAY_MS = 20 * 1000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function shutdown() {
  // Let the load balancer deregister the task first.
  await sleep(DRAIN_DELAY_MS);
  await new Promise((resolve) => setTimeout(resolve, 15000));
  server.close(() => process.exit(0));
}

process.on('SIGTERM', () => shutdown().catch(() => process.exit(1)));`;
      const files = { ...fixtureFiles(), 'api/server.js': handler(body) };
      const result = await inMemory(files, 'api/server.js');
      assert.deepEqual(found(result, files['api/server.js']), ['11:54-11:59 «15000» warning']);
      assert.match(
        result.findings[0].message,
        /^This SIGTERM handler is still waiting 35 s after SIGTERM \(`new Promise\(\(resolve\) => setTimeout\(resolve, 15000\)\)`\), but ECS service ApiService sends SIGKILL 30 s after SIGTERM/,
      );
    });

    it('knows timers/promises, and that a forced exit cuts a later wait short', async () => {
      const flagged = `const { setTimeout: sleep } = require('node:timers/promises');
process.on('SIGTERM', async () => {
  await sleep(45_000);
  server.close();
});`;
      let files = { ...fixtureFiles(), 'api/server.js': handler(flagged) };
      assert.deepEqual(found(await inMemory(files, 'api/server.js'), files['api/server.js']), [
        '7:15-7:21 «45_000» warning',
      ]);
      const cut = `const { setTimeout: sleep } = require('node:timers/promises');
process.on('SIGTERM', async () => {
  setTimeout(() => process.exit(1), 10000).unref();
  await sleep(45_000);
  server.close();
});`;
      files = { ...fixtureFiles(), 'api/server.js': handler(cut) };
      assert.deepEqual(found(await inMemory(files, 'api/server.js'), files['api/server.js']), []);
    });

    it('is no finding where nothing runs the code, or where the image stops it with another signal', async () => {
      const alone = {
        'api/package.json': fixtureFiles()['api/package.json'],
        'api/server.js': fixtureFiles()['api/server.js'],
      };
      assert.deepEqual(found(await inMemory(alone, 'api/server.js'), alone['api/server.js']), []);
      const files = fixtureFiles();
      files['api/Dockerfile'] = files['api/Dockerfile'].replace('CMD', 'STOPSIGNAL SIGINT\nCMD');
      assert.deepEqual(found(await inMemory(files, 'api/server.js'), files['api/server.js']), []);
    });
  });

  it('flags gunicorn --graceful-timeout in the image an ECS service runs, unless the container sets its own command', async () => {
    const files = fixtureFiles();
    delete files['api/server.js'];
    files['api/package.json'] = '{"name": "shop-api"}\n';
    files['api/Dockerfile'] =
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD gunicorn app:app --bind 0.0.0.0:3000 --graceful-timeout=90\n';
    files['infra/stack.yaml'] = files['infra/stack.yaml'].replace(
      '          PortMappings:',
      '          StopTimeout: 60\n          PortMappings:',
    );
    let result = await inMemory(files, 'api/Dockerfile');
    assert.deepEqual(found(result, files['api/Dockerfile']), ['4:61-4:63 «90» warning']);
    assert.match(
      result.findings[0].message,
      /^Gunicorn is given 90 s .* ECS service ApiService sends SIGKILL 60 s after SIGTERM \(StopTimeout: 60; infra\/stack\.yaml\)/,
    );
    assert.equal(result.findings[0].fix!()!.title, 'Set StopTimeout to 95 s, past the drain');
    // Past the Fargate limit of 120 s, no StopTimeout can cover the drain: no fix.
    files['api/Dockerfile'] = files['api/Dockerfile'].replace('=90', '=150');
    result = await inMemory(files, 'api/Dockerfile');
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].fix, undefined);
    files['infra/stack.yaml'] = files['infra/stack.yaml'].replace(
      '          StopTimeout: 60\n',
      '          StopTimeout: 60\n          Command: [gunicorn, app:app]\n',
    );
    assert.deepEqual(found(await inMemory(files, 'api/Dockerfile'), files['api/Dockerfile']), []);
  });

  describe('compose', () => {
    const composeFiles = (compose: string, app: string): Record<string, string> => ({
      'docker-compose.yml': compose,
      'worker/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
      'worker/requirements.txt': 'boto3\n',
      'worker/app.py': app,
    });
    const pythonApp = `import signal
import sys
import time

GRACE_SECONDS = 15


def stop(signum, frame):
    time.sleep(GRACE_SECONDS)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
`;

    it('flags a Python handler that sleeps past the compose default of 10 s, and adds stop_grace_period', async () => {
      const compose = 'services:\n  worker:\n    build: ./worker\n';
      const files = composeFiles(compose, pythonApp);
      const result = await inMemory(files, 'worker/app.py');
      assert.deepEqual(found(result, files['worker/app.py']), ['9:16-9:29 «GRACE_SECONDS» info']);
      assert.match(
        result.findings[0].message,
        /^This SIGTERM handler is still waiting 15 s after SIGTERM \(`time\.sleep\(GRACE_SECONDS\)`\), but compose service worker sends SIGKILL 10 s after SIGTERM \(no stop_grace_period: the compose default; docker-compose\.yml\)/,
      );
      const other = result.findings[0].fix!()!.otherFiles![0];
      assert.equal(
        applyEdits(other.text, other.edits),
        'services:\n  worker:\n    build: ./worker\n    stop_grace_period: 20s\n',
      );
    });

    it('reads stop_grace_period durations, and a stop_signal that is not SIGTERM', async () => {
      for (const [extra, expected] of [
        ['    stop_grace_period: 1m\n', 0],
        ['    stop_grace_period: 12s\n', 1],
        ['    stop_grace_period: 14s500ms\n', 1],
        ['    stop_grace_period: ${GRACE}\n', 0],
        ['    stop_signal: SIGINT\n', 0],
      ] as const) {
        const files = composeFiles(`services:\n  worker:\n    build: ./worker\n${extra}`, pythonApp);
        assert.equal((await inMemory(files, 'worker/app.py')).findings.length, expected, extra);
      }
    });

    it('flags gunicorn --graceful-timeout in the compose command, and in the Dockerfile CMD unless compose replaces it', async () => {
      const flask = 'from flask import Flask\napp = Flask(__name__)\n';
      let files = composeFiles(
        'services:\n  web:\n    build: ./worker\n    command: gunicorn app:app --bind 0.0.0.0:8000 --graceful-timeout 30\n    stop_grace_period: 20s\n',
        flask,
      );
      let result = await inMemory(files, 'docker-compose.yml');
      assert.deepEqual(found(result, files['docker-compose.yml']), ['4:70-4:72 «30» info']);
      assert.match(
        result.findings[0].message,
        /^Gunicorn is given 30 s to finish the requests in flight on shutdown \(`--graceful-timeout`\), but compose service web sends SIGKILL 20 s after SIGTERM \(stop_grace_period: 20s; docker-compose\.yml\)/,
      );
      assert.equal(
        applyEdits(files['docker-compose.yml'], result.findings[0].fix!()!.edits),
        files['docker-compose.yml'].replace('20s', '35s'),
      );

      files = composeFiles(
        'services:\n  web:\n    build: ./worker\n    command: ["gunicorn", "app:app", "--graceful-timeout", "30"]\n',
        flask,
      );
      result = await inMemory(files, 'docker-compose.yml');
      assert.deepEqual(found(result, files['docker-compose.yml']), ['4:61-4:63 «30» info']);

      files = composeFiles('services:\n  web:\n    build: ./worker\n', flask);
      files['worker/Dockerfile'] =
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "app:app", "--timeout-graceful-shutdown", "25"]\n';
      result = await inMemory(files, 'worker/Dockerfile');
      assert.deepEqual(found(result, files['worker/Dockerfile']), ['4:60-4:62 «25» info']);
      assert.match(result.findings[0].message, /^Uvicorn is given 25 s/);

      files['docker-compose.yml'] = 'services:\n  web:\n    build: ./worker\n    command: uvicorn app:app\n';
      result = await inMemory(files, 'worker/Dockerfile');
      assert.deepEqual(found(result, files['worker/Dockerfile']), []);
    });

    it('reads graceful_timeout in gunicorn.conf.py', async () => {
      const files = {
        ...composeFiles('services:\n  web:\n    build: ./worker\n', 'x = 1\n'),
        'worker/gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 4\ngraceful_timeout = 30\n',
      };
      const result = await inMemory(files, 'worker/gunicorn.conf.py');
      assert.deepEqual(found(result, files['worker/gunicorn.conf.py']), ['3:20-3:22 «30» info']);
    });
  });

  describe('container-ready/no-graceful-shutdown, where the files say what replaces the server', () => {
    it('names the ECS service and its stop timeout', async () => {
      const worker = join(fixtures, 'ecs-sqs-worker');
      const path = join(worker, 'worker', 'index.js');
      const text = read(path);
      const result = await analyse(projectOver(worker, [noGracefulShutdown]), path, text);
      assert.deepEqual(found(result, text), ['18:1-18:11 «app.listen» info']);
      assert.equal(
        result.findings[0].message,
        'Nothing in this app handles SIGTERM, and ECS service `WorkerService` stops its tasks with SIGTERM (then SIGKILL 30 s later) on every deployment and scale-in. Node.js then exits at once (or, as PID 1, ignores the signal until it is killed), cutting off the requests in flight. Close the server on SIGTERM and exit once it has drained.',
      );
      assert.deepEqual(relatedOf(result, 0, worker), [
        'infra/stack.yaml:33:17-33:23 ECS service `WorkerService` sends SIGTERM, then SIGKILL 30 s later (no StopTimeout: the Fargate default)',
      ]);
    });

    it('keeps its single-file message for one compose container', async () => {
      const files = {
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n',
        'api/Dockerfile': 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n',
        'api/server.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
      };
      const project = projectOver('/w', [noGracefulShutdown], memory('/w', files));
      const result = await analyse(project, '/w/api/server.js', files['api/server.js']);
      assert.match(result.findings[0].message, /^Nothing in this app handles SIGTERM, the signal ECS/);
      assert.equal(result.findings[0].related, undefined);
      const replicas = {
        ...files,
        'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    deploy:\n      replicas: 3\n',
      };
      const scaled = await analyse(
        projectOver('/w', [noGracefulShutdown], memory('/w', replicas)),
        '/w/api/server.js',
        replicas['api/server.js'],
      );
      assert.deepEqual(
        scaled.findings.map((f) => f.messageId),
        ['nodeServer'],
      );
      assert.match(
        scaled.findings[0].message,
        /SIGTERM, and Docker Compose stops the containers of service `api` with SIGTERM \(then SIGKILL 10 s later\) whenever it recreates them or scales them down\. /,
      );
    });
  });
});
