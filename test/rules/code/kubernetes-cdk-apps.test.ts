import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import type { Rule } from '../../../server/src/engine/rule';
import acrossCopies from '../../../server/src/rules/code/in-memory-state-across-copies';
import sessionStore from '../../../server/src/rules/code/in-memory-session-store';
import moduleState from '../../../server/src/rules/code/module-level-mutable-state';
import localDisk from '../../../server/src/rules/code/local-disk-on-ephemeral-runtime';
import localDiskState from '../../../server/src/rules/code/local-disk-state';
import unset from '../../../server/src/rules/code/unset-environment-variable';
import { analyse, memory, projectOver, read } from '../cross-file';

// The cross-file rules over apps run by Kubernetes Deployments and by CDK apps (read from their
// sources, not synthesized): fixtures in test/fixtures/applications/{k8s-*,cdk-*}.

const fixtures = join(__dirname, '..', '..', 'fixtures', 'applications');
const stateRules: Rule[] = [acrossCopies, sessionStore, moduleState];

function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} «${text.slice(f.span.start, f.span.end)}»`,
  );
}

const relatedOf = (result: AnalysisResult, root: string, index = 0) =>
  (result.findings[index].related ?? []).map(
    (r) => `${relative(root, r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`,
  );

describe('cross-file rules on Kubernetes and CDK apps', () => {
  it('flags in-memory sessions of an Express app that a Deployment runs as 3 replicas, naming it', async () => {
    const root = join(fixtures, 'k8s-express-sessions');
    const server = join(root, 'shop-web', 'server.js');
    const text = read(server);
    const result = await analyse(projectOver(root, stateRules), server, text);
    assert.deepEqual(found(result, text), [
      'local-state/in-memory-state-across-copies 7:9 «session»',
      'local-state/in-memory-state-across-copies 10:3 «carts.set»',
    ]);
    assert.match(
      result.findings[0].message,
      /Kubernetes Deployment shop-web runs this code as 3 replicas \(k8s\/shop-web\.yaml\)/,
    );
    assert.match(
      result.findings[0].message,
      /Kubernetes Deployment session-cache \(redis\) declared in k8s\/redis\.yaml/,
    );
    assert.deepEqual(relatedOf(result, root), [
      'k8s/shop-web.yaml:8:13 Kubernetes Deployment shop-web runs this code as 3 replicas',
      'k8s/shop-web.yaml:32:9 a load balancer spreads the requests to Kubernetes Deployment shop-web over its tasks',
      'k8s/redis.yaml:4:9 Kubernetes Deployment session-cache (redis) is declared here: a store all copies can share',
    ]);
    // No wiring edits for Kubernetes: the finding has no fix that edits the manifests.
    assert.equal(result.findings[0].fix?.(), undefined);
  });

  it('is silent for a Deployment of one replica with no Service in front of it', async () => {
    const root = join(fixtures, 'k8s-single-worker');
    const server = join(root, 'report-worker', 'server.js');
    const text = read(server);
    const result = await analyse(projectOver(root, [acrossCopies]), server, text);
    assert.deepEqual(found(result, text), []);
  });

  it('counts one replica behind a Service as two during a rollout, and none with Recreate', async () => {
    const root = '/ws';
    const code = read(join(fixtures, 'k8s-single-worker', 'report-worker', 'server.js'));
    const manifest = (strategy: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: report-worker
spec:${strategy}
  selector:
    matchLabels:
      app: reports
  template:
    metadata:
      labels:
        app: reports
    spec:
      containers:
        - name: worker
          image: report-worker
---
apiVersion: v1
kind: Service
metadata:
  name: reports
spec:
  selector:
    app: reports
  ports:
    - port: 80
`;
    const files = (strategy: string) => ({
      'report-worker/server.js': code,
      'report-worker/Dockerfile': 'FROM node:20\n',
      'k8s/deployment.yaml': manifest(strategy),
    });
    const path = join(root, 'report-worker', 'server.js');
    const rolling = await analyse(projectOver(root, [acrossCopies], memory(root, files(''))), path, code);
    assert.deepEqual(found(rolling, code), ['local-state/in-memory-state-across-copies 7:9 «session»']);
    assert.match(
      rolling.findings[0].message,
      /as 1 replica behind a Service, and 2 while each rollout replaces it/,
    );
    const recreate = await analyse(
      projectOver(root, [acrossCopies], memory(root, files('\n  strategy:\n    type: Recreate'))),
      path,
      code,
    );
    assert.deepEqual(found(recreate, code), []);
  });

  it('judges no variable of a container that reads envFrom, and flags one a plain env lacks', async () => {
    const root = join(fixtures, 'k8s-single-worker');
    const server = join(root, 'report-worker', 'server.js');
    const text = read(server);
    const result = await analyse(projectOver(root, [unset]), server, text);
    assert.deepEqual(found(result, text), []);
    const manifest = read(join(root, 'kubernetes', 'report-worker.yaml')).replace(
      /envFrom:\n(.*\n){2}/,
      'env:\n            - name: LOG_LEVEL\n              value: info\n',
    );
    const workspace = memory('/ws', {
      'report-worker/server.js': text,
      'report-worker/Dockerfile': read(join(root, 'report-worker', 'Dockerfile')),
      'kubernetes/report-worker.yaml': manifest,
    });
    const plain = await analyse(projectOver('/ws', [unset], workspace), '/ws/report-worker/server.js', text);
    assert.deepEqual(found(plain, text), [
      'container-ready/unset-environment-variable 5:16 «process.env.REPORT_BUCKET»',
    ]);
  });

  it('flags a write to /var/data in the entry of a CDK NodejsFunction', async () => {
    const root = join(fixtures, 'cdk-nodejs-disk');
    const handler = join(root, 'functions', 'uploads', 'handler.ts');
    const text = read(handler);
    const result = await analyse(projectOver(root, [localDisk, localDiskState]), handler, text);
    assert.deepEqual(found(result, text), [
      'local-state/local-disk-on-ephemeral-runtime 4:3 «writeFileSync»',
    ]);
    assert.match(
      result.findings[0].message,
      /CDK NodejsFunction UploadsHandler runs this code \(infra\/lib\/uploads-stack\.ts\)/,
    );
    assert.deepEqual(relatedOf(result, root), [
      'infra/lib/uploads-stack.ts:11:46 CDK NodejsFunction UploadsHandler runs this code, with no file system mounted at `/var/data/`',
    ]);
  });

  it('flags in-memory sessions of a Fargate service built from an asset with desiredCount 2 (Python CDK)', async () => {
    const root = join(fixtures, 'cdk-fargate-sessions');
    const server = join(root, 'web', 'server.js');
    const text = read(server);
    const result = await analyse(projectOver(root, stateRules), server, text);
    assert.deepEqual(found(result, text), ['local-state/in-memory-state-across-copies 6:9 «session»']);
    assert.match(
      result.findings[0].message,
      /CDK ApplicationLoadBalancedFargateService GuestbookService runs this code as 2 tasks \(stacks\/web_stack\.py\)/,
    );
    assert.deepEqual(relatedOf(result, root), [
      'stacks/web_stack.py:15:27 CDK ApplicationLoadBalancedFargateService GuestbookService runs this code as 2 tasks',
      'stacks/web_stack.py:12:19 a load balancer spreads the requests to CDK ApplicationLoadBalancedFargateService GuestbookService over its tasks',
    ]);
  });

  it('flags a write in a Kubernetes container outside its lasting volumes, with the Kubernetes wording', async () => {
    const code = `const fs = require('fs');
const app = require('express')();
app.post('/reports', (req, res) => {
  fs.writeFileSync('/var/reports/latest.json', JSON.stringify(req.body));
  fs.writeFileSync('/data/latest.json', JSON.stringify(req.body));
  res.sendStatus(201);
});
app.listen(8080);
`;
    const manifest = read(join(fixtures, 'k8s-single-worker', 'kubernetes', 'report-worker.yaml'))
      .replace(/ *envFrom:\n(.*\n){2}/, '')
      .replace('mountPath: /scratch', 'mountPath: /data')
      .replace('emptyDir: {}', 'persistentVolumeClaim:\n            claimName: reports');
    const workspace = memory('/ws', {
      'report-worker/server.js': code,
      'report-worker/Dockerfile': 'FROM node:20\nWORKDIR /app\n',
      'kubernetes/report-worker.yaml': manifest,
    });
    const result = await analyse(
      projectOver('/ws', [localDisk, localDiskState], workspace),
      '/ws/report-worker/server.js',
      code,
    );
    assert.deepEqual(found(result, code), [
      'local-state/local-disk-on-ephemeral-runtime 4:3 «fs.writeFileSync»',
    ]);
    assert.match(result.findings[0].message, /gone when Kubernetes replaces the pod/);
  });
});
