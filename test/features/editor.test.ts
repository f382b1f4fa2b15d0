import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DiagnosticSeverity,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import {
  compactHoverLimit,
  compactRuleHover,
  explainRuleLink,
  lineBreak,
  renderedLength,
  sentences,
} from '../../server/src/docs/rule-docs';
import type { Severity } from '../../server/src/engine/rule';
import { defineRule, severities, type Fix, type FixKind, type Rule } from '../../server/src/engine/rule';
import { lessons } from '../../server/src/lessons/catalogue';
import {
  codeActions,
  fixTitle,
  scaffoldAppliedCommand,
  scaffoldAppliedMessage,
} from '../../server/src/features/actions';
import { completions } from '../../server/src/features/completion';
import { DocumentChecks, Scheduler, validate } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import type { Session } from '../../server/src/features/session';
import { allRules } from '../../server/src/rules';
import { folder, testSession, uriOf } from './harness';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

/**
 * The editor features of issue 13, in-process: compact hovers ordered by severity, the light
 * bulb's preferred fix, ids in suppression comments, and `cloudLessons.run`.
 */

const examples = join(__dirname, '..', '..', 'examples');

/** A rule for these tests: reports on every `word` in any file, with the fix it is given. */
function wordRule(
  id: string,
  word: string,
  severity: Severity,
  fix: FixKind | 'no',
  make?: (at: number) => Fix,
): Rule {
  return defineRule({
    id,
    lesson: id.split('/')[0] as Rule['lesson'],
    title: `Test rule on ${word}`,
    severity,
    equivalents: [`PEER_${word.toUpperCase()}`],
    fix,
    messages: { found: `The word ${word} is here: a message the hover must not repeat.` },
    docs: {
      what: `Flags ${word}.`,
      why: `First reason about ${word}. Second reason about ${word}. A third that the hover leaves out.`,
      example: { language: 'text', code: word },
      useInstead: { language: 'text', code: 'other' },
      ...(fix === 'no' ? {} : { fix: `Rewrites ${word}. More about the ${word} fix.` }),
    },
    checks: {
      any({ document, report }) {
        for (const match of document.text.matchAll(new RegExp(`\\b${word}\\b`, 'g'))) {
          const start = match.index ?? 0;
          report({
            at: { start, end: start + word.length },
            messageId: 'found',
            fix: make ? () => make(start) : undefined,
          });
        }
      },
    },
  });
}

const replaceWith =
  (word: string, text: string, extra: Partial<Fix> = {}) =>
  (at: number) => ({
    title: `Replace ${word} with ${text}`,
    edits: [{ start: at, end: at + word.length, text }],
    ...extra,
  });

// Four findings on one word, of every severity and fix kind, declared out of order.
const spotRules = [
  wordRule('measure-everything/test-info-safe', 'spot', 'info', 'safe', replaceWith('spot', 'a')),
  wordRule('scale-database/test-warning-scaffold', 'spot', 'warning', 'scaffold', (at) =>
    replaceWith('spot', 'b', { needs: ['Install left-pad (npm install left-pad)', 'Set PAD_WIDTH'] })(at),
  ),
  wordRule('plan-for-the-worst/test-warning-safe', 'spot', 'warning', 'safe', replaceWith('spot', 'c')),
  wordRule('private-network/test-error-none', 'other', 'error', 'no'),
];

function diagnosticsOf(session: Session, uri: string): Promise<Diagnostic[]> {
  return session.analysisOf(session.documents.get(uri)!).then((analysis) =>
    analysis!.result.findings.map((f) => ({
      range: f.range,
      code: f.ruleId,
      source: 'cloud-lessons',
      message: f.message,
    })),
  );
}

async function hoverAt(session: Session, uri: string, line: number, character: number) {
  const result = await hover(session, { textDocument: { uri }, position: { line, character } });
  return result ? (result.contents as { value: string }).value : undefined;
}

/** The rule ids of the finding blocks of a hover, in order. */
const blockIds = (value: string) =>
  [...value.matchAll(/^(?:- )?\*\*[^\n]*\*\* · ([a-z0-9-]+\/[a-z0-9-]+) · /gm)].map((m) => m[1]);

const quickFixes = (actions: CodeAction[]) =>
  actions.filter((a) => !a.title.startsWith('Disable') && !a.title.startsWith('Fix all'));

describe('editor features (issue 13)', () => {
  describe('the compact hover', () => {
    it('gives one block per finding, most severe first, the safe fix before a scaffold at one severity', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir], spotRules);
      const uri = uriOf(dir, 'notes.txt');
      documents.set(uri, 'a spot other\n', 'plaintext');
      const value = await hoverAt(session, uri, 0, 3);
      assert.ok(value);
      assert.deepEqual(blockIds(value), [
        'plan-for-the-worst/test-warning-safe',
        'scale-database/test-warning-scaffold',
        'measure-everything/test-info-safe',
      ]);
      assert.doesNotMatch(value, /a message the hover must not repeat/);
      assert.match(value, /\*\*Fix\*\* \(safe\): Replace spot with c\./);
      assert.match(
        value,
        /\*\*Fix\*\* \(scaffold to complete\): Replace spot with b\. Then: Install left-pad \(npm install left-pad\); Set PAD_WIDTH\./,
      );
      const none = await hoverAt(session, uri, 0, 8);
      assert.match(none ?? '', /· private-network\/test-error-none · error/);
      assert.match(none ?? '', / {2}\nNo automatic fix\./);
    });

    it('says the title, id and severity on one line, two sentences of reason, the fix and the links', () => {
      const rule = spotRules[2];
      const text = compactRuleHover(rule, {
        severity: 'hint',
        fix: { kind: 'safe', title: 'Replace spot with c' },
        pageUrl: 'file:///docs/rules/x.md',
        commandLinks: true,
      });
      const [header, reason, fix] = text.split(lineBreak);
      assert.equal(header, '**Test rule on spot** · plan-for-the-worst/test-warning-safe · hint');
      assert.equal(
        reason,
        `*${lessons['plan-for-the-worst'].title}.* First reason about spot. Second reason about spot.`,
      );
      assert.equal(
        fix,
        '**Fix** (safe): Replace spot with c. Rewrites spot. [Rule page](file:///docs/rules/x.md) · ' +
          '[Explain Rule](command:cloudLessons.explainRule?%5B%22plan-for-the-worst%2Ftest-warning-safe%22%5D)',
      );
      assert.equal(
        explainRuleLink('a/b'),
        `command:cloudLessons.explainRule?${encodeURIComponent('["a/b"]')}`,
      );
      // Without a finding (an id in a comment) it describes the rule's fix.
      assert.match(
        compactRuleHover(rule, { severity: 'warning' }),
        /\*\*Fix\*\* \(safe\): Rewrites spot\. More about the spot fix\.$/,
      );
      assert.match(compactRuleHover(spotRules[3], { severity: 'error' }), /No automatic fix\.$/);
    });

    it('stays within 800 characters for every rule, whatever its fix, with both links', () => {
      const longPage = `file:///home/someone/.vscode/extensions/cloud-lessons.cloud-lessons-0.1.0/docs/rules/${'x'.repeat(40)}.md`;
      const fixes = [
        undefined,
        null,
        { kind: 'safe' as const, title: 'A fix whose title is as long as the longest fix titles get, or so' },
        {
          kind: 'scaffold' as const,
          title: 'Scaffold something',
          needs: ['Install a-package (npm install a-package)', 'Set A_VARIABLE'],
        },
      ];
      for (const rule of allRules)
        for (const fix of fixes) {
          const text = compactRuleHover(rule, {
            severity: 'warning',
            fix,
            pageUrl: longPage,
            commandLinks: true,
          });
          assert.ok(
            renderedLength(text) <= compactHoverLimit,
            `${rule.id}: ${renderedLength(text)} characters\n${text}`,
          );
          assert.ok(text.startsWith(`**${rule.title}** · ${rule.id} · warning${lineBreak}`), rule.id);
          // A message's longest literal part is what an editor shows above the hover.
          for (const message of Object.values(rule.messages)) {
            const literal = message
              .split(/\{\{\w+\}\}/)
              .sort((a, b) => b.length - a.length)[0]
              .trim();
            if (literal.length >= 30) assert.ok(!text.includes(literal), `${rule.id} repeats its message`);
          }
        }
    });

    it('splits sentences at full stops, not inside e.g. or code', () => {
      assert.deepEqual(sentences('One, e.g. `a.b`. Two (`x`). "Three"'), [
        'One, e.g. `a.b`.',
        'Two (`x`).',
        '"Three"',
      ]);
    });

    it('fits the busiest spots of examples/ on one screen, the most severe finding first', async () => {
      const { session, documents } = testSession([examples]);
      session.client.commandLinks = true;
      const spots = [
        { path: 'shop-api/Dockerfile', languageId: 'dockerfile', line: 0, needle: 'node' },
        { path: 'infra/template.yaml', languageId: 'yaml', line: 29, needle: 'OrdersDb' },
      ];
      for (const spot of spots) {
        const uri = uriOf(examples, spot.path);
        const text = readFileSync(join(examples, spot.path), 'utf8');
        documents.set(uri, text, spot.languageId);
        const character = text.split('\n')[spot.line].indexOf(spot.needle) + 1;
        const value = await hoverAt(session, uri, spot.line, character);
        assert.ok(value, spot.path);
        const analysis = await session.analysisOf(documents.get(uri)!);
        const offset = documents.get(uri)!.offsetAt({ line: spot.line, character });
        const here = analysis!.result.findings.filter((f) => f.span.start <= offset && offset <= f.span.end);
        assert.ok(here.length >= 2, `${spot.path} is a busy spot`);
        const ids = blockIds(value);
        assert.deepEqual(
          [...ids].sort(),
          [...new Set(here.map((f) => f.ruleId))].sort(),
          'one block per finding',
        );
        const rank = (id: string) => severities.indexOf(here.find((f) => f.ruleId === id)!.severity);
        assert.deepEqual(
          ids.map(rank),
          [...ids.map(rank)].sort((a, b) => a - b),
          `most severe first: ${ids.join(', ')}`,
        );
        for (const finding of here) assert.ok(!value.includes(finding.message), 'no message repeated');
        const mostSevere = here.find((f) => f.ruleId === ids[0])!;
        assert.ok(
          value.split(/\n(?=- \*\*)/)[0].includes(`*${lessons[mostSevere.rule.lesson].title}.* `),
          'the most severe finding says why, however crowded the spot',
        );
        // About a screen: the old hover here was 5,600 (Dockerfile) and 16,600 (OrdersDb) characters.
        assert.ok(renderedLength(value) <= 1800, `${spot.path}: ${renderedLength(value)} characters`);
        assert.match(value, /\[Explain Rule\]\(command:cloudLessons\.explainRule\?/);

        // The light bulb there: the preferred fix, if any, is the first block's.
        const diagnostics = (await diagnosticsOf(session, uri)).filter((d) =>
          here.some((f) => f.ruleId === d.code && f.range.start.line === d.range.start.line),
        );
        const actions = await codeActions(session, {
          textDocument: { uri },
          range: { start: { line: spot.line, character }, end: { line: spot.line, character } },
          context: { diagnostics },
        });
        const preferred = actions.filter((a) => a.isPreferred);
        assert.ok(preferred.length <= 1, 'at most one preferred fix');
        if (preferred.length === 1) assert.equal(preferred[0].diagnostics?.[0].code, ids[0]);
        const first = here.find((f) => f.ruleId === ids[0])!.fix?.();
        assert.equal(
          preferred.length,
          first?.kind === 'safe' ? 1 : 0,
          'preferred exactly when the first finding’s fix is safe',
        );
      }
    });

    it('links Explain Rule only for clients that run command links', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir], spotRules);
      const uri = uriOf(dir, 'notes.txt');
      documents.set(uri, 'spot\n', 'plaintext');
      assert.doesNotMatch((await hoverAt(session, uri, 0, 1)) ?? '', /command:/);
      session.client.commandLinks = true;
      assert.match(
        (await hoverAt(session, uri, 0, 1)) ?? '',
        /\[Explain Rule\]\(command:cloudLessons\.explainRule\?/,
      );
    });
  });

  describe('diagnostics', () => {
    it('are published in document order, the most severe first at one spot', async () => {
      const dir = folder({});
      const { session, documents, published } = testSession([dir], spotRules);
      const uri = uriOf(dir, 'notes.txt');
      documents.set(uri, 'other spot\nspot\n', 'plaintext');
      await validate(session, uri);
      assert.deepEqual(
        published[0].diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`),
        [
          '0:0 private-network/test-error-none',
          '0:6 plan-for-the-worst/test-warning-safe',
          '0:6 scale-database/test-warning-scaffold',
          '0:6 measure-everything/test-info-safe',
          '1:0 plan-for-the-worst/test-warning-safe',
          '1:0 scale-database/test-warning-scaffold',
          '1:0 measure-everything/test-info-safe',
        ],
      );
    });
  });

  describe('the baseline (cloudLessons.baseline)', () => {
    const template = (ids: string[]) =>
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Resources:',
        ...ids.flatMap((id) => [
          `  ${id}:`,
          '    Type: AWS::RDS::DBInstance',
          '    Properties:',
          '      PubliclyAccessible: true',
        ]),
        '',
      ].join('\n');
    const publicDatabase = 'private-network/public-database';

    it('shows what the CLI baselined as hints tagged in baseline, new findings at their severity', async () => {
      const dir = folder({ 'infra/template.yaml': template(['Old']) });
      const written = spawnSync(
        process.execPath,
        [cli, '--baseline', 'ci/baseline.json', '--update-baseline', '.'],
        { cwd: dir, encoding: 'utf8' },
      );
      assert.equal(written.status, 0, written.stderr);
      const { session, documents, published, logged } = testSession([dir]);
      session.applySettings({ baseline: 'ci/baseline.json' });
      const uri = uriOf(dir, 'infra/template.yaml');
      // A resource added above the baselined one: the old finding stays baselined.
      documents.set(uri, template(['New', 'Old']));
      await validate(session, uri);
      const found = published[0].diagnostics.filter((d) => d.code === publicDatabase);
      assert.deepEqual(
        found.map((d) => [d.range.start.line, d.severity, d.message.endsWith('(in baseline)')]),
        [
          [5, DiagnosticSeverity.Error, false],
          [9, DiagnosticSeverity.Hint, true],
        ],
      );
      assert.deepEqual(logged, []);
    });

    it('logs a missing baseline once and shows every finding at its severity', async () => {
      const dir = folder({ 'template.yaml': template(['Db']) });
      const { session, documents, published, logged } = testSession([dir]);
      session.applySettings({ baseline: 'missing.json' });
      const uri = uriOf(dir, 'template.yaml');
      documents.set(uri, template(['Db']));
      await validate(session, uri);
      documents.set(uri, template(['Db']) + '\n');
      await validate(session, uri);
      assert.equal(
        published[1].diagnostics.find((d) => d.code === publicDatabase)?.severity,
        DiagnosticSeverity.Error,
      );
      assert.equal(logged.filter((m) => m.includes('missing.json')).length, 1);
    });
  });

  describe('the light bulb', () => {
    async function actionsOn(text: string, character: number) {
      const dir = folder({});
      const { session, documents } = testSession([dir], spotRules);
      const uri = uriOf(dir, 'notes.txt');
      documents.set(uri, text, 'plaintext');
      const diagnostics = (await diagnosticsOf(session, uri)).filter(
        (d) => d.range.start.character <= character && character <= d.range.end.character,
      );
      return codeActions(session, {
        textDocument: { uri },
        range: { start: { line: 0, character }, end: { line: 0, character } },
        context: { diagnostics },
      });
    }

    it('prefers only the safe fix of the most severe finding, lists fixes first and titles scaffolds', async () => {
      const actions = await actionsOn('spot\n', 1);
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ['Replace spot with c', true],
          [
            'Scaffold: Replace spot with b (then: install left-pad (npm install left-pad); set PAD_WIDTH)',
            false,
          ],
          ['Replace spot with a', false],
          ['Disable plan-for-the-worst/test-warning-safe for this line (with a reason)', false],
          ['Disable scale-database/test-warning-scaffold for this line (with a reason)', false],
          ['Disable measure-everything/test-info-safe for this line (with a reason)', false],
          ['Fix all safely fixable Cloud Lessons findings in this file', false],
        ],
      );
      const scaffold = actions[1];
      assert.deepEqual(scaffold.command, {
        title: 'Show what the scaffold needs',
        command: scaffoldAppliedCommand,
        arguments: ['Replace spot with b', ['Install left-pad (npm install left-pad)', 'Set PAD_WIDTH']],
      });
      assert.equal(
        scaffoldAppliedMessage(scaffold.command?.arguments),
        'Cloud Lessons: "Replace spot with b" is in place. Still to do: Install left-pad (npm install left-pad); Set PAD_WIDTH.',
      );
      assert.equal(scaffoldAppliedMessage(['x', []]), undefined);
      assert.equal(actions[0].command, undefined, 'a safe fix runs no command');
    });

    it('prefers nothing when the most severe finding has no safe fix', async () => {
      const noSafe = [
        spotRules[1],
        wordRule('local-state/test-error-none', 'spot', 'error', 'no'),
        spotRules[0],
      ];
      const dir = folder({});
      const { session, documents } = testSession([dir], noSafe);
      const uri = uriOf(dir, 'notes.txt');
      documents.set(uri, 'spot\n', 'plaintext');
      const actions = await codeActions(session, {
        textDocument: { uri },
        range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } },
        context: { diagnostics: await diagnosticsOf(session, uri) },
      });
      assert.deepEqual(
        quickFixes(actions).map((a) => a.title),
        [
          'Scaffold: Replace spot with b (then: install left-pad (npm install left-pad); set PAD_WIDTH)',
          'Replace spot with a',
        ],
      );
      assert.ok(actions.every((a) => !a.isPreferred));
    });

    it('titles a scaffold as one even without needs', () => {
      assert.equal(fixTitle({ title: 'Add a HEALTHCHECK', kind: 'scaffold' }), 'Scaffold: Add a HEALTHCHECK');
      assert.equal(fixTitle({ title: 'Add a timeout', kind: 'safe' }), 'Add a timeout');
      assert.equal(
        fixTitle({ title: 'X', kind: 'scaffold', needs: ['AWS credentials in the environment'] }),
        'Scaffold: X (then: AWS credentials in the environment)',
      );
    });
  });

  describe('suppression comments', () => {
    const templateWithComment = (comment: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      ${comment}
      PubliclyAccessible: true
`;

    async function complete(path: string, languageId: string, text: string, line: number, character = -1) {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, path);
      documents.set(uri, text, languageId);
      const at = character < 0 ? text.split('\n')[line].length : character;
      const items = await completions(session, {
        textDocument: { uri },
        position: { line, character: at },
        context: { triggerKind: 2, triggerCharacter: ' ' },
      });
      return { items, session, uri };
    }

    const labels = (items: CompletionItem[]) => items.map((i) => i.label);
    const first = (items: CompletionItem[]) =>
      [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0];

    it('completes rule ids (those reported on the next line first) and lesson ids', async () => {
      const text = templateWithComment('# cloud-lessons-disable-next-line ');
      const { items } = await complete('template.yaml', 'yaml', text, 6);
      assert.equal(first(items).label, 'private-network/public-database');
      assert.equal(first(items).preselect, true);
      assert.ok(labels(items).includes('private-network'), 'lesson ids');
      assert.ok(labels(items).includes('plan-for-the-worst/no-backup-plan'), 'other template rules');
      assert.ok(!labels(items).includes('embrace-failure/no-timeout'), 'no rule of another kind of file');
      const item = items.find((i) => i.label === 'private-network/public-database')!;
      assert.deepEqual((item.textEdit as TextEdit).range, {
        start: { line: 6, character: 40 },
        end: { line: 6, character: 40 },
      });
      assert.match((item.documentation as { value: string }).value, /^\*\*Database or broker reachable/);
    });

    it('completes after a comma, replacing what is typed and leaving out the ids already listed', async () => {
      const text = templateWithComment(
        '# cloud-lessons-disable-next-line private-network/public-database, plan-for',
      );
      const { items } = await complete('template.yaml', 'yaml', text, 6);
      assert.ok(!labels(items).includes('private-network/public-database'));
      const item = items.find((i) => i.label === 'plan-for-the-worst/no-deletion-policy')!;
      const edit = item.textEdit as TextEdit;
      assert.equal(
        text.split('\n')[6].slice(edit.range.start.character, edit.range.end.character),
        'plan-for',
      );
    });

    it('completes in every kind’s comments, and not in the reason, the name or a JSON template', async () => {
      const cases: [string, string, string, string][] = [
        [
          'Dockerfile',
          'dockerfile',
          '# cloud-lessons-disable-next-line \nFROM node:22-slim\n',
          'least-privilege/root-user',
        ],
        [
          'compose.yaml',
          'yaml',
          'services:\n  web:\n    # cloud-lessons-disable-next-line \n    image: nginx\n',
          'auto-recovery/no-restart-policy',
        ],
        ['app.js', 'javascript', 'const a = 1; // cloud-lessons-disable \n', 'embrace-failure/no-timeout'],
        [
          'app.ts',
          'typescript',
          '/* cloud-lessons-disable-next-line  */\nfetch("https://a");\n',
          'embrace-failure/no-timeout',
        ],
        ['app.py', 'python', '# cloud-lessons-disable \nimport requests\n', 'embrace-failure/no-timeout'],
      ];
      for (const [path, languageId, text, expected] of cases) {
        const line = text.split('\n').findIndex((l) => l.includes('cloud-lessons-disable'));
        const character =
          text.split('\n')[line].indexOf('cloud-lessons-disable') +
          text.split('\n')[line].slice(text.split('\n')[line].indexOf('cloud-lessons-disable')).indexOf(' ') +
          1;
        const { items } = await complete(path, languageId, text, line, character);
        assert.ok(labels(items).includes(expected), `${path}: ${labels(items).slice(0, 5).join(', ')}`);
      }
      const reason = templateWithComment(
        '# cloud-lessons-disable-next-line private-network/public-database -- demo ',
      );
      assert.deepEqual((await complete('template.yaml', 'yaml', reason, 6)).items, []);
      const name = templateWithComment('# cloud-lessons-disable');
      assert.deepEqual((await complete('template.yaml', 'yaml', name, 6)).items, []);
      const notComment =
        'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: cloud-lessons-disable }\n';
      assert.deepEqual((await complete('template.yaml', 'yaml', notComment, 3, 47)).items, []);
      const json =
        '{"Resources": {"A": {"Type": "AWS::SQS::Queue", "Metadata": {"x": "# cloud-lessons-disable "}}}}\n';
      assert.deepEqual((await complete('template.json', 'json', json, 0, 88)).items, []);
    });

    it('answers a space typed outside a directive with nothing, and otherwise offers the snippets', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, 'Dockerfile');
      documents.set(uri, 'FROM node:22-slim \n', 'dockerfile');
      const position = { line: 0, character: 18 };
      assert.deepEqual(
        await completions(session, {
          textDocument: { uri },
          position,
          context: { triggerKind: 2, triggerCharacter: ' ' },
        }),
        [],
      );
      const invoked = await completions(session, {
        textDocument: { uri },
        position,
        context: { triggerKind: 1 },
      });
      assert.ok(invoked.length > 0 && invoked.every((i) => i.label.startsWith('lesson-')));
      session.client.snippets = false;
      assert.deepEqual(
        await completions(session, { textDocument: { uri }, position, context: { triggerKind: 1 } }),
        [],
      );
    });

    it('hovers a rule id with its compact hover and configured severity, and lesson and peer ids', async () => {
      const dir = folder({ '.cloud-lessons.yaml': 'rules:\n  private-network/public-database: warning\n' });
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, 'template.yaml');
      const comment =
        '# cloud-lessons-disable-next-line private-network/public-database, private-network, CKV_AWS_17, nope/x -- demo';
      const text = templateWithComment(comment);
      documents.set(uri, text, 'yaml');
      const column = (needle: string) => text.split('\n')[6].indexOf(needle) + 2;
      const onRule = await hoverAt(session, uri, 6, column('private-network/public-database'));
      assert.match(
        onRule ?? '',
        /^\*\*Database or broker reachable from the internet\*\* · private-network\/public-database · warning {2}\n/,
      );
      assert.ok(renderedLength(onRule!.split('\n\n---\n\n')[0]) <= compactHoverLimit);
      const onLesson = await hoverAt(session, uri, 6, column('private-network,'));
      assert.match(
        onLesson ?? '',
        /^\*\*Keep databases private and ports closed\*\* · private-network · lesson/,
      );
      assert.match(onLesson ?? '', /`private-network\/public-database`/);
      const onPeer = await hoverAt(session, uri, 6, column('CKV_AWS_17'));
      assert.match(
        onPeer ?? '',
        /^`CKV_AWS_17` is another tool's id: here it silences `private-network\/public-database`/,
      );
      assert.match((await hoverAt(session, uri, 6, column('nope/x'))) ?? '', /silences nothing/);
      assert.equal(await hoverAt(session, uri, 6, column('demo')), undefined, 'the reason is not an id');
    });

    it('hovers ids in JavaScript and Python comments too', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      for (const [path, languageId, text] of [
        [
          'app.js',
          'javascript',
          '// cloud-lessons-disable-next-line embrace-failure/no-timeout -- polled\nfetch(url);\n',
        ],
        ['app.py', 'python', 'import requests\n# cloud-lessons-disable embrace-failure/no-timeout\n'],
      ]) {
        const uri = uriOf(dir, path);
        documents.set(uri, text, languageId);
        const line = text.split('\n').findIndex((l) => l.includes('embrace-failure/no-timeout'));
        const character = text.split('\n')[line].indexOf('embrace-failure') + 3;
        assert.match(
          (await hoverAt(session, uri, line, character)) ?? '',
          /· embrace-failure\/no-timeout · warning/,
          path,
        );
      }
    });
  });

  describe('cloudLessons.run', () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

    function checks(run: 'onType' | 'onSave' | 'sometimes') {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      session.applySettings({ run: run as 'onType' });
      const ran: string[] = [];
      const scheduler = new Scheduler(async (uri) => void ran.push(uri.slice(uri.lastIndexOf('/') + 1)));
      const template = uriOf(dir, 'template.yaml');
      const config = uriOf(dir, '.cloud-lessons.yaml');
      documents.set(template, 'Resources: {}\n');
      documents.set(config, 'rules: {}\n');
      return { session, checks: new DocumentChecks(session, scheduler), ran, template, config };
    }

    it('onType checks on open and on every change, and not again on save', async () => {
      const { checks: c, ran, template, session } = checks('sometimes');
      assert.equal(session.settings.run, 'onType', 'an unknown value is the default');
      c.opened(template);
      await settle();
      c.changed(template);
      await settle();
      c.saved(template);
      await settle();
      assert.deepEqual(ran, ['template.yaml', 'template.yaml']);
    });

    it('onSave checks on open and on save only, a configuration file’s effect included', async () => {
      const { checks: c, ran, template, config, session } = checks('onSave');
      assert.equal(session.settings.run, 'onSave');
      c.opened(template);
      await settle();
      assert.deepEqual(ran.splice(0), ['template.yaml']);
      c.changed(template);
      c.changed(config);
      await settle();
      assert.deepEqual(ran.splice(0), [], 'nothing while typing');
      c.saved(template);
      await settle();
      assert.deepEqual(ran.splice(0), ['template.yaml']);
      c.saved(config);
      await settle();
      assert.deepEqual(ran.splice(0).sort(), ['.cloud-lessons.yaml', 'template.yaml']);
    });
  });
});
