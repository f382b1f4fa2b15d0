import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  type CancellationToken,
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
  type WorkDoneProgressReporter,
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
import { maxAnalysedLength, type ParsedDocument } from './engine/document';
import { fixAll, fixOf, minimalEdit } from './engine/fixes';
import { hoverAt } from './engine/hover';
import type { Fix, Severity } from './engine/rule';
import { suppressionEdit } from './engine/suppress';
import type { LineIndex } from './engine/text';
import { isLessonId, lessons } from './lessons/catalogue';
import { rulePage, rulePagePath } from './docs/rule-docs';
import { formatHtml } from './report/html';
import { scoreLessons } from './report/lessons';
import { formatMarkdown, type LinkTo } from './report/markdown';
import type { FileReport, RunReport } from './report/model';
import {
  explainRuleMethod,
  lessonReportMethod,
  listRulesMethod,
  scanWorkspaceMethod,
  type ExplainRuleParams,
  type ExplainRuleResult,
  type LessonReportParams,
  type LessonReportResult,
  type RuleSummary,
  type ScanParams,
  type ScanResult,
} from './report/protocol';
import { allRules } from './rules';
import { walkFiles } from './walk';
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
let canShowProgress = false;
let serveSnippets = true;
/**
 * In an untrusted workspace (as the editor tells us), files are still analysed, but with the
 * defaults and the user's settings only: the workspace's own .cloud-lessons.yaml is not read.
 */
let trusted = true;
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
    const file = trusted && path.startsWith('/') ? findConfigFile(dir) : undefined;
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
    severity:
      p.severity === 'error'
        ? DiagnosticSeverity.Error
        : p.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information,
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
  canShowProgress = !!capabilities.window?.workDoneProgress;
  const options = (params.initializationOptions ?? {}) as {
    settings?: Partial<Settings>;
    snippets?: 'client' | 'server';
    trusted?: boolean;
  };
  serveSnippets = options.snippets !== 'client';
  trusted = options.trusted !== false;
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
  // A file the workspace scan covered keeps its findings in the Problems panel, as saved on disk.
  if (scanned.has(uri) && settings.enable) void publishFromDisk(uri);
  else connection.sendDiagnostics({ uri, diagnostics: [] });
});

/** While the config file is edited, the other open documents follow its unsaved text. */
function revalidateAllExcept(configUri: string, text: string): void {
  if (!trusted) return;
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
        const inMetadata = parsed.model?.kind === 'cloudformation' && parsed.model.template.format === 'json';
        actions.push({
          title: inMetadata
            ? `Disable ${finding.ruleId} for this resource (in its Metadata: JSON has no comments)`
            : `Disable ${finding.ruleId} for this line (with a reason)`,
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

/** Files the workspace scans covered (URIs): their diagnostics outlive closing them. */
const scanned = new Set<string>();
/** Of those, the ones whose last published diagnostics were not empty. */
const scanPublished = new Set<string>();

interface ScannedFile {
  uri: string;
  /** Relative to its workspace folder (prefixed with the folder's name when there are several). */
  display: string;
  report: FileReport;
  error?: string;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Analyse one file for a scan: the editor's text when it is open, else the file on disk. Open
 * documents keep their own diagnostics; the others get theirs published here.
 */
async function scanFile(path: string, display: string): Promise<ScannedFile | undefined> {
  const uri = pathToFileURL(path).href;
  const open = documents.get(uri);
  const config = configFor(path);
  if (config.isIgnored(path)) return undefined;
  let text: string;
  try {
    if (!open && statSync(path).size > maxAnalysedLength * 2)
      return {
        uri,
        display,
        report: { path: display, kind: 'other', findings: [] },
        error: 'too large to analyse',
      };
    text = open ? open.getText() : readFileSync(path, 'utf8');
  } catch (error) {
    return {
      uri,
      display,
      report: { path: display, kind: 'other', findings: [] },
      error: `cannot read it: ${(error as Error).message}`,
    };
  }
  const parsed = await analyzer.parse({ path, text, languageId: open?.languageId });
  try {
    const result = await analyzer.run(parsed, config);
    const fatal = result.problems.find((p) => p.fatal);
    let error: string | undefined;
    if (fatal) {
      const at = parsed.lines.positionAt(fatal.span.start);
      error = `${at.line + 1}:${at.character + 1}: ${fatal.message}`;
    }
    if (!open) {
      const diagnostics = diagnosticsOf({ version: 0, parsed, result });
      if (diagnostics.length > 0 || scanPublished.has(uri)) connection.sendDiagnostics({ uri, diagnostics });
      if (diagnostics.length > 0) scanPublished.add(uri);
      else scanPublished.delete(uri);
    }
    scanned.add(uri);
    return {
      uri,
      display,
      error,
      report: {
        path: display,
        kind: result.kind,
        // Fixes are not needed for the report: they are computed when the editor asks for them.
        findings: result.findings.map((f) => ({
          ruleId: f.ruleId,
          lesson: f.rule.lesson,
          severity: f.severity,
          message: f.message,
          range: f.range,
        })),
      },
    };
  } finally {
    parsed.dispose();
  }
}

async function publishFromDisk(uri: string): Promise<void> {
  try {
    const path = fileURLToPath(uri);
    if (!existsSync(path)) {
      scanned.delete(uri);
      scanPublished.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] });
      return;
    }
    await scanFile(path, path);
  } catch (error) {
    connection.console.error(`Cannot re-check ${uri}: ${(error as Error).message}`);
  }
}

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

/**
 * Walk the folders (honouring .gitignore, the configuration's ignore: and the client's
 * exclusions), analyse every supported file, publish the findings, and report progress. Stops
 * between two files when the request or the progress is cancelled.
 */
async function scanFolders(
  params: ScanParams,
  token: CancellationToken,
): Promise<{ files: ScannedFile[]; cancelled: boolean }> {
  const progress = await progressFor(params);
  const progressCancelled = 'token' in progress ? (progress.token as CancellationToken) : undefined;
  const isCancelled = () => token.isCancellationRequested || !!progressCancelled?.isCancellationRequested;
  progress.begin('Cloud Lessons: scanning the workspace', 0, 'Finding files…', true);
  const roots = params.folders
    .filter((uri) => uri.startsWith('file:'))
    .map((uri) => fileURLToPath(uri))
    .filter((path) => existsSync(path) && statSync(path).isDirectory());
  const targets: { path: string; display: string }[] = [];
  for (const root of roots) {
    const prefix = roots.length > 1 ? `${basename(root)}/` : '';
    for (const path of walkFiles(root, { exclude: params.exclude, isCancelled }))
      targets.push({ path, display: prefix + relative(root, path).split(sep).join('/') });
    await nextTurn();
  }
  const files: ScannedFile[] = [];
  let lastReport = 0;
  for (let i = 0; i < targets.length && !isCancelled(); i++) {
    const { path, display } = targets[i];
    if (Date.now() - lastReport > 100) {
      lastReport = Date.now();
      progress.report(Math.floor((100 * i) / targets.length), `${i} of ${targets.length} files: ${display}`);
    }
    try {
      const file = await scanFile(path, display);
      if (file) files.push(file);
    } catch (error) {
      connection.console.error(`Scanning ${path} failed: ${(error as Error).stack ?? error}`);
    }
    // Let a cancellation (a message on the connection) arrive between two files.
    await nextTurn();
  }
  const cancelled = isCancelled();
  if (!cancelled) {
    // Files an earlier scan reported on that this one did not reach (deleted, now ignored or
    // excluded): their findings leave the Problems panel.
    const reached = new Set(targets.map((t) => pathToFileURL(t.path).href));
    const under = roots.map((root) => pathToFileURL(root).href + '/');
    for (const uri of [...scanPublished]) {
      if (reached.has(uri) || !under.some((prefix) => uri.startsWith(prefix)) || documents.get(uri)) continue;
      scanPublished.delete(uri);
      scanned.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }
  progress.done();
  return { files, cancelled };
}

function runReportOf(files: ScannedFile[], root: string): RunReport {
  return {
    tool: { name: 'cloud-lessons', version },
    root,
    files: files.map((f) => f.report),
    errors: files.filter((f) => f.error).map((f) => ({ path: f.display, message: f.error as string })),
    rules: allRules,
  };
}

connection.onRequest(
  scanWorkspaceMethod,
  async (params: ScanParams, token: CancellationToken): Promise<ScanResult> => {
    if (!settings.enable) return { files: 0, findings: 0, filesWithFindings: 0, errors: 0, cancelled: false };
    const { files, cancelled } = await scanFolders(params, token);
    return {
      files: files.length,
      findings: files.reduce((n, f) => n + f.report.findings.length, 0),
      filesWithFindings: files.filter((f) => f.report.findings.length > 0).length,
      errors: files.filter((f) => f.error).length,
      cancelled,
    };
  },
);

connection.onRequest(
  lessonReportMethod,
  async (params: LessonReportParams, token: CancellationToken): Promise<LessonReportResult> => {
    const { files, cancelled } = await scanFolders(params, token);
    const roots = params.folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    const root = roots[0] ?? '/';
    const run = runReportOf(files, root);
    const uris = new Map(files.map((f) => [f.display, f.uri]));
    // The configuration that applies to files at the top of the (first) folder.
    const rootConfig = configFor(join(root, 'report'));
    const report = scoreLessons(run, {
      subject: roots.map((r) => basename(r)).join(', ') || 'workspace',
      settingOf: (rule) => rootConfig.chosenSetting(rule),
    });
    const linkTo: LinkTo = (path, range) => {
      const uri = uris.get(path) ?? pathToFileURL(join(root, path)).href;
      const line = range?.start.line ?? 0;
      const character = range?.start.character ?? 0;
      return params.linkCommand
        ? `command:${params.linkCommand}?${encodeURIComponent(JSON.stringify([uri, line, character]))}`
        : `${uri}#L${line + 1},${character + 1}`;
    };
    return { report, html: formatHtml(report, linkTo), markdown: formatMarkdown(report, linkTo), cancelled };
  },
);

connection.onRequest(listRulesMethod, (): RuleSummary[] =>
  allRules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    lesson: rule.lesson,
    lessonTitle: lessons[rule.lesson].title,
    severity: rule.severity,
    kinds: rule.kinds,
    fix: rule.fix,
  })),
);

connection.onRequest(explainRuleMethod, (params: ExplainRuleParams): ExplainRuleResult => {
  const rule = allRules.find((r) => r.id === params.ruleId);
  if (!rule) return null;
  // The page without its "generated" comment, with the lesson linked to nothing outside the page.
  const markdown = rulePage(rule)
    .replace(/^<!--.*?-->\n/, '')
    .replace(/\[([^\]]+)\]\(\.\.\/README\.md#[^)]*\)/g, '$1');
  return { markdown };
});

process.on('uncaughtException', (error) =>
  connection.console.error(`Unexpected error: ${error.stack ?? error}`),
);
process.on('unhandledRejection', (error) =>
  connection.console.error(`Unexpected error: ${(error as Error)?.stack ?? error}`),
);

documents.listen(connection);
connection.listen();
