import assert from 'node:assert/strict';
import { TestClient } from './client';

type Position = { line: number; character: number };
type Edit = { range: { start: Position; end: Position }; newText: string };
type Action = { title: string; kind: string; edit?: { changes?: Record<string, Edit[]> } };

function applyEdits(text: string, edits: Edit[]): string {
  const offset = (p: Position) =>
    text
      .split('\n')
      .slice(0, p.line)
      .reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const yamlTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders database
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;

const jsonTemplate = `{
  "Resources": {
    "OrdersDb": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "PubliclyAccessible": true
      }
    }
  }
}
`;

describe('language server: CloudFormation hovers and JSON suppressions', function () {
  this.timeout(20000);
  let client: TestClient;

  beforeEach(() => {
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
  });

  it('shows the resource documentation and its lesson checklist on the Type', async () => {
    await client.initialize();
    const uri = 'file:///work/infra/orders.yaml';
    client.open(uri, 'yaml', yamlTemplate);
    await client.diagnostics(uri);
    const hover = await client.request<{ contents: { kind: string; value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 14 },
    });
    assert.equal(hover.contents.kind, 'markdown');
    const text = hover.contents.value;
    assert.match(
      text,
      /^\*\*AWS::RDS::DBInstance\*\* · \[documentation\]\(https:\/\/docs\.aws\.amazon\.com\//,
    );
    assert.match(text, /\*\*Lesson checklist for this resource\*\*/);
    assert.match(
      text,
      /- ✗ \*\*Keep databases private and ports closed\*\* — line 8: RDS database instance OrdersDb is reachable from the internet: PubliclyAccessible is true\. \(\[`private-network\/public-database`\]\(file:.*private-network\/public-database\.md\)\)/,
    );
  });

  it('shows a property key’s documentation', async () => {
    await client.initialize();
    const uri = 'file:///work/infra/orders.yaml';
    client.open(uri, 'yaml', yamlTemplate.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
    await client.diagnostics(uri);
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 7, character: 8 },
    });
    assert.match(hover.contents.value, /^\*\*PubliclyAccessible\*\* · Boolean · optional/);
    assert.match(hover.contents.value, /✓ serves \*\*Keep databases private and ports closed\*\*/);
  });

  it('disables a finding in a JSON template through the resource Metadata', async () => {
    await client.initialize();
    const uri = 'file:///work/infra/orders.json';
    client.open(uri, 'json', jsonTemplate);
    const { diagnostics } = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    const publicDb = diagnostics.filter((d) => d.code === 'private-network/public-database');
    assert.equal(publicDb.length, 1);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: publicDb[0].range,
      context: { diagnostics: publicDb },
    });
    const disable = actions.find((a) => a.title.startsWith('Disable private-network/public-database'));
    assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
    const edited = applyEdits(jsonTemplate, disable.edit!.changes![uri]);
    assert.deepEqual(JSON.parse(edited).Resources.OrdersDb.Metadata, {
      'cloud-lessons': { ignore: ['private-network/public-database'] },
    });
    client.change(uri, 2, edited);
    // The other rules of the pack still report; this one is silenced on this resource.
    const after = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(
      after.diagnostics.filter((d) => d.code === 'private-network/public-database'),
      [],
    );
    assert.equal(after.diagnostics.length, diagnostics.length - 1);
  });
});
