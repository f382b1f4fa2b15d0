import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { parseCode } from '../../server/src/engine/parse/code';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

/**
 * Code analysis stays linear on hostile shapes: deep nesting (every `parent` step in tree-sitter
 * is a descent from the root, so per-node walks upwards are quadratic), handlers inside
 * handlers, thousands of findings whose fixes all look for the imports, and very long lines.
 * Each input took tens of seconds before; the bound leaves room for a slow machine, and the
 * rules must finish without hitting their time limit.
 */

const boundMs = 8_000;
const express =
  "const express = require('express');\nconst app = express();\nconst items = [];\nlet count = 0;\n";
const flask = 'from flask import Flask, request\napp = Flask(__name__)\nitems = []\n';

const inputs: { name: string; path: string; text: () => string }[] = [
  {
    name: '10,000 nested calls',
    path: 'nested.js',
    text: () => 'f('.repeat(10_000) + ')'.repeat(10_000) + ';\n',
  },
  {
    name: '3,000 nested callbacks inside a route handler, writing module state',
    path: 'routes.js',
    text: () =>
      express +
      "app.get('/', (req, res) => " +
      'g(() => '.repeat(3_000) +
      'items.push(req.body)' +
      ')'.repeat(3_000) +
      ');\n',
  },
  {
    name: '2,000 route handlers, each inside the one before',
    path: 'server.js',
    text: () =>
      express +
      "app.get('/', (req, res) => {\n".repeat(2_000) +
      "items.push(req.body); count++; fs.writeFileSync('out', req.body);\n" +
      '});\n'.repeat(2_000),
  },
  {
    name: 'a deep callback, then thousands of statements in the same handler',
    path: 'flat.js',
    text: () =>
      express +
      "app.post('/', (req, res) => {\n" +
      'g(() => '.repeat(2_000) +
      '1' +
      ')'.repeat(2_000) +
      ';\n' +
      'items.push(req.body);\n'.repeat(4_000) +
      '});\n',
  },
  {
    name: 'a chain of 1,000 helpers called from a handler',
    path: 'helpers.js',
    text: () =>
      express +
      Array.from(
        { length: 1_000 },
        (_, i) => `function step${i}(x) { items.push(x); step${i + 1}(x); }\n`,
      ).join('') +
      "app.get('/', (req, res) => step0(req.body));\n",
  },
  {
    name: '3,000 secrets and addresses, each with a fix that adds an import',
    path: 'settings.py',
    text: () =>
      Array.from(
        { length: 3_000 },
        (_, i) =>
          `name_${i} = "v${i}"\npassword_${i} = "Zq${i}x!w"\nAPI_URL_${i} = "http://api${i}.example-corp.com"\n`,
      ).join(''),
  },
  {
    name: 'a Flask view with 300 functions nested in it',
    path: 'views.py',
    text: () =>
      flask +
      "@app.get('/')\ndef view():\n" +
      Array.from({ length: 300 }, (_, i) => '    '.repeat(i + 1) + `def inner_${i}():\n`).join('') +
      '    '.repeat(301) +
      'items.append(request.json)\n',
  },
  {
    name: 'lines of 900,000 #A characters inside an object',
    path: 'colours.js',
    text: () => `const palette = {\n  accent: '#${'A'.repeat(900_000)}',\n  #${'A'.repeat(900_000)}\n};\n`,
  },
  {
    name: 'a million-character password and URL',
    path: 'config.ts',
    text: () =>
      `export const config = {\n  password: "${'aB3-'.repeat(250_000)}",\n  url: "postgres://u:${'p@'.repeat(200_000)}@db.example-corp.com/x",\n};\n`,
  },
];

describe('code analysis on adversarial inputs', function () {
  this.timeout(120_000);
  const rules = allRules.filter((rule) =>
    rule.kinds.some((kind) => kind === 'js' || kind === 'py' || kind === 'any'),
  );

  for (const input of inputs) {
    it(`${input.name}: within ${boundMs / 1000} s`, async () => {
      const analyzer = new Analyzer({ rules, workspace: inMemoryWorkspace({}), log: () => {} });
      const text = input.text();
      const started = performance.now();
      const result = await analyzer.analyze({ path: `/work/adversarial/${input.path}`, text });
      const ms = performance.now() - started;
      assert.deepEqual(
        result.failures.map((f) => `${f.ruleId}: ${f.message}`),
        [],
        'no rule fails or runs out of time',
      );
      assert.ok(ms < boundMs, `${Math.round(ms)} ms`);
    });
  }

  it('a parse past its limit stops with a message that says so, and the next parse works', async () => {
    const hostile = `const o = { token: "${'"'.repeat(200_000)}" };\n`;
    await assert.rejects(
      parseCode(hostile, 'javascript', { limitMs: 1 }),
      /JavaScript parser stopped after 0\.001 s on this file/,
    );
    const model = await parseCode('const ok = 1;\n', 'javascript');
    assert.equal(model.root.hasError, false);
    model.dispose();
  });
});
