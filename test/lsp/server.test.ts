import assert from 'node:assert/strict';
import { TestClient } from './client';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
type Edit = { range: Range; newText: string };
type Action = {
  title: string;
  kind: string;
  edit?: { changes?: Record<string, Edit[]> };
  isPreferred?: boolean;
};

function applyEdits(text: string, edits: Edit[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const template = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      PubliclyAccessible: true
`;
const uri = 'file:///work/infra/template.yaml';
const publicDatabase = 'private-network/public-database';

/**
 * Other rules (rule packs grow) may report on the same text: each test looks at the findings of
 * the rule it is about.
 */
const ofRule = <D extends { code: string }>(diagnostics: D[], code = publicDatabase) =>
  diagnostics.filter((d) => d.code === code);

describe('language server over stdio', function () {
  this.timeout(20000);
  let client: TestClient;

  beforeEach(async () => {
    client = new TestClient();
  });
  afterEach(async () => {
    await client.stop();
  });

  it('answers initialize with its capabilities', async () => {
    const init = await client.initialize();
    assert.equal(init.serverInfo.name, 'cloud-lessons');
    assert.ok(init.capabilities.hoverProvider);
    assert.deepEqual(
      (init.capabilities.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds,
      ['quickfix', 'source.fixAll.cloudLessons'],
    );
    assert.deepEqual(init.capabilities.textDocumentSync, {
      openClose: true,
      change: 2,
      save: { includeText: false },
    });
    assert.deepEqual(init.capabilities.completionProvider, { triggerCharacters: [' ', ','] });
    assert.deepEqual(init.capabilities.executeCommandProvider, {
      commands: ['cloudLessons.scaffoldApplied'],
    });
  });

  it('publishes diagnostics on open and on every change, without a save', async () => {
    await client.initialize();
    client.open(uri, 'yaml', template);
    const opened = await client.diagnostics(uri, (p) => p.version === 1);
    assert.equal(ofRule(opened.diagnostics).length, 1);
    const d = ofRule(opened.diagnostics)[0];
    assert.equal(d.source, 'cloud-lessons');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 6, character: 26 }, end: { line: 6, character: 30 } });
    assert.match(d.codeDescription?.href ?? '', /^file:.*docs\/rules\/private-network\/public-database\.md$/);

    client.change(uri, 2, template.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
    const changed = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(ofRule(changed.diagnostics), []);
  });

  it('reports a syntax error as a diagnostic and keeps serving', async () => {
    await client.initialize();
    client.open(uri, 'yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db: [unclosed\n');
    const broken = await client.diagnostics(uri);
    assert.equal(broken.diagnostics[0].code, 'syntax');
    assert.match(broken.diagnostics[0].message, /YAML syntax error/);
    client.change(uri, 2, template);
    const fixed = await client.diagnostics(uri, (p) => p.version === 2);
    assert.equal(ofRule(fixed.diagnostics).length, 1);
    assert.ok(!fixed.diagnostics.some((d) => d.code === 'syntax'));
  });

  it('shows the compact rule docs on hover, with Explain Rule for clients that run command links', async () => {
    await client.initialize();
    client.open(uri, 'yaml', template);
    await client.diagnostics(uri);
    const at = { textDocument: { uri }, position: { line: 6, character: 28 } };
    const hover = await client.request<{ contents: { kind: string; value: string } }>(
      'textDocument/hover',
      at,
    );
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(
      hover.contents.value,
      /^\*\*Database or broker reachable from the internet\*\* · private-network\/public-database · error {2}\n\*Keep databases private and ports closed\.\* /,
    );
    assert.match(hover.contents.value, /\*\*Fix\*\* \(safe\): Set PubliclyAccessible to false\./);
    assert.match(hover.contents.value, /\[Rule page\]\(file:.*public-database\.md\)/);
    assert.doesNotMatch(hover.contents.value, /command:/, 'a client that did not say it runs command links');
    await client.stop();

    client = new TestClient();
    await client.initialize({ commandLinks: true });
    client.open(uri, 'yaml', template);
    await client.diagnostics(uri);
    const linked = await client.request<{ contents: { value: string } }>('textDocument/hover', at);
    assert.match(
      linked.contents.value,
      /\[Explain Rule\]\(command:cloudLessons\.explainRule\?%5B%22private-network%2Fpublic-database%22%5D\)/,
    );
    // Nothing to say about text with no finding and no lesson in it.
    const notes = 'file:///work/notes.txt';
    client.open(notes, 'plaintext', 'Remember to water the plants.\n');
    await client.diagnostics(notes);
    const none = await client.request('textDocument/hover', {
      textDocument: { uri: notes },
      position: { line: 0, character: 3 },
    });
    assert.equal(none, null);
  });

  it('offers the quick fix and a suppression with a reason to fill in', async () => {
    await client.initialize();
    client.open(uri, 'yaml', template);
    const diagnostics = ofRule((await client.diagnostics(uri)).diagnostics);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    const fix = actions.find((a) => a.isPreferred)!;
    assert.equal(fix.title, 'Set PubliclyAccessible to false');
    assert.equal(applyEdits(template, fix.edit!.changes![uri]), template.replace('true', 'false'));
    const disable = actions.find((a) => a.title.startsWith('Disable'))!;
    assert.equal(
      applyEdits(template, disable.edit!.changes![uri]).split('\n')[6],
      '      # cloud-lessons-disable-next-line private-network/public-database -- <reason>',
    );
  });

  it('fixes everything with source.fixAll.cloudLessons', async () => {
    await client.initialize();
    const code = `import requests\n\ndef a():\n    return requests.get("https://a")\n\ndef b():\n    return requests.post("https://b", json={})\n`;
    const pyUri = 'file:///work/app.py';
    client.open(pyUri, 'python', code);
    await client.diagnostics(pyUri);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: pyUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.cloudLessons'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.cloudLessons');
    const fixed = applyEdits(code, actions[0].edit!.changes![pyUri]);
    assert.equal(
      fixed,
      code.replace('"https://a")', '"https://a", timeout=10)').replace('json={})', 'json={}, timeout=10)'),
    );
  });

  it('applies severities relayed from the editor settings', async () => {
    client.settings = { rules: { 'private-network/public-database': 'hint' } };
    await client.initialize();
    client.open(uri, 'yaml', template);
    const published = await client.diagnostics(uri, (p) => ofRule(p.diagnostics)[0]?.severity === 4);
    assert.equal(ofRule(published.diagnostics).length, 1);
  });

  it('checks on open and save only when cloudLessons.run is onSave', async () => {
    client.settings = { run: 'onSave' };
    await client.initialize();
    // The settings are in force once the server has read them and answered a request after that.
    await client.settingsPulled;
    await client.request('cloudLessons/listRules', {});
    client.open(uri, 'yaml', template);
    assert.equal(ofRule((await client.diagnostics(uri, (p) => p.version === 1)).diagnostics).length, 1);
    client.change(uri, 2, template.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
    // A hover answers about the text as typed, and by then a check of the change would have been published.
    await client.request('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 28 },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(client.pending(uri), [], 'nothing published while typing');
    client.save(uri);
    const saved = await client.diagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(ofRule(saved.diagnostics), []);
  });

  it('completes rule ids in a suppression comment', async () => {
    await client.initialize();
    const text = template.replace(
      '      PubliclyAccessible',
      '      # cloud-lessons-disable-next-line \n      PubliclyAccessible',
    );
    client.open(uri, 'yaml', text);
    await client.diagnostics(uri);
    const items = await client.request<{ label: string; sortText?: string }[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 6, character: 40 },
      context: { triggerKind: 2, triggerCharacter: ' ' },
    });
    const first = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))[0];
    assert.equal(first.label, publicDatabase);
  });

  it('shows what an applied scaffold still needs', async () => {
    await client.initialize();
    await client.request('workspace/executeCommand', {
      command: 'cloudLessons.scaffoldApplied',
      arguments: [
        'Keep sessions in Redis',
        ['Install connect-redis (npm install connect-redis)', 'Set REDIS_URL'],
      ],
    });
    assert.equal(
      await client.message(),
      'Cloud Lessons: "Keep sessions in Redis" is in place. Still to do: Install connect-redis (npm install connect-redis); Set REDIS_URL.',
    );
  });

  it('honours a suppression comment', async () => {
    await client.initialize();
    const text = template.replace(
      '      PubliclyAccessible',
      '      # cloud-lessons-disable-next-line private-network/public-database -- read-only demo data\n      PubliclyAccessible',
    );
    client.open(uri, 'yaml', text);
    assert.deepEqual(ofRule((await client.diagnostics(uri)).diagnostics), []);
  });
});
