import { statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Finding } from '../engine/analyze';
import { isTestFile } from '../engine/classify';
import { readAssembly } from '../engine/cdk/assembly';
import {
  cdkMessage,
  cfnPropertyAt,
  mappingContext,
  placeFinding,
  placementFix,
  type MappingContext,
  type TemplateFinding,
} from '../engine/cdk/map';
import { propName } from '../engine/cdk/fixes';
import { isConstructSource, sourceFileOf, type SourceFile } from '../engine/cdk/source';
import { collectSuppressions, isSuppressed } from '../engine/suppress';
import type { Range } from '../engine/text';
import { foldersUp, isWithin, realPathWithin, type WorkspaceView } from '../engine/workspace';
import type { Project } from './project';

/** A CDK app of the project: a folder with `cdk.json`, and where its cloud assembly is written. */
export interface CdkApp {
  folder: string;
  /** `cdk.out`, or the `output` of cdk.json. Absolute. */
  outDir: string;
}

/** A place that explains a finding, in another file (LSP's related information, SARIF's relatedLocations). */
export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

/** A finding of a synthesized template, shown where the CDK source declared the construct. */
export interface CdkFinding extends Finding {
  /** The file it is shown on: a source file of the app, or the template when it cannot be mapped. */
  path: string;
  /** The template location of the finding (one per stack that has it). */
  related: RelatedLocation[];
  cdk: {
    /** Construct paths of the stacks with this finding (`Shop`, `Prod/Shop`). */
    stacks: string[];
    /** The construct in the source (`Shop/OrdersDb`), when mapped. */
    constructPath?: string;
    /** How precisely: on the prop, on the construct's call, on the line of a creation stack, or not at all. */
    placement: 'prop' | 'construct' | 'line' | 'template';
    via?: 'creation stack' | 'construct id';
    /** Why the finding stays on the template. */
    reason?: string;
    /** Set when the source file changed after the synthesis: the words added to the message. */
    stale?: string;
  };
}

export interface CdkAnalysis {
  app: CdkApp;
  /** When the cloud assembly was written (ms), when known. */
  synthesizedAt?: number;
  findings: CdkFinding[];
  /** Findings a comment in the CDK source (or the template's metadata) silences. */
  suppressed: CdkFinding[];
  /** What could not be read, in words for the user; `cdk.out` missing is one of them. */
  problems: string[];
  /** The templates analysed (never to be reported again as plain templates). */
  templates: string[];
}

export interface CdkOptions {
  /** The text of a file when the editor has it open (unsaved edits); else it is read from the view. */
  text?: (path: string) => string | undefined;
  /** When a file was last changed (ms since the epoch); default: the file system, bounded at the project root. */
  modified?: (path: string) => number | undefined;
}

/** Folders of an app that hold no construct source of its own. */
const skippedFolders = new Set([
  'node_modules',
  '.git',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  'cdk.out',
  '.aws-sam',
]);
const maxSources = 3000;

/** The app in `folder` when it has a `cdk.json`, with the output folder it names. */
export function cdkAppAt(view: WorkspaceView, folder: string): CdkApp | undefined {
  const text = view.read(join(folder, 'cdk.json'));
  if (text === undefined) return undefined;
  let output = 'cdk.out';
  try {
    const json = JSON.parse(text) as { output?: unknown };
    if (typeof json.output === 'string' && json.output.trim()) output = json.output;
  } catch {
    // An unreadable cdk.json still makes a CDK app; cdk.out is where it writes by default.
  }
  return { folder, outDir: join(folder, output) };
}

/** The CDK app a file belongs to: the nearest folder with a cdk.json, up to the project root. */
export function cdkAppFor(project: Project, path: string): CdkApp | undefined {
  const view = project.workspaceFor(path);
  for (const folder of foldersUp(view, dirname(path))) {
    if (view.exists(join(folder, 'cdk.json'))) return cdkAppAt(view, folder);
  }
  return undefined;
}

/** The CDK apps among a folder's discovered files (their cdk.json). */
export function cdkAppsIn(project: Project, files: readonly string[]): CdkApp[] {
  const apps: CdkApp[] = [];
  for (const file of files) {
    if (basename(file) !== 'cdk.json') continue;
    const app = cdkAppAt(project.workspaceFor(file), dirname(file));
    if (app) apps.push(app);
  }
  return apps;
}

/** Whether a path is inside an app's cloud assembly (what the walker and the editor leave to this module). */
export function isInCloudAssembly(app: CdkApp, path: string): boolean {
  return isWithin(app.outDir, path);
}

/** When a file was last changed, from the file system, never through a link out of `root`. */
export function fileModified(root: string, path: string): number | undefined {
  const real = realPathWithin(path, root);
  if (real === undefined) return undefined;
  try {
    return statSync(real).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The app's construct sources: TypeScript, JavaScript and Python outside dependency, output and test folders. */
function listSources(view: WorkspaceView, app: CdkApp): string[] {
  const found: string[] = [];
  const outName = relative(app.folder, app.outDir);
  const visit = (folder: string, depth: number) => {
    if (depth > 12 || found.length >= maxSources) return;
    const entries = view.list?.(folder) ?? [];
    const names = new Set(entries);
    for (const entry of entries.sort()) {
      if (entry.endsWith('/')) {
        const name = entry.slice(0, -1);
        const path = join(folder, name);
        if (skippedFolders.has(name) || path === app.outDir || name === outName || name.startsWith('cdk.out'))
          continue;
        visit(path, depth + 1);
      } else if (isConstructSource(entry)) {
        // Compiled JavaScript beside its TypeScript would make every construct appear twice.
        if (/\.js$/.test(entry) && names.has(entry.replace(/\.js$/, '.ts'))) continue;
        const path = join(folder, entry);
        if (!isTestFile(path)) found.push(path);
      }
      if (found.length >= maxSources) return;
    }
  };
  visit(app.folder, 0);
  return found;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return minutes === 1 ? 'a minute' : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return hours === 1 ? 'an hour' : `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

/** The words that say a source file changed after the synthesis, if it did. */
export function staleWords(
  synthesizedAt: number | undefined,
  modified: number | undefined,
): string | undefined {
  // A second of slack: a save and a `cdk watch` synthesis can land in the same instant.
  if (synthesizedAt === undefined || modified === undefined || modified <= synthesizedAt + 1000)
    return undefined;
  return `Synthesized ${duration(modified - synthesizedAt)} before your last edit of this file: run cdk synth.`;
}

/**
 * Analyse an app's synthesized templates with the project's CloudFormation rules and show each
 * finding on the CDK source that created its construct. Reads cdk.out and the sources through
 * the project's bounded workspace view; never runs the app.
 */
export async function analyzeCdkApp(
  project: Project,
  app: CdkApp,
  options: CdkOptions = {},
): Promise<CdkAnalysis> {
  const view = project.workspaceFor(join(app.folder, 'cdk.json'));
  const root = project.rootOf(join(app.folder, 'cdk.json'));
  const modified = options.modified ?? ((path: string) => fileModified(root, path));
  const analysis: CdkAnalysis = { app, findings: [], suppressed: [], problems: [], templates: [] };
  const manifest = join(app.outDir, 'manifest.json');
  if (!view.exists(manifest)) {
    analysis.problems.push(
      `${relative(app.folder, app.outDir) || 'cdk.out'} has no cloud assembly: run cdk synth to have this CDK app's templates checked.`,
    );
    return analysis;
  }
  analysis.synthesizedAt = modified(manifest);
  const assembly = readAssembly(view, app.outDir);
  analysis.problems.push(...assembly.problems);

  const templateFindings: { found: TemplateFinding; suppressed: boolean }[] = [];
  for (const stack of assembly.stacks) {
    const text = view.read(stack.templatePath);
    if (text === undefined) {
      analysis.problems.push(`${stack.templatePath} cannot be read: stack ${stack.path} was not checked.`);
      continue;
    }
    analysis.templates.push(stack.templatePath);
    const document = await project.parse({ path: stack.templatePath, text });
    try {
      const result = await project.run(document);
      const template = document.model?.kind === 'cloudformation' ? document.model.template : undefined;
      const entries = [
        ...result.findings.map((f) => ({ f, suppressed: false })),
        ...result.suppressed.map((f) => ({ f, suppressed: true })),
      ];
      for (const { f, suppressed } of entries) {
        const resource = f.resource ? template?.resourceById.get(f.resource) : undefined;
        templateFindings.push({
          found: {
            finding: f,
            stack,
            cfnProperty: f.resource && template ? cfnPropertyAt(template, f.resource, f.span) : undefined,
            cfnType: resource?.type,
          },
          suppressed,
        });
      }
    } finally {
      document.dispose();
    }
  }
  if (templateFindings.length === 0) return analysis;

  const sources = await readSources(project, view, app, options);
  const context = mappingContext(
    app.folder,
    assembly,
    [...sources.values()].map((s) => s.file),
    (p) => view.exists(p),
  );
  const merged = new Map<string, CdkFinding>();
  for (const { found, suppressed } of templateFindings) {
    const mapped = mapOne(context, found, analysis.synthesizedAt, modified);
    const silenced =
      suppressed || (mapped.path !== found.stack.templatePath && sources.get(mapped.path)?.silences(mapped));
    const key = `${silenced ? 's' : 'f'}\u0000${mapped.path}\u0000${mapped.span.start}\u0000${mapped.span.end}\u0000${mapped.ruleId}\u0000${mapped.message}`;
    const same = merged.get(key);
    if (same) {
      same.related.push(...mapped.related);
      same.cdk.stacks.push(...mapped.cdk.stacks);
      continue;
    }
    merged.set(key, mapped);
    (silenced ? analysis.suppressed : analysis.findings).push(mapped);
  }
  for (const finding of [...analysis.findings, ...analysis.suppressed]) {
    if (finding.cdk.stacks.length > 1) {
      const names = finding.cdk.stacks;
      finding.message = finding.message.replace(
        finding.cdk.stale ? ` ${finding.cdk.stale}` : /$/,
        ` Found in stacks ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}.${finding.cdk.stale ? ` ${finding.cdk.stale}` : ''}`,
      );
    }
  }
  const order = (a: CdkFinding, b: CdkFinding) =>
    a.path.localeCompare(b.path) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId);
  analysis.findings.sort(order);
  analysis.suppressed.sort(order);
  return analysis;
}

interface ReadSource {
  file: SourceFile;
  silences(finding: CdkFinding): boolean;
}

async function readSources(
  project: Project,
  view: WorkspaceView,
  app: CdkApp,
  options: CdkOptions,
): Promise<Map<string, ReadSource>> {
  const sources = new Map<string, ReadSource>();
  for (const path of listSources(view, app)) {
    const text = options.text?.(path) ?? view.read(path);
    if (text === undefined) continue;
    // Cheap test first: a file that creates no construct is not parsed.
    if (!/['"`]/.test(text) || !/\(\s*(this|self|scope|\w+)\s*,/.test(text)) continue;
    const document = await project.parse({ path, text });
    try {
      const model = document.model;
      if (!model || (model.kind !== 'typescript' && model.kind !== 'javascript' && model.kind !== 'python'))
        continue;
      const file = sourceFileOf(path, text, model.code);
      if (file.calls.length === 0) continue;
      const suppressions = collectSuppressions(document);
      sources.set(path, {
        file,
        silences: (finding) =>
          suppressions.length > 0 && isSuppressed(finding.rule, finding.span, document, suppressions),
      });
    } finally {
      document.dispose();
    }
  }
  return sources;
}

function mapOne(
  context: MappingContext,
  found: TemplateFinding,
  synthesizedAt: number | undefined,
  modified: (path: string) => number | undefined,
): CdkFinding {
  const { finding, stack } = found;
  const placement = placeFinding(context, found);
  const logical = finding.resource ? `${finding.resource} in stack ${stack.path}` : `stack ${stack.path}`;
  const related: RelatedLocation = {
    path: stack.templatePath,
    range: finding.range,
    message: `Where CDK synthesized it: ${logical} (${relative(context.appFolder, stack.templatePath)}).`,
  };
  if (placement.kind === 'template') {
    return {
      ...finding,
      message: cdkMessage(placement, finding.message),
      // A fix of generated JSON would be overwritten by the next synthesis.
      fix: undefined,
      path: stack.templatePath,
      related: [],
      cdk: { stacks: [stack.path], placement: 'template', reason: placement.reason },
    };
  }
  const stale = staleWords(synthesizedAt, modified(placement.file.path));
  let message = cdkMessage(placement, finding.message);
  if (stale) message = `${message} ${stale}`;
  const data = { ...finding.data, construct: placement.constructPath };
  if (placement.prop) Object.assign(data, { prop: propName(placement.file, placement.prop.names[0]) });
  return {
    ...finding,
    data,
    message,
    span: placement.span,
    range: placement.file.lines.rangeOf(placement.span),
    fix: placementFix(context, placement, finding),
    path: placement.file.path,
    related: [related],
    cdk: {
      stacks: [stack.path],
      constructPath: placement.constructPath,
      placement: placement.kind,
      via: placement.via,
      stale,
    },
  };
}

/** The findings an app shows on one file (a source file of the app, or one of its templates). */
export function cdkFindingsFor(analysis: CdkAnalysis, path: string): CdkFinding[] {
  return analysis.findings.filter((f) => f.path === path);
}
