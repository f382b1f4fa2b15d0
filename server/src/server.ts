import { join } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type InitializeParams,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, fixAllKind } from './features/actions';
import { completions } from './features/completion';
import { Scheduler, validate } from './features/diagnostics';
import { hover } from './features/hover';
import { explainRule, listRules } from './features/rules';
import { WorkspaceScan } from './features/scan';
import { isConfigDocument, Session, type Settings } from './features/session';
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
const scheduler = new Scheduler((uri) => validate(session, uri));

let canPullConfiguration = false;
let canShowProgress = false;
let followsFolders = false;

function revalidateAll(delay = 0): void {
  for (const document of documents.all()) scheduler.schedule(document.uri, delay);
}

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
  };
  session.client = {
    createFiles: !!capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    snippets: options.snippets !== 'client',
  };
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  session.configure({ folders, trusted: options.trusted !== false });
  if (options.settings) session.applySettings(options.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
      completionProvider: session.client.snippets ? { triggerCharacters: [] } : undefined,
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
    void pullSettings().then(() => revalidateAll());
  }
  if (followsFolders)
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => f.uri));
      session.configure({
        folders: [...session.folderUris.filter((uri) => !removed.has(uri)), ...event.added.map((f) => f.uri)],
      });
      revalidateAll();
    });
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else
    session.applySettings(
      (change.settings as { cloudLessons?: Partial<Settings> } | undefined)?.cloudLessons,
    );
  revalidateAll();
});

connection.onDidChangeWatchedFiles(() => {
  session.configurationChanged();
  revalidateAll();
});

documents.onDidOpen((event) => scheduler.schedule(event.document.uri, 0));
documents.onDidChangeContent((event) => {
  if (isConfigDocument(event.document.uri)) {
    // Its unsaved text is already in force for the other documents.
    void validate(session, event.document.uri);
    session.configurationChanged();
    for (const document of documents.all())
      if (document.uri !== event.document.uri) scheduler.schedule(document.uri, session.settings.debounceMs);
    return;
  }
  scheduler.schedule(event.document.uri, session.settings.debounceMs);
});
documents.onDidClose((event) => {
  const uri = event.document.uri;
  scheduler.cancel(uri);
  session.closed(uri);
  if (isConfigDocument(uri)) {
    // What is on disk applies again.
    session.configurationChanged();
    revalidateAll();
  }
  // A file the workspace scan covered keeps its findings in the Problems panel, as saved on disk.
  if (scan.covers(uri) && session.settings.enable) void scan.publishFromDisk(uri);
  else connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onHover((params) => hover(session, params));
connection.onCodeAction((params) => codeActions(session, params));
connection.onCompletion((params) => completions(session, params));

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
