import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import { Project } from '../../../server/src/project/project';
import unset from '../../../server/src/rules/code/unset-environment-variable';

const repo = join(__dirname, '..', '..', '..');

/** The findings of the rule on one file of a workspace in memory, as `line:column «read»`. */
async function findings(files: Record<string, string>, path: string): Promise<string[]> {
  const root = '/ws';
  const project = new Project({
    rules: [unset],
    roots: [root],
    config: { kind: 'none' },
    workspace: inMemoryWorkspace(
      Object.fromEntries(Object.entries(files).map(([p, t]) => [join(root, p), t])),
    ),
    log: (message) => {
      throw new Error(message);
    },
  });
  const text = files[path];
  const result = await project.analyze({ path: join(root, path), text });
  assert.deepEqual(result.failures, []);
  return result.findings.map(
    (f) =>
      `${f.range.start.line + 1}:${f.range.start.character + 1} «${text.slice(f.span.start, f.span.end)}»`,
  );
}

const samTemplate = (variables: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
${variables}
`;

const pythonApp = `import os

TABLE = os.environ["ORDERS_TABLE"]
BUCKET = os.environ["RECEIPTS_BUCKET"]
LEVEL = os.environ.get("LOG_LEVEL")
REGION = os.environ["AWS_REGION"]
try:
    FEATURE = os.environ["FEATURE_FLAG"]
except KeyError:
    FEATURE = None


def handler(event, context):
    return {"statusCode": 200}
`;

describe('container-ready/unset-environment-variable', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    for (const field of ['what', 'why'] as const) assert.ok(unset.docs[field].length > 40, field);
    assert.ok(unset.docs.example.code.trim() && unset.docs.useInstead.code.trim());
    assert.ok((unset.docs.references ?? []).length > 0);
    assert.deepEqual(unset.equivalents, []);
    assert.equal(unset.fix, 'no');
    assert.equal(unset.docs.fix, undefined);
  });

  it('flags a variable the SAM function does not give, and nothing read with a default, handled or set by AWS', async () => {
    const files = {
      'template.yaml': samTemplate('          ORDERS_TABLE: !Ref Orders'),
      'src/app.py': pythonApp,
    };
    assert.deepEqual(await findings(files, 'src/app.py'), ['4:10 «os.environ["RECEIPTS_BUCKET"]»']);
  });

  it('counts SAM Globals, and is silent when the function gives every variable', async () => {
    const files = {
      'template.yaml': samTemplate('          ORDERS_TABLE: !Ref Orders').replace(
        'Resources:',
        'Globals:\n  Function:\n    Environment:\n      Variables:\n        RECEIPTS_BUCKET: receipts\nResources:',
      ),
      'src/app.py': pythonApp,
    };
    assert.deepEqual(await findings(files, 'src/app.py'), []);
  });

  it('names the runtime that lacks the variable and the one that gives it (the examples)', async () => {
    const root = join(repo, 'examples');
    const project = new Project({ rules: [unset], roots: [root], config: { kind: 'none' } });
    const path = join(root, 'shop-api', 'server.js');
    const text = readFileSync(path, 'utf8');
    const result = await project.analyze({ path, text });
    const database = result.findings.find(
      (f) => text.slice(f.span.start, f.span.end) === 'process.env.DATABASE_URL',
    );
    assert.ok(database);
    assert.equal(
      database.message,
      '`DATABASE_URL` is read without a default, but ECS service ShopApiService does not give it (infra/template.yaml): the code fails there when it reads it. compose service api gives it.',
    );
    assert.deepEqual(
      database.related?.map((r) => `${relative(root, r.path)}:${r.range.start.line + 1} ${r.message}`),
      [
        'infra/template.yaml:86 ECS service ShopApiService gives this code no DATABASE_URL',
        'docker-compose.yml:6 compose service api gives DATABASE_URL',
      ],
    );
  });

  const compose = (environment: string) => `services:
  web:
    build: ./web
${environment}
`;
  const webApp = `const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const debug = process.env.DEBUG;
const cacheUrl = process.env.CACHE_URL ?? 'redis://localhost:6379';
const apiUrl = process.env.API_URL;
if (!apiUrl) throw new Error('API_URL is not set');
if (process.env.FEATURE_URL) console.log('feature on');

const app = express();
app.listen(process.env.PORT);
`;

  it('in JavaScript, flags only unchecked reads of names the code cannot do without', async () => {
    const files = {
      'docker-compose.yml': compose('    environment:\n      - NODE_ENV=production'),
      'web/server.js': webApp,
    };
    assert.deepEqual(await findings(files, 'web/server.js'), ['4:43 «process.env.DATABASE_URL»']);
  });

  it('counts env files and the image’s ENV, and judges nothing when an env file cannot be read', async () => {
    const withEnvFile = {
      'docker-compose.yml': compose('    env_file: web.env'),
      'web.env': 'DATABASE_URL=postgres://db/app\n',
      'web/server.js': webApp,
    };
    assert.deepEqual(await findings(withEnvFile, 'web/server.js'), []);
    const unreadable = {
      'docker-compose.yml': compose('    env_file: secrets.env'),
      'web/server.js': webApp,
    };
    assert.deepEqual(await findings(unreadable, 'web/server.js'), []);
    const optional = {
      'docker-compose.yml': compose('    env_file:\n      - path: local.env\n        required: false'),
      'web/server.js': webApp,
    };
    assert.deepEqual(await findings(optional, 'web/server.js'), ['4:43 «process.env.DATABASE_URL»']);
    const image = {
      'docker-compose.yml': compose('    environment:\n      - NODE_ENV=production'),
      'web/Dockerfile':
        'FROM node:22-slim\nENV NODE_ENV=production \\\n    DATABASE_URL=postgres://db/app\nCMD ["node", "server.js"]\n',
      'web/server.js': webApp,
    };
    assert.deepEqual(await findings(image, 'web/server.js'), []);
  });

  it('leaves ECS containers that read EnvironmentFiles alone', async () => {
    const stack = (extra: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: billing-api
          Image: example/billing-api:1${extra}
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
`;
    const files = {
      'infra/stack.yaml': stack(''),
      'billing-api/Dockerfile': 'FROM node:22-slim\nCMD ["node", "server.js"]\n',
      'billing-api/server.js': webApp,
    };
    assert.deepEqual(await findings(files, 'billing-api/server.js'), ['4:43 «process.env.DATABASE_URL»']);
    files['infra/stack.yaml'] = stack(
      '\n          EnvironmentFiles:\n            - Type: s3\n              Value: arn:aws:s3:::config/billing.env',
    );
    assert.deepEqual(await findings(files, 'billing-api/server.js'), []);
  });
});
