import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { checkBudget } from '../../server/src/engine/budget';
import { walk } from '../../server/src/engine/cfn/references';
import { nodesOfType } from '../../server/src/engine/code/syntax';
import { fixAll } from '../../server/src/engine/fix-all';
import { defineRule, FixDeclined, type Checks, type FixKind, type Rule } from '../../server/src/engine/rule';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

const sample = { language: 'text' as const, code: 'x' };

function rule(options: {
  id?: string;
  fix?: FixKind | 'no';
  checks: Checks;
  messages?: Record<string, string>;
  checksTestFiles?: boolean;
  resourceTypes?: string[];
}): Rule {
  return defineRule({
    id: options.id ?? 'embrace-failure/test-rule',
    lesson: 'embrace-failure',
    title: 'A rule for the analyser tests',
    severity: 'warning',
    equivalents: [],
    fix: options.fix ?? 'no',
    messages: options.messages ?? { found: 'Found {{what}} here.' },
    checksTestFiles: options.checksTestFiles,
    resourceTypes: options.resourceTypes,
    docs: { what: 'Reports what the test tells it to.', why: 'Tests.', example: sample, useInstead: sample },
    checks: options.checks,
  });
}

function analyzer(rules: Rule[], logged: string[] = []) {
  return new Analyzer({ rules, workspace: inMemoryWorkspace(), log: (m) => logged.push(m) });
}

const js = { path: '/app/src/server.js', text: 'const a = 1;\n' };

describe('analyser', () => {
  it('fills a message from its id and data, and keeps both on the finding', async () => {
    const found = rule({
      checks: {
        js: ({ report }) => report({ at: { start: 6, end: 7 }, messageId: 'found', data: { what: 'a' } }),
      },
    });
    const [finding] = (await analyzer([found]).analyze(js)).findings;
    assert.equal(finding.message, 'Found a here.');
    assert.equal(finding.messageId, 'found');
    assert.deepEqual(finding.data, { what: 'a' });
    assert.deepEqual(finding.range, { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } });
  });

  it('an unknown message id or a missing value skips the rule for the file and logs it once', async () => {
    const logged: string[] = [];
    const broken = rule({
      checks: { js: ({ report }) => report({ at: { start: 0, end: 1 }, messageId: 'found' }) },
    });
    const engine = analyzer([broken], logged);
    const result = await engine.analyze(js);
    await engine.analyze(js);
    assert.deepEqual(result.findings, []);
    assert.equal(result.failures[0].ruleId, broken.id);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /embrace-failure\/test-rule failed on \/app\/src\/server\.js/);
    assert.match(logged[0], /needs a value for \{\{what\}\}/);
  });

  it('leaves test files to rules that ask for them', async () => {
    const found: NonNullable<Checks['js']> = ({ report }) =>
      report({ at: { start: 0, end: 1 }, messageId: 'found', data: { what: 'x' } });
    const check: Checks = { js: found, py: found };
    const skips = rule({ checks: check });
    const asks = rule({ id: 'embrace-failure/test-tests', checks: check, checksTestFiles: true });
    for (const path of ['/app/src/server.test.js', '/app/__tests__/server.js', '/app/tests/test_app.py']) {
      const result = await analyzer([skips, asks]).analyze({ path, text: 'x = 1\n' });
      assert.deepEqual(
        result.findings.map((f) => f.ruleId),
        ['embrace-failure/test-tests'],
        path,
      );
    }
  });

  it('gives template checks the resources of their types, and the edit target in the document’s format', async () => {
    const seen: string[] = [];
    const types = rule({
      resourceTypes: ['AWS::SQS::Queue'],
      checks: {
        cfn: ({ resources, target }) => {
          seen.push(...resources.map((r) => r.logicalId), target.format);
        },
      },
    });
    const text =
      '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}, "T": {"Type": "AWS::SNS::Topic"}, "R": {"Type": "AWS::SQS::Queue"}}}';
    await analyzer([types]).analyze({ path: '/t/template.json', text });
    assert.deepEqual(seen, ['Q', 'R', 'json']);
  });

  it('settles fix kinds: a scaffold rule cannot offer a safe fix, a throwing fix is logged once, a declined one is silent', async () => {
    const logged: string[] = [];
    const at = { start: 0, end: 1 };
    const edits = [{ start: 0, end: 0, text: '// x\n' }];
    const rules = [
      rule({
        id: 'embrace-failure/safe',
        fix: 'safe',
        checks: {
          js: ({ report }) =>
            report({ at, messageId: 'found', data: { what: 's' }, fix: () => ({ title: 'S', edits }) }),
        },
      }),
      rule({
        id: 'embrace-failure/downgraded',
        fix: 'safe',
        checks: {
          js: ({ report }) =>
            report({
              at,
              messageId: 'found',
              data: { what: 'd' },
              fix: () => ({ title: 'D', kind: 'scaffold', edits: [{ start: 13, end: 13, text: '// y\n' }] }),
            }),
        },
      }),
      rule({
        id: 'embrace-failure/overclaims',
        fix: 'scaffold',
        checks: {
          js: ({ report }) =>
            report({
              at,
              messageId: 'found',
              data: { what: 'o' },
              fix: () => ({ title: 'O', kind: 'safe', edits }),
            }),
        },
      }),
      rule({
        id: 'embrace-failure/throws',
        fix: 'safe',
        checks: {
          js: ({ report }) =>
            report({
              at,
              messageId: 'found',
              data: { what: 't' },
              fix: () => {
                throw new Error('no room for the edit');
              },
            }),
        },
      }),
      rule({
        id: 'embrace-failure/declines',
        fix: 'scaffold',
        checks: {
          js: ({ report }) =>
            report({
              at,
              messageId: 'found',
              data: { what: 'n' },
              fix: () => {
                throw new FixDeclined('inside Fn::ForEach');
              },
            }),
        },
      }),
    ];
    const engine = analyzer(rules, logged);
    const result = await engine.analyze(js);
    await engine.analyze(js);
    const kinds = Object.fromEntries(result.findings.map((f) => [f.ruleId, f.fix?.()?.kind ?? 'none']));
    assert.deepEqual(kinds, {
      'embrace-failure/declines': 'none',
      'embrace-failure/downgraded': 'scaffold',
      'embrace-failure/overclaims': 'none',
      'embrace-failure/safe': 'safe',
      'embrace-failure/throws': 'none',
    });
    assert.equal(logged.length, 2, logged.join('\n'));
    assert.ok(
      logged.some((m) =>
        /The fix of embrace-failure\/throws failed on \/app\/src\/server\.js.*no room/s.test(m),
      ),
    );
    assert.ok(
      logged.some((m) =>
        /embrace-failure\/overclaims offered a safe fix, but its metadata says its fixes are scaffolds/.test(
          m,
        ),
      ),
    );

    // Fix-all applies the safe fix only, unless asked for scaffolds too.
    assert.equal((await fixAll(engine, js, { maxPasses: 1 })).applied, 1);
    assert.equal((await fixAll(engine, js, { kinds: ['safe', 'scaffold'], maxPasses: 1 })).applied, 2);
  });

  it('stops a rule past its time limit, cuts a file short past its own, and says so', async () => {
    const runaway = rule({
      id: 'embrace-failure/runaway',
      checks: {
        js: () => {
          for (;;) checkBudget();
        },
      },
    });
    const slow = rule({
      id: 'embrace-failure/slow',
      checks: {
        js: () => {
          const until = Date.now() + 40;
          while (Date.now() < until);
        },
      },
    });
    const after = rule({
      id: 'embrace-failure/after',
      checks: {
        js: ({ report }) => report({ at: { start: 0, end: 1 }, messageId: 'found', data: { what: 'x' } }),
      },
    });
    const engine = new Analyzer({
      rules: [runaway, slow, after],
      workspace: inMemoryWorkspace(),
      limits: { ruleMs: 50, fileMs: 80 },
    });
    const started = Date.now();
    const result = await engine.analyze(js);
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(
      result.problems.map((p) => p.message),
      [
        'Rule embrace-failure/runaway was stopped on this file after 0.05 s (the limit per rule): its findings are missing here.',
        'The analysis of this file was cut short after 0.08 s (the limit per file): 1 rule was not run (embrace-failure/after).',
      ],
    );
    assert.deepEqual(result.findings, []);
  });

  it('in the background, pauses between rules and does not count the pauses against the file', async () => {
    const busy = (id: string) =>
      rule({
        id: `embrace-failure/${id}`,
        checks: {
          js: ({ report }) => {
            const until = Date.now() + 15;
            while (Date.now() < until);
            report({ at: { start: 0, end: 1 }, messageId: 'found', data: { what: id } });
          },
        },
      });
    const engine = new Analyzer({
      rules: [busy('one'), busy('two'), busy('three')],
      workspace: inMemoryWorkspace(),
      limits: { fileMs: 60 },
    });
    const document = await engine.parse(js);
    let pauses = 0;
    const result = await engine.run(document, undefined, undefined, undefined, {
      sliceMs: 5,
      pause: async () => {
        pauses++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      },
    });
    document.dispose();
    assert.equal(pauses, 2, 'a pause before each rule after the first');
    assert.deepEqual(result.problems, [], 'no rule was cut short');
    assert.equal(result.findings.length, 3);
  });

  it('stops a rule that loops over the shared walks (templates, code) without asking itself', async () => {
    const template = rule({
      id: 'embrace-failure/walks-templates',
      checks: {
        cfn: ({ model }) => {
          for (;;) walk(model.root, () => {});
        },
      },
    });
    const code = rule({
      id: 'embrace-failure/walks-code',
      checks: {
        js: ({ model }) => {
          for (;;) nodesOfType(model, 'identifier');
        },
      },
    });
    const engine = new Analyzer({
      rules: [template, code],
      workspace: inMemoryWorkspace(),
      limits: { ruleMs: 50, fileMs: 5000 },
    });
    const stopped = async (path: string, text: string) =>
      (await engine.analyze({ path, text })).problems.map((p) => p.message.split(' was stopped')[0]);
    assert.deepEqual(
      await stopped(
        '/w/t.yaml',
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
      ),
      ['Rule embrace-failure/walks-templates'],
    );
    assert.deepEqual(await stopped('/w/a.js', 'const a = b;\n'), ['Rule embrace-failure/walks-code']);
  });

  it('gives the event loop a turn between rules, so that other work goes on', async () => {
    const busy = (id: string) =>
      rule({
        id,
        checks: {
          js: () => {
            const until = Date.now() + 15;
            while (Date.now() < until);
          },
        },
      });
    const engine = new Analyzer({
      rules: [
        busy('embrace-failure/a'),
        busy('embrace-failure/b'),
        busy('embrace-failure/c'),
        busy('embrace-failure/d'),
      ],
      workspace: inMemoryWorkspace(),
      limits: { sliceMs: 10 },
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await engine.analyze(js);
    clearInterval(timer);
    assert.ok(ticks >= 2, `the timer ran ${ticks} times during the analysis`);
  });

  it('keeps suppressed findings apart, for checklists and reports', async () => {
    const found = rule({
      checks: {
        js: ({ report }) => report({ at: { start: 77, end: 78 }, messageId: 'found', data: { what: 'x' } }),
      },
    });
    const text = '// cloud-lessons-disable-next-line embrace-failure/test-rule -- a test\nconst a = 1;\n';
    const result = await analyzer([found]).analyze({ path: '/app/server.js', text });
    assert.deepEqual(result.findings, []);
    assert.equal(result.suppressed.length, 1);
  });
});
