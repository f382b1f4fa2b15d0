import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkDoneProgressReporter } from 'vscode-languageserver';
import { renderedLength } from '../../server/src/docs/rule-docs';
import { hover } from '../../server/src/features/hover';
import { WorkspaceScan } from '../../server/src/features/scan';
import type { Session } from '../../server/src/features/session';
import { never, recordingProgress, testSession, uriOf } from './harness';

const examples = join(__dirname, '..', '..', 'examples');
const templatePath = 'infra/template.yaml';

async function hoverOn(session: Session, uri: string, text: string, needle: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  const character = lines[line].indexOf(needle) + 2;
  const result = await hover(session, { textDocument: { uri }, position: { line, character } });
  return result ? (result.contents as { value: string }).value : undefined;
}

/** The `Type:` line of a resource, found from its logical id. */
function typeLineOf(text: string, logicalId: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === `${logicalId}:`);
  const type = lines.slice(at + 1).find((l) => l.trim().startsWith('Type:'));
  assert.ok(type, logicalId);
  return type;
}

describe('the application view in the editor', () => {
  it('names the code an ECS service runs and the cross-file findings on it, under its checklist', async () => {
    const { session, documents } = testSession([examples]);
    session.client.commandLinks = true;
    const uri = uriOf(examples, templatePath);
    const text = readFileSync(join(examples, templatePath), 'utf8');
    documents.set(uri, text, 'yaml');
    const value = await hoverOn(session, uri, text, 'AWS::ECS::Service');
    assert.ok(value);
    assert.match(value, /\*\*Lesson checklist for this resource\*\*/);
    const line = value.split('\n').find((l) => l.startsWith('**Runs**'));
    assert.ok(line, value);
    assert.ok(value.indexOf('**Lesson checklist') < value.indexOf('**Runs**'), 'under the checklist');
    assert.match(line, /^\*\*Runs\*\* `shop-api\/` \(image `shop-api\/Dockerfile`\): across files, /);
    assert.match(
      line,
      /✗ Keep state off the instance \(\[server\.js:14\]\(file:\/\/\/[^)]*\/shop-api\/server\.js#L14\)\)/,
    );
    // The service and its task definition make one runtime: the variables neither gives count too.
    assert.match(
      line,
      /✗ Build containers that can be replaced at any time \(\[server\.js:9\]\([^)]*\) and 3 more\)/,
    );
    assert.ok(renderedLength(line) <= 300, `${renderedLength(line)} characters: ${line}`);
    // The hover as a whole still fits the screen the busiest spots are held to.
    assert.ok(renderedLength(value) <= 1800, `${renderedLength(value)} characters`);

    // Its task definition runs the same code, with the same findings.
    const task = await hoverOn(session, uri, text, typeLineOf(text, 'ShopApiTask').trim());
    const taskLine = task?.split('\n').find((l) => l.startsWith('**Runs**')) ?? '';
    assert.match(taskLine, /^\*\*Runs\*\* `shop-api\/`/);
    assert.match(
      taskLine,
      /✗ Build containers that can be replaced at any time \(\[server\.js:9\]\([^)]*\) and 3 more\)/,
    );
  });

  it('adds nothing to resources that run no code of the workspace', async () => {
    const { session, documents } = testSession([examples]);
    const uri = uriOf(examples, templatePath);
    const text = readFileSync(join(examples, templatePath), 'utf8');
    documents.set(uri, text, 'yaml');
    const value = await hoverOn(session, uri, text, 'AWS::RDS::DBInstance');
    assert.ok(value);
    assert.doesNotMatch(value, /\*\*Runs\*\*/);
  });

  it('puts the applications into the lesson report of the editor', async () => {
    const { session } = testSession([examples]);
    const report = await new WorkspaceScan(session).lessonReport(
      { folders: [uriOf(examples, '.').replace(/\/\.?$/, '')], linkCommand: 'cloudLessons.openFinding' },
      recordingProgress().reporter as unknown as WorkDoneProgressReporter,
      never,
    );
    assert.deepEqual(
      report.report.applications?.map((a) => a.root),
      ['catalog-service', 'shop-api'],
    );
    assert.match(report.markdown, /^## Applications$/m);
    assert.match(
      report.markdown,
      /^- \[ECS service ShopApiService\]\(command:cloudLessons\.openFinding\?[^)]+\): 2 tasks/m,
    );
    assert.match(report.html, /<h3>shop-api<\/h3>/);
  });
});
