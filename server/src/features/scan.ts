import { existsSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, WorkDoneProgressReporter } from 'vscode-languageserver';
import { LineIndex } from '../engine/text';
import type { AnalysisResult, BackgroundTurns } from '../engine/analyze';
import type { CdkFinding } from '../project/cdk';
import { applicationFacts } from '../project/app-view';
import { CdkApps, cdkRunFindings, mergeCdkFindings, type CdkRunFindings } from '../project/cdk-apps';
import { fatalProblem, fileReport, readSource, runReport, type FileOutcome } from '../project/run';
import { formatHtml } from '../report/html';
import { scoreLessons } from '../report/lessons';
import { formatMarkdown, type LinkTo } from '../report/markdown';
import type { LessonReportParams, LessonReportResult, ScanParams, ScanResult } from '../report/protocol';
import { diagnosticsOf, toDiagnostic } from './diagnostics';
import { pathOf, type Session } from './session';

interface ScannedFile extends FileOutcome {
  uri: string;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The workspace scan: the files of the folders, as the project model finds and configures them
 * (the same files and findings as the CLI), published to the Problems panel. Files the scan
 * covered keep their diagnostics when they are closed; an open document keeps its own.
 */
export class WorkspaceScan {
  /** Files the workspace scans covered (URIs): their diagnostics outlive closing them. */
  private readonly scanned = new Set<string>();
  /** Of those, the ones whose last published diagnostics were not empty. */
  private readonly published = new Set<string>();

  /** The scan's rules give way to the editor every few milliseconds. */
  private readonly background: BackgroundTurns;

  constructor(private readonly session: Session) {
    this.background = { sliceMs: 4, pause: () => session.priority.idle() };
  }

  covers(uri: string): boolean {
    return this.scanned.has(uri);
  }

  /**
   * Analyse one file for a scan: the editor's text when it is open, else the file on disk; with
   * the findings its CDK app shows on it (`cdk`: those of the scan's run of the apps; else the
   * editor's analysis of its app).
   */
  async scanFile(
    path: string,
    display: string,
    cdk?: { findings: CdkFinding[]; suppressed: CdkFinding[] },
  ): Promise<ScannedFile | undefined> {
    const { session } = this;
    const uri = pathToFileURL(path).href;
    const open = session.documents.get(uri);
    const config = session.project.configFor(path);
    if (config.isIgnored(path)) return undefined;
    const source = open ? { text: open.getText() } : readSource(path);
    if ('error' in source)
      return {
        uri,
        report: { path: display, kind: 'other', findings: [] },
        analysed: false,
        error: source.error,
        failOn: config.failOn.value,
      };
    // Typing comes first: the scan parses and runs its rules between the editor's checks.
    await session.priority.idle();
    const parsed = await session.project.parse({ path, text: source.text, languageId: open?.languageId });
    try {
      const analysed = await session.project.run(parsed, this.background);
      // A template CDK wrote shows only what its app could not map to the source.
      const ownResult = session.cdk.isGenerated(path) ? { ...analysed, findings: [] } : analysed;
      const cdkFindings = cdk?.findings ?? (await session.cdk.findingsFor(path));
      const result: AnalysisResult =
        cdkFindings.length > 0
          ? { ...ownResult, findings: [...ownResult.findings, ...cdkFindings] }
          : ownResult;
      if (!open) {
        const diagnostics = diagnosticsOf(session, { parsed, result });
        if (diagnostics.length > 0 || this.published.has(uri)) session.host.publish({ uri, diagnostics });
        if (diagnostics.length > 0) this.published.add(uri);
        else this.published.delete(uri);
      }
      this.scanned.add(uri);
      const lines: LineIndex = parsed.lines;
      return {
        uri,
        // Fixes are not needed for the report: they are computed when the editor asks for them.
        report: mergeCdkFindings(
          fileReport(display, ownResult, lines, false, { document: parsed }),
          cdkFindings,
          [],
          {
            display: (p) => this.displayOf(p),
            withFixes: false,
          },
        ),
        analysed: true,
        error: fatalProblem(result, lines),
        failOn: config.failOn.value,
      };
    } finally {
      parsed.dispose();
    }
  }

  /** A closed document the scan covered: its findings as saved on disk (or none when it is gone). */
  async publishFromDisk(uri: string): Promise<void> {
    try {
      const path = pathOf(uri);
      if (!existsSync(path)) {
        this.scanned.delete(uri);
        this.published.delete(uri);
        this.session.host.publish({ uri, diagnostics: [] });
        return;
      }
      await this.scanFile(path, path);
    } catch (error) {
      this.session.host.log(`Cannot re-check ${uri}: ${(error as Error).message}`);
    }
  }

  /**
   * Walk the folders, analyse every file, publish the findings, and report progress. Stops
   * between two files when the request or the progress is cancelled.
   */
  async scanFolders(
    params: ScanParams,
    progress: WorkDoneProgressReporter,
    token: CancellationToken,
  ): Promise<{ files: ScannedFile[]; cancelled: boolean }> {
    const { session } = this;
    const progressCancelled = 'token' in progress ? (progress.token as CancellationToken) : undefined;
    const isCancelled = () => token.isCancellationRequested || !!progressCancelled?.isCancellationRequested;
    progress.begin('Cloud Lessons: scanning the workspace', 0, 'Finding files…', true);
    session.includeFolders(params.folders);
    const roots = folderPaths(params.folders);
    this.roots = roots;
    const targets: { path: string; display: string }[] = [];
    for (const root of roots) {
      const prefix = roots.length > 1 ? `${basename(root)}/` : '';
      const found = session.project.files(root, {
        exclude: params.exclude,
        excludeBase: root,
        isCancelled,
        onError: (path, message) => session.host.log(`Scan: ${path}: ${message}`),
      });
      for (const path of found)
        targets.push({ path, display: prefix + relative(root, path).split(sep).join('/') });
      await nextTurn();
    }
    const cdk = await this.cdkRun(targets, isCancelled);
    const files: ScannedFile[] = [];
    let lastReport = 0;
    for (let i = 0; i < targets.length && !isCancelled(); i++) {
      const { path, display } = targets[i];
      if (Date.now() - lastReport > 100) {
        lastReport = Date.now();
        progress.report(
          Math.floor((100 * i) / targets.length),
          `${i} of ${targets.length} files: ${display}`,
        );
      }
      try {
        const file = await this.scanFile(path, display, {
          findings: cdk.run.findings.get(path) ?? [],
          suppressed: cdk.run.suppressed.get(path) ?? [],
        });
        if (file) files.push(file);
      } catch (error) {
        session.host.log(`Scanning ${path} failed: ${(error as Error).stack ?? error}`);
      }
      // Let a cancellation (a message on the connection) arrive between two files.
      await nextTurn();
    }
    if (!isCancelled()) files.push(...this.publishTemplateFindings(cdk.run, targets, roots));
    const cancelled = isCancelled();
    if (!cancelled) {
      // Files an earlier scan reported on that this one did not reach (deleted, now ignored or
      // excluded): their findings leave the Problems panel.
      const reached = new Set(
        [...targets.map((t) => t.path), ...cdk.run.findings.keys()].map((p) => pathToFileURL(p).href),
      );
      const under = roots.map((root) => pathToFileURL(root).href + '/');
      for (const uri of [...this.published]) {
        if (reached.has(uri) || !under.some((prefix) => uri.startsWith(prefix)) || session.documents.get(uri))
          continue;
        this.published.delete(uri);
        this.scanned.delete(uri);
        session.host.publish({ uri, diagnostics: [] });
      }
    }
    progress.done();
    return { files, cancelled };
  }

  /** How the scan's reports write a path: relative to the workspace folder it is in. */
  private displayOf(path: string): string {
    const roots = this.roots;
    const root = roots.find((r) => path === r || path.startsWith(r + sep));
    if (!root) return path;
    const prefix = roots.length > 1 ? `${basename(root)}/` : '';
    return prefix + relative(root, path).split(sep).join('/');
  }

  private roots: string[] = [];

  /**
   * The CDK apps of the scanned files, analysed once for the scan: their templates leave the
   * targets (the apps read them), their findings are grouped by the file they are shown on.
   */
  private async cdkRun(
    targets: { path: string; display: string }[],
    isCancelled: () => boolean,
  ): Promise<{ run: CdkRunFindings }> {
    const { session } = this;
    const apps = new CdkApps(session.project, {
      text: (path) => session.documents.get(pathToFileURL(path).href)?.getText(),
    });
    const kept = targets.filter((t) => !apps.isGenerated(t.path));
    targets.splice(0, targets.length, ...kept);
    if (isCancelled()) return { run: { findings: new Map(), suppressed: new Map(), notes: [] } };
    const run = await cdkRunFindings(
      apps,
      targets.map((t) => t.path),
    );
    for (const note of run.notes) session.host.log(`Scan: ${note.path}: ${note.message}`);
    return { run };
  }

  /**
   * The findings a CDK app could not map to its source stay on the synthesized template: shown
   * there when the file is closed, and in the scan's report.
   */
  private publishTemplateFindings(
    run: CdkRunFindings,
    targets: { path: string }[],
    roots: string[],
  ): ScannedFile[] {
    const { session } = this;
    const targeted = new Set(targets.map((t) => t.path));
    const files: ScannedFile[] = [];
    for (const [path, findings] of run.findings) {
      if (targeted.has(path) || !roots.some((r) => path.startsWith(r + sep))) continue;
      const config = session.project.configFor(path);
      if (config.isIgnored(path)) continue;
      const uri = pathToFileURL(path).href;
      if (!session.documents.get(uri)) {
        session.host.publish({ uri, diagnostics: findings.map((f) => toDiagnostic(session, f)) });
        this.published.add(uri);
      }
      this.scanned.add(uri);
      const display = this.displayOf(path);
      files.push({
        uri,
        report: mergeCdkFindings({ path: display, kind: 'cloudformation', findings: [] }, findings, [], {
          display: (p) => this.displayOf(p),
          withFixes: false,
        }),
        analysed: true,
        failOn: config.failOn.value,
      });
    }
    return files;
  }

  async scan(
    params: ScanParams,
    progress: WorkDoneProgressReporter,
    token: CancellationToken,
  ): Promise<ScanResult> {
    if (!this.session.settings.enable)
      return { files: 0, findings: 0, filesWithFindings: 0, errors: 0, cancelled: false };
    const { files, cancelled } = await this.scanFolders(params, progress, token);
    const analysed = files.filter((f) => f.analysed);
    return {
      files: analysed.length,
      findings: analysed.reduce((n, f) => n + f.report.findings.length, 0),
      filesWithFindings: analysed.filter((f) => f.report.findings.length > 0).length,
      errors: files.filter((f) => f.error).length,
      cancelled,
    };
  }

  /** The lesson report of the folders: scored from a scan, with links the client can follow. */
  async lessonReport(
    params: LessonReportParams,
    progress: WorkDoneProgressReporter,
    token: CancellationToken,
  ): Promise<LessonReportResult> {
    const { files, cancelled } = await this.scanFolders(params, progress, token);
    const roots = folderPaths(params.folders);
    const root = roots[0] ?? '/';
    const run = runReport(this.session.project, root, files);
    const uris = new Map(files.map((f) => [f.report.path, f.uri]));
    // The configuration that applies to files at the top of the (first) folder.
    const rootConfig = this.session.project.configFor(join(root, 'report'));
    const { session } = this;
    const absolutes = new Map(files.map((f) => [f.report.path, pathOf(f.uri)]));
    const report = scoreLessons(run, {
      subject: roots.map((r) => basename(r)).join(', ') || 'workspace',
      settingOf: (rule) => rootConfig.chosenSetting(rule),
      applications: applicationFacts(run, session.project.applications, {
        absolute: (path) => absolutes.get(path) ?? join(root, path),
        display: (path) => this.displayOf(path),
        read: (path) =>
          session.documents.get(pathToFileURL(path).href)?.getText() ??
          session.project.workspaceFor(path).read(path),
      }),
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
  }
}

function folderPaths(folders: string[]): string[] {
  return folders
    .filter((uri) => uri.startsWith('file:'))
    .map(pathOf)
    .filter((path) => existsSync(path) && statSync(path).isDirectory());
}
