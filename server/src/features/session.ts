import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../engine/analyze';
import type { RuleSettings, Setting } from '../engine/config';
import { isComposeName } from '../engine/classify';
import type { ParsedDocument } from '../engine/document';
import type { Rule } from '../engine/rule';
import type { CdkFinding } from '../project/cdk';
import { isLessonId } from '../lessons/catalogue';
import { rulePagePath } from '../docs/rule-docs';
import { Baseline } from '../project/baseline';
import { isConfigFile, readConfigText } from '../project/config';
import { Project } from '../project/project';
import { EditorCdk } from './cdk';
import { EditorPriority } from './priority';

/** The settings VS Code relays (`cloudLessons.*`); other editors send the same shape or nothing. */
export interface Settings {
  enable: boolean;
  rules: Record<string, Setting>;
  lessons: Record<string, Setting>;
  /** Wait this long after the last keystroke before analysing (0–50 ms). */
  debounceMs: number;
  /** When findings are published: as the text changes, or when the file opens and is saved. */
  run: 'onType' | 'onSave';
  /** A baseline file, relative to the workspace folder: the findings it holds are shown as hints. */
  baseline: string;
}

export const defaultSettings: Settings = {
  enable: true,
  rules: {},
  lessons: {},
  debounceMs: 5,
  run: 'onType',
  baseline: '',
};

/** The open documents, as `TextDocuments` keeps them (a map in tests). */
export interface DocumentStore {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** What the features send back to the editor. */
export interface SessionHost {
  publish(params: PublishDiagnosticsParams): void;
  log(message: string): void;
}

export interface ClientFeatures {
  /** The client can create files in a workspace edit (a `.dockerignore` fix). */
  createFiles: boolean;
  /** The server answers completion with the `lesson-…` snippets (editors without the extension's snippet files). */
  snippets: boolean;
  /** The client runs the extension's `command:` links in hovers (the VS Code extension says so). */
  commandLinks: boolean;
}

/** The latest analysis of an open document: parsed once per version, shared by every feature. */
export interface Analysis {
  version: number;
  parsed: ParsedDocument;
  result: AnalysisResult;
  /** For source code: the state of the compose files and templates around it that it was analysed with. */
  applications?: number;
}

/**
 * One editor session: the open documents, the project model that configures and analyses them
 * under the editor's folders, settings and trust, and the analyses of the current versions.
 * Every LSP feature reads it; none keeps state of its own.
 */
export class Session {
  settings: Settings = defaultSettings;
  client: ClientFeatures = { createFiles: false, snippets: true, commandLinks: false };
  project: Project;
  /** The CDK apps of the open documents, and their analyses. */
  cdk: EditorCdk;
  /**
   * In an untrusted workspace (as the editor tells us), files are still analysed, but with the
   * defaults and the user's settings only: the workspace's own .cloud-lessons.yaml is not read.
   */
  private trusted = true;
  /** The workspace folders, as the editor named them. */
  folderUris: string[] = [];
  private readonly analyses = new Map<string, Analysis>();
  /** Counts the edits of compose files and templates: the analyses of open code made before one are stale. */
  private applicationEdits = 0;
  /** Held while an open document's check is on its way: a workspace scan waits for it. */
  readonly priority = new EditorPriority();
  /** Baseline files read, by path, with the modification time they were read at (undefined: unreadable). */
  private readonly baselines = new Map<string, { mtimeMs: number; baseline: Baseline | undefined }>();
  private readonly pageUrls: Map<string, string | undefined>;

  constructor(
    readonly host: SessionHost,
    readonly documents: DocumentStore,
    readonly rules: readonly Rule[],
    /** docs/rules: the pages `codeDescription` and hovers link to. */
    docsRoot: string,
  ) {
    this.project = this.newProject();
    this.cdk = this.newCdk();
    this.pageUrls = new Map(
      rules.map((rule) => {
        const page = join(docsRoot, rulePagePath(rule));
        return [rule.id, existsSync(page) ? pathToFileURL(page).href : undefined];
      }),
    );
  }

  pageUrl(ruleId: string): string | undefined {
    return this.pageUrls.get(ruleId);
  }

  /** Workspace folders (URIs) and trust, as the editor reported them: a new project model. */
  configure(options: { folders?: string[]; trusted?: boolean }): void {
    if (options.folders) this.folderUris = options.folders;
    if (options.trusted !== undefined) this.trusted = options.trusted;
    this.project = this.newProject();
    this.cdk = this.newCdk();
    this.forget();
  }

  /** Folders a scan covers become workspace folders if they are not inside one already. */
  includeFolders(uris: string[]): void {
    const missing = uris.filter(
      (uri) => uri.startsWith('file:') && this.project.roots.folderOf(pathOf(uri)) === undefined,
    );
    if (missing.length > 0) this.configure({ folders: [...this.folderUris, ...missing] });
  }

  applySettings(value: Partial<Settings> | null | undefined): void {
    const debounce = Number(value?.debounceMs ?? defaultSettings.debounceMs);
    this.settings = {
      enable: value?.enable !== false,
      rules: { ...(value?.rules ?? {}) },
      lessons: { ...(value?.lessons ?? {}) },
      debounceMs: Number.isFinite(debounce)
        ? Math.min(50, Math.max(0, debounce))
        : defaultSettings.debounceMs,
      run: value?.run === 'onSave' ? 'onSave' : 'onType',
      baseline: typeof value?.baseline === 'string' ? value.baseline.trim() : '',
    };
    this.baselines.clear();
    this.project.setSettings(this.editorSettings());
    this.forget();
  }

  /** A configuration file changed (on disk or while typed): every analysis is out of date. */
  configurationChanged(): void {
    this.project.invalidate();
    this.cdk.apps.forget();
    this.forget();
  }

  /**
   * Files changed on disk (the client's watcher): configuration files, or cdk.json and the files
   * of a cloud assembly, whose app's findings on the open sources change with them.
   */
  filesChanged(paths: readonly string[]): void {
    if (paths.some((path) => isConfigFile(path))) this.configurationChanged();
    else if (this.cdk.filesChanged(paths)) this.forget();
    this.project.applications.forget();
    this.applicationEdits++;
  }

  /**
   * Whether a document describes how code runs (a compose file, a template): the findings of the
   * open code follow it as it is typed.
   */
  describesApplications(uri: string): boolean {
    const kind = this.analyses.get(uri)?.result.kind;
    return kind === 'cloudformation' || kind === 'compose' || isComposeName(basename(pathOf(uri)));
  }

  /** A compose file or template was edited: the analyses of open code are out of date. */
  applicationsChanged(): void {
    this.applicationEdits++;
  }

  /** The open documents that are source code (the ones the application model links). */
  openCode(): TextDocument[] {
    return this.documents.all().filter((d) => this.analyses.get(d.uri)?.applications !== undefined);
  }

  /** Analyse the current version of a document, reusing the cached analysis when it is current. */
  async analysisOf(document: TextDocument): Promise<Analysis | undefined> {
    const cached = this.analyses.get(document.uri);
    if (
      cached &&
      cached.version === document.version &&
      (cached.applications === undefined || cached.applications === this.applicationEdits)
    )
      return cached;
    const release = this.priority.hold();
    try {
      return await this.analyse(document, cached);
    } finally {
      release();
    }
  }

  private async analyse(document: TextDocument, cached: Analysis | undefined): Promise<Analysis | undefined> {
    const version = document.version;
    const applications = this.applicationEdits;
    const path = pathOf(document.uri);
    const parsed = await this.project.parse({
      path,
      text: document.getText(),
      languageId: document.languageId,
      // The parse of the version before: a code file is parsed again from its tree.
      previous: cached?.parsed,
    });
    if (this.documents.get(document.uri)?.version !== version) {
      parsed.dispose();
      return undefined;
    }
    const result = withCdkFindings(
      await this.project.run(parsed),
      await this.cdk.findingsFor(path),
      this.cdk.isGenerated(path),
    );
    if (this.documents.get(document.uri)?.version !== version) {
      parsed.dispose();
      return undefined;
    }
    const previous = this.analyses.get(document.uri);
    if (previous && previous.parsed !== parsed) previous.parsed.dispose();
    const code = result.kind === 'javascript' || result.kind === 'typescript' || result.kind === 'python';
    const analysis: Analysis = { version, parsed, result, ...(code ? { applications } : {}) };
    this.analyses.set(document.uri, analysis);
    return analysis;
  }

  /**
   * The baseline that applies to a file: `cloudLessons.baseline` under the file's workspace
   * folder, read again when it changes on disk. A missing or invalid file is logged once and
   * counts as no baseline.
   */
  baselineFor(path: string): Baseline | undefined {
    const setting = this.settings.baseline;
    if (!setting) return undefined;
    const folder = this.project.roots.folderOf(path);
    const file = isAbsolute(setting) ? setting : folder ? join(folder, setting) : undefined;
    if (!file) return undefined;
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      // Missing: remembered as such below, so that it is logged once.
    }
    const known = this.baselines.get(file);
    if (known && known.mtimeMs === mtimeMs) return known.baseline;
    let baseline: Baseline | undefined;
    if (mtimeMs < 0) this.host.log(`The baseline ${file} (cloudLessons.baseline) does not exist.`);
    else
      try {
        baseline = Baseline.read(file);
      } catch (error) {
        this.host.log((error as Error).message);
      }
    this.baselines.set(file, { mtimeMs, baseline });
    return baseline;
  }

  /** A document closed: its analysis goes. */
  closed(uri: string): void {
    this.analyses.get(uri)?.parsed.dispose();
    this.analyses.delete(uri);
  }

  /** The rules a document's configuration leaves on. */
  enabledRules(path: string): Rule[] {
    const config = this.project.configFor(path);
    return this.rules.filter((rule) => config.chosenSetting(rule) !== 'off');
  }

  private forget(): void {
    for (const analysis of this.analyses.values()) analysis.parsed.dispose();
    this.analyses.clear();
  }

  private editorSettings(): RuleSettings {
    const ids = new Set(this.rules.map((r) => r.id));
    const settings: RuleSettings = { rules: {}, lessons: {} };
    for (const [id, value] of Object.entries(this.settings.rules))
      if (ids.has(id)) settings.rules[id] = value;
    for (const [id, value] of Object.entries(this.settings.lessons))
      if (isLessonId(id)) settings.lessons[id] = value;
    return settings;
  }

  private newCdk(): EditorCdk {
    return new EditorCdk(this.project, this.documents, (message) => this.host.log(message), pathOf);
  }

  private newProject(): Project {
    return new Project({
      rules: this.rules,
      roots: this.folderUris.filter((uri) => uri.startsWith('file:')).map(pathOf),
      config: this.trusted ? { kind: 'discover' } : { kind: 'none' },
      settings: this.editorSettings(),
      // A configuration file open in the editor counts with its unsaved text.
      openText: (path) =>
        this.documents
          .all()
          .find((document) => pathOf(document.uri) === path)
          ?.getText(),
      readConfig: (path) => {
        const open = this.documents.all().find((document) => pathOf(document.uri) === path);
        return open ? open.getText() : readConfigText(path);
      },
      onInvalidConfig: 'log',
      log: (message) => this.host.log(message),
    });
  }
}

/**
 * A document's analysis with the findings its CDK app shows on it. A template CDK wrote shows
 * only those (the ones that could not be mapped to the source), never its plain findings again.
 */
function withCdkFindings(
  result: AnalysisResult,
  cdk: readonly CdkFinding[],
  generated: boolean,
): AnalysisResult {
  if (cdk.length === 0 && !generated) return result;
  return { ...result, findings: [...(generated ? [] : result.findings), ...cdk] };
}

/**
 * The path of a document URI. `file:` URIs with a host (`file://server/share/…`) or encoded
 * separators (`%2F`) that Node's converter refuses are decoded by hand; other schemes
 * (`untitled:`, notebooks) get their path part, so that they are still analysed.
 */
export function pathOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      try {
        const url = new URL(uri);
        const path = decodeURIComponent(url.pathname);
        return url.host ? `//${url.host}${path}` : path;
      } catch {
        return uri.slice('file:'.length);
      }
    }
  }
  let rest = uri.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // Keep it as written.
  }
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export function isConfigDocument(uri: string): boolean {
  return isConfigFile(pathOf(uri));
}
