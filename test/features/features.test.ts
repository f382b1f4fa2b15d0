import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkDoneProgressReporter } from 'vscode-languageserver';
import { codeActions, fixAllKind } from '../../server/src/features/actions';
import { completions } from '../../server/src/features/completion';
import { Scheduler, validate } from '../../server/src/features/diagnostics';
import { EditorPriority } from '../../server/src/features/priority';
import { hover } from '../../server/src/features/hover';
import { explainRule, listRules } from '../../server/src/features/rules';
import { WorkspaceScan } from '../../server/src/features/scan';
import { pathOf } from '../../server/src/features/session';
import { folder, never, recordingProgress, testSession, uriOf } from './harness';

const publicDb = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

const position = (text: string, needle: string) => {
  const before = text.slice(0, text.indexOf(needle) + 1).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length - 1 };
};

describe('LSP features, in-process', () => {
  describe('diagnostics', () => {
    it('publishes the findings of a document with their rule, source, link and severity', async () => {
      const dir = folder({});
      const { session, documents, published } = testSession([dir]);
      const uri = uriOf(dir, 'template.yaml');
      documents.set(uri, publicDb);
      await validate(session, uri);
      const diagnostic = published[0].diagnostics.find((d) => d.code === 'private-network/public-database');
      assert.ok(diagnostic);
      assert.equal(diagnostic.source, 'cloud-lessons');
      assert.equal(diagnostic.severity, 1);
      assert.match(diagnostic.codeDescription?.href ?? '', /^file:.*public-database\.md$/);
      assert.equal(published[0].version, 1);
    });

    it('publishes nothing when switched off, and a configuration file’s own problems', async () => {
      const dir = folder({});
      const { session, documents, published } = testSession([dir]);
      const uri = uriOf(dir, 'template.yaml');
      documents.set(uri, publicDb);
      session.applySettings({ enable: false });
      await validate(session, uri);
      assert.deepEqual(published.pop()?.diagnostics, []);
      const config = uriOf(dir, '.cloud-lessons.yaml');
      documents.set(config, 'rules:\n  nope/nothing: error\n');
      await validate(session, config);
      assert.deepEqual(
        published.pop()?.diagnostics.map((d) => [d.code, d.message]),
        [['config', 'Unknown rule "nope/nothing".']],
      );
    });

    it('a configuration being typed applies to the other open documents before it is saved', async () => {
      const dir = folder({});
      const { session, documents, published } = testSession([dir]);
      const uri = uriOf(dir, 'infra/template.yaml');
      documents.set(uri, publicDb);
      await validate(session, uri);
      assert.ok(published.pop()?.diagnostics.some((d) => d.code === 'private-network/public-database'));
      documents.set(uriOf(dir, '.cloud-lessons.yaml'), 'rules:\n  private-network/public-database: off\n');
      session.configurationChanged();
      await validate(session, uri);
      assert.ok(!published.pop()?.diagnostics.some((d) => d.code === 'private-network/public-database'));
    });
  });

  describe('hover', () => {
    it('shows the finding’s compact rule docs, and the resource type’s checklist', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, 'template.yaml');
      documents.set(uri, publicDb);
      const onValue = await hover(session, {
        textDocument: { uri },
        position: position(publicDb, 'true'),
      });
      const value = (onValue?.contents as { value: string }).value;
      assert.match(
        value,
        /^\*\*Database or broker reachable from the internet\*\* · private-network\/public-database · error {2}\n/,
      );
      assert.match(value, /\[Rule page\]\(file:.*public-database\.md\)/);
      assert.doesNotMatch(value, /What it flags/, 'the full page is one click away, not in the hover');
      const onType = await hover(session, {
        textDocument: { uri },
        position: position(publicDb, 'AWS::RDS'),
      });
      assert.match((onType?.contents as { value: string }).value, /Lesson checklist for this resource/);
    });
  });

  describe('code actions', () => {
    it('prefers a safe fix, never a scaffold, and fix-all applies safe fixes only', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, 'template.yaml');
      const document = documents.set(uri, publicDb);
      const analysis = await session.analysisOf(document);
      const diagnostics = analysis!.result.findings.map((f) => ({
        range: f.range,
        code: f.ruleId,
        source: 'cloud-lessons',
        message: f.message,
      }));
      const actions = await codeActions(session, {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics },
      });
      const byRule = (id: string) =>
        actions.find((a) => a.diagnostics?.[0]?.code === id && !a.title.startsWith('Disable'));
      assert.equal(byRule('private-network/public-database')?.isPreferred, true);
      const multiAz = byRule('scale-database/rds-single-az');
      assert.ok(multiAz, 'the scaffold is offered');
      assert.equal(multiAz.isPreferred, false);
      assert.ok(
        actions.some(
          (a) => a.title === 'Disable private-network/public-database for this line (with a reason)',
        ),
      );

      const [fixAll] = await codeActions(session, {
        textDocument: { uri },
        range: diagnostics[0].range,
        context: { diagnostics: [], only: [fixAllKind] },
      });
      const edit = fixAll.edit!.changes![uri][0];
      assert.match(edit.newText, /PubliclyAccessible: false|false/);
      assert.doesNotMatch(edit.newText, /AWS::Backup::BackupPlan|MultiAZ/, 'no scaffold in fix-all');
    });
  });

  describe('completion', () => {
    it('offers the lesson snippets of the document’s kind', async () => {
      const dir = folder({});
      const { session, documents } = testSession([dir]);
      const uri = uriOf(dir, 'Dockerfile');
      documents.set(uri, 'FROM node:22-slim\n', 'dockerfile');
      const items = await completions(session, {
        textDocument: { uri },
        position: { line: 1, character: 0 },
      });
      assert.ok(items.length > 0);
      assert.ok(items.every((item) => item.label.startsWith('lesson-')));
    });
  });

  describe('workspace scan', () => {
    it('finds and configures files as the CLI does, publishes them, and honours glob exclusions', async () => {
      const dir = folder({
        '.cloud-lessons.yaml': 'ignore:\n  - legacy/\n',
        'infra/template.yaml': publicDb,
        'infra/other.yaml': publicDb,
        'legacy/template.yaml': publicDb,
        'build/template.yaml': publicDb,
        'infra/debug.log.yaml': publicDb,
      });
      const { session, published } = testSession([dir]);
      const scan = new WorkspaceScan(session);
      const progress = recordingProgress();
      const result = await scan.scan(
        { folders: [uriOf(dir, '.').replace(/\/\.$/, '')], exclude: ['build', '**/*.{log,tmp}.yaml'] },
        progress.reporter as unknown as WorkDoneProgressReporter,
        never,
      );
      assert.deepEqual(published.map((p) => pathOf(p.uri).slice(dir.length + 1)).sort(), [
        'infra/other.yaml',
        'infra/template.yaml',
      ]);
      assert.equal(result.files, 3, 'the two templates and the configuration file');
      assert.equal(result.filesWithFindings, 2);
      assert.deepEqual(
        [progress.seen[0], progress.seen.at(-1)],
        ['begin Cloud Lessons: scanning the workspace', 'done'],
      );
    });

    it('waits while the editor has a check on its way, and goes on when it is done', async () => {
      const dir = folder({ 'infra/a.yaml': publicDb, 'infra/b.yaml': publicDb });
      const { session, published } = testSession([dir]);
      const editing = session.priority.hold();
      let finished = false;
      const scanned = new WorkspaceScan(session)
        .scan(
          { folders: [uriOf(dir, '.').replace(/\/\.$/, '')] },
          recordingProgress().reporter as unknown as WorkDoneProgressReporter,
          never,
        )
        .then((result) => {
          finished = true;
          return result;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(finished, false, 'the scan waits for the editor');
      assert.deepEqual(published, [], 'no file was checked meanwhile');
      editing();
      const result = await scanned;
      assert.equal(result.filesWithFindings, 2);
    });

    it("counts a scheduled check as the editor's until it has run, and a cancelled one no longer", async () => {
      const priority = new EditorPriority();
      let finishRun = () => {};
      const scheduler = new Scheduler(() => new Promise<void>((resolve) => (finishRun = resolve)), priority);
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      scheduler.schedule('file:///a.yaml', 5);
      assert.equal(priority.busy, true, 'scheduled');
      await sleep(30);
      assert.equal(priority.busy, true, 'running');
      finishRun();
      await sleep(0);
      assert.equal(priority.busy, false, 'done');
      scheduler.schedule('file:///a.yaml', 50);
      scheduler.schedule('file:///a.yaml', 50);
      scheduler.cancel('file:///a.yaml');
      assert.equal(priority.busy, false, 'cancelled');
    });

    it('builds the lesson report with links the client can follow', async () => {
      const dir = folder({ 'infra/template.yaml': publicDb });
      const { session } = testSession([dir]);
      const report = await new WorkspaceScan(session).lessonReport(
        { folders: [uriOf(dir, 'infra').replace(/\/infra$/, '')], linkCommand: 'cloudLessons.openFinding' },
        recordingProgress().reporter as unknown as WorkDoneProgressReporter,
        never,
      );
      assert.equal(report.cancelled, false);
      assert.match(report.markdown, /command:cloudLessons\.openFinding\?/);
    });
  });

  describe('rules', () => {
    it('lists every rule with its fix kind and explains one from its page', () => {
      const { session } = testSession();
      const rules = listRules(session);
      assert.equal(rules.length, session.rules.length);
      assert.ok(rules.every((r) => ['safe', 'scaffold', 'no'].includes(r.fix)));
      const page = explainRule(session, { ruleId: 'private-network/public-database' });
      assert.match(page?.markdown ?? '', /^# private-network\/public-database/);
      assert.equal(explainRule(session, { ruleId: 'nope/nothing' }), null);
      const docs = readFileSync(
        join(__dirname, '..', '..', 'docs', 'rules', 'private-network', 'public-database.md'),
        'utf8',
      );
      assert.ok(docs.includes('What it flags'));
    });
  });

  describe('document URIs', () => {
    it('maps every URI an editor may send to a path', () => {
      assert.equal(pathOf('file:///repo/a%20b/template.yaml'), '/repo/a b/template.yaml');
      assert.equal(pathOf('file://server/share/template.yaml'), '//server/share/template.yaml');
      assert.equal(pathOf('file:///repo/a%2Fb.yaml'), '/repo/a/b.yaml');
      assert.equal(pathOf('untitled:Untitled-1'), '/Untitled-1');
    });
  });
});
