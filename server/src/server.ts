import { join } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, fixAllKind, scaffoldAppliedCommand, scaffoldAppliedMessage } from './features/actions';
import { completions, completionTriggers } from './features/completion';
import { DocumentChecks, Scheduler, validate } from './features/diagnostics';
import { hover } from './features/hover';
import { explainRule, listRules } from './features/rules';
import { WorkspaceScan } from './features/scan';
import { isConfigDocument, pathOf, Session, type Settings } from './features/session';
import {
  explainRuleMethod,
  lessonReportMethod,
  listRulesMethod,
  scanWorkspaceMethod,
  type LessonReportParams,
  type ScanParams,
} from './report/protocol';
import { allRules } from './rules';
import { version } from './version';

// LSP wiring only: every feature lives in features/ and is tested there without stdio.

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// docs/rules sits beside dist/ in the extension and in the repository.
const session = new Session(
  {
    publish: (params) => void connection.sendDiagnostics(params),
    log: (message) => connection.console.error(message),
  },
  documents,
  allRules,
  join(__dirname, '..', 'docs', 'rules'),
);
const scan = new WorkspaceScan(session);
const scheduler = new Scheduler((uri) => validate(session, uri), session.priority);
const checks = new DocumentChecks(session, scheduler);

let canPullConfiguration = false;
let canShowProgress = false;
let followsFolders = false;

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    session.applySettings(
      (await connection.workspace.getConfiguration('cloudLessons')) as Partial<Settings> | null,
    );
  } catch (error) {
    connection.console.warn(`Cannot read the settings: ${(error as Error).message}`);
  }
}

connection.onInitialize((params: InitializeParams) => {
  const capabilities = params.capabilities;
  canPullConfiguration = !!capabilities.workspace?.configuration;
  canShowProgress = !!capabilities.window?.workDoneProgress;
  followsFolders = !!capabilities.workspace?.workspaceFolders;
  const options = (params.initializationOptions ?? {}) as {
    settings?: Partial<Settings>;
    snippets?: 'client' | 'server';
    trusted?: boolean;
    /** The client runs `command:` links in hovers (Explain Rule): the VS Code extension sends it. */
    commandLinks?: boolean;
  };
  session.client = {
    createFiles: !!capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    snippets: options.snippets !== 'client',
    commandLinks: options.commandLinks === true,
  };
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.configure({ folders, trusted: options.trusted !== false });
  if (options.settings) session.applySettings(options.settings);
  return {
    capabilities: {
      textDocumentSync: {
        openClose: true,
        change: TextDocumentSyncKind.Incremental,
        save: { includeText: false },
      },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
      completionProvider: { triggerCharacters: completionTriggers },
      executeCommandProvider: { commands: [scaffoldAppliedCommand] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'cloud-lessons', version },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: 'cloudLessons' })
      .catch(() => {});
    void pullSettings().then(() => checks.all());
  }
  if (followsFolders)
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => f.uri));
      session.configure({
        folders: [...session.folderUris.filter((uri) => !removed.has(uri)), ...event.added.map((f) => f.uri)],
      });
      checks.all();
    });
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else
    session.applySettings(
      (change.settings as { cloudLessons?: Partial<Settings> } | undefined)?.cloudLessons,
    );
  checks.all();
});

// Configuration files, and cdk.json and cloud assemblies (`cdk synth`, `cdk watch`) for the CDK findings.
connection.onDidChangeWatchedFiles((params) => {
  session.filesChanged(params.changes.map((change) => pathOf(change.uri)));
  checks.all();
});

documents.onDidOpen((event) => checks.opened(event.document.uri));
documents.onDidChangeContent((event) => checks.changed(event.document.uri));
documents.onDidSave((event) => checks.saved(event.document.uri));
documents.onDidClose((event) => {
  const uri = event.document.uri;
  scheduler.cancel(uri);
  session.closed(uri);
  if (isConfigDocument(uri)) {
    // What is on disk applies again.
    session.configurationChanged();
    checks.all();
  }
  // A file the workspace scan covered keeps its findings in the Problems panel, as saved on disk.
  if (scan.covers(uri) && session.settings.enable) void scan.publishFromDisk(uri);
  else connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onHover((params) => hover(session, params));
connection.onCodeAction((params) => codeActions(session, params));
connection.onCompletion((params) => completions(session, params));
connection.onExecuteCommand((params) => {
  const message = params.command === scaffoldAppliedCommand && scaffoldAppliedMessage(params.arguments);
  // A notification, not a request: no editor should wait on an answer to it.
  if (message)
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message });
});

/** The progress to report on: the client's token when it sent one, else one the server opens. */
async function progressFor(params: ScanParams): Promise<WorkDoneProgressReporter> {
  if (params.workDoneToken !== undefined || !canShowProgress)
    return connection.window.attachWorkDoneProgress(params.workDoneToken);
  try {
    return await connection.window.createWorkDoneProgress();
  } catch {
    return connection.window.attachWorkDoneProgress(undefined);
  }
}

connection.onRequest(scanWorkspaceMethod, async (params: ScanParams, token: CancellationToken) =>
  scan.scan(params, await progressFor(params), token),
);
connection.onRequest(lessonReportMethod, async (params: LessonReportParams, token: CancellationToken) =>
  scan.lessonReport(params, await progressFor(params), token),
);
connection.onRequest(listRulesMethod, () => listRules(session));
connection.onRequest(explainRuleMethod, (params) => explainRule(session, params));

process.on('uncaughtException', (error) =>
  connection.console.error(`Unexpected error: ${error.stack ?? error}`),
);
process.on('unhandledRejection', (error) =>
  connection.console.error(`Unexpected error: ${(error as Error)?.stack ?? error}`),
);

documents.listen(connection);
connection.listen();
