import * as vscode from 'vscode';

/** Helpers for suites that run inside VS Code's extension host. */

export const folder = () => {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) throw new Error('the end-to-end suite needs a workspace folder');
  return first.uri;
};

export const fileUri = (path: string) => vscode.Uri.joinPath(folder(), ...path.split('/'));

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

export const findings = (uri: vscode.Uri, ruleId: string) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'cloud-lessons' && codeOf(d) === ruleId);

/** Polls until `probe` returns something truthy (diagnostics and edits arrive asynchronously). */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeout = 15000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function open(path: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(path));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Replaces the whole text of an open editor (as typing would, without saving). */
export async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  const applied = await editor.edit((edit) => edit.replace(whole, text));
  if (!applied) throw new Error(`could not edit ${document.uri.toString()}`);
}

export function positionOf(document: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" is not in ${document.uri.path}`);
  return document.positionAt(index + offset);
}

/** Hover contents as plain text: VS Code returns `&nbsp;` for spaces in some of them. */
export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;/g, ' ');
}

/** Throws away every unsaved change and closes every editor (closing a dirty one would ask). */
export async function revertAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
