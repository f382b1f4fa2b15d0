import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Finding } from '../engine/analyze';
import { classify, type FileKind } from '../engine/classify';
import { applyEdits, overlaps } from '../engine/fixes';
import type { FixKind } from '../engine/rule';
import { LineIndex, type TextEdit } from '../engine/text';
import { isWithin } from '../engine/workspace';
import {
  toReportFinding,
  type FileReport,
  type FixDetail,
  type ReportFinding,
  type RunNote,
} from '../report/model';
import { fingerprintCdkFindings } from './baseline';
import {
  analyzeCdkApp,
  cdkAppAt,
  isInCloudAssembly,
  type CdkAnalysis,
  type CdkApp,
  type CdkFinding,
  type CdkOptions,
} from './cdk';
import type { Project } from './project';
import type { CheckedFile } from './run';

/** Whether a finding is one of a CDK app's, mapped from a synthesized template. */
export function isCdkFinding(finding: Finding): finding is CdkFinding {
  return 'cdk' in finding && 'related' in finding;
}

/**
 * The CDK apps the front-ends meet, and their analyses: each app is found once per folder and
 * analysed once per `key` (the CLI and the scan pass none: once per run; the editor passes the
 * versions of the open sources and of the cloud assembly it has seen).
 */
export class CdkApps {
  /** The app of each folder asked about (undefined: none up to the project root). */
  private readonly appOfFolder = new Map<string, CdkApp | undefined>();
  private readonly analyses = new Map<string, { key: string; analysis: Promise<CdkAnalysis> }>();

  constructor(
    private readonly project: Project,
    private readonly options: CdkOptions = {},
  ) {}

  /** The app a file belongs to: the nearest folder with a cdk.json, up to the project root. */
  appOf(path: string): CdkApp | undefined {
    return this.appOfFolderAt(dirname(path));
  }

  private appOfFolderAt(folder: string): CdkApp | undefined {
    if (this.appOfFolder.has(folder)) return this.appOfFolder.get(folder);
    const view = this.project.workspaceFor(join(folder, '.'));
    let app: CdkApp | undefined;
    if (view.exists(join(folder, 'cdk.json'))) app = cdkAppAt(view, folder);
    else if (folder !== this.project.rootOf(join(folder, '.')) && dirname(folder) !== folder)
      app = this.appOfFolderAt(dirname(folder));
    this.appOfFolder.set(folder, app);
    return app;
  }

  /** Whether a file is inside the cloud assembly of its app: CDK wrote it, the app analysis reads it. */
  isGenerated(path: string): boolean {
    const app = this.appOf(path);
    return !!app && isInCloudAssembly(app, path);
  }

  /** The app's analysis, computed again when `key` differs from the last one's. */
  analysisOf(app: CdkApp, key = ''): Promise<CdkAnalysis> {
    const cached = this.analyses.get(app.folder);
    if (cached && cached.key === key) return cached.analysis;
    const analysis = analyzeCdkApp(this.project, app, this.options);
    this.analyses.set(app.folder, { key, analysis });
    // A failed analysis is not kept: the next request tries again.
    analysis.catch(
      () => this.analyses.get(app.folder)?.analysis === analysis && this.analyses.delete(app.folder),
    );
    return analysis;
  }

  /** Forget the analyses (a cloud assembly or a cdk.json changed); with a path, only its app's. */
  forget(path?: string): void {
    if (path === undefined) {
      this.analyses.clear();
      this.appOfFolder.clear();
      return;
    }
    for (const folder of this.analyses.keys()) if (isWithin(folder, path)) this.analyses.delete(folder);
    // A cdk.json added or removed changes which folders are apps.
    if (path.endsWith('cdk.json')) this.appOfFolder.clear();
  }

  /** The distinct apps of these files (a cdk.json, a source, a template of its assembly). */
  appsOf(paths: Iterable<string>): CdkApp[] {
    const apps = new Map<string, CdkApp>();
    for (const path of paths) {
      const app = this.appOf(path);
      if (app) apps.set(app.folder, app);
    }
    return [...apps.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  }
}

/** What the CDK apps of a run found, by the file each finding is shown on. */
export interface CdkRunFindings {
  findings: Map<string, CdkFinding[]>;
  suppressed: Map<string, CdkFinding[]>;
  /** What the user should know about the apps (no cloud assembly, unreadable files). */
  notes: { path: string; message: string }[];
}

/** Analyse the apps of these files and group what they found by file. */
export async function cdkRunFindings(apps: CdkApps, paths: Iterable<string>): Promise<CdkRunFindings> {
  const run: CdkRunFindings = { findings: new Map(), suppressed: new Map(), notes: [] };
  const add = (map: Map<string, CdkFinding[]>, finding: CdkFinding) => {
    const list = map.get(finding.path);
    if (list) list.push(finding);
    else map.set(finding.path, [finding]);
  };
  for (const app of apps.appsOf(paths)) {
    const analysis = await apps.analysisOf(app);
    for (const finding of analysis.findings) add(run.findings, finding);
    for (const finding of analysis.suppressed) add(run.suppressed, finding);
    for (const message of analysis.problems) run.notes.push({ path: join(app.folder, 'cdk.json'), message });
  }
  return run;
}

/** How the reports write a path: relative to the run's folder, with forward slashes. */
export type DisplayPath = (path: string) => string;

/** A CDK finding as the output formats see it: the template location as related information. */
export function cdkReportFinding(
  finding: CdkFinding,
  display: DisplayPath,
  withFix: FixDetail,
  lines?: LineIndex,
): ReportFinding {
  const reported = toReportFinding(finding, lines ?? new LineIndex(''), lines ? withFix : false);
  reported.related = finding.related.map((r) => ({
    path: display(r.path),
    range: r.range,
    message: r.message,
  }));
  reported.cdk = {
    stacks: finding.cdk.stacks,
    ...(finding.cdk.constructPath ? { constructPath: finding.cdk.constructPath } : {}),
  };
  return reported;
}

export interface CdkMergeOptions {
  display: DisplayPath;
  /** Compute the fixes (edits of the CDK source); needs the file's text. */
  withFixes: FixDetail;
  /** The file's text, for the fixes' positions. */
  text?: string;
  fingerprints?: boolean;
  suppressed?: boolean;
}

/**
 * A file's report with its CDK findings added (and its suppressed ones, when the output shows
 * them), in document order. A source file also analysed as code keeps its own findings.
 */
export function mergeCdkFindings(
  report: FileReport,
  findings: readonly CdkFinding[],
  suppressed: readonly CdkFinding[],
  options: CdkMergeOptions,
): FileReport {
  const lines = options.withFixes && options.text !== undefined ? new LineIndex(options.text) : undefined;
  const reported = (list: readonly CdkFinding[], withFix: FixDetail) => {
    const out = list.map((f) => cdkReportFinding(f, options.display, withFix, lines));
    if (options.fingerprints)
      fingerprintCdkFindings(list).forEach((print, i) => {
        out[i].fingerprint = { id: print.fingerprint, occurrence: print.occurrence, where: print.where };
      });
    return out;
  };
  const byPosition = (a: ReportFinding, b: ReportFinding) =>
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  report.findings = [...report.findings, ...reported(findings, options.withFixes)].sort(byPosition);
  if (options.suppressed && suppressed.length > 0)
    report.suppressed = [...(report.suppressed ?? []), ...reported(suppressed, false)].sort(byPosition);
  return report;
}

/** The notes of a run's CDK apps, with paths as the report writes them. */
export function cdkNotes(run: CdkRunFindings, display: DisplayPath): RunNote[] {
  return run.notes.map((note) => ({ path: display(note.path), message: note.message }));
}

export interface CdkOutcomeOptions extends Omit<CdkMergeOptions, 'text'> {
  /** Whether the run covers a file it did not check itself (inside a walked folder, changed, not ignored). */
  covers(path: string): boolean;
  /** The text a file was checked with (standard input), when not the one on disk. */
  text?(path: string): string | undefined;
  /** What `fixCdkSources` fixed: those findings are left out, and counted as fixed. */
  fixed?: CdkFixes;
}

/** The CDK findings `--fix` fixed in the source, by file. */
export interface CdkFixes {
  /** Findings fixed, by source file. */
  counts: Map<string, number>;
  /** `cdkFixKey` of each fixed finding: the cloud assembly still has them until the next synth. */
  keys: Set<string>;
  /** The apps whose sources were fixed (their cdk.json), for the note that asks for a synth. */
  apps: Set<string>;
}

/** What identifies a CDK finding across its fix: the file, the rule and the construct. */
export function cdkFixKey(finding: CdkFinding): string {
  return `${finding.path}\u0000${finding.ruleId}\u0000${finding.cdk.constructPath ?? ''}`;
}

/** Passes over a file's CDK fixes: one fix can leave another for the next (two props added at one place). */
const maxFixPasses = 5;

/**
 * `--fix` for CDK apps: apply the fixes of these kinds that CDK findings offer in the source
 * (`pointInTimeRecovery: true`, `RemovalPolicy.RETAIN` with its import), in passes, each on the
 * text the last one left (fixes of the code rules already written included), then write each
 * file once. Only source files the run checked or covers; never a template. The cloud
 * assembly is not rewritten: the findings stay in it until the user synthesizes again.
 */
export async function fixCdkSources(
  project: Project,
  paths: readonly string[],
  kinds: readonly FixKind[],
  covers: (path: string) => boolean,
): Promise<CdkFixes> {
  const fixes: CdkFixes = { counts: new Map(), keys: new Set(), apps: new Set() };
  const edited = new Map<string, string>();
  for (let pass = 0; pass < maxFixPasses; pass++) {
    const apps = new CdkApps(project, { text: (path) => edited.get(path) });
    const run = await cdkRunFindings(apps, paths);
    let applied = 0;
    for (const [path, findings] of run.findings) {
      if (apps.isGenerated(path) || !covers(path) || project.configFor(path).isIgnored(path)) continue;
      const text = edited.get(path) ?? project.workspaceFor(path).read(path);
      if (text === undefined) continue;
      const chosen: TextEdit[][] = [];
      const fixedHere: CdkFinding[] = [];
      for (const finding of findings) {
        if (fixes.keys.has(cdkFixKey(finding))) continue;
        const fix = finding.fix?.();
        if (!fix || !kinds.includes(fix.kind) || fix.edits.length === 0) continue;
        const same = (edits: TextEdit[]) =>
          edits.length === fix.edits.length &&
          edits.every(
            (e, i) =>
              e.start === fix.edits[i].start && e.end === fix.edits[i].end && e.text === fix.edits[i].text,
          );
        // The same edit offered twice (a construct of two stacks): made once, both fixed.
        if (chosen.some(same)) {
          fixedHere.push(finding);
          continue;
        }
        if (chosen.some((edits) => overlaps(edits, fix.edits))) continue;
        chosen.push([...fix.edits]);
        fixedHere.push(finding);
      }
      if (chosen.length === 0) continue;
      const next = applyEdits(text, chosen.flat());
      if (next === text) continue;
      edited.set(path, next);
      applied += fixedHere.length;
      for (const finding of fixedHere) fixes.keys.add(cdkFixKey(finding));
      fixes.counts.set(path, (fixes.counts.get(path) ?? 0) + fixedHere.length);
      const app = apps.appOf(path);
      if (app) fixes.apps.add(join(app.folder, 'cdk.json'));
    }
    if (applied === 0) break;
  }
  for (const [path, text] of edited) {
    writeFileSync(path, text);
    project.wrote(path);
  }
  return fixes;
}

/**
 * The outcomes of a CLI run with the findings of its CDK apps added: on the files checked (a
 * source also analysed as code gets both), or as outcomes of their own for the files the run
 * covers but did not check (a template a finding stays on). Files inside a cloud assembly that
 * were checked as plain templates (named on the command line) get none a second time.
 */
export async function withCdkOutcomes(
  project: Project,
  apps: CdkApps,
  outcomes: CheckedFile[],
  options: CdkOutcomeOptions,
): Promise<{ outcomes: CheckedFile[]; notes: RunNote[] }> {
  const checked = outcomes.filter((o) => o.analysed);
  const run = await cdkRunOutcomes(
    apps,
    checked.map((o) => o.path),
    options.fixed,
  );
  for (const outcome of checked) addCdkFindings(project, apps, run, outcome, options);
  const byPath = new Set(checked.map((o) => o.path));
  const added = cdkOwnOutcomes(project, run, (path) => byPath.has(path), options);
  return { outcomes: [...outcomes, ...added], notes: cdkNotes(run, options.display) };
}

/** What the CDK apps of a run found, less what `--fix` fixed in the source (see withCdkOutcomes). */
export interface CdkRunOutcomes extends CdkRunFindings {
  fixed?: CdkFixes;
  /** The files with findings, suppressed findings or fixes. */
  paths: Set<string>;
}

/**
 * Analyse the CDK apps of the files a run checks (or checked), for `addCdkFindings` and
 * `cdkOwnOutcomes`: the CLI asks before it checks the files, to write each one as it is done.
 */
export async function cdkRunOutcomes(
  apps: CdkApps,
  paths: Iterable<string>,
  fixed?: CdkFixes,
): Promise<CdkRunOutcomes> {
  const run = await cdkRunFindings(apps, paths);
  if (fixed) {
    for (const [path, findings] of run.findings) {
      const left = findings.filter((f) => !fixed.keys.has(cdkFixKey(f)));
      if (left.length === findings.length) continue;
      if (left.length > 0) run.findings.set(path, left);
      else run.findings.delete(path);
    }
    for (const app of fixed.apps)
      run.notes.push({
        path: app,
        message:
          'Findings were fixed in the CDK source, but the cloud assembly still holds the templates synthesized before: run cdk synth to check the fixed app.',
      });
  }
  const withAny = new Set([
    ...run.findings.keys(),
    ...run.suppressed.keys(),
    ...(fixed?.counts.keys() ?? []),
  ]);
  return { ...run, ...(fixed ? { fixed } : {}), paths: withAny };
}

/** A checked (analysed) file's outcome with its CDK findings added, and its CDK fixes counted. */
export function addCdkFindings(
  project: Project,
  apps: CdkApps,
  run: CdkRunOutcomes,
  outcome: CheckedFile,
  options: CdkOutcomeOptions,
): void {
  const path = outcome.path;
  if (!run.paths.has(path) || apps.isGenerated(path)) return;
  mergeOutcome(project, run, outcome, options);
}

function mergeOutcome(
  project: Project,
  run: CdkRunOutcomes,
  outcome: CheckedFile,
  options: CdkOutcomeOptions,
) {
  const path = outcome.path;
  outcome.fixed += run.fixed?.counts.get(path) ?? 0;
  const text = options.withFixes
    ? (options.text?.(path) ?? project.workspaceFor(path).read(path))
    : undefined;
  mergeCdkFindings(outcome.report, run.findings.get(path) ?? [], run.suppressed.get(path) ?? [], {
    ...options,
    text,
  });
}

/**
 * Outcomes of their own, in path order, for the files with CDK findings that the run covers but
 * did not check (`checked`: whether it checked and analysed a file).
 */
export function cdkOwnOutcomes(
  project: Project,
  run: CdkRunOutcomes,
  checked: (path: string) => boolean,
  options: CdkOutcomeOptions,
): CheckedFile[] {
  const added: CheckedFile[] = [];
  for (const path of [...run.paths].sort()) {
    if (checked(path)) continue;
    if (!options.covers(path) || project.configFor(path).isIgnored(path)) continue;
    const outcome: CheckedFile = {
      path,
      report: { path: options.display(path), kind: kindOf(path), findings: [] },
      analysed: true,
      failOn: project.configFor(path).failOn.value,
      fixed: 0,
    };
    mergeOutcome(project, run, outcome, options);
    added.push(outcome);
  }
  return added;
}

/** The kind a file a CDK finding is shown on is reported as. */
function kindOf(path: string): FileKind {
  // A source by its extension; else the synthesized template the finding stays on.
  const kind = classify(path, '');
  return kind === 'other' ? 'cloudformation' : kind;
}
