import assert from 'node:assert/strict';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../../server/src/features/actions';
import { validate } from '../../server/src/features/diagnostics';
import { folder, testSession, uriOf } from './harness';

const unusedId = 'cloud-lessons/unused-suppression';

const app = `import requests


def load():
    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- the caller times out
    requests.get("https://a.example", timeout=5)
    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- the caller times out
    return requests.get("https://b.example")
`;

describe('unused suppressions in the editor', () => {
  async function published(text: string) {
    const dir = folder({});
    const { session, documents, published } = testSession([dir]);
    const uri = uriOf(dir, 'app.py');
    documents.set(uri, text, 'python');
    await validate(session, uri);
    return { session, uri, diagnostics: published[0].diagnostics };
  }

  it('shows a directive that silences nothing as a faded hint, and leaves the used one alone', async () => {
    const { diagnostics } = await published(app);
    const unused = diagnostics.filter((d) => d.code === unusedId);
    assert.deepEqual(
      unused.map((d) => [d.range.start.line, d.severity, d.tags, d.message]),
      [
        [
          4,
          DiagnosticSeverity.Hint,
          [DiagnosticTag.Unnecessary],
          '"embrace-failure/no-timeout" in this suppression comment silences nothing here: remove it.',
        ],
      ],
    );
    assert.ok(
      !diagnostics.some((d) => d.code === 'embrace-failure/no-timeout'),
      'the used one still silences',
    );
  });

  it('offers a preferred quick fix that removes it', async () => {
    const { session, uri, diagnostics } = await published(app);
    const unused = diagnostics.find((d) => d.code === unusedId) as Diagnostic;
    const actions = await codeActions(session, {
      textDocument: { uri },
      range: unused.range,
      context: { diagnostics: [unused] },
    });
    const removal = actions.find(
      (a) => a.title === 'Remove the unused suppression of embrace-failure/no-timeout',
    );
    assert.ok(removal?.isPreferred, actions.map((a) => a.title).join('; '));
    const edits = removal.edit!.changes![uri];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, app), edits);
    assert.equal(
      fixed,
      app.replace(
        '    # cloud-lessons-disable-next-line embrace-failure/no-timeout -- the caller times out\n    requests.get("https://a.example", timeout=5)',
        '    requests.get("https://a.example", timeout=5)',
      ),
    );
  });

  it('says nothing while the file does not parse', async () => {
    const dir = folder({});
    const { session, documents, published } = testSession([dir]);
    const uri = uriOf(dir, 'template.yaml');
    documents.set(
      uri,
      "AWSTemplateFormatVersion: '2010-09-09'\n# cloud-lessons-disable-next-line private-network/public-database -- x\nResources: [\n",
    );
    await validate(session, uri);
    assert.ok(!published[0].diagnostics.some((d) => d.code === unusedId));
  });
});
