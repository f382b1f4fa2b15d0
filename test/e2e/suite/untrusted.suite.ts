import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findings, open, waitFor } from './helpers';

/**
 * Runs on its own, in a workspace VS Code does not trust, whose .cloud-lessons.yaml switches the
 * public database rule off: the extension still checks the files, but with its defaults.
 */
describe('Cloud Lessons in an untrusted workspace', function () {
  this.timeout(60000);

  it('still analyses, and reads no configuration from the workspace', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is not trusted');
    const extension = vscode.extensions.getExtension('cloud-lessons.cloud-lessons');
    assert.ok(extension);
    await extension.activate();
    const editor = await open('infra/template.yaml');
    await waitFor(
      'the finding the workspace configuration would switch off',
      () => findings(editor.document.uri, 'private-network/public-database').length > 0,
    );
  });
});
