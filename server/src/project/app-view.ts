import { dirname, join } from 'node:path';
import type { ApplicationIndex, DeployableUnit, Runtime } from '../engine/applications';
import { isComposeName, isDockerfileName } from '../engine/classify';
import { referencedNames } from '../engine/cfn/references';
import { effectiveProperty } from '../engine/cfn/resources';
import { property, type Resource, type Template } from '../engine/parse/cloudformation';
import { buildCompose, type ComposeFile } from '../engine/parse/compose';
import { asMap, getPath, scalarText } from '../engine/parse/tree';
import { parseYaml } from '../engine/parse/yaml';
import { LineIndex, type Span } from '../engine/text';
import { foldersUp, isWithin, type WorkspaceView } from '../engine/workspace';
import type { ApplicationFacts, ApplicationRegion, ReportPlace } from '../report/applications';
import type { RunReport } from '../report/model';
import { parseTemplate } from './apps/template';

/**
 * The application view, built from the application model: which deployable units the files of a
 * run belong to (for the lesson report), and which units a template resource runs (for its
 * hover). The model answers for a source file; these helpers ask it for the right files and
 * find the declarations that make each runtime (the compose service, the ECS service and its
 * task definition, the Lambda function), whose findings are the application's too.
 */

/** A part of a compose file or template that declares a runtime, in offsets of the text read. */
interface Declaration {
  span: Span;
  kind: 'compose' | 'cfn';
  /** The resource, for a template. */
  resource?: Resource;
}

/** The template resources that make a runtime: an ECS service and the task definitions it runs, a Lambda function. */
export function runtimeResources(template: Template, runtime: Runtime): Resource[] {
  if (runtime.kind === 'compose') return [];
  const own = template.resources.find((r) => r.idNode.span.start === runtime.at.span.start);
  if (!own) return [];
  if (runtime.kind === 'lambda') return [own];
  const definitions = [...referencedNames(property(own, 'TaskDefinition')?.value)]
    .map((id) => template.resourceById.get(id))
    .filter((r): r is Resource => r?.type === 'AWS::ECS::TaskDefinition');
  return [own, ...definitions];
}

/** A compose file or template that declares runtimes, parsed once for all of them. */
interface RuntimeFile {
  compose?: ComposeFile;
  template?: Template;
}

function runtimeFile(kind: Runtime['kind'], text: string, path = ''): RuntimeFile {
  // Kubernetes manifests and CDK sources declare no regions of their own here (no rules read those files).
  if (kind === 'kubernetes' || /\.(m?[jt]sx?|cjs|cts|py)$/i.test(path)) return {};
  if (kind !== 'compose') return { template: parseTemplate(text) };
  const root = asMap(parseYaml(text).root);
  return { compose: root && buildCompose(root) };
}

/** The declarations of a runtime in its file; none when the file does not parse as the model read it. */
function runtimeDeclarations(runtime: Runtime, file: RuntimeFile): Declaration[] {
  if (runtime.kind === 'compose') {
    const service = file.compose?.services.find((s) => s.nameNode.span.start === runtime.at.span.start);
    return service ? [{ span: service.pair.span, kind: 'compose' }] : [];
  }
  return file.template
    ? runtimeResources(file.template, runtime).map((resource) => ({
        span: resource.span,
        kind: 'cfn',
        resource,
      }))
    : [];
}

export interface RunPaths {
  /** A path as the run's report writes it → the absolute path. */
  absolute(path: string): string;
  /** An absolute path → as the report writes it. */
  display(path: string): string;
  /** A file's text as the model reads it (the editor's, when it is open). */
  read(path: string): string | undefined;
}

const codeKinds = new Set(['javascript', 'typescript', 'python']);

/**
 * The deployable units the code of a run belongs to, with the files and the declarations whose
 * findings are theirs. Only code the model links to something that runs it makes a unit. The
 * model is asked once per folder of code.
 */
export function applicationFacts(
  run: RunReport,
  index: ApplicationIndex,
  paths: RunPaths,
): ApplicationFacts[] {
  const byFolder = new Map<string, DeployableUnit | undefined>();
  const units = new Map<string, { unit: DeployableUnit; files: Set<string> }>();
  const keyOf = (unit: DeployableUnit) => `${unit.root}\u0000${unit.dockerfile ?? ''}`;
  for (const file of run.files) {
    if (!codeKinds.has(file.kind)) continue;
    const path = paths.absolute(file.path);
    const folder = dirname(path);
    if (!byFolder.has(folder)) byFolder.set(folder, index.of(path));
    const unit = byFolder.get(folder);
    if (!unit) continue;
    const entry = units.get(keyOf(unit)) ?? { unit, files: new Set<string>() };
    entry.files.add(file.path);
    units.set(keyOf(unit), entry);
  }
  if (units.size === 0) return [];

  // The other files under a unit's root (its Dockerfile, manifests, .dockerignore) are its own,
  // the deepest root's when roots nest; compose files and templates count only by declaration.
  const roots = [...units.values()].sort((a, b) => b.unit.root.length - a.unit.root.length);
  for (const file of run.files) {
    if (codeKinds.has(file.kind) || file.kind === 'compose' || file.kind === 'cloudformation') continue;
    const path = paths.absolute(file.path);
    const owner =
      roots.find((r) => r.unit.dockerfile === path) ?? roots.find((r) => isWithin(r.unit.root, path));
    owner?.files.add(file.path);
  }

  // Each compose file or template read and parsed once, however many runtimes it declares.
  const files = new Map<string, { lines: LineIndex; parsed: RuntimeFile } | undefined>();
  const fileOf = (runtime: Runtime) => {
    const path = runtime.at.path;
    if (!files.has(path)) {
      const text = paths.read(path);
      files.set(
        path,
        text === undefined
          ? undefined
          : { lines: new LineIndex(text), parsed: runtimeFile(runtime.kind, text, path) },
      );
    }
    return files.get(path);
  };
  const place = (at: { path: string; range: ReportPlace['range'] }): ReportPlace => ({
    path: paths.display(at.path),
    range: at.range,
  });

  return [...units.values()]
    .sort((a, b) => a.unit.root.localeCompare(b.unit.root))
    .map(({ unit, files }) => {
      const regions: ApplicationRegion[] = [];
      for (const runtime of unit.runtimes) {
        const read = fileOf(runtime);
        if (!read) continue;
        for (const declaration of runtimeDeclarations(runtime, read.parsed))
          regions.push({
            path: paths.display(runtime.at.path),
            range: read.lines.rangeOf(declaration.span),
            kind: declaration.kind,
            ...(declaration.resource?.type ? { resourceType: declaration.resource.type } : {}),
          });
      }
      return {
        root: paths.display(unit.root),
        ...(unit.dockerfile ? { dockerfile: paths.display(unit.dockerfile) } : {}),
        imageEnvironment: unit.imageEnvironment,
        runtimes: unit.runtimes.map((runtime) => ({
          kind: runtime.kind,
          name: runtime.name,
          copies: runtime.copies.words,
          at: place(runtime.at),
          loadBalanced: runtime.loadBalanced !== undefined,
          environment: runtime.environment,
          environmentKnown: runtime.environmentKnown,
          mounts: runtime.mounts.map((m) => `${m.what} at ${m.path}`),
        })),
        backing: unit.backing.map((b) => ({ name: b.name, at: place(b.at) })),
        files: [...files].sort(),
        regions,
      };
    });
}

/** A unit a template resource runs, and its runtimes that the resource makes. */
export interface RunUnit {
  unit: DeployableUnit;
  runtimes: Runtime[];
}

const runtimeTypes = new Set([
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::Lambda::Function',
  'AWS::Serverless::Function',
]);

/** Whether a resource of this type can run an application's code (for the hover). */
export function runsCode(type: string | undefined): boolean {
  return type !== undefined && runtimeTypes.has(type);
}

const skippedFolders = /^(node_modules|\..*|dist|build|out|target|vendor|venv|__pycache__|cdk\.out)\/$/;
const codeFile = /\.(m?[jt]sx?|cjs|cts|py)$/i;

/**
 * The units a template resource runs. The model links code to what runs it, not the other way
 * round: the code roots that might be run here are asked — the resource's own code folder (a
 * Lambda `CodeUri`), and the folders with a Dockerfile beside the template and a few folders
 * above it — and the units whose runtimes the resource makes are kept. Bounded: a few dozen
 * folder listings.
 */
export function unitsRunBy(
  index: ApplicationIndex,
  workspace: WorkspaceView,
  path: string,
  template: Template,
  resource: Resource,
): RunUnit[] {
  if (!runsCode(resource.type)) return [];
  const roots: string[] = [];
  const add = (root: string) => {
    if (!roots.includes(root)) roots.push(root);
  };
  const folder = dirname(path);
  if (resource.type === 'AWS::Serverless::Function' || resource.type === 'AWS::Lambda::Function') {
    const code =
      resource.type === 'AWS::Serverless::Function'
        ? effectiveProperty(template, resource, 'CodeUri')?.pair.value
        : property(resource, 'Code')?.value;
    const relative = scalarText(code) ?? scalarText(getPath(resource.node, 'Metadata', 'DockerContext'));
    if (relative && !/^[a-z0-9]+:\/\//i.test(relative) && !relative.includes('${'))
      add(join(folder, relative));
  } else {
    let listings = 0;
    for (const up of foldersUp(workspace, folder, 3)) {
      const entries = workspace.list?.(up) ?? [];
      if (entries.some((e) => !e.endsWith('/') && isDockerfileName(e))) add(up);
      for (const entry of entries) {
        if (!entry.endsWith('/') || skippedFolders.test(entry) || listings >= maxListings) continue;
        listings++;
        const inner = workspace.list?.(join(up, entry)) ?? [];
        if (inner.some((e) => !e.endsWith('/') && isDockerfileName(e))) add(join(up, entry.slice(0, -1)));
      }
      if (entries.includes('.git/') || entries.includes('.git')) break;
    }
  }
  const found: RunUnit[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    const file = codeFileIn(workspace, root);
    const unit = file && index.of(file);
    if (!unit || seen.has(unit.root)) continue;
    seen.add(unit.root);
    const runtimes = unit.runtimes.filter(
      (r) => r.at.path === path && runtimeResources(template, r).includes(resource),
    );
    if (runtimes.length > 0) found.push({ unit, runtimes });
  }
  return found;
}

const maxListings = 40;

/** A source file at the top of a code folder (or in its `src/`, `app/`), to ask the model with. */
function codeFileIn(workspace: WorkspaceView, root: string): string | undefined {
  for (const folder of [root, join(root, 'src'), join(root, 'app')]) {
    const entry = (workspace.list?.(folder) ?? []).find(
      (e) => !e.endsWith('/') && codeFile.test(e) && !isComposeName(e) && !/\.(test|spec)\./.test(e),
    );
    if (entry) return join(folder, entry);
  }
  return undefined;
}
