import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../../server/src/features/actions';
import { diagnosticsOf, DocumentChecks, Scheduler, validate } from '../../server/src/features/diagnostics';
import { folder, testSession, uriOf } from './harness';

const examples = join(__dirname, '..', '..', 'examples');
const rule = 'local-state/in-memory-state-across-copies';

/** The examples in a folder of their own, so that the test may change them. */
function copyOfExamples(): string {
  const dir = folder({});
  cpSync(examples, dir, { recursive: true });
  return dir;
}

function applied(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'text', 1, text), edits);
}

describe('the application model in the editor', () => {
  it('shows on shop-api/server.js that its sessions break the two-task service, pointing at the template', async () => {
    const { session, documents } = testSession([examples]);
    const uri = uriOf(examples, 'shop-api/server.js');
    documents.set(uri, readFileSync(join(examples, 'shop-api/server.js'), 'utf8'), 'javascript');
    const analysis = await session.analysisOf(documents.get(uri)!);
    const diagnostic = diagnosticsOf(session, analysis!).find((d) => d.code === rule);
    assert.ok(diagnostic);
    assert.match(
      diagnostic.message,
      /ECS service ShopApiService runs this code as 2 tasks \(infra\/template\.yaml\)/,
    );
    assert.deepEqual(
      diagnostic.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [
        [uriOf(examples, 'infra/template.yaml'), 95, 'ECS service ShopApiService runs this code as 2 tasks'],
        [
          uriOf(examples, 'infra/template.yaml'),
          101,
          'ElastiCache Redis SessionCache is declared here: a store all copies can share',
        ],
        [
          uriOf(examples, 'docker-compose.yml'),
          20,
          'compose service cache (redis) is declared here: a store all copies can share',
        ],
      ],
    );
  });

  it('offers the fix that uses the declared cache as one workspace edit of three files', async () => {
    const dir = copyOfExamples();
    const { session, documents } = testSession([dir]);
    const uri = uriOf(dir, 'shop-api/server.js');
    const text = readFileSync(join(dir, 'shop-api/server.js'), 'utf8');
    documents.set(uri, text, 'javascript');
    const analysis = await session.analysisOf(documents.get(uri)!);
    const diagnostic = diagnosticsOf(session, analysis!).find((d) => d.code === rule)!;
    const actions = await codeActions(session, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    const fix = actions.find((a) =>
      a.title.startsWith('Scaffold: Keep sessions in ElastiCache Redis SessionCache'),
    );
    assert.ok(fix?.edit?.changes, actions.map((a) => a.title).join('\n'));
    const changes = fix.edit.changes;
    const template = uriOf(dir, 'infra/template.yaml');
    const compose = uriOf(dir, 'docker-compose.yml');
    assert.deepEqual(Object.keys(changes).sort(), [compose, template, uri].sort());
    assert.match(applied(text, changes[uri]), /store: sessionStore/);
    assert.match(
      applied(readFileSync(join(dir, 'infra/template.yaml'), 'utf8'), changes[template]),
      /- Name: REDIS_URL\n {14}Value: !Sub redis:\/\/\$\{SessionCache\.RedisEndpoint\.Address\}/,
    );
    assert.match(
      applied(readFileSync(join(dir, 'docker-compose.yml'), 'utf8'), changes[compose]),
      /REDIS_URL: redis:\/\/cache:6379/,
    );
  });

  it('follows the template as it is typed, before it is saved', async () => {
    const dir = copyOfExamples();
    const { session, documents, published } = testSession([dir]);
    const checks = new DocumentChecks(session, new Scheduler((uri) => validate(session, uri)));
    const code = uriOf(dir, 'shop-api/server.js');
    const template = uriOf(dir, 'infra/template.yaml');
    documents.set(code, readFileSync(join(dir, 'shop-api/server.js'), 'utf8'), 'javascript');
    const first = await session.analysisOf(documents.get(code)!);
    assert.ok(first!.result.findings.some((f) => f.ruleId === rule));
    // One task, unsaved: the finding on the open code goes back to the single-file one.
    const text = readFileSync(join(dir, 'infra/template.yaml'), 'utf8');
    documents.set(template, text.replace('DesiredCount: 2', 'DesiredCount: 1'), 'yaml');
    await session.analysisOf(documents.get(template)!);
    checks.changed(template);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const latest = published.filter((p) => p.uri === code).pop();
    assert.ok(latest, 'the open code was checked again');
    assert.deepEqual(
      latest.diagnostics.filter((d) => String(d.code).startsWith('local-state/')).map((d) => d.code),
      ['local-state/in-memory-session-store'],
    );
  });
});
