import { randomUUID } from 'node:crypto';
import {
  commands,
  EventEmitter,
  languages,
  ProgressLocation,
  Range,
  Selection,
  TextEditorRevealType,
  Uri,
  ViewColumn,
  window,
  workspace,
  type CancellationToken,
  type Disposable,
  type Progress,
  type TextDocumentContentProvider,
  type WebviewPanel,
} from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import {
  explainRuleMethod,
  lessonReportMethod,
  listRulesMethod,
  scanWorkspaceMethod,
  type ExplainRuleResult,
  type LessonReportParams,
  type LessonReportResult,
  type RuleSummary,
  type ScanParams,
  type ScanResult,
} from '../../server/src/report/protocol';

/** The commands: each asks the server, then shows what it answered. */

const ruleScheme = 'cloud-lessons-rule';
const openFindingCommand = 'cloudLessons.openFinding';

/**
 * The globs of `files.exclude` that are on, for the server's walk (it matches them with a glob
 * library, relative to each folder, as VS Code does).
 */
export function excludePatterns(): string[] {
  const patterns = new Set<string>();
  const folders = workspace.workspaceFolders ?? [];
  for (const folder of folders.length > 0 ? folders : [undefined]) {
    const exclude =
      workspace.getConfiguration('files', folder?.uri).get<Record<string, unknown>>('exclude') ?? {};
    // `{ "when": … }` entries depend on sibling files: the walk cannot tell, so they are kept.
    for (const [glob, on] of Object.entries(exclude)) if (on === true) patterns.add(glob);
  }
  return [...patterns];
}

function folderUris(): string[] {
  return (workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => f.uri.toString());
}

/**
 * Run a request that reports LSP work-done progress, relaying it to a cancellable progress
 * notification; cancelling the notification cancels the request.
 */
async function withServerProgress<P extends ScanParams, R>(
  client: LanguageClient,
  title: string,
  method: string,
  params: Omit<P, 'workDoneToken'>,
): Promise<R> {
  return window.withProgress(
    { location: ProgressLocation.Notification, title, cancellable: true },
    async (progress: Progress<{ message?: string; increment?: number }>, token: CancellationToken) => {
      const workDoneToken = randomUUID();
      let done = 0;
      const listening = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? done;
        progress.report({ message: value.message, increment: Math.max(0, percentage - done) });
        done = Math.max(done, percentage);
      });
      try {
        return await client.sendRequest<R>(method, { ...params, workDoneToken }, token);
      } finally {
        listening.dispose();
      }
    },
  );
}

export async function scanWorkspace(client: LanguageClient | undefined): Promise<ScanResult | undefined> {
  if (!client) return undefined;
  const folders = folderUris();
  if (folders.length === 0) {
    void window.showInformationMessage('Cloud Lessons: open a folder on disk to scan it.');
    return undefined;
  }
  let result: ScanResult;
  try {
    result = await withServerProgress<ScanParams, ScanResult>(
      client,
      'Cloud Lessons: scanning the workspace',
      scanWorkspaceMethod,
      { folders, exclude: excludePatterns() },
    );
  } catch (error) {
    if (isCancellation(error))
      return { files: 0, findings: 0, filesWithFindings: 0, errors: 0, cancelled: true };
    throw error;
  }
  const summary =
    `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ` +
    `${result.files} file${result.files === 1 ? '' : 's'}`;
  if (result.cancelled) void window.showInformationMessage(`Cloud Lessons: scan cancelled after ${summary}.`);
  else if (result.findings > 0) {
    void window
      .showInformationMessage(`Cloud Lessons: ${summary}.`, 'Show Problems', 'Lesson Report')
      .then((choice) => {
        if (choice === 'Show Problems') void commands.executeCommand('workbench.actions.view.problems');
        if (choice === 'Lesson Report') void commands.executeCommand('cloudLessons.showLessonReport');
      });
  } else void window.showInformationMessage(`Cloud Lessons: no findings in ${result.files} files.`);
  return result;
}

function isCancellation(error: unknown): boolean {
  return (error as { code?: number } | undefined)?.code === -32800 || (error as Error)?.name === 'Canceled';
}

/** The rule pages, as read-only Markdown documents shown in the preview. */
class RulePages implements TextDocumentContentProvider {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: Uri): Promise<string> {
    const ruleId = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const explained = await this.client()?.sendRequest<ExplainRuleResult>(explainRuleMethod, { ruleId });
    return explained?.markdown ?? `# ${ruleId}\n\nNo such rule.\n`;
  }
}

/** The rule the cursor is on, when it is on a Cloud Lessons finding. */
function ruleAtCursor(): string | undefined {
  const editor = window.activeTextEditor;
  if (!editor) return undefined;
  const position = editor.selection.active;
  const diagnostic = languages
    .getDiagnostics(editor.document.uri)
    .find((d) => d.source === 'cloud-lessons' && d.range.contains(position) && typeof d.code !== 'undefined');
  const code = typeof diagnostic?.code === 'object' ? diagnostic.code.value : diagnostic?.code;
  return typeof code === 'string' && code.includes('/') ? code : undefined;
}

/**
 * The rule named by the command's argument: a rule id (a hover's `command:` link, a keybinding's
 * `args`), or `{ ruleId }`; anything else (a URI from a menu) names none.
 */
function ruleIdOf(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  const ruleId = (argument as { ruleId?: unknown } | undefined)?.ruleId;
  return typeof ruleId === 'string' ? ruleId : undefined;
}

async function explainRule(
  client: LanguageClient | undefined,
  argument?: unknown,
): Promise<string | undefined> {
  if (!client) return undefined;
  let id = ruleIdOf(argument) ?? ruleAtCursor();
  if (!id) {
    const rules = await client.sendRequest<RuleSummary[]>(listRulesMethod, {});
    const picked = await window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: r.title, detail: `${r.lessonTitle} · ${r.severity}` })),
      { title: 'Cloud Lessons: Explain Rule', placeHolder: 'Which rule?', matchOnDescription: true },
    );
    id = picked?.label;
  }
  if (!id) return undefined;
  const uri = Uri.from({ scheme: ruleScheme, path: `/${id}.md` });
  await commands.executeCommand('markdown.showPreview', uri);
  return id;
}

let reportPanel: WebviewPanel | undefined;

async function showLessonReport(
  client: LanguageClient | undefined,
): Promise<Pick<LessonReportResult, 'report' | 'cancelled'> | undefined> {
  if (!client) return undefined;
  const folders = folderUris();
  if (folders.length === 0) {
    void window.showInformationMessage('Cloud Lessons: open a folder on disk to see its lesson report.');
    return undefined;
  }
  let result: LessonReportResult;
  try {
    result = await withServerProgress<LessonReportParams, LessonReportResult>(
      client,
      'Cloud Lessons: scoring the workspace',
      lessonReportMethod,
      { folders, exclude: excludePatterns(), linkCommand: openFindingCommand },
    );
  } catch (error) {
    if (isCancellation(error)) return undefined;
    throw error;
  }
  if (!reportPanel) {
    reportPanel = window.createWebviewPanel(
      'cloudLessons.report',
      'Cloud Lessons: Lesson Report',
      { viewColumn: ViewColumn.Active, preserveFocus: false },
      // No script: the page is static HTML whose links run one command, which opens a finding.
      { enableScripts: false, enableCommandUris: [openFindingCommand], retainContextWhenHidden: false },
    );
    reportPanel.onDidDispose(() => (reportPanel = undefined));
  } else reportPanel.reveal();
  reportPanel.webview.html = result.html;
  return { report: result.report, cancelled: result.cancelled };
}

async function openFinding(uri: string, line = 0, character = 0): Promise<void> {
  const position = new Range(line, character, line, character);
  const editor = await window.showTextDocument(Uri.parse(uri), {
    viewColumn: ViewColumn.One,
    preview: true,
  });
  editor.selection = new Selection(position.start, position.end);
  editor.revealRange(position, TextEditorRevealType.InCenterIfOutsideViewport);
}

export function registerCommands(client: () => LanguageClient | undefined): Disposable[] {
  return [
    workspace.registerTextDocumentContentProvider(ruleScheme, new RulePages(client)),
    commands.registerCommand('cloudLessons.scanWorkspace', () => scanWorkspace(client())),
    commands.registerCommand('cloudLessons.explainRule', (argument?: unknown) =>
      explainRule(client(), argument),
    ),
    commands.registerCommand('cloudLessons.showLessonReport', () => showLessonReport(client())),
    commands.registerCommand(openFindingCommand, openFinding),
    { dispose: () => reportPanel?.dispose() },
  ];
}
