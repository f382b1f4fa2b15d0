import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  InsertTextFormat,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeParams,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, type AnalysisResult, type Finding } from './engine/analyze';
import {
  Config,
  configFileNames,
  findConfigFile,
  parseConfig,
  type RuleSettings,
  type Setting,
} from './engine/config';
import type { ParsedDocument } from './engine/document';
import { fixAll, fixOf, minimalEdit } from './engine/fixes';
import { hoverAt } from './engine/hover';
import type { Fix, Severity } from './engine/rule';
import { suppressionEdit } from './engine/suppress';
import type { LineIndex } from './engine/text';
import { isLessonId } from './lessons/catalogue';
import { rulePagePath } from './docs/rule-docs';
import { allRules } from './rules';
import { snippetsFor } from './snippets';
import { version } from './version';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.cloudLessons`;

/** The settings VS Code relays (`cloudLessons.*`); other editors send the same shape or nothing. */
interface Settings {
  enable: boolean;
  rules: Record<string, Setting>;
  lessons: Record<string, Setting>;
  /** Wait this long after the last keystroke before analysing (0–50 ms). */
  debounceMs: number;
}

const defaultSettings: Settings = { enable: true, rules: {}, lessons: {}, debounceMs: 5 };

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const ruleIds = allRules.map((r) => r.id);

let settings: Settings = defaultSettings;
let canPullConfiguration = false;
let canCreateFiles = false;
let serveSnippets = true;
const configCache = new Map<string, Config>();

const analyzer = new Analyzer({
  rules: allRules,
  log: (message) => connection.console.error(message),
});

interface Analysis {
  version: number;
  parsed: ParsedDocument;
  result: AnalysisResult;
}

/** The latest analysis of each open document: parsed once per version, shared by every feature. */
const analyses = new Map<string, Analysis>();
const pending = new Map<string, NodeJS.Timeout>();

function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri.replace(/^[a-z-]+:/i, '/');
}

function isConfigDocument(uri: string): boolean {
  return configFileNames.includes(basename(pathOf(uri)));
}

/** The configuration for a document: the nearest .cloud-lessons.yaml, then the editor's settings. */
function configFor(path: string): Config {
  const dir = dirname(path);
  let config = configCache.get(dir);
  if (!config) {
    config = new Config();
    const file = path.startsWith('/') ? findConfigFile(dir) : undefined;
    if (file) {
      try {
        const { data } = parseConfig(readFileSync(file, 'utf8'), ruleIds);
        config = new Config(data, dirname(file));
      } catch (error) {
        connection.console.warn(`Cannot read ${file}: ${(error as Error).message}`);
      }
    }
    configCache.set(dir, config);
  }
  const overrides: RuleSettings = { rules: {}, lessons: {} };
  for (const [id, value] of Object.entries(settings.rules))
    if (ruleIds.includes(id)) overrides.rules[id] = value;
  for (const [id, value] of Object.entries(settings.lessons))
    if (isLessonId(id)) overrides.lessons[id] = value;
  return config.withOverrides(overrides);
}

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** docs/rules sits beside dist/ in the extension and in the repository. */
const docsRoot = join(__dirname, '..', 'docs', 'rules');
const pageUrls = new Map(
  allRules.map((rule) => {
    const page = join(docsRoot, rulePagePath(rule));
    return [rule.id, existsSync(page) ? pathToFileURL(page).href : undefined];
  }),
);
const pageUrl = (ruleId: string) => pageUrls.get(ruleId);

function toDiagnostic(finding: Finding): Diagnostic {
  const href = pageUrl(finding.ruleId);
  return {
    range: finding.range,
    severity: lspSeverity[finding.severity],
    code: finding.ruleId,
    source: 'cloud-lessons',
    message: finding.message,
    ...(href ? { codeDescription: { href } } : {}),
    data: { fixable: !!finding.fix },
  };
}

function diagnosticsOf(analysis: Analysis): Diagnostic[] {
  const { parsed, result } = analysis;
  const problems: Diagnostic[] = result.problems.map((p) => ({
    range: parsed.lines.rangeOf(p.span),
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: p.fatal ? 'syntax' : 'document',
    source: 'cloud-lessons',
    message:
      p.fatal && parsed.analysable ? `${p.message} Other checks resume once the file parses.` : p.message,
  }));
  return [...problems, ...result.findings.map(toDiagnostic)];
}

/** Analyse the current version of a document, reusing the cached analysis when it is current. */
async function analysisOf(document: TextDocument): Promise<Analysis | undefined> {
  const cached = analyses.get(document.uri);
  if (cached && cached.version === document.version) return cached;
  const version = document.version;
  const path = pathOf(document.uri);
  const parsed = await analyzer.parse({ path, text: document.getText(), languageId: document.languageId });
  const current = documents.get(document.uri);
  if (!current || current.version !== version) {
    parsed.dispose();
    return undefined;
  }
  const result = await analyzer.run(parsed, configFor(path));
  if (documents.get(document.uri)?.version !== version) {
    parsed.dispose();
    return undefined;
  }
  const previous = analyses.get(document.uri);
  if (previous && previous.parsed !== parsed) previous.parsed.dispose();
  const analysis = { version, parsed, result };
  analyses.set(document.uri, analysis);
  return analysis;
}

async function validate(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  if (isConfigDocument(uri)) return validateConfigDocument(document);
  if (!settings.enable) {
    connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  try {
    const analysis = await analysisOf(document);
    if (!analysis) return; // a newer version is on its way
    connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: diagnosticsOf(analysis) });
  } catch (error) {
    connection.console.error(`Analysis of ${uri} failed: ${(error as Error).stack ?? error}`);
  }
}

/** `.cloud-lessons.yaml` itself: its problems as diagnostics, while it is being typed. */
function validateConfigDocument(document: TextDocument): void {
  const { problems } = parseConfig(document.getText(), ruleIds);
  connection.sendDiagnostics({
    uri: document.uri,
    version: document.version,
    diagnostics: problems.map((p) => ({
      range: { start: document.positionAt(p.span.start), end: document.positionAt(p.span.end) },
      severity: DiagnosticSeverity.Error,
      source: 'cloud-lessons',
      code: 'config',
      message: p.message,
    })),
  });
}

function schedule(uri: string, delay: number): void {
  clearTimeout(pending.get(uri));
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      void validate(uri);
    }, delay),
  );
}

function revalidateAll(): void {
  configCache.clear();
  for (const analysis of analyses.values()) analysis.parsed.dispose();
  analyses.clear();
  for (const document of documents.all()) schedule(document.uri, 0);
}

async function pullSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const value = (await connection.workspace.getConfiguration('cloudLessons')) as Partial<Settings> | null;
    applySettings(value);
  } catch (error) {
    connection.console.warn(`Cannot read the settings: ${(error as Error).message}`);
  }
}

function applySettings(value: Partial<Settings> | null | undefined): void {
  const debounce = Number(value?.debounceMs ?? defaultSettings.debounceMs);
  settings = {
    enable: value?.enable !== false,
    rules: { ...(value?.rules ?? {}) },
    lessons: { ...(value?.lessons ?? {}) },
    debounceMs: Number.isFinite(debounce) ? Math.min(50, Math.max(0, debounce)) : defaultSettings.debounceMs,
  };
}

connection.onInitialize((params: InitializeParams) => {
  const capabilities = params.capabilities;
  canPullConfiguration = !!capabilities.workspace?.configuration;
  canCreateFiles = !!capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create');
  const options = (params.initializationOptions ?? {}) as {
    settings?: Partial<Settings>;
    snippets?: 'client' | 'server';
  };
  serveSnippets = options.snippets !== 'client';
  if (options.settings) applySettings(options.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
      completionProvider: serveSnippets ? { triggerCharacters: [] } : undefined,
    },
    serverInfo: { name: 'cloud-lessons', version },
  };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: 'cloudLessons' })
      .catch(() => {});
    void pullSettings().then(revalidateAll);
  }
});

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else applySettings((change.settings as { cloudLessons?: Partial<Settings> } | undefined)?.cloudLessons);
  revalidateAll();
});

connection.onDidChangeWatchedFiles(() => revalidateAll());

documents.onDidOpen((event) => schedule(event.document.uri, 0));
documents.onDidChangeContent((event) => {
  if (isConfigDocument(event.document.uri)) {
    validateConfigDocument(event.document);
    revalidateAllExcept(event.document.uri, event.document.getText());
    return;
  }
  schedule(event.document.uri, settings.debounceMs);
});
documents.onDidClose((event) => {
  const uri = event.document.uri;
  clearTimeout(pending.get(uri));
  pending.delete(uri);
  analyses.get(uri)?.parsed.dispose();
  analyses.delete(uri);
  connection.sendDiagnostics({ uri, diagnostics: [] });
});

/** While the config file is edited, the other open documents follow its unsaved text. */
function revalidateAllExcept(configUri: string, text: string): void {
  const { data } = parseConfig(text, ruleIds);
  const dir = dirname(pathOf(configUri));
  configCache.clear();
  for (const document of documents.all()) {
    if (document.uri === configUri) continue;
    const docDir = dirname(pathOf(document.uri));
    if (docDir === dir || docDir.startsWith(dir + '/')) configCache.set(docDir, new Config(data, dir));
  }
  for (const analysis of analyses.values()) analysis.parsed.dispose();
  analyses.clear();
  for (const document of documents.all())
    if (document.uri !== configUri) schedule(document.uri, settings.debounceMs);
}

connection.onHover(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !settings.enable || isConfigDocument(document.uri)) return null;
  const analysis = await analysisOf(document);
  if (!analysis) return null;
  const offset = document.offsetAt(params.position);
  const config = configFor(pathOf(document.uri));
  const enabled = analyzer.rules.filter((rule) => config.chosenSetting(rule) !== 'off');
  const value = hoverAt(analysis.parsed, analysis.result, offset, pageUrl, enabled);
  return value ? { contents: { kind: 'markdown', value } } : null;
});

function lspEdits(lines: LineIndex, edits: { start: number; end: number; text: string }[]): LspTextEdit[] {
  return edits.map((e) => ({ range: lines.rangeOf(e), newText: e.text }));
}

function workspaceEdit(uri: string, version: number, lines: LineIndex, fix: Fix): WorkspaceEdit | undefined {
  const edits = lspEdits(lines, fix.edits);
  const newFiles = fix.newFiles ?? [];
  if (newFiles.length === 0) return { changes: { [uri]: edits } };
  if (!canCreateFiles || !uri.startsWith('file:')) return undefined;
  const dir = dirname(fileURLToPath(uri));
  return {
    documentChanges: [
      ...newFiles.flatMap((file) => {
        const target = pathToFileURL(join(dir, file.path)).href;
        return [
          { kind: 'create' as const, uri: target, options: { ignoreIfExists: true } },
          {
            textDocument: { uri: target, version: null },
            edits: [
              {
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                newText: file.text,
              },
            ],
          },
        ];
      }),
      ...(edits.length > 0 ? [{ textDocument: { uri, version }, edits }] : []),
    ],
  };
}

function sameSpan(finding: Finding, range: Diagnostic['range']): boolean {
  const r = finding.range;
  return (
    r.start.line === range.start.line &&
    r.start.character === range.start.character &&
    r.end.line === range.end.line &&
    r.end.character === range.end.character
  );
}

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !settings.enable || isConfigDocument(document.uri)) return [];
  const analysis = await analysisOf(document);
  if (!analysis) return [];
  const { parsed, result } = analysis;
  const uri = document.uri;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'cloud-lessons') continue;
      const finding = result.findings.find(
        (f) => f.ruleId === diagnostic.code && sameSpan(f, diagnostic.range),
      );
      if (!finding) continue;
      const fix = fixOf(finding);
      const edit = fix && workspaceEdit(uri, analysis.version, parsed.lines, fix);
      if (fix && edit) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit,
        });
      }
      const suppression = suppressionEdit(parsed, finding.ruleId, finding.span);
      if (suppression) {
        actions.push({
          title: `Disable ${finding.ruleId} for this line (with a reason)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: lspEdits(parsed.lines, [suppression]) } },
        });
      }
    }
    const fixable = result.findings.filter((f) => f.fix).length;
    if (fixable > 1 && params.context.diagnostics.some((d) => d.source === 'cloud-lessons')) {
      const edit = await fixAllEdit(document, analysis);
      if (edit)
        actions.push({
          title: 'Fix all auto-fixable Cloud Lessons findings in this file',
          kind: CodeActionKind.QuickFix,
          edit,
        });
    }
  }
  if (only && wants(fixAllKind)) {
    const edit = await fixAllEdit(document, analysis);
    if (edit) actions.push({ title: 'Fix all Cloud Lessons findings', kind: fixAllKind, edit });
  }
  return actions;
});

/** Every fix of the file as one minimal edit (so the cursor and undo history stay sensible). */
async function fixAllEdit(document: TextDocument, analysis: Analysis): Promise<WorkspaceEdit | undefined> {
  const path = pathOf(document.uri);
  const text = analysis.parsed.text;
  const fixed = await fixAll(analyzer, { path, text, languageId: document.languageId }, configFor(path));
  const change = minimalEdit(text, fixed.text);
  if (!change && fixed.newFiles.length === 0) return undefined;
  return workspaceEdit(document.uri, analysis.version, analysis.parsed.lines, {
    title: 'Fix all',
    edits: change ? [change] : [],
    newFiles: fixed.newFiles,
  });
}

connection.onCompletion(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document || !serveSnippets || !settings.enable) return [];
  const analysis = await analysisOf(document);
  if (!analysis) return [];
  return snippetsFor(analysis.parsed.kind, document.languageId).map((s) => ({
    label: s.prefix,
    kind: CompletionItemKind.Snippet,
    detail: s.description,
    insertText: s.body,
    insertTextFormat: InsertTextFormat.Snippet,
  }));
});

process.on('uncaughtException', (error) =>
  connection.console.error(`Unexpected error: ${error.stack ?? error}`),
);
process.on('unhandledRejection', (error) =>
  connection.console.error(`Unexpected error: ${(error as Error)?.stack ?? error}`),
);

documents.listen(connection);
connection.listen();
