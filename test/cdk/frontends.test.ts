import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { codeActions } from '../../server/src/features/actions';
import { validate } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { WorkspaceScan } from '../../server/src/features/scan';
import { never, recordingProgress, testSession, uriOf } from '../features/harness';

/** Issue 12 in the front-ends: the CDK findings in the CLI's outputs, the scan and the editor. */

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(__dirname, '..', 'fixtures', 'cdk');

function run(args: string[], cwd: string) {
  assert.ok(existsSync(cli), 'dist/cli.js is missing: run npm run build first');
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonFinding {
  ruleId: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  fixable: boolean;
  fixKind?: string;
  related?: { path: string; range: JsonFinding['range']; message: string }[];
  cdk?: { stacks: string[]; constructPath?: string };
}
interface JsonReport {
  files: { path: string; kind: string; findings: JsonFinding[] }[];
  notes?: { path: string; message: string }[];
}

/** A copy of a fixture app in a folder of its own (its own project root, files free to change). */
function copyOf(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'cloud-lessons-cdk-')));
  cpSync(join(fixtures, name), dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

const key = (f: { ruleId: string; range: JsonFinding['range']; message: string }) =>
  `${f.ruleId} ${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`;

describe('CDK apps in the front-ends', () => {
  const app = join(fixtures, 'typescript');
  let json: JsonReport;
  before(() => {
    const r = run(['--format', 'json', '--exit-zero', '.'], app);
    assert.equal(r.code, 0, r.stderr);
    json = JSON.parse(r.stdout) as JsonReport;
  });

  describe('the CLI', () => {
    it('reports the template findings on lib/*.ts, with where CDK synthesized them, and none on cdk.out', () => {
      assert.ok(
        json.files.every((f) => !f.path.startsWith('cdk.out/')),
        json.files.map((f) => f.path).join(),
      );
      const stack = json.files.find((f) => f.path === 'lib/shop-stack.ts');
      assert.ok(stack, 'lib/shop-stack.ts is reported');
      const db = stack.findings.find((f) => f.ruleId === 'private-network/public-database');
      assert.ok(db, 'the public database is on the stack');
      assert.match(db.message, /^`publiclyAccessible: true` on rds\.DatabaseInstance 'OrdersDb'/);
      assert.deepEqual(db.cdk?.stacks.sort(), ['Prod/Shop', 'Shop']);
      assert.match(db.cdk.constructPath ?? '', /^(Prod\/)?Shop\/OrdersDb$/);
      assert.equal(db.related?.length, 2);
      assert.deepEqual(db.related.map((r) => r.path).sort(), [
        'cdk.out/Shop.template.json',
        'cdk.out/assembly-Prod/ProdShop82526E42.template.json',
      ]);
      const template = readFileSync(join(app, 'cdk.out', 'Shop.template.json'), 'utf8').split('\n');
      const related = db.related.find((r) => r.path === 'cdk.out/Shop.template.json')!;
      assert.match(template[related.range.start.line], /PubliclyAccessible/);
      // Its fix edits the CDK source, in the editor and with --fix.
      assert.equal(db.fixKind, 'safe');
      assert.equal(db.fixable, true);
      for (const rule of ['plan-for-the-worst/dynamodb-no-pitr', 'async-event-driven/queue-no-dlq'])
        assert.ok(
          stack.findings.some((f) => f.ruleId === rule && f.related?.length),
          rule,
        );
      assert.ok(json.files.some((f) => f.path === 'bin/shop.ts' && f.findings.some((x) => x.cdk)));
    });

    it('writes SARIF relatedLocations for them', () => {
      const r = run(['--format', 'sarif', '--exit-zero', '.'], app);
      const sarif = JSON.parse(r.stdout) as {
        runs: {
          results: {
            ruleId: string;
            locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
            relatedLocations?: {
              physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
              message: { text: string };
            }[];
            partialFingerprints?: Record<string, string>;
          }[];
        }[];
      };
      const results = sarif.runs[0].results;
      assert.ok(
        results.every((x) => !x.locations[0].physicalLocation.artifactLocation.uri.includes('cdk.out/')),
      );
      const db = results.find((x) => x.ruleId === 'private-network/public-database')!;
      assert.match(db.locations[0].physicalLocation.artifactLocation.uri, /lib\/shop-stack\.ts$/);
      assert.equal(db.relatedLocations?.length, 2);
      for (const related of db.relatedLocations!) {
        assert.match(related.physicalLocation.artifactLocation.uri, /cdk\.out\/.*\.template\.json$/);
        assert.match(related.message.text, /^Where CDK synthesized it: OrdersDb889E652A in stack/);
      }
      assert.ok(db.partialFingerprints?.['cloudLessons/v1']);
    });

    it('prints the template location on one indented line in text', () => {
      const r = run(['--exit-zero', 'lib/shop-stack.ts'], app);
      assert.match(
        r.stdout,
        /^lib\/shop-stack\.ts:\d+:\d+ error private-network\/public-database .*\n {2}cdk\.out\/(assembly-Prod\/ProdShop82526E42|Shop)\.template\.json:\d+:\d+ Where CDK synthesized it: /m,
      );
    });

    it('keeps them in a baseline, by construct: the next run is clean, and the file is stable', () => {
      const dir = copyOf('typescript');
      const baseline = join(dir, 'baseline.json');
      const write = run(['--baseline', baseline, '--update-baseline', '.'], dir);
      assert.equal(write.code, 0, write.stderr);
      const first = readFileSync(baseline, 'utf8');
      assert.match(
        first,
        /"path": "lib\/shop-stack\.ts",\n\s+"rule": "private-network\/public-database",\n\s+"where": "CDK OrdersDb \(OrdersDb889E652A\)"/,
      );
      const again = run(['--baseline', baseline, '.'], dir);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /^No findings in \d+ files\. \d+ findings in the baseline not shown\.$/m);
      // The construct moved down the file: still the same findings.
      const stack = join(dir, 'lib', 'shop-stack.ts');
      writeFileSync(
        stack,
        readFileSync(stack, 'utf8').replace('super(scope, id, props);', 'super(scope, id, props);\n\n\n'),
      );
      assert.equal(run(['--baseline', baseline, '.'], dir).code, 0);
      run(['--baseline', baseline, '--update-baseline', '.'], dir);
      assert.equal(readFileSync(baseline, 'utf8'), first);
    });

    it('says when an app has no cloud assembly to read', () => {
      const dir = copyOf('typescript');
      const r = run(['--format', 'json', '--exit-zero', '.'], dir);
      assert.equal(JSON.parse(r.stdout).notes, undefined);
      cpSync(join(dir, 'cdk.out'), join(dir, 'elsewhere'), { recursive: true });
      spawnSync('rm', ['-rf', join(dir, 'cdk.out')]);
      const text = run(['--exit-zero', '.'], dir);
      assert.match(text.stdout, /^cdk\.json: note: cdk\.out has no cloud assembly: run cdk synth/m);
    });

    it('applies the safe CDK fixes to the source with --fix, once, and says the assembly needs a synth', () => {
      const dir = copyOf('typescript');
      const stack = join(dir, 'lib', 'shop-stack.ts');
      const before = readFileSync(stack, 'utf8');
      const listed = JSON.parse(run(['--format', 'json', '--exit-zero', '.'], dir).stdout) as JsonReport;
      const fixable = listed.files.flatMap((f) => f.findings.filter((x) => x.cdk && x.fixable));
      assert.ok(fixable.length >= 4, fixable.map((f) => f.ruleId).join());
      assert.ok(fixable.every((f) => f.fixKind === 'safe'));
      const fixed = run(['--fix', '--exit-zero', '.'], dir);
      assert.match(fixed.stderr, new RegExp(`^Fixed ${fixable.length} findings in 1 file\\.$`, 'm'));
      assert.match(
        fixed.stdout,
        /^cdk\.json: note: Findings were fixed in the CDK source, .* run cdk synth/m,
      );
      const after = readFileSync(stack, 'utf8');
      assert.match(after, /publiclyAccessible: false,/);
      assert.match(after, /pointInTimeRecoverySpecification: \{ pointInTimeRecoveryEnabled: true \}/);
      assert.doesNotMatch(after, /publiclyAccessible: true/);
      // A bucket deleted with its stack is a strict finding: the recommended fixes leave it.
      assert.match(after, /removalPolicy: RemovalPolicy\.DESTROY/);
      // Each prop once, though the constructs are in two stacks (Shop and Prod/Shop).
      for (const prop of ['publiclyAccessible', 'pointInTimeRecoverySpecification', 'removalPolicy'])
        assert.equal(after.split(`${prop}:`).length - 1, before.split(`${prop}:`).length - 1 || 1, prop);
      assert.ok(!/shop-stack\.ts.*public-database/.test(fixed.stdout), 'the fixed findings are not reported');
      // Again: nothing left to fix, the source unchanged; the stale assembly is said.
      const again = run(['--fix', '--format', 'json', '--exit-zero', '.'], dir);
      assert.equal(readFileSync(stack, 'utf8'), after);
      const left = (JSON.parse(again.stdout) as JsonReport).files.flatMap((f) => f.findings);
      assert.ok(!left.some((f) => f.fixable), 'no fixable finding is left');
      assert.ok(left.some((f) => /before your last edit of this file: run cdk synth/.test(f.message)));
    });

    it('reports the Python app on its .py source, with where CDK synthesized each finding', () => {
      const r = run(['--format', 'json', '--exit-zero', '.'], join(fixtures, 'python'));
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.ok(report.files.every((f) => !f.path.startsWith('cdk.out/')));
      const stack = report.files.find((f) => f.path === 'shop/shop_stack.py');
      assert.ok(stack, report.files.map((f) => f.path).join());
      const db = stack.findings.find((f) => f.ruleId === 'private-network/public-database');
      assert.ok(db);
      assert.match(db.message, /^`publicly_accessible=True` on rds\.DatabaseInstance 'OrdersDb'/);
      const source = readFileSync(join(fixtures, 'python', 'shop', 'shop_stack.py'), 'utf8').split('\n');
      assert.equal(
        source[db.range.start.line].slice(db.range.start.character, db.range.end.character),
        'publicly_accessible=True',
      );
      assert.match(db.related?.[0]?.path ?? '', /^cdk\.out\/.*\.template\.json$/);
      assert.equal(db.fixKind, 'safe');
      for (const rule of ['plan-for-the-worst/dynamodb-no-pitr', 'async-event-driven/queue-no-dlq'])
        assert.ok(
          stack.findings.some((f) => f.ruleId === rule && f.related?.length && f.cdk),
          rule,
        );
    });

    it('with --changed-since, reports the CDK findings of a changed source, and only those', () => {
      const dir = copyOf('typescript');
      const git = (...args: string[]) =>
        spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd: dir,
          encoding: 'utf8',
        });
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'app');
      const unchanged = JSON.parse(
        run(['--format', 'json', '--exit-zero', '--changed-since', 'HEAD', '.'], dir).stdout,
      ) as JsonReport;
      assert.ok(!unchanged.files.some((f) => f.findings.some((x) => x.cdk)));
      const stack = join(dir, 'lib', 'shop-stack.ts');
      writeFileSync(stack, `${readFileSync(stack, 'utf8')}\n`);
      const changed = JSON.parse(
        run(['--format', 'json', '--exit-zero', '--changed-since', 'HEAD', '.'], dir).stdout,
      ) as JsonReport;
      assert.deepEqual(
        changed.files.filter((f) => f.findings.some((x) => x.cdk)).map((f) => f.path),
        ['lib/shop-stack.ts'],
      );
    });

    it('never checks the templates of a cloud assembly written elsewhere (cdk.json `output`) as plain templates', () => {
      const dir = copyOf('typescript');
      cpSync(join(dir, 'cdk.out'), join(dir, 'synth-out'), { recursive: true });
      spawnSync('rm', ['-rf', join(dir, 'cdk.out')]);
      const config = JSON.parse(readFileSync(join(dir, 'cdk.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ ...config, output: 'synth-out' }));
      const r = JSON.parse(run(['--format', 'json', '--exit-zero', '.'], dir).stdout) as JsonReport;
      assert.ok(
        r.files.every((f) => !f.path.startsWith('synth-out/')),
        r.files.map((f) => f.path).join(),
      );
      const stack = r.files.find((f) => f.path === 'lib/shop-stack.ts')!;
      assert.ok(
        stack.findings.some((f) => f.ruleId === 'private-network/public-database' && f.related?.length),
      );
    });
  });

  describe('the editor', () => {
    const stackFile = join(app, 'lib', 'shop-stack.ts');

    async function opened(dir: string) {
      const t = testSession([dir]);
      const uri = uriOf(dir, 'lib/shop-stack.ts');
      t.documents.set(uri, readFileSync(join(dir, 'lib', 'shop-stack.ts'), 'utf8'), 'typescript');
      await validate(t.session, uri);
      const diagnostics = t.published.filter((p) => p.uri === uri).pop()?.diagnostics ?? [];
      return { ...t, uri, diagnostics };
    }

    it('publishes the CDK findings of an open source with the template location as related information', async () => {
      const { diagnostics } = await opened(app);
      const db = diagnostics.find((d) => d.code === 'private-network/public-database');
      assert.ok(db, diagnostics.map((d) => d.code).join());
      assert.equal(db.relatedInformation?.length, 2);
      for (const related of db.relatedInformation!) {
        assert.match(related.location.uri, /^file:.*\/cdk\.out\/.*\.template\.json$/);
        assert.match(related.message, /^Where CDK synthesized it: /);
      }
    });

    it('gives the same findings for the file as the CLI', async () => {
      const { diagnostics } = await opened(app);
      const cli = json.files
        .find((f) => f.path === 'lib/shop-stack.ts')!
        .findings.map(key)
        .sort();
      const editor = diagnostics
        .filter((d) => d.source === 'cloud-lessons' && d.code !== 'syntax' && d.code !== 'document')
        .map((d: Diagnostic) => key({ ruleId: String(d.code), range: d.range, message: d.message }))
        .sort();
      assert.deepEqual(editor, cli);
      assert.ok(stackFile);
    });

    it('shows the lesson in the hover and offers the fix on the CDK source', async () => {
      const { session, uri, diagnostics } = await opened(app);
      const db = diagnostics.find((d) => d.code === 'private-network/public-database')!;
      const shown = await hover(session, { textDocument: { uri }, position: db.range.start });
      assert.match(JSON.stringify(shown?.contents), /public-database/);
      const actions = await codeActions(session, {
        textDocument: { uri },
        range: db.range,
        context: { diagnostics: [db] },
      });
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix, actions.map((a) => a.title).join('\n'));
      const edits = fix.edit?.changes?.[uri] ?? [];
      assert.deepEqual(
        edits.map((e) => e.newText),
        ['false'],
      );
    });

    it('analyses the app again when its cloud assembly changes', async () => {
      const dir = copyOf('typescript');
      const t = await opened(dir);
      assert.ok(t.diagnostics.some((d) => d.code === 'private-network/public-database'));
      for (const name of ['Shop.template.json', join('assembly-Prod', 'ProdShop82526E42.template.json')]) {
        const path = join(dir, 'cdk.out', name);
        writeFileSync(
          path,
          readFileSync(path, 'utf8').replace('"PubliclyAccessible": true', '"PubliclyAccessible": false'),
        );
      }
      t.session.filesChanged([join(dir, 'cdk.out', 'Shop.template.json')]);
      await validate(t.session, t.uri);
      const now = t.published.filter((p) => p.uri === t.uri).pop()!.diagnostics;
      assert.ok(!now.some((d) => d.code === 'private-network/public-database'));
      assert.ok(now.some((d) => d.code === 'async-event-driven/queue-no-dlq'));
    });

    it('the workspace scan reports them on the source, never on cdk.out', async () => {
      const { session, published } = testSession([app]);
      const scan = new WorkspaceScan(session);
      const { files } = await scan.scanFolders(
        { folders: [uriOf(app, '')] },
        recordingProgress().reporter as never,
        never,
      );
      assert.ok(files.every((f) => !f.report.path.startsWith('cdk.out/')));
      const stack = files.find((f) => f.report.path === 'lib/shop-stack.ts')!;
      const db = stack.report.findings.find((f) => f.ruleId === 'private-network/public-database');
      assert.ok(db?.related?.some((r) => r.path === 'cdk.out/Shop.template.json'));
      const diagnostics = published
        .filter((p) => p.uri === uriOf(app, 'lib/shop-stack.ts'))
        .pop()?.diagnostics;
      assert.ok(
        diagnostics?.some((d) => d.code === 'private-network/public-database' && d.relatedInformation),
      );
      assert.deepEqual(
        stack.report.findings.map(key).sort(),
        json.files
          .find((f) => f.path === 'lib/shop-stack.ts')!
          .findings.map(key)
          .sort(),
      );
    });
  });
});
