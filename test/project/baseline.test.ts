import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { Baseline, BaselineError, fingerprintFindings } from '../../server/src/project/baseline';
import { Project } from '../../server/src/project/project';
import { allRules } from '../../server/src/rules';

const project = new Project({
  rules: allRules,
  roots: ['/w'],
  config: { kind: 'none' },
  workspace: inMemoryWorkspace({ '/w/.dockerignore': '.git\n' }),
});

interface Seen {
  rule: string;
  fingerprint: string;
  where: string;
  line: number;
}

async function findingsOf(path: string, text: string): Promise<Seen[]> {
  const document = await project.parse({ path, text });
  try {
    const result = await project.run(document);
    const prints = fingerprintFindings(document, result.findings);
    return result.findings.map((f, i) => ({
      rule: f.ruleId,
      fingerprint: prints[i].fingerprint,
      where: prints[i].where,
      line: f.range.start.line + 1,
    }));
  } finally {
    document.dispose();
  }
}

/** A baseline of `before`, asked about the findings of `after`: the new findings, as `line rule`. */
async function newAfter(path: string, before: string, after: string, only?: string): Promise<string[]> {
  const base = await findingsOf(path, before);
  const baseline = new Baseline('/w/baseline.json', []).updated(
    new Map([['file', base]]),
    () => true,
  ).baseline;
  const now = await findingsOf(path, after);
  const held = baseline.baselined('file', now);
  return now
    .filter((_, i) => !held[i])
    .map((f) => `${f.line} ${f.rule}`)
    .filter((f) => !only || f.endsWith(only));
}

const template = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
  Queue:
    Type: AWS::SQS::Queue
`;

describe('baseline fingerprints', () => {
  it('templates: lines inserted above keep every finding baselined', async () => {
    const after = template.replace('Resources:\n', 'Parameters:\n  Env:\n    Type: String\n\nResources:\n');
    assert.deepEqual(await newAfter('/w/t.yaml', template, after), []);
  });

  it('templates: reformatting elsewhere keeps them', async () => {
    const after = template
      .replace('Description: Orders', "Description: 'Orders, reformatted'")
      .replace('  Queue:\n    Type: AWS::SQS::Queue\n', '  Queue: { Type: "AWS::SQS::Queue" }\n');
    assert.deepEqual(await newAfter('/w/t.yaml', template, after, 'public-database'), []);
  });

  it('templates: moving a resource within the file keeps its findings', async () => {
    const after = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
      Engine: postgres
`;
    assert.deepEqual(await newAfter('/w/t.yaml', template, after), []);
  });

  it('templates: the same finding on a new resource is new, and so is a second identical one in the same place', async () => {
    const twin =
      template + '  Db2:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      PubliclyAccessible: true\n';
    assert.deepEqual(await newAfter('/w/t.yaml', template, twin, 'public-database'), [
      '14 private-network/public-database',
    ]);
    // Compose: the same service mounting the engine socket twice (a database publishing its
    // port twice is one finding since database-port-published reports once per service).
    const compose =
      'services:\n  agent:\n    image: example/agent:1.0\n    restart: always\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n';
    const mount = '      - /var/run/docker.sock:/var/run/docker.sock\n';
    const twice = compose.replace(mount, mount + mount);
    const added = await newAfter('/w/compose.yaml', compose, twice, 'host-access');
    assert.deepEqual(added, ['7 least-privilege/host-access']);
  });

  it('the location is in words, never a line number', async () => {
    const found = await findingsOf('/w/t.yaml', template);
    const db = found.find((f) => f.rule === 'private-network/public-database')!;
    assert.equal(db.where, 'Db Properties.PubliclyAccessible');
    assert.doesNotMatch(JSON.stringify(found.map((f) => f.where)), /\b8\b/);
  });

  it('Dockerfiles: the instruction and its normalised text, wherever it moves', async () => {
    const before = 'FROM node:22.11.0-slim\nRUN npm install -g pm2@5.4.2\nCMD ["node", "server.js"]\n';
    const after =
      '# syntax=docker/dockerfile:1\nFROM node:22.11.0-slim\n\nRUN npm   install \\\n    -g pm2@5.4.2\nCMD ["node", "server.js"]\n';
    assert.deepEqual(await newAfter('/w/Dockerfile', before, after), []);
    const found = await findingsOf('/w/Dockerfile', before);
    assert.ok(
      found.some((f) => f.where === 'FROM'),
      JSON.stringify(found),
    );
    // The instruction changed: its finding is new.
    const changed = before.replace('node:22.11.0-slim', 'node:22.12.0-slim');
    assert.ok((await newAfter('/w/Dockerfile', before, changed)).length > 0);
  });

  it('compose files: the service and key path', async () => {
    const before = 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432"\n';
    const after =
      'services:\n  web:\n    image: nginx:1.27.2\n    restart: always\n  db:\n    ports: ["5432:5432"]\n    image: postgres:16.4\n';
    assert.deepEqual(await newAfter('/w/compose.yaml', before, after, 'database-port-published'), []);
    const found = await findingsOf('/w/compose.yaml', before);
    const port = found.find((f) => f.rule === 'private-network/database-port-published')!;
    assert.equal(port.where, 'services.db.ports.[0]');
  });

  it('code: the enclosing function and the normalised source of the span', async () => {
    const before = `import requests

def fetch_orders():
    return requests.get("https://orders.internal/api")
`;
    const after = `import os
import requests

TIMEOUT = float(os.environ.get("TIMEOUT", "5"))


def health():
    return True


def fetch_orders():
    return requests.get(  "https://orders.internal/api"  )
`;
    assert.deepEqual(await newAfter('/w/app.py', before, after, 'no-timeout'), []);
    const found = await findingsOf('/w/app.py', before);
    assert.equal(found.find((f) => f.rule === 'embrace-failure/no-timeout')!.where, 'fetch_orders');
    // The same call in another function is another finding.
    const moved = before + '\n\ndef fetch_users():\n    return requests.get("https://orders.internal/api")\n';
    assert.deepEqual(await newAfter('/w/app.py', before, moved, 'no-timeout'), [
      '8 embrace-failure/no-timeout',
    ]);
    const js =
      "const axios = require('axios');\nclass Client {\n  list() {\n    return axios.get('/orders');\n  }\n}\n";
    const jsFound = await findingsOf('/w/client.js', js);
    assert.equal(jsFound.find((f) => f.rule === 'embrace-failure/no-timeout')!.where, 'Client.list');
  });
});

describe('baseline files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-baseline-'));
  const entry = (path: string, rule: string, fingerprint: string) => ({
    rule,
    fingerprint,
    where: 'x',
    path,
  });

  it('are sorted, versioned JSON with counts for repeated findings, and read back the same', () => {
    const file = join(dir, 'b.json');
    const { baseline } = new Baseline(file, []).updated(
      new Map([
        ['z.yaml', [entry('z.yaml', 'b/rule', 'f2'), entry('z.yaml', 'b/rule', 'f2')]],
        ['a.yaml', [entry('a.yaml', 'a/rule', 'f1')]],
      ]),
      () => true,
    );
    baseline.write();
    const text = readFileSync(file, 'utf8');
    const data = JSON.parse(text);
    assert.equal(data.version, 1);
    assert.deepEqual(
      data.findings.map((f: { path: string; count?: number }) => [f.path, f.count]),
      [
        ['a.yaml', undefined],
        ['z.yaml', 2],
      ],
    );
    assert.equal(Baseline.read(file).format(), text);
    assert.deepEqual(
      Baseline.read(file).baselined('z.yaml', [
        entry('', 'b/rule', 'f2'),
        entry('', 'b/rule', 'f2'),
        entry('', 'b/rule', 'f2'),
      ]),
      [true, true, false],
    );
  });

  it('on update, drop the entries no longer found and count them, and keep files outside the run', () => {
    const old = new Baseline(join(dir, 'c.json'), [
      { path: 'a.yaml', rule: 'r/x', where: '', fingerprint: 'gone' },
      { path: 'a.yaml', rule: 'r/x', where: '', fingerprint: 'kept', count: 2 },
      { path: 'deleted.yaml', rule: 'r/x', where: '', fingerprint: 'g' },
      { path: 'other/b.yaml', rule: 'r/x', where: '', fingerprint: 'h' },
    ]);
    const result = old.updated(
      new Map([['a.yaml', [entry('a.yaml', 'r/x', 'kept'), entry('a.yaml', 'r/x', 'fresh')]]]),
      (path) => !path.startsWith('other/'),
    );
    assert.deepEqual([result.added, result.dropped, result.kept], [1, 3, 1]);
    assert.deepEqual(
      result.baseline.entries.map((e) => `${e.path} ${e.fingerprint} ${e.count ?? 1}`).sort(),
      ['a.yaml fresh 1', 'a.yaml kept 1', 'other/b.yaml h 1'],
    );
  });

  it('reject a file that is not a baseline', () => {
    assert.throws(() => Baseline.parse('x.json', '{'), BaselineError);
    assert.throws(() => Baseline.parse('x.json', '{"version": 9, "findings": []}'), /version 1 baseline/);
    assert.throws(
      () => Baseline.parse('x.json', '{"version": 1, "findings": [{"path": 1}]}'),
      /findings\[0\]/,
    );
  });
});

describe('a baseline written before a cross-file rule replaced single-file findings', () => {
  const root = join(__dirname, '..', 'fixtures', 'applications', 'express-compose-redis');
  const server = join(root, 'web', 'server.js');
  const text = readFileSync(server, 'utf8');
  const acrossCopies = 'local-state/in-memory-state-across-copies';

  async function fingerprinted(rules: typeof allRules) {
    const own = new Project({ rules, roots: [root], config: { kind: 'none' } });
    const document = await own.parse({ path: server, text });
    try {
      const result = await own.run(document);
      const prints = fingerprintFindings(document, result.findings);
      return result.findings.map((f, i) => ({
        rule: f.ruleId,
        where: prints[i].where,
        fingerprint: prints[i].fingerprint,
        ...(prints[i].also ? { also: prints[i].also } : {}),
      }));
    } finally {
      document.dispose();
    }
  }

  it('still holds the cross-file findings at the places it held the ones they replaced', async () => {
    // The baseline of a run without the cross-file rule: sessions and the Map, by their own rules.
    const before = await fingerprinted(allRules.filter((r) => r.id !== acrossCopies));
    assert.ok(before.some((f) => f.rule === 'local-state/in-memory-session-store'));
    const baseline = new Baseline(join(root, 'baseline.json'), []).updated(
      new Map([['web/server.js', before]]),
      () => true,
    ).baseline;
    const now = await fingerprinted(allRules);
    const replacing = now.filter((f) => f.rule === acrossCopies);
    assert.equal(replacing.length, 2, now.map((f) => f.rule).join());
    assert.ok(replacing.every((f) => f.also?.length));
    const held = baseline.baselined('web/server.js', now);
    assert.deepEqual(
      now.filter((_, i) => !held[i]).map((f) => f.rule),
      [],
      'nothing comes back as new',
    );
    // A baseline that never held them does not hold them.
    const empty = new Baseline(join(root, 'baseline.json'), []);
    assert.ok(empty.baselined('web/server.js', now).every((h) => !h));
  });
});
