import { dirname } from 'node:path';
import { Analyzer, type AnalysisResult, type BackgroundTurns } from '../engine/analyze';
import type { RuleSettings } from '../engine/config';
import type { DocumentInput, ParsedDocument } from '../engine/document';
import { fixAll, type FixAllResult } from '../engine/fix-all';
import type { FixKind, Rule } from '../engine/rule';
import {
  boundedWorkspace,
  fileSystemWorkspace,
  rememberingWorkspace,
  type RememberingWorkspace,
  type WorkspaceView,
} from '../engine/workspace';
import { ApplicationModel } from './apps/model';
import { ConfigError, ConfigLoader, type ConfigFile, type EffectiveConfig } from './config';
import { discoverFiles, type DiscoveryOptions } from './files';
import { ProjectRoots } from './roots';

/** Which configuration files the project reads. */
export type ConfigMode =
  /** The nearest `.cloud-lessons.yaml` of each file and its parents, up to the project root. */
  | { kind: 'discover' }
  /** None: the defaults (`--no-config`, an untrusted workspace). */
  | { kind: 'none' }
  /** Exactly this file for every file (`--config FILE`). */
  | { kind: 'file'; path: string };

export interface ProjectOptions {
  rules: readonly Rule[];
  /** The editor's workspace folders, or the folders a CLI run is bounded by. Absolute. */
  roots: readonly string[];
  config?: ConfigMode;
  /** Settings on top of every file's configuration (the editor's). */
  settings?: RuleSettings;
  /** A configuration file's text: the editor passes the unsaved text of open ones. */
  readConfig?: (path: string) => string | undefined;
  /**
   * `throw`: an invalid configuration file stops with a ConfigError listing its problems (the
   * CLI); `log`: its valid entries apply and the problems are logged once (the editor, which
   * also underlines them in the file).
   */
  onInvalidConfig?: 'throw' | 'log';
  log?: (message: string) => void;
  /** What rules may read around a file; bounded at each file's project root. */
  workspace?: WorkspaceView;
  /**
   * The files do not change during the project's life but by its own writes (a CLI run): what
   * rules read around a file is remembered (`rememberingWorkspace`), and `wrote` forgets it.
   */
  filesStayPut?: boolean;
  /**
   * The text of a file open in the editor, unsaved edits included: the application model reads
   * compose files and templates through it, so that what is typed there counts at once.
   */
  openText?: (path: string) => string | undefined;
}

/**
 * What the CLI, the language server and the workspace scan share: where each file's project
 * ends, its effective configuration, the files of a folder, and the analysis of a document
 * under them. Both front-ends ask this model; neither walks or configures files itself.
 */
export class Project {
  readonly analyzer: Analyzer;
  readonly roots: ProjectRoots;
  readonly configs: ConfigLoader;
  /** What cross-file rules know of the application each file belongs to. */
  readonly applications: ApplicationModel;
  private settings: RuleSettings | undefined;
  private readonly workspaces = new Map<string, WorkspaceView>();
  private readonly base: WorkspaceView;
  private readonly reported = new Set<string>();

  constructor(private readonly options: ProjectOptions) {
    this.roots = new ProjectRoots(options.roots);
    this.configs = new ConfigLoader({ rules: options.rules, read: options.readConfig });
    this.settings = options.settings;
    const base = options.workspace ?? fileSystemWorkspace;
    this.base = options.filesStayPut ? rememberingWorkspace(base) : base;
    this.applications = new ApplicationModel((path) => this.workspaceFor(path), options.openText);
    this.analyzer = new Analyzer({ rules: options.rules, log: options.log, applications: this.applications });
  }

  get rules(): readonly Rule[] {
    return this.options.rules;
  }

  /** The folder no lookup for this file goes above. */
  rootOf(path: string): string {
    return this.roots.rootOf(path);
  }

  /** The editor's settings changed. */
  setSettings(settings: RuleSettings | undefined): void {
    this.settings = settings;
  }

  /** The run wrote this file (a fix): what is remembered of it is read again. */
  wrote(path: string): void {
    if ('forget' in this.base) (this.base as RememberingWorkspace).forget(path);
    this.applications.forget();
  }

  /** A configuration file changed (on disk or in the editor): read them all again. */
  invalidate(): void {
    this.configs.invalidate();
    this.reported.clear();
  }

  /** The effective configuration of a file (or of a file that would be at `path`). */
  configFor(path: string): EffectiveConfig {
    const root = this.rootOf(path);
    const mode = this.options.config ?? { kind: 'discover' };
    let config: EffectiveConfig;
    if (mode.kind === 'none') config = this.configs.defaults(root);
    else if (mode.kind === 'file') {
      config = this.configs.forExplicitFile(mode.path, root);
      this.checkFiles(config);
    } else {
      config = this.configs.forFolder(dirname(path), root);
      this.checkFiles(config);
    }
    if (config.dependsOnFile) config = config.forFile(path);
    return config.withSettings(this.settings);
  }

  /** The workspace view of a file's rules: the base view, bounded at the file's project root. */
  workspaceFor(path: string): WorkspaceView {
    const root = this.rootOf(path);
    let view = this.workspaces.get(root);
    if (!view) {
      view = boundedWorkspace(this.base, root);
      this.workspaces.set(root, view);
    }
    return view;
  }

  /** The analysable files of a folder, as this project's configuration and ignore files say. */
  files(folder: string, options: Omit<DiscoveryOptions, 'root' | 'isIgnored'> = {}): string[] {
    return discoverFiles(folder, {
      ...options,
      root: this.rootOf(`${folder}/.`),
      isIgnored: (path, isFolder) => this.configFor(isFolder ? `${path}/.` : path).isIgnored(path, isFolder),
    });
  }

  parse(input: DocumentInput): Promise<ParsedDocument> {
    return this.analyzer.parse(input);
  }

  /**
   * Run the rules over a parsed document, under its file's configuration; `background`: as work
   * that gives way to the editor (see BackgroundTurns).
   */
  run(document: ParsedDocument, background?: BackgroundTurns): Promise<AnalysisResult> {
    return this.analyzer.run(
      document,
      this.configFor(document.path),
      this.workspaceFor(document.path),
      undefined,
      background,
    );
  }

  /** Parse, run and free: fixes are computed before the parse is freed. */
  analyze(input: DocumentInput): Promise<AnalysisResult> {
    return this.analyzer.analyze(input, this.configFor(input.path), this.workspaceFor(input.path));
  }

  /** Every fix of these kinds applied, pass after pass, under the file's configuration. */
  fixAll(
    input: DocumentInput,
    kinds: readonly FixKind[] = ['safe'],
    options: { otherFiles?: boolean } = {},
  ): Promise<FixAllResult> {
    return fixAll(this.analyzer, input, {
      config: this.configFor(input.path),
      workspace: this.workspaceFor(input.path),
      kinds,
      ...options,
    });
  }

  private checkFiles(config: EffectiveConfig): void {
    const invalid: ConfigFile[] = [];
    for (const path of config.files) {
      const file = this.configs.file(path);
      if (file && file.problems.length > 0) invalid.push(file);
    }
    if (invalid.length === 0) return;
    const problems = ConfigLoader.problemsOf(invalid);
    if (this.options.onInvalidConfig === 'throw')
      throw new ConfigError(`The configuration is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    const key = problems.join('\n');
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.log?.(`Invalid configuration (its valid entries still apply):\n${problems.join('\n')}`);
  }
}
