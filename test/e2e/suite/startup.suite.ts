import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, findings, waitFor } from './helpers';

/**
 * Runs on its own, in a workspace whose settings turn cloudLessons.scanOnStartup on: the
 * Problems panel fills without any file being opened or any command being run.
 */
describe('Cloud Lessons scan on start-up', function () {
  this.timeout(60000);

  it('scans the workspace when it opens, if the setting asks for it', async () => {
    assert.equal(vscode.workspace.getConfiguration('cloudLessons').get('scanOnStartup'), true);
    const extension = vscode.extensions.getExtension('cloud-lessons.cloud-lessons');
    assert.ok(extension);
    await extension.activate();
    await waitFor(
      'findings of a file nobody opened',
      () => findings(fileUri('stacks/orders.template'), 'private-network/public-database').length > 0,
    );
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.path.endsWith('orders.template')));
  });
});
