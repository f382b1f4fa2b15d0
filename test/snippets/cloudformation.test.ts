import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/engine/analyze';
import type { Template } from '../../server/src/engine/parse/cloudformation';
import type { DataNode } from '../../server/src/engine/parse/tree';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { expandSnippet, snippetFiles, type Snippet } from '../../server/src/snippets';

// Every CloudFormation snippet of RULES.md, in YAML and JSON, inserted into an empty template,
// must parse, reference only what it declares, and be clean for the whole rule pack.

const expectedPrefixes = [
  'lesson-asg-alb',
  'lesson-alb-https',
  'lesson-rds',
  'lesson-aurora',
  'lesson-redis-sessions',
  'lesson-dynamodb',
  'lesson-s3-bucket',
  'lesson-s3-lambda',
  'lesson-sqs-worker',
  'lesson-sam-canary',
  'lesson-alarm-sns',
  'lesson-backup-plan',
  'lesson-security-groups',
  'lesson-secret',
  'lesson-launch-template',
];

const description = 'A template that holds one snippet';
const samTransform = 'AWS::Serverless-2016-10-31';

/** The snippet typed on the empty line under `Resources:`; the editor indents every line after the first. */
function yamlTemplate(snippet: Snippet): string {
  const body = expandSnippet(snippet.body);
  const transform = body.includes('AWS::Serverless::') ? `Transform: ${samTransform}\n` : '';
  const lines = body.split('\n').map((line, i) => (i === 0 || line === '' ? line : `  ${line}`));
  return `AWSTemplateFormatVersion: '2010-09-09'\n${transform}Description: ${description}\nResources:\n  ${lines.join('\n')}\n`;
}

/** The snippet typed inside `"Resources": {}`, on its own line. */
function jsonTemplate(snippet: Snippet): string {
  const body = expandSnippet(snippet.body);
  const transform = body.includes('AWS::Serverless::') ? `  "Transform": "${samTransform}",\n` : '';
  const lines = body.split('\n').map((line, i) => (i === 0 ? line : `    ${line}`));
  return `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n${transform}  "Description": "${description}",\n  "Resources": {\n    ${lines.join('\n')}\n  }\n}\n`;
}

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace(),
  log: (message) => {
    throw new Error(message);
  },
});

/** The names a template may refer to: its resources, parameters and the pseudo parameters. */
function unresolvedReferences(template: Template): string[] {
  const known = new Set([...template.resources.map((r) => r.logicalId), ...template.parameters.keys()]);
  const missing: string[] = [];
  const check = (name: string) => {
    if (!name.startsWith('AWS::') && !known.has(name)) missing.push(name);
  };
  const visit = (node: DataNode) => {
    if (node.type === 'map') {
      for (const pair of node.pairs) {
        const value = pair.value;
        if (pair.key.value === 'Ref' && value.type === 'scalar') check(String(value.value));
        if (pair.key.value === 'Fn::GetAtt') {
          const target = value.type === 'scalar' ? String(value.value).split('.')[0] : undefined;
          const first = value.type === 'seq' ? value.items[0] : undefined;
          check(target ?? (first?.type === 'scalar' ? String(first.value) : ''));
        }
        if (pair.key.value === 'Fn::Sub' && value.type === 'scalar') {
          for (const match of String(value.value).matchAll(/\$\{([^!}][^}]*)\}/g))
            check(match[1].split('.')[0]);
        }
        visit(value);
      }
    } else if (node.type === 'seq') {
      node.items.forEach(visit);
    }
  };
  visit(template.root);
  return missing;
}

/** Plain data of a template, with `Fn::GetAtt: A.B` written as `[A, B]` as JSON must. */
function plain(node: DataNode): unknown {
  if (node.type === 'scalar') return node.value;
  if (node.type === 'seq') return node.items.map(plain);
  if (node.type === 'alias') return undefined;
  return Object.fromEntries(
    node.pairs.map((pair) => {
      const value = plain(pair.value);
      if (pair.key.value === 'Fn::GetAtt' && typeof value === 'string') {
        const dot = value.indexOf('.');
        return [pair.key.value, [value.slice(0, dot), value.slice(dot + 1)]];
      }
      return [String(pair.key.value), value];
    }),
  );
}

async function analyse(path: string, text: string) {
  const document = await analyzer.parse({ path, text });
  const result = await analyzer.run(document);
  document.dispose();
  return { document, result };
}

const formats = [
  {
    name: 'YAML',
    snippets: snippetFiles.cloudformationYaml,
    path: '/work/snippet.yaml',
    build: yamlTemplate,
  },
  {
    name: 'JSON',
    snippets: snippetFiles.cloudformationJson,
    path: '/work/snippet.json',
    build: jsonTemplate,
  },
];

describe('CloudFormation snippets', () => {
  it('cover every snippet of the catalogue, in YAML and JSON alike', () => {
    for (const { snippets } of formats) {
      assert.deepEqual(
        snippets.map((s) => s.prefix),
        expectedPrefixes,
      );
    }
    snippetFiles.cloudformationYaml.forEach((yaml, i) => {
      const json = snippetFiles.cloudformationJson[i];
      assert.equal(json.description, yaml.description, yaml.prefix);
      assert.ok(yaml.description.startsWith('Cloud Lessons: '), yaml.prefix);
    });
  });

  for (const { name, snippets, path, build } of formats) {
    describe(name, () => {
      for (const snippet of snippets) {
        it(`${snippet.prefix}: parses, resolves its references and is clean for the rule pack`, async () => {
          const expanded = expandSnippet(snippet.body);
          assert.doesNotMatch(expanded, /\$\{?\d/, 'every placeholder expands');
          const text = build(snippet);
          const { document, result } = await analyse(path, text);
          assert.equal(document.kind, 'cloudformation');
          assert.deepEqual(
            result.problems.map((p) => `${document.lines.positionAt(p.span.start).line + 1}: ${p.message}`),
            [],
            `parses cleanly:\n${text}`,
          );
          assert.deepEqual(result.failures, []);
          assert.ok(document.model?.kind === 'cloudformation');
          const template = document.model.template;
          assert.ok(template.resources.length > 0);
          for (const resource of template.resources) {
            assert.match(resource.type ?? '', /^AWS::\w+::\w+$/, `${resource.logicalId} has a type`);
          }
          assert.deepEqual(unresolvedReferences(template), [], 'references resolve inside the snippet');
          assert.deepEqual(
            result.findings.map(
              (f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}: ${f.message}`,
            ),
            [],
            `clean for the whole pack:\n${text}`,
          );
        });
      }
    });
  }

  it('say the same thing in YAML and JSON', async () => {
    for (const [i, yaml] of snippetFiles.cloudformationYaml.entries()) {
      const json = snippetFiles.cloudformationJson[i];
      const fromYaml = await analyse('/work/snippet.yaml', yamlTemplate(yaml));
      const fromJson = await analyse('/work/snippet.json', jsonTemplate(json));
      assert.deepEqual(plain(fromJson.document.tree!), plain(fromYaml.document.tree!), yaml.prefix);
    }
  });

  it('are valid templates for cfn-lint (skipped where cfn-lint is not installed)', function () {
    this.timeout(120000);
    if (spawnSync('cfn-lint', ['--version']).status !== 0) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'cfn-snippets-'));
    try {
      const files: string[] = [];
      for (const { snippets, build, path } of formats) {
        for (const snippet of snippets) {
          const file = join(dir, `${snippet.prefix}${path.slice(path.lastIndexOf('.'))}`);
          writeFileSync(file, build(snippet));
          files.push(file);
        }
      }
      const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8' });
      const errors = run.stdout
        .split('\n')
        .filter((line) => /:E\d{4}:/.test(line))
        .map((line) => line.slice(dir.length + 1));
      assert.deepEqual(errors, [], run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
