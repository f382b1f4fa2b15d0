import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/fixes';
import type { Rule } from '../../../server/src/engine/rule';
import consumer from '../../../server/src/rules/code/consumer-outlasts-visibility-timeout';
import { analyse, memory, projectOver, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const root = join(repo, 'test', 'fixtures', 'applications', 'ecs-queue-consumer');
const rules: Rule[] = [consumer];

function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} «${text.slice(f.span.start, f.span.end)}» ${f.messageId}`,
  );
}

function relatedOf(result: AnalysisResult, index: number): string[] {
  return (result.findings[index].related ?? []).map(
    (r) =>
      `${relative('/w', r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1}-${r.range.end.line + 1}:${r.range.end.character + 1} ${r.message}`,
  );
}

const fixtureFiles = (): Record<string, string> => ({
  'exporter/package.json': read(join(root, 'exporter', 'package.json')),
  'exporter/Dockerfile': read(join(root, 'exporter', 'Dockerfile')),
  'exporter/index.js': read(join(root, 'exporter', 'index.js')),
  'infra/stack.yaml': read(join(root, 'infra', 'stack.yaml')),
});

async function inMemory(files: Record<string, string>, path: string): Promise<AnalysisResult> {
  const project = projectOver('/w', rules, memory('/w', files));
  return analyse(project, `/w/${path}`, files[path]);
}

const withVisibility = (files: Record<string, string>, seconds: string): Record<string, string> => ({
  ...files,
  'infra/stack.yaml': files['infra/stack.yaml'].replace(
    '      MessageRetentionPeriod: 86400\n',
    `      MessageRetentionPeriod: 86400\n      VisibilityTimeout: ${seconds}\n`,
  ),
});

describe('async-event-driven/consumer-outlasts-visibility-timeout', () => {
  it('has complete metadata', () => {
    assert.ok(consumer.id.startsWith(`${consumer.lesson}/`));
    for (const field of ['what', 'why', 'fix'] as const)
      assert.ok((consumer.docs[field] ?? '').length > 40, field);
    assert.deepEqual(consumer.equivalents, []);
    assert.equal(consumer.fix, 'scaffold');
    assert.deepEqual([...consumer.kinds].sort(), ['js', 'py']);
  });

  it('flags an sqs-consumer whose handleMessageTimeout outlasts the queue’s default visibility', async () => {
    const path = join(root, 'exporter', 'index.js');
    const text = read(path);
    const result = await analyse(projectOver(root, rules), path, text);
    assert.deepEqual(found(result, text), ['4:18-4:33 «Consumer.create» queue']);
    assert.equal(
      result.findings[0].message,
      'This worker lets a message run for up to 120 s (handleMessageTimeout: 120_000), but SQS queue Exports, which ECS service ExporterService gives it as `EXPORTS_QUEUE_URL`, hides a received message for 30 s (no VisibilityTimeout: the SQS default; infra/stack.yaml): a message still in progress becomes visible again, and another worker takes it and does the work a second time.',
    );
    assert.deepEqual(
      (result.findings[0].related ?? []).map(
        (r) => `${relative(root, r.path)}:${r.range.start.line + 1} ${r.message}`,
      ),
      [
        'infra/stack.yaml:5 SQS queue Exports hides a received message for 30 s (no VisibilityTimeout: the SQS default)',
        'infra/stack.yaml:27 ECS service ExporterService gives this code `EXPORTS_QUEUE_URL` from SQS queue Exports',
      ],
    );
    const fix = result.findings[0].fix!()!;
    assert.equal(fix.kind, 'scaffold');
    assert.equal(fix.title, 'Set VisibilityTimeout to 240 s, twice the processing bound');
    const other = fix.otherFiles![0];
    assert.match(
      applyEdits(other.text, other.edits),
      / {6}MessageRetentionPeriod: 86400\n {6}VisibilityTimeout: 240\n/,
    );
  });

  it('compares with a written VisibilityTimeout, and is no finding when it covers the bound or is unknown', async () => {
    let files = withVisibility(fixtureFiles(), '90');
    let result = await inMemory(files, 'exporter/index.js');
    assert.deepEqual(found(result, files['exporter/index.js']), ['4:18-4:33 «Consumer.create» queue']);
    assert.match(
      result.findings[0].message,
      /hides a received message for 90 s \(VisibilityTimeout: 90; infra\/stack\.yaml\)/,
    );
    const other = result.findings[0].fix!()!.otherFiles![0];
    assert.equal(
      applyEdits(other.text, other.edits),
      files['infra/stack.yaml'].replace('VisibilityTimeout: 90', 'VisibilityTimeout: 240'),
    );
    for (const seconds of ['120', '300', '!Ref Visibility']) {
      files = withVisibility(fixtureFiles(), seconds);
      result = await inMemory(files, 'exporter/index.js');
      assert.deepEqual(found(result, files['exporter/index.js']), [], seconds);
    }
  });

  it('uses the visibility timeout the consumer asks for instead of the queue’s', async () => {
    let files = fixtureFiles();
    files['exporter/index.js'] = files['exporter/index.js'].replace(
      '  handleMessageTimeout: 120_000,\n',
      '  handleMessageTimeout: 120_000,\n  visibilityTimeout: 180,\n',
    );
    assert.deepEqual(found(await inMemory(files, 'exporter/index.js'), files['exporter/index.js']), []);

    files = withVisibility(fixtureFiles(), '600');
    files['exporter/index.js'] = files['exporter/index.js'].replace(
      '  handleMessageTimeout: 120_000,\n',
      '  handleMessageTimeout: 120_000,\n  visibilityTimeout: 60,\n',
    );
    const result = await inMemory(files, 'exporter/index.js');
    assert.deepEqual(found(result, files['exporter/index.js']), ['4:18-4:33 «Consumer.create» request']);
    assert.match(
      result.findings[0].message,
      /^This worker asks SQS to hide each message for 60 s \(`VisibilityTimeout`\), but lets a message run for up to 120 s/,
    );
    assert.deepEqual(relatedOf(result, 0), [
      'infra/stack.yaml:28:21-28:38 ECS service ExporterService gives this code `EXPORTS_QUEUE_URL` from SQS queue Exports: the receive call’s VisibilityTimeout replaces the queue’s',
    ]);
    assert.match(
      applyEdits(files['exporter/index.js'], result.findings[0].fix!()!.edits),
      /visibilityTimeout: 240,/,
    );
  });

  it('is no finding when the worker extends the visibility, when the bound is not a literal, or with no bound', async () => {
    for (const [from, to] of [
      [
        '  handleMessageTimeout: 120_000,\n',
        '  handleMessageTimeout: 120_000,\n  heartbeatInterval: 20,\n  visibilityTimeout: 30,\n',
      ],
      ['  handleMessageTimeout: 120_000,\n', '  handleMessageTimeout: Number(process.env.TIMEOUT_MS),\n'],
      ['  handleMessageTimeout: 120_000,\n', ''],
    ]) {
      const files = fixtureFiles();
      files['exporter/index.js'] = files['exporter/index.js'].replace(from, to);
      assert.deepEqual(found(await inMemory(files, 'exporter/index.js'), files['exporter/index.js']), [], to);
    }
  });

  it('is no finding when the variable points at no queue of the template, or when a Lambda function runs the code', async () => {
    let files = fixtureFiles();
    files['exporter/index.js'] = files['exporter/index.js'].replace('EXPORTS_QUEUE_URL', 'OTHER_QUEUE_URL');
    assert.deepEqual(found(await inMemory(files, 'exporter/index.js'), files['exporter/index.js']), []);

    files = {
      'exporter/index.js': fixtureFiles()['exporter/index.js'],
      'template.yaml':
        'Transform: AWS::Serverless-2016-10-31\nResources:\n  Exports:\n    Type: AWS::SQS::Queue\n  Exporter:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: exporter/\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          EXPORTS_QUEUE_URL: !Ref Exports\n',
    };
    assert.deepEqual(found(await inMemory(files, 'exporter/index.js'), files['exporter/index.js']), []);
  });

  it('reads a ReceiveMessageCommand loop with a per-message AbortSignal.timeout, the receive’s own signal aside', async () => {
    const loop = `const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({});
const queueUrl = process.env.EXPORTS_QUEUE_URL;

async function poll() {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 20 }),
      { abortSignal: AbortSignal.timeout(25_000) },
    );
    for (const message of Messages) {
      await fetch(process.env.RENDER_URL, { method: 'POST', body: message.Body, signal: AbortSignal.timeout(90_000) });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

poll();
`;
    let files = withVisibility({ ...fixtureFiles(), 'exporter/index.js': loop }, '60');
    let result = await inMemory(files, 'exporter/index.js');
    assert.deepEqual(found(result, files['exporter/index.js']), ['9:11-9:32 «ReceiveMessageCommand» queue']);
    assert.match(
      result.findings[0].message,
      /^This worker lets a message run for up to 90 s \(`AbortSignal\.timeout\(90_000\)`\), but SQS queue Exports/,
    );

    files = withVisibility(
      { ...fixtureFiles(), 'exporter/index.js': loop.replace('90_000', '20_000') },
      '60',
    );
    result = await inMemory(files, 'exporter/index.js');
    assert.deepEqual(found(result, files['exporter/index.js']), []);
    files = withVisibility(
      {
        ...fixtureFiles(),
        'exporter/index.js': loop.replace(
          'MaxNumberOfMessages: 1,',
          'MaxNumberOfMessages: 1, VisibilityTimeout: 120,',
        ),
      },
      '60',
    );
    result = await inMemory(files, 'exporter/index.js');
    assert.deepEqual(found(result, files['exporter/index.js']), []);
  });

  it('reads a boto3 worker bounded by asyncio.wait_for', async () => {
    const worker = `import asyncio
import os

import boto3

QUEUE_URL = os.environ["EXPORTS_QUEUE_URL"]
sqs = boto3.client("sqs")


async def main():
    while True:
        response = sqs.receive_message(QueueUrl=QUEUE_URL, WaitTimeSeconds=20)
        for message in response.get("Messages", []):
            await asyncio.wait_for(export(message["Body"]), timeout=45)
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=message["ReceiptHandle"])
`;
    const files = {
      'exporter/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "worker.py"]\n',
      'exporter/pyproject.toml': '[project]\nname = "report-exporter"\n',
      'exporter/worker.py': worker,
      'infra/stack.yaml': fixtureFiles()['infra/stack.yaml'],
    };
    let result = await inMemory(files, 'exporter/worker.py');
    assert.deepEqual(found(result, files['exporter/worker.py']), ['12:24-12:39 «receive_message» queue']);
    assert.match(
      result.findings[0].message,
      /up to 45 s \(`asyncio\.wait_for\(export\(message\["Body"\]\), timeout=45\)`\)/,
    );
    files['exporter/worker.py'] = worker.replace(
      'WaitTimeSeconds=20',
      'WaitTimeSeconds=20, VisibilityTimeout=90',
    );
    result = await inMemory(files, 'exporter/worker.py');
    assert.deepEqual(found(result, files['exporter/worker.py']), []);
  });
});
