import assert from 'node:assert/strict';
import { readAssembly } from '../../server/src/engine/cdk/assembly';
import { sourceFix } from '../../server/src/engine/cdk/fixes';
import { parseFrame, resolveRecordedPath, userFrame } from '../../server/src/engine/cdk/frames';
import { l2Of, propOf, pythonName } from '../../server/src/engine/cdk/props';
import { readSource } from '../../server/src/engine/cdk/source';
import { applyEdits } from '../../server/src/engine/fixes';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

describe('CDK: reading a cloud assembly', () => {
  it('takes metadata written in manifest.json, nested assemblies, and logical ids from the tree', () => {
    const view = inMemoryWorkspace({
      '/app/cdk.out/manifest.json': JSON.stringify({
        artifacts: {
          Old: {
            type: 'aws:cloudformation:stack',
            properties: { templateFile: 'Old.template.json' },
            metadata: {
              '/Old/Bucket/Resource': [
                { type: 'aws:cdk:logicalId', data: 'Bucket83908E77' },
                { type: 'aws:cdk:creationStack', data: ['new OldStack (/ci/lib/old.ts:4:5)'] },
              ],
            },
          },
          'assembly-Beta': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Beta' } },
          Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
        },
      }),
      '/app/cdk.out/assembly-Beta/manifest.json': JSON.stringify({
        artifacts: {
          BetaApi: {
            type: 'aws:cloudformation:stack',
            displayName: 'Beta/Api',
            properties: { templateFile: 'BetaApi.template.json' },
          },
        },
      }),
      '/app/cdk.out/tree.json': JSON.stringify({
        version: 'tree-0.1',
        tree: {
          id: 'App',
          path: '',
          children: {
            Beta: {
              id: 'Beta',
              path: 'Beta',
              children: {
                Api: {
                  id: 'Api',
                  path: 'Beta/Api',
                  constructInfo: { fqn: 'aws-cdk-lib.Stack', version: '2.150.0' },
                  children: {
                    Table: {
                      id: 'Table',
                      path: 'Beta/Api/Table',
                      constructInfo: { fqn: 'aws-cdk-lib.aws_dynamodb.Table', version: '2.150.0' },
                      children: {
                        Resource: {
                          id: 'Resource',
                          path: 'Beta/Api/Table/Resource',
                          attributes: {
                            'aws:cdk:cloudformation:type': 'AWS::DynamoDB::Table',
                            'aws:cdk:cloudformation:logicalId': 'TableCD117FA1',
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      }),
    });
    const assembly = readAssembly(view, '/app/cdk.out');
    assert.deepEqual(assembly.problems, []);
    assert.equal(assembly.libraryVersion, '2.150.0');
    const [old, beta] = assembly.stacks;
    assert.equal(old.templatePath, '/app/cdk.out/Old.template.json');
    assert.deepEqual(old.resources.get('Bucket83908E77'), {
      path: 'Old/Bucket/Resource',
      creationStack: ['new OldStack (/ci/lib/old.ts:4:5)'],
    });
    assert.equal(beta.path, 'Beta/Api');
    assert.equal(beta.templatePath, '/app/cdk.out/assembly-Beta/BetaApi.template.json');
    assert.deepEqual(beta.resources.get('TableCD117FA1'), { path: 'Beta/Api/Table/Resource' });
    assert.equal(assembly.tree.get('Beta/Api/Table')?.fqn, 'aws-cdk-lib.aws_dynamodb.Table');
  });

  it('says what it cannot read instead of failing', () => {
    const assembly = readAssembly(
      inMemoryWorkspace({ '/app/cdk.out/manifest.json': '{ nope' }),
      '/app/cdk.out',
    );
    assert.deepEqual(assembly.stacks, []);
    assert.match(assembly.problems[0], /manifest\.json is not valid JSON/);
  });
});

describe('CDK: creation stacks', () => {
  it('reads the frames CDK records, in every shape', () => {
    assert.deepEqual(parseFrame('new ShopStack (/home/ci/shop/lib/shop-stack.ts:14:5)'), {
      file: '/home/ci/shop/lib/shop-stack.ts',
      line: 14,
      column: 5,
    });
    assert.deepEqual(parseFrame('    at /x/app.js:3:1'), { file: '/x/app.js', line: 3, column: 1 });
    assert.deepEqual(parseFrame('<anonymous> (file:///x/my%20app/bin/app.mjs:7:3)'), {
      file: '/x/my app/bin/app.mjs',
      line: 7,
      column: 3,
    });
    assert.deepEqual(parseFrame('new Api (C:\\work\\shop\\lib\\api.ts:9:11)'), {
      file: 'C:\\work\\shop\\lib\\api.ts',
      line: 9,
      column: 11,
    });
    assert.equal(parseFrame('...new Vpc2 in aws-cdk-lib...'), undefined);
  });

  it('resolves a path recorded elsewhere by its longest suffix under the app', () => {
    const files = new Set(['/repo/shop/lib/shop-stack.ts', '/repo/shop/lib/other/shop-stack.ts']);
    const exists = (p: string) => files.has(p);
    assert.equal(
      resolveRecordedPath('/build/agent/shop/lib/shop-stack.ts', '/repo/shop', exists),
      '/repo/shop/lib/shop-stack.ts',
    );
    assert.equal(
      resolveRecordedPath('C:\\src\\shop\\lib\\other\\shop-stack.ts', '/repo/shop', exists),
      '/repo/shop/lib/other/shop-stack.ts',
    );
    assert.equal(resolveRecordedPath('/build/agent/shop/lib/gone.ts', '/repo/shop', exists), undefined);
  });

  it("skips the library's frames and those of files the app does not have", () => {
    const exists = (p: string) => p === '/repo/app/lib/stack.ts';
    const frame = userFrame(
      [
        '...new Table2 in aws-cdk-lib...',
        'new Table (/ci/node_modules/aws-cdk-lib/aws-dynamodb/lib/table.js:1:200)',
        'Kernel._create (/tmp/jsii-kernel-x/lib/program.js:8:100)',
        'new Stack (/ci/app/lib/stack.ts:12:5)',
      ],
      '/repo/app',
      exists,
    );
    assert.deepEqual(frame, { file: '/repo/app/lib/stack.ts', line: 12, column: 5 });
  });
});

describe('CDK: source fixes', () => {
  const table = l2Of('aws-cdk-lib.aws_dynamodb.Table', undefined, 'AWS::DynamoDB::Table')!;
  const queue = l2Of(undefined, 'Queue', 'AWS::SQS::Queue')!;
  const removal = propOf(queue, 'plan-for-the-worst/no-deletion-policy', 'DeletionPolicy')!;

  it('knows the props by rule, and their Python names', () => {
    assert.equal(
      propOf(table, 'plan-for-the-worst/dynamodb-no-pitr', undefined)?.names[0],
      'pointInTimeRecoverySpecification',
    );
    assert.equal(propOf(queue, 'x/unknown', 'RedrivePolicy')?.names[0], 'deadLetterQueue');
    assert.equal(pythonName('enforceSSL'), 'enforce_ssl');
    assert.equal(pythonName('multiAz'), 'multi_az');
    assert.equal(l2Of('aws-cdk-lib.aws_dynamodb.Table', undefined, 'AWS::SQS::Queue'), undefined);
  });

  it('adds removalPolicy with its import to a TypeScript file', async () => {
    const text =
      "import { Stack } from 'aws-cdk-lib';\nimport * as sqs from 'aws-cdk-lib/aws-sqs';\n\nnew sqs.Queue(this, 'Jobs');\n";
    const file = await readSource('/app/lib/a.ts', text);
    const fix = sourceFix({ file, call: file.calls[0], prop: removal, ruleKind: 'safe' })!;
    assert.equal(
      applyEdits(text, fix.edits),
      "import { Stack, RemovalPolicy } from 'aws-cdk-lib';\nimport * as sqs from 'aws-cdk-lib/aws-sqs';\n\nnew sqs.Queue(this, 'Jobs', { removalPolicy: RemovalPolicy.RETAIN });\n",
    );
  });

  it('uses the namespace import, or adds an import line, when there is no named one', async () => {
    const namespaced = "import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_sqs.Queue(this, 'Jobs', {});\n";
    let file = await readSource('/app/a.ts', namespaced);
    let fix = sourceFix({ file, call: file.calls[0], prop: removal, ruleKind: 'safe' })!;
    assert.equal(
      applyEdits(namespaced, fix.edits),
      "import * as cdk from 'aws-cdk-lib';\nnew cdk.aws_sqs.Queue(this, 'Jobs', { removalPolicy: cdk.RemovalPolicy.RETAIN });\n",
    );
    const python = 'from aws_cdk import aws_sqs as sqs\n\nsqs.Queue(self, "Jobs")\n';
    file = await readSource('/app/a.py', python);
    fix = sourceFix({ file, call: file.calls[0], prop: removal, ruleKind: 'safe' })!;
    assert.equal(
      applyEdits(python, fix.edits),
      'from aws_cdk import aws_sqs as sqs\nfrom aws_cdk import RemovalPolicy\n\nsqs.Queue(self, "Jobs", removal_policy=RemovalPolicy.RETAIN)\n',
    );
  });

  it('adds to an existing Python import from aws_cdk', async () => {
    const python =
      'from aws_cdk import Duration, Stack\nfrom aws_cdk import aws_sqs as sqs\n\nsqs.Queue(self, "Jobs", visibility_timeout=Duration.seconds(30))\n';
    const file = await readSource('/app/a.py', python);
    const fix = sourceFix({ file, call: file.calls[0], prop: removal, ruleKind: 'safe' })!;
    assert.equal(
      applyEdits(python, fix.edits),
      'from aws_cdk import Duration, Stack, RemovalPolicy\nfrom aws_cdk import aws_sqs as sqs\n\nsqs.Queue(self, "Jobs", visibility_timeout=Duration.seconds(30), removal_policy=RemovalPolicy.RETAIN)\n',
    );
  });

  it('declines where the props come from elsewhere, and writes the old boolean for old libraries', async () => {
    const spread =
      "new dynamodb.Table(this, 'T', { ...defaults });\nnew dynamodb.Table(this, 'U', props);\nnew dynamodb.Table(this, 'V', { partitionKey });\n";
    const file = await readSource('/app/a.ts', spread);
    const pitr = propOf(table, 'plan-for-the-worst/dynamodb-no-pitr', undefined)!;
    assert.equal(sourceFix({ file, call: file.calls[0], prop: pitr, ruleKind: 'safe' }), undefined);
    assert.equal(sourceFix({ file, call: file.calls[1], prop: pitr, ruleKind: 'safe' }), undefined);
    const old = sourceFix({
      file,
      call: file.calls[2],
      prop: pitr,
      ruleKind: 'safe',
      libraryVersion: '2.120.0',
    })!;
    assert.match(applyEdits(spread, old.edits), /\{ partitionKey, pointInTimeRecovery: true \}/);
    const recent = sourceFix({
      file,
      call: file.calls[2],
      prop: pitr,
      ruleKind: 'safe',
      libraryVersion: '2.276.0',
    })!;
    assert.match(
      applyEdits(spread, recent.edits),
      /\{ partitionKey, pointInTimeRecoverySpecification: \{ pointInTimeRecoveryEnabled: true \} \}/,
    );
  });

  it('corrects a written false, and never claims more than the rule allows', async () => {
    const text =
      "new dynamodb.Table(this, 'T', {\n  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },\n});\n";
    const file = await readSource('/app/a.ts', text);
    const pitr = propOf(table, 'plan-for-the-worst/dynamodb-no-pitr', undefined)!;
    const fix = sourceFix({ file, call: file.calls[0], prop: pitr, ruleKind: 'scaffold' })!;
    assert.equal(fix.kind, 'scaffold');
    assert.match(applyEdits(text, fix.edits), /pointInTimeRecoveryEnabled: true \}/);
    assert.equal(sourceFix({ file, call: file.calls[0], prop: pitr, ruleKind: 'no' }), undefined);
  });
});
