import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pythonApp, shopServer, shopTemplate, template } from '../fixtures';
import {
  codeOf,
  fileUri,
  findings,
  hoverText,
  open,
  positionOf,
  revertAll,
  setText,
  waitFor,
} from './helpers';

/**
 * Cloud Lessons in a real VS Code: what a user sees, through the `vscode` API. Runs in the
 * extension host (code-server's here, VS Code's under @vscode/test-electron elsewhere).
 */

const publicDatabase = 'private-network/public-database';
const noTimeout = 'embrace-failure/no-timeout';
const templatePath = 'infra/template.yaml';

describe('Cloud Lessons in VS Code', function () {
  this.timeout(60000);

  before(async () => {
    const extension = vscode.extensions.getExtension('cloud-lessons.cloud-lessons');
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
  });

  // Each test starts from the files on disk.
  afterEach(revertAll);

  it('shows findings when a file opens, and follows the text while typing, without a save', async () => {
    const editor = await open(templatePath);
    const [finding] = await waitFor('the public database finding', () => {
      const found = findings(editor.document.uri, publicDatabase);
      return found.length > 0 && found;
    });
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(finding.source, 'cloud-lessons');
    const start = positionOf(editor.document, 'true');
    assert.ok(finding.range.isEqual(new vscode.Range(start, start.translate(0, 4))), 'the exact token');
    assert.match(String((finding.code as { target: vscode.Uri }).target), /public-database\.md$/);

    await setText(editor, template.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
    await waitFor('the finding to go', () => findings(editor.document.uri, publicDatabase).length === 0);
    assert.ok(editor.document.isDirty, 'never saved');
    await setText(editor, template);
    await waitFor(
      'the finding to come back',
      () => findings(editor.document.uri, publicDatabase).length === 1,
    );
  });

  it('shows a compact hover whose Explain Rule link opens the rule page', async () => {
    const editor = await open(templatePath);
    await waitFor('the finding', () => findings(editor.document.uri, publicDatabase).length > 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      positionOf(editor.document, 'true', 1),
    );
    const text = hoverText(hovers);
    assert.match(
      text,
      /\*\*Database or broker reachable from the internet\*\* · private-network\/public-database · error/,
    );
    assert.match(text, /\*Keep databases private and ports closed\.\*/);
    assert.match(text, /\*\*Fix\*\* \(safe\): Set PubliclyAccessible to false\./);
    assert.doesNotMatch(text, /What it flags/, 'the full page is one click away');
    const link = /\[Explain Rule\]\(command:(cloudLessons\.explainRule)\?([^)]+)\)/.exec(text);
    assert.ok(link, `an Explain Rule link in:\n${text}`);
    const markdown = hovers
      .flatMap((h) => h.contents)
      .find(
        (c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('command:'),
      );
    assert.deepEqual(
      markdown?.isTrusted,
      { enabledCommands: ['cloudLessons.explainRule'] },
      'the link may run',
    );
    // What clicking the link runs: the command with the link's arguments.
    const args = JSON.parse(decodeURIComponent(link[2])) as unknown[];
    assert.equal(await vscode.commands.executeCommand<string>(link[1], ...args), publicDatabase);
    await waitFor('the rule page', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'cloud-lessons-rule'),
    );
  });

  it('orders the findings at the logical id by severity, and prefers the first one’s safe fix', async () => {
    const editor = await open(templatePath);
    await waitFor('the findings', () => findings(editor.document.uri, publicDatabase).length > 0);
    const at = positionOf(editor.document, 'OrdersDb', 2);
    const here = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.source === 'cloud-lessons' && d.range.contains(at));
    assert.ok(here.length >= 2, `several findings on OrdersDb: ${here.map(codeOf).join(', ')}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      at,
    );
    const text = hoverText(hovers);
    const ids = [...text.matchAll(/^(?:- )?\*\*[^\n]*\*\* · ([a-z0-9-]+\/[a-z0-9-]+) · /gm)].map((m) => m[1]);
    assert.deepEqual([...ids].sort(), [...new Set(here.map(codeOf))].sort(), 'one block per finding');
    // VS Code's severities count up from Error = 0.
    const severity = (id: string) => here.find((d) => codeOf(d) === id)!.severity;
    assert.deepEqual(
      ids.map(severity),
      [...ids.map(severity)].sort((a, b) => a - b),
      ids.join(', '),
    );
    for (const d of here) assert.ok(!text.includes(d.message), 'no message repeated');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(at, at),
      vscode.CodeActionKind.QuickFix.value,
    );
    const preferred = actions.filter((a) => a.isPreferred);
    // The first finding's block: the list's first item.
    const firstFix = /^ *\*\*Fix\*\* \((safe|scaffold to complete)\): (.*?)\.(?: |$)/m.exec(
      text.split(/\n(?=- \*\*)/)[0],
    );
    if (firstFix?.[1] === 'safe')
      assert.deepEqual(
        preferred.map((a) => a.title),
        [firstFix[2]],
      );
    else assert.deepEqual(preferred, [], 'nothing preferred when the most severe finding has no safe fix');
    assert.ok(
      actions.filter((a) => a.title.startsWith('Scaffold: ')).every((a) => !a.isPreferred),
      'a scaffold is never preferred',
    );
  });

  it('completes and explains rule ids in a suppression comment', async () => {
    const comment = '      # cloud-lessons-disable-next-line ';
    const text = template.replace('      PubliclyAccessible', `${comment}\n      PubliclyAccessible`);
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    await vscode.window.showTextDocument(document);
    const line = text.split('\n').findIndex((l) => l.startsWith(comment));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(line, comment.length),
      ' ',
    );
    const label = (item: vscode.CompletionItem) =>
      typeof item.label === 'string' ? item.label : item.label.label;
    const sorted = [...list.items].sort((a, b) =>
      (a.sortText ?? label(a)).localeCompare(b.sortText ?? label(b)),
    );
    assert.equal(label(sorted[0]), publicDatabase, 'the rule reported on the next line first');
    assert.ok(
      list.items.some((i) => label(i) === 'private-network'),
      'lesson ids too',
    );

    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(line, comment.length), publicDatabase));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(line, comment.length + 3),
    );
    assert.match(hoverText(hovers), / private-network\/public-database · error/);
  });

  it('checks on save only when cloudLessons.run is onSave', async () => {
    const settings = vscode.workspace.getConfiguration('cloudLessons');
    const editor = await open(templatePath);
    await waitFor('the finding', () => findings(editor.document.uri, publicDatabase).length > 0);
    try {
      await settings.update('run', 'onSave', vscode.ConfigurationTarget.Workspace);
      // The server reads every setting at once: once the severity has changed, onSave is in force.
      await settings.update('rules', { [publicDatabase]: 'hint' }, vscode.ConfigurationTarget.Workspace);
      await waitFor(
        'the settings to reach the server',
        () => findings(editor.document.uri, publicDatabase)[0]?.severity === vscode.DiagnosticSeverity.Hint,
      );
      await setText(editor, template.replace('PubliclyAccessible: true', 'PubliclyAccessible: false'));
      // A request after the change has been handled; a check of it would be published within ms.
      await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        editor.document.uri,
        new vscode.Position(0, 0),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(
        findings(editor.document.uri, publicDatabase).length,
        1,
        'the saved text’s finding stays while typing',
      );
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor(
        'the finding to go on save',
        () => findings(editor.document.uri, publicDatabase).length === 0,
      );
    } finally {
      await settings.update('run', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.writeFile(fileUri(templatePath), Buffer.from(template));
    }
  });

  it('applies the quick fix from the light bulb', async () => {
    const editor = await open(templatePath);
    const [finding] = await waitFor('the finding', () => {
      const found = findings(editor.document.uri, publicDatabase);
      return found.length > 0 && found;
    });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // (executeCodeActionProvider leaves out the actions' diagnostics: the range picks them.)
    const fix = actions.find((a) => a.isPreferred && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix?.edit, `a preferred fix among: ${actions.map((a) => a.title).join('; ')}`);
    assert.ok(
      actions.some((a) => a.title === `Disable ${publicDatabase} for this line (with a reason)`),
      'the suppression is offered too',
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /PubliclyAccessible: false\n/);
    await waitFor(
      'the fixed finding to go',
      () => findings(editor.document.uri, publicDatabase).length === 0,
    );
  });

  it('applies a fix that edits the code and the template that runs it, in one edit', async () => {
    const acrossCopies = 'local-state/in-memory-state-across-copies';
    const editor = await open('shop-api/server.js');
    const [finding] = await waitFor('the sessions across copies', () => {
      const found = findings(editor.document.uri, acrossCopies);
      return found.length > 0 && found;
    });
    assert.match(finding.message, /ECS service ShopService runs this code as 2 tasks \(deploy\/shop\.yaml\)/);
    const related = finding.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri.toString() === fileUri('deploy/shop.yaml').toString()),
      'the template is a related location',
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      finding.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const templateUri = fileUri('deploy/shop.yaml');
    const fix = actions.find((a) => a.edit?.has(templateUri) && a.edit.has(editor.document.uri));
    assert.ok(fix?.edit, `a fix of both files among: ${actions.map((a) => a.title).join('; ')}`);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.getText(), /store: sessionStore/);
      assert.notEqual(editor.document.getText(), shopServer);
      const deployed = await vscode.workspace.openTextDocument(templateUri);
      assert.match(
        deployed.getText(),
        / {12}- Name: REDIS_URL\n {14}Value: !Sub redis:\/\/\$\{SessionCache\.RedisEndpoint\.Address\}:\$\{SessionCache\.RedisEndpoint\.Port\}\n/,
      );
      assert.equal(deployed.getText().replace(/ {12}- Name: REDIS_URL\n {14}Value: .*\n/, ''), shopTemplate);
      await waitFor(
        'the fixed finding to go',
        () => findings(editor.document.uri, acrossCopies).length === 0,
      );
    } finally {
      await revertAll();
    }
  });

  it('fixes everything on save through editor.codeActionsOnSave', async () => {
    const settings = vscode.workspace.getConfiguration('editor', fileUri('app.py'));
    await settings.update(
      'codeActionsOnSave',
      { 'source.fixAll.cloudLessons': 'explicit' },
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      const editor = await open('app.py');
      await waitFor('the missing timeout', () => findings(editor.document.uri, noTimeout).length > 0);
      await setText(editor, pythonApp + '\n');
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor('the save', () => !editor.document.isDirty);
      assert.match(
        editor.document.getText(),
        /requests\.get\("https:\/\/pricing\.internal\/prices", timeout=\d+\)/,
      );
      const onDisk = Buffer.from(await vscode.workspace.fs.readFile(editor.document.uri)).toString('utf8');
      assert.equal(onDisk, editor.document.getText(), 'the fixed text is what was saved');
      await waitFor('the finding to go', () => findings(editor.document.uri, noTimeout).length === 0);
    } finally {
      await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.fs.writeFile(fileUri('app.py'), Buffer.from(pythonApp));
    }
  });

  it('completes the lesson snippets', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'lesson-' });
    await vscode.window.showTextDocument(document);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(0, 7),
    );
    const rds = list.items.find(
      (item) => (typeof item.label === 'string' ? item.label : item.label.label) === 'lesson-rds',
    );
    assert.ok(rds, `lesson-rds among ${list.items.length} completions`);
    assert.equal(rds.kind, vscode.CompletionItemKind.Snippet);
    const body =
      rds.insertText instanceof vscode.SnippetString ? rds.insertText.value : String(rds.insertText);
    assert.match(body, /AWS::RDS::DB(Instance|Cluster)/);
  });

  it('changes a severity live when the settings change', async () => {
    const editor = await open(templatePath);
    await waitFor(
      'the finding',
      () => findings(editor.document.uri, publicDatabase)[0]?.severity === vscode.DiagnosticSeverity.Error,
    );
    const settings = vscode.workspace.getConfiguration('cloudLessons');
    await settings.update('rules', { [publicDatabase]: 'hint' }, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(
        'the severity to become a hint',
        () => findings(editor.document.uri, publicDatabase)[0]?.severity === vscode.DiagnosticSeverity.Hint,
      );
      await settings.update('lessons', { 'private-network': 'off' }, vscode.ConfigurationTarget.Workspace);
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor(
        'the lesson to be switched off',
        () => findings(editor.document.uri, publicDatabase).length === 0,
      );
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('lessons', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(
      'the default severity again',
      () => findings(editor.document.uri, publicDatabase)[0]?.severity === vscode.DiagnosticSeverity.Error,
    );
  });

  it('is silenced by a suppression comment with a reason', async () => {
    const editor = await open(templatePath);
    await waitFor('the finding', () => findings(editor.document.uri, publicDatabase).length > 0);
    await setText(
      editor,
      template.replace(
        '      PubliclyAccessible',
        `      # cloud-lessons-disable-next-line ${publicDatabase} -- read-only demo data\n      PubliclyAccessible`,
      ),
    );
    await waitFor(
      'the finding to be silenced',
      () => findings(editor.document.uri, publicDatabase).length === 0,
    );
  });

  it('gives Containerfile and *.template files a language, and checks them', async () => {
    const containerfile = await vscode.workspace.openTextDocument(fileUri('images/Containerfile'));
    assert.equal(containerfile.languageId, 'dockerfile');
    const stack = await vscode.workspace.openTextDocument(fileUri('stacks/orders.template'));
    assert.equal(stack.languageId, 'cloudformation');
    await vscode.window.showTextDocument(stack);
    await waitFor('a finding in the .template file', () => findings(stack.uri, publicDatabase).length > 0);
  });
});

describe('Cloud Lessons commands', function () {
  this.timeout(60000);

  it('Scan Workspace fills the Problems panel, honouring .gitignore and files.exclude', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = await vscode.commands.executeCommand<{
      files: number;
      findings: number;
      cancelled: boolean;
    }>('cloudLessons.scanWorkspace');
    assert.equal(result.cancelled, false);
    assert.ok(result.files >= 4, `scanned ${result.files} files`);
    await waitFor(
      'findings of files never opened',
      () => findings(fileUri('images/Containerfile'), 'least-privilege/root-user').length > 0,
    );
    assert.equal(findings(fileUri('stacks/orders.template'), publicDatabase).length, 1);
    assert.equal(findings(fileUri(templatePath), publicDatabase).length, 1);
    assert.equal(vscode.languages.getDiagnostics(fileUri('generated/template.yaml')).length, 0, '.gitignore');
    assert.equal(vscode.languages.getDiagnostics(fileUri('vendor/template.yaml')).length, 0, 'files.exclude');
  });

  it('Explain Rule opens the rule page', async () => {
    const explained = await vscode.commands.executeCommand<string>(
      'cloudLessons.explainRule',
      publicDatabase,
    );
    assert.equal(explained, publicDatabase);
    const page = await waitFor('the rule page', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'cloud-lessons-rule'),
    );
    assert.match(page.getText(), /^# private-network\/public-database\n/);
    assert.match(page.getText(), /## Why: keep databases private/);
  });

  it('Explain Rule explains the finding under the cursor', async () => {
    const editor = await open(templatePath);
    await waitFor('the finding', () => findings(editor.document.uri, publicDatabase).length > 0);
    const at = positionOf(editor.document, 'true', 1);
    editor.selection = new vscode.Selection(at, at);
    assert.equal(await vscode.commands.executeCommand<string>('cloudLessons.explainRule'), publicDatabase);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show Lesson Report scores the workspace in a webview that links to each finding', async () => {
    const shown = await vscode.commands.executeCommand<{
      report: { lessons: { id: string; broken: number; findings: { path: string }[] }[]; files: number };
    }>('cloudLessons.showLessonReport');
    const network = shown.report.lessons.find((l) => l.id === 'private-network');
    assert.ok(network && network.broken > 0, 'the private-network lesson is broken');
    assert.deepEqual(
      [...new Set(network.findings.map((f) => f.path))].sort(),
      ['infra/template.yaml', 'stacks/orders.template'],
      'the ignored and excluded copies are not counted',
    );
    const tab = await waitFor('the report in a webview', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.label === 'Cloud Lessons: Lesson Report'),
    );
    assert.match((tab.input as vscode.TabInputWebview).viewType, /cloudLessons\.report$/);

    // What a link in the report runs.
    await vscode.commands.executeCommand('cloudLessons.openFinding', fileUri(templatePath).toString(), 6, 26);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), fileUri(templatePath).toString());
    assert.equal(editor?.selection.active.line, 6);
    assert.equal(editor?.selection.active.character, 26);
  });

  it('declares its settings with scan on start-up off', () => {
    const settings = vscode.workspace.getConfiguration('cloudLessons');
    assert.equal(settings.inspect('scanOnStartup')?.defaultValue, false);
    assert.equal(settings.inspect('enable')?.defaultValue, true);
    assert.equal(settings.inspect('trace.server')?.defaultValue, 'off');
  });
});
