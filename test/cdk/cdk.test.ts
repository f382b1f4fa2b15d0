import assert from 'node:assert/strict';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/engine/fixes';
import { fileSystemWorkspace } from '../../server/src/engine/workspace';
import { parseCode } from '../../server/src/engine/parse/code';
import {
  analyzeCdkApp,
  cdkAppAt,
  cdkAppFor,
  cdkFindingsFor,
  isInCloudAssembly,
  type CdkAnalysis,
  type CdkFinding,
  type CdkOptions,
} from '../../server/src/project/cdk';
import { Project } from '../../server/src/project/project';
import { allRules } from '../../server/src/rules';

const fixtures = join(__dirname, '..', 'fixtures', 'cdk');
// The shop's bucket with RemovalPolicy.DESTROY is judged by a strict-only rule: switched on here.
const project = new Project({
  rules: allRules,
  roots: [fixtures],
  settings: { rules: { 'plan-for-the-worst/bucket-deleted-with-stack': 'info' }, lessons: {} },
});

async function analyse(name: string, options?: CdkOptions): Promise<CdkAnalysis> {
  const app = cdkAppAt(fileSystemWorkspace, join(fixtures, name));
  assert.ok(app, `${name} has a cdk.json`);
  return analyzeCdkApp(project, app, options);
}

function one(findings: CdkFinding[], ruleId: string): CdkFinding {
  const found = findings.filter((f) => f.ruleId === ruleId);
  assert.equal(found.length, 1, `one ${ruleId} finding, got ${found.map((f) => f.message).join('\n')}`);
  return found[0];
}

/** The text a finding covers in its file. */
const covered = (text: string, finding: CdkFinding) => text.slice(finding.span.start, finding.span.end);

async function parsesCleanly(text: string, grammar: 'typescript' | 'python'): Promise<boolean> {
  const code = await parseCode(text, grammar);
  try {
    return !code.root.hasError;
  } finally {
    code.dispose();
  }
}

describe('CDK apps: template findings on the construct that declared them', () => {
  for (const name of ['typescript', 'typescript-traced']) {
    describe(`the TypeScript shop (${name === 'typescript' ? 'without' : 'with'} creation stacks)`, () => {
      const stackFile = join(fixtures, name, 'lib', 'shop-stack.ts');
      let analysis: CdkAnalysis;
      let text: string;
      before(async () => {
        analysis = await analyse(name);
        text = fileSystemWorkspace.read(stackFile)!;
      });

      it('reads both stacks, the stage one from its nested assembly, and maps every finding to the source', () => {
        assert.deepEqual(analysis.problems, []);
        assert.equal(analysis.templates.length, 2);
        assert.ok(analysis.templates.some((t) => t.includes(`${join('cdk.out', 'assembly-Prod')}`)));
        assert.ok(analysis.findings.length > 0);
        for (const finding of analysis.findings) {
          assert.ok(!finding.path.includes('cdk.out'), `${finding.ruleId} stays on ${finding.path}`);
          assert.equal(finding.cdk.via, name === 'typescript' ? 'construct id' : 'creation stack');
        }
      });

      it('shows the public database on its publiclyAccessible prop, with a safe fix', async () => {
        const finding = one(cdkFindingsFor(analysis, stackFile), 'private-network/public-database');
        assert.equal(covered(text, finding), 'publiclyAccessible: true');
        assert.equal(finding.cdk.placement, 'prop');
        assert.equal(finding.resource, 'OrdersDb889E652A');
        assert.match(
          finding.message,
          /^`publiclyAccessible: true` on rds\.DatabaseInstance 'OrdersDb': RDS database instance OrdersDb889E652A is reachable/,
        );
        assert.match(finding.message, /Found in stacks Prod\/Shop and Shop\.$/);
        assert.deepEqual(finding.cdk.stacks.sort(), ['Prod/Shop', 'Shop']);
        const fix = finding.fix?.();
        assert.equal(fix?.kind, 'safe');
        const fixed = applyEdits(text, fix!.edits);
        assert.match(fixed, /publiclyAccessible: false,/);
        assert.ok(await parsesCleanly(fixed, 'typescript'));
      });

      it('shows the table without point-in-time recovery on its construct, fixed by adding the prop', async () => {
        const finding = one(cdkFindingsFor(analysis, stackFile), 'plan-for-the-worst/dynamodb-no-pitr');
        assert.equal(covered(text, finding), "new dynamodb.Table(this, 'Carts'");
        assert.equal(finding.cdk.placement, 'construct');
        assert.match(
          finding.message,
          /^dynamodb\.Table 'Carts' does not set `pointInTimeRecoverySpecification`: DynamoDB table CartsEE95721F has no point-in-time recovery/,
        );
        const fix = finding.fix?.();
        assert.equal(fix?.kind, 'safe');
        const fixed = applyEdits(text, fix!.edits);
        assert.ok(
          fixed.includes(
            '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,\n      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },\n    });',
          ),
          fixed,
        );
        assert.ok(await parsesCleanly(fixed, 'typescript'));
      });

      it('shows the queue without a dead-letter queue on its construct, with no fix to guess', () => {
        const finding = one(cdkFindingsFor(analysis, stackFile), 'async-event-driven/queue-no-dlq');
        assert.equal(covered(text, finding), "new sqs.Queue(this, 'OrderEvents'");
        assert.match(
          finding.message,
          /^sqs\.Queue 'OrderEvents' does not set `deadLetterQueue`: Queue OrderEvents91E7078A has no dead-letter queue/,
        );
        assert.equal(finding.fix, undefined);
      });

      it('keeps the template location as related information, once per stack', () => {
        const finding = one(cdkFindingsFor(analysis, stackFile), 'async-event-driven/queue-no-dlq');
        assert.equal(finding.related.length, 2);
        for (const related of finding.related) {
          assert.match(related.path, /\.template\.json$/);
          const template = fileSystemWorkspace.read(related.path)!;
          const line = template.split('\n')[related.range.start.line];
          assert.match(line, /"OrderEvents91E7078A"/);
          assert.match(
            related.message,
            /^Where CDK synthesized it: OrderEvents91E7078A in stack (Prod\/)?Shop \(cdk\.out\//,
          );
        }
      });

      it('turns an explicit RemovalPolicy.DESTROY into RETAIN', () => {
        const finding = one(
          cdkFindingsFor(analysis, stackFile),
          'plan-for-the-worst/bucket-deleted-with-stack',
        );
        assert.equal(covered(text, finding), 'removalPolicy: RemovalPolicy.DESTROY');
        const fixed = applyEdits(text, finding.fix!()!.edits);
        assert.match(fixed, /removalPolicy: RemovalPolicy\.RETAIN,/);
      });

      it("offers multiAz: true as a scaffold, as the template rule's fix is", () => {
        const finding = one(cdkFindingsFor(analysis, stackFile), 'scale-database/rds-single-az');
        const fix = finding.fix!()!;
        assert.equal(fix.kind, 'scaffold');
        assert.match(applyEdits(text, fix.edits), /publiclyAccessible: true,\n {6}multiAz: true,\n {4}\}\);/);
      });

      it('puts the findings about a whole stack on the call that creates the stack, one per stack', () => {
        const bin = join(fixtures, name, 'bin', 'shop.ts');
        const binText = fileSystemWorkspace.read(bin)!;
        const described = cdkFindingsFor(analysis, bin).filter(
          (f) => f.ruleId === 'infrastructure-as-code/no-description',
        );
        assert.deepEqual(described.map((f) => covered(binText, f)).sort(), [
          "new ShopStack(app, 'Shop'",
          "new ShopStack(this, 'Shop'",
        ]);
      });
    });
  }

  describe('the Python shop (its assembly synthesized from a TypeScript twin)', () => {
    const stackFile = join(fixtures, 'python', 'shop', 'shop_stack.py');
    let analysis: CdkAnalysis;
    let text: string;
    before(async () => {
      analysis = await analyse('python');
      text = fileSystemWorkspace.read(stackFile)!;
    });

    it('shows the public database on publicly_accessible=True, fixed to False', async () => {
      const finding = one(cdkFindingsFor(analysis, stackFile), 'private-network/public-database');
      assert.equal(covered(text, finding), 'publicly_accessible=True');
      assert.match(finding.message, /^`publicly_accessible=True` on rds\.DatabaseInstance 'OrdersDb': /);
      const fix = finding.fix!()!;
      assert.equal(fix.title, 'Set publicly_accessible to False');
      const fixed = applyEdits(text, fix.edits);
      assert.match(fixed, /publicly_accessible=False,/);
      assert.ok(await parsesCleanly(fixed, 'python'));
    });

    it('shows the table without point-in-time recovery, fixed with a keyword argument', async () => {
      const finding = one(cdkFindingsFor(analysis, stackFile), 'plan-for-the-worst/dynamodb-no-pitr');
      assert.equal(covered(text, finding), 'dynamodb.Table(\n            self,\n            "Carts"');
      assert.match(
        finding.message,
        /^dynamodb\.Table 'Carts' does not set `point_in_time_recovery_specification`: /,
      );
      const fixed = applyEdits(text, finding.fix!()!.edits);
      assert.ok(
        fixed.includes(
          '            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,\n            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True),\n        )',
        ),
        fixed,
      );
      assert.ok(await parsesCleanly(fixed, 'python'));
    });

    it('shows the queue without a dead-letter queue on its one-line construct', () => {
      const finding = one(cdkFindingsFor(analysis, stackFile), 'async-event-driven/queue-no-dlq');
      assert.equal(covered(text, finding), 'sqs.Queue(self, "OrderEvents"');
      assert.match(finding.message, /^sqs\.Queue 'OrderEvents' does not set `dead_letter_queue`: /);
    });

    it('adds multi_az=True after the last keyword argument', () => {
      const finding = one(cdkFindingsFor(analysis, stackFile), 'scale-database/rds-single-az');
      assert.match(
        applyEdits(text, finding.fix!()!.edits),
        /publicly_accessible=True,\n {12}multi_az=True,\n {8}\)/,
      );
    });
  });

  describe('what the user is told', () => {
    it('says when the source changed after the synthesis', async () => {
      const stackFile = join(fixtures, 'typescript', 'lib', 'shop-stack.ts');
      const manifest = join(fixtures, 'typescript', 'cdk.out', 'manifest.json');
      const synthesized = 1_700_000_000_000;
      const analysis = await analyse('typescript', {
        modified: (path) =>
          path === manifest ? synthesized : path === stackFile ? synthesized + 12 * 60_000 : synthesized - 1,
      });
      const finding = one(cdkFindingsFor(analysis, stackFile), 'private-network/public-database');
      assert.match(
        finding.message,
        / Synthesized 12 minutes before your last edit of this file: run cdk synth\.$/,
      );
      assert.match(finding.message, /Found in stacks Prod\/Shop and Shop\. Synthesized/);
      const bin = cdkFindingsFor(analysis, join(fixtures, 'typescript', 'bin', 'shop.ts'));
      assert.ok(bin.every((f) => f.cdk.stale === undefined));
    });

    it('leaves a finding on the template, saying why, when its construct is not in the source', async () => {
      const stackFile = join(fixtures, 'typescript', 'lib', 'shop-stack.ts');
      const original = fileSystemWorkspace.read(stackFile)!;
      const edited = original.replace(
        "new dynamodb.Table(this, 'Carts',",
        'new dynamodb.Table(this, `Car${"ts"}`,',
      );
      assert.notEqual(edited, original);
      const analysis = await analyse('typescript', {
        text: (path) => (path === stackFile ? edited : undefined),
      });
      const pitr = analysis.findings.filter((f) => f.ruleId === 'plan-for-the-worst/dynamodb-no-pitr');
      assert.equal(pitr.length, 2);
      for (const finding of pitr) {
        assert.match(finding.path, /\.template\.json$/);
        assert.equal(finding.cdk.placement, 'template');
        assert.equal(finding.fix, undefined);
        assert.match(
          finding.message,
          /\(Not shown in the CDK source: no call creating 'Carts' with a literal id was found in the app's sources, and the app was synthesized without creation stacks \(`cdk synth --debug` records them\)\.\)$/,
        );
      }
    });

    it('honours a suppression comment above the construct', async () => {
      const stackFile = join(fixtures, 'typescript', 'lib', 'shop-stack.ts');
      const original = fileSystemWorkspace.read(stackFile)!;
      const edited = original.replace(
        "    new sqs.Queue(this, 'OrderEvents', {",
        "    // cloud-lessons-disable-next-line async-event-driven/queue-no-dlq -- consumers never fail\n    new sqs.Queue(this, 'OrderEvents', {",
      );
      const analysis = await analyse('typescript', {
        text: (path) => (path === stackFile ? edited : undefined),
      });
      assert.equal(analysis.findings.filter((f) => f.ruleId === 'async-event-driven/queue-no-dlq').length, 0);
      assert.equal(
        analysis.suppressed.filter((f) => f.ruleId === 'async-event-driven/queue-no-dlq').length,
        1,
      );
    });

    it('says that an app without a cloud assembly must be synthesized', async () => {
      const app = {
        folder: join(fixtures, 'python', 'shop'),
        outDir: join(fixtures, 'python', 'shop', 'cdk.out'),
      };
      const analysis = await analyzeCdkApp(project, app);
      assert.deepEqual(analysis.findings, []);
      assert.match(analysis.problems[0], /^cdk\.out has no cloud assembly: run cdk synth/);
    });
  });

  describe('finding the app of a file', () => {
    it('is the nearest folder with a cdk.json', () => {
      const app = cdkAppFor(project, join(fixtures, 'python', 'shop', 'shop_stack.py'));
      assert.equal(app?.folder, join(fixtures, 'python'));
      assert.equal(app?.outDir, join(fixtures, 'python', 'cdk.out'));
      assert.ok(isInCloudAssembly(app!, join(fixtures, 'python', 'cdk.out', 'PyShop.template.json')));
      assert.ok(!isInCloudAssembly(app!, join(fixtures, 'python', 'app.py')));
      assert.equal(cdkAppFor(project, join(fixtures, 'synth', 'twins', 'python-shop.ts')), undefined);
    });
  });
});
