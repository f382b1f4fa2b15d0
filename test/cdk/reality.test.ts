import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/engine/analyze';
import { readAssembly } from '../../server/src/engine/cdk/assembly';
import { cdkMessage, mappingContext, placeFinding } from '../../server/src/engine/cdk/map';
import { readSource } from '../../server/src/engine/cdk/source';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

// Shapes met in real synthesized apps (checked against the CDK examples of ../shared/corpus/cdk),
// rebuilt here small: nested stacks, L1s a library creates lazily, L1s written by the user.

const stack = (metadata: Record<string, unknown>) => ({
  artifacts: {
    App: {
      type: 'aws:cloudformation:stack',
      properties: { templateFile: 'App.template.json' },
      metadata,
    },
    Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
  },
});

const node = (path: string, fqn: string, children: Record<string, unknown> = {}, logicalId?: string) => ({
  id: path.slice(path.lastIndexOf('/') + 1),
  path,
  constructInfo: { fqn, version: '2.262.1' },
  ...(logicalId ? { attributes: { 'aws:cdk:cloudformation:logicalId': logicalId } } : {}),
  children,
});

const fakeFinding = (ruleId: string, resource?: string) =>
  ({ ruleId, resource, message: 'The finding.', span: { start: 0, end: 0 } }) as unknown as Finding;

describe('CDK: shapes of real apps', () => {
  it('reads the template of each nested stack and gives it the resources below its path', () => {
    const view = inMemoryWorkspace({
      '/app/cdk.json': '{}',
      '/app/cdk.out/manifest.json': JSON.stringify(
        stack({
          '/App/Keys/Key/Resource': [{ type: 'aws:cdk:logicalId', data: 'Key961B73FD' }],
          '/App/Data/Table/Resource': [{ type: 'aws:cdk:logicalId', data: 'Key961B73FD' }],
          '/App/Data/Inner/Queue/Resource': [{ type: 'aws:cdk:logicalId', data: 'Queue4A7E3555' }],
          '/App/Topic/Resource': [{ type: 'aws:cdk:logicalId', data: 'TopicBFC7AF6E' }],
        }),
      ),
      '/app/cdk.out/tree.json': JSON.stringify({
        tree: node('', 'aws-cdk-lib.App', {
          App: node('App', 'aws-cdk-lib.Stack', {
            Keys: node('App/Keys', 'aws-cdk-lib.NestedStack'),
            Data: node('App/Data', 'aws-cdk-lib.NestedStack', {
              Inner: node('App/Data/Inner', 'aws-cdk-lib.NestedStack'),
            }),
          }),
        }),
      }),
      '/app/cdk.out/App.template.json': '{}',
      // `<Names.uniqueId>.nested.template.json`, and one found by its hash alone.
      '/app/cdk.out/AppKeys20EE3FAD.nested.template.json': '{}',
      '/app/cdk.out/AppData4482CCC6.nested.template.json': '{}',
      '/app/cdk.out/Renamed945558A3.nested.template.json': '{}',
    });
    const assembly = readAssembly(view, '/app/cdk.out');
    const byPath = new Map(assembly.stacks.map((s) => [s.path, s]));
    assert.deepEqual([...byPath.keys()].sort(), ['App', 'App/Data', 'App/Data/Inner', 'App/Keys']);
    assert.equal(byPath.get('App/Keys')?.templatePath, '/app/cdk.out/AppKeys20EE3FAD.nested.template.json');
    assert.equal(byPath.get('App/Data/Inner')?.parent, 'App/Data');
    assert.deepEqual([...byPath.get('App')!.resources.keys()], ['TopicBFC7AF6E']);
    // The same logical id in two nested stacks: each keeps its own.
    assert.equal(byPath.get('App/Keys')?.resources.get('Key961B73FD')?.path, 'App/Keys/Key/Resource');
    assert.equal(byPath.get('App/Data')?.resources.get('Key961B73FD')?.path, 'App/Data/Table/Resource');
    assert.equal(
      byPath.get('App/Data/Inner')?.resources.get('Queue4A7E3555')?.path,
      'App/Data/Inner/Queue/Resource',
    );
  });

  it('places an L1 a library created lazily on its own construct, not on the one whose creation made it', async () => {
    const source = [
      "import * as rds from 'aws-cdk-lib/aws-rds';",
      'export class Db extends Stack {',
      '  constructor(scope: Construct, id: string) {',
      '    super(scope, id);',
      "    const group = new rds.ParameterGroup(this, 'Params', { engine });",
      "    new rds.DatabaseInstance(this, 'Db', { engine, parameterGroup: group });",
      '    const lb = new elbv2.ApplicationLoadBalancer(this, "LB", { vpc });',
      "    lb.addListener('Listener', { port: 80 });",
      '  }',
      '}',
    ].join('\n');
    const view = inMemoryWorkspace({
      '/app/cdk.json': '{}',
      '/app/lib/db.ts': source,
      '/app/cdk.out/App.template.json': '{}',
      '/app/cdk.out/manifest.json': JSON.stringify(
        stack({
          // The ParameterGroup's L1 is made when the instance binds it: its stack names the instance's line.
          '/App/Params/Resource': [
            { type: 'aws:cdk:logicalId', data: 'Params1A2B3C4D' },
            {
              type: 'aws:cdk:creationStack',
              data: ['...new DatabaseInstance2 in aws-cdk-lib...', 'new Db (/ci/lib/db.ts:6:5)'],
            },
          ],
          '/App/LB/Listener/Resource': [
            { type: 'aws:cdk:logicalId', data: 'LBListener49E825B4' },
            { type: 'aws:cdk:creationStack', data: ['new Db (/ci/lib/db.ts:8:5)'] },
          ],
        }),
      ),
      '/app/cdk.out/tree.json': JSON.stringify({
        tree: node('', 'aws-cdk-lib.App', {
          App: node('App', 'aws-cdk-lib.Stack', {
            Params: node('App/Params', 'aws-cdk-lib.aws_rds.ParameterGroup', {
              Resource: node('App/Params/Resource', 'aws-cdk-lib.aws_rds.CfnDBParameterGroup'),
            }),
            Db: node('App/Db', 'aws-cdk-lib.aws_rds.DatabaseInstance'),
            LB: node('App/LB', 'aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationLoadBalancer', {
              Listener: node('App/LB/Listener', 'aws-cdk-lib.aws_elasticloadbalancingv2.ApplicationListener'),
            }),
          }),
        }),
      }),
    });
    const assembly = readAssembly(view, '/app/cdk.out');
    const file = await readSource('/app/lib/db.ts', source);
    const context = mappingContext('/app', assembly, [file], (p) => view.exists(p));
    const place = (resource: string) =>
      placeFinding(context, {
        finding: fakeFinding('x/no-transit-encryption', resource),
        stack: assembly.stacks[0],
      });
    const params = place('Params1A2B3C4D');
    assert.ok(params.kind !== 'template');
    assert.equal(source.slice(params.span.start, params.span.end), "new rds.ParameterGroup(this, 'Params'");
    assert.equal(params.constructPath, 'App/Params');
    assert.match(cdkMessage(params, 'The finding.'), /^rds\.ParameterGroup 'Params': /);
    // No construct call on the frame's line: the line itself, which made the listener.
    const listener = place('LBListener49E825B4');
    assert.ok(listener.kind === 'line');
    assert.equal(
      source.slice(listener.span.start, listener.span.end),
      "lb.addListener('Listener', { port: 80 });",
    );
  });

  it('narrows a finding on an L1 the user wrote to its CloudFormation property, camelCased', async () => {
    const source = [
      'export class Data extends Stack {',
      '  constructor(scope: Construct, id: string) {',
      '    super(scope, id);',
      "    new dynamodb.CfnTable(this, 'Table', {",
      "      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],",
      '      sseSpecification: { sseEnabled: false },',
      '    });',
      '  }',
      '}',
    ].join('\n');
    const view = inMemoryWorkspace({
      '/app/cdk.json': '{}',
      '/app/lib/data.ts': source,
      '/app/cdk.out/App.template.json': '{}',
      '/app/cdk.out/manifest.json': JSON.stringify(
        stack({ '/App/Table': [{ type: 'aws:cdk:logicalId', data: 'Table' }] }),
      ),
    });
    const assembly = readAssembly(view, '/app/cdk.out');
    const file = await readSource('/app/lib/data.ts', source);
    const context = mappingContext('/app', assembly, [file], (p) => view.exists(p));
    const placed = placeFinding(context, {
      finding: fakeFinding('x/unencrypted-storage', 'Table'),
      stack: assembly.stacks[0],
      cfnProperty: 'SSESpecification',
      cfnType: 'AWS::DynamoDB::Table',
    });
    assert.ok(placed.kind === 'prop');
    assert.equal(source.slice(placed.span.start, placed.span.end), 'sseSpecification: { sseEnabled: false }');
  });
});
