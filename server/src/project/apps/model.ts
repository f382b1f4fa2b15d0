import { basename, dirname, join } from 'node:path';
import type {
  ApplicationIndex,
  BackingService,
  DeployableUnit,
  FileEdits,
  ParsedTemplate,
  Place,
  Runtime,
  Wiring,
} from '../../engine/applications';
import { isComposeName, isDockerfileName, looksLikeTemplate } from '../../engine/classify';
import { imageNameOf } from '../../engine/docker/orchestrator';
import { FileVerdicts } from '../../engine/file-verdicts';
import type { TextEdit } from '../../engine/text';
import { foldersUp, isWithin, type WorkspaceView } from '../../engine/workspace';
import {
  composeFacts,
  namesHost,
  serviceVariableEdit,
  type ComposeFacts,
  type ComposeService,
} from './compose';
import {
  containerVariableEdit,
  functionVariableEdit,
  templateFacts,
  type EcsContainer,
  type LambdaFunction,
  type TemplateBacking,
  type TemplateFacts,
} from './template';
import { withoutTrailingSeparators, type ReadFile } from './files';
import { cdkRunsFor, cdkRunsNamed, CdkSources, type CdkAppFacts } from './cdk';
import {
  kubernetesBacking,
  kubernetesFacts,
  kubernetesRuns,
  looksLikeKubernetes,
  type KubernetesFacts,
} from './kubernetes';
import { secretMove, writtenValues } from './secrets';

/**
 * The application model: for a source file, the deployable unit its code belongs to — the
 * build context or `CodeUri` that holds it, the Dockerfile, the compose services, ECS services
 * and Lambda functions that run it, how many copies of each, the variable names they are given,
 * and the backing services declared in the same files.
 *
 * It is built from the compose files and templates near the code (the folders from the file up
 * to the repository's top, and their `infra/`, `deploy/`… folders), never from a scan of the
 * workspace. Each of those files is parsed once per text (a keystroke elsewhere reuses it); the
 * list of files near a folder is remembered for a few seconds.
 */
export class ApplicationModel implements ApplicationIndex {
  private readonly composes = new FileVerdicts<ComposeFacts | undefined>(64);
  private readonly templates = new FileVerdicts<TemplateFacts | undefined>(64);
  private readonly manifests = new FileVerdicts<KubernetesFacts | undefined>(64);
  private readonly cdkSources = new CdkSources();
  private readonly nearby = new Map<string, { at: number; files: string[] }>();

  constructor(
    private readonly workspaceFor: (path: string) => WorkspaceView,
    /** The text of a file the editor has open (unsaved edits count), else undefined. */
    private readonly openText: (path: string) => string | undefined = () => undefined,
  ) {}

  /** Files changed on disk or in the editor: the lists of nearby files are read again. */
  forget(): void {
    this.nearby.clear();
  }

  of(path: string): DeployableUnit | undefined {
    const workspace = this.workspaceFor(path);
    const composes: ComposeFacts[] = [];
    const templates: TemplateFacts[] = [];
    const manifests: KubernetesFacts[] = [];
    const cdkApps: CdkAppFacts[] = [];
    for (const file of this.filesNear(dirname(path), workspace)) {
      const text = this.openText(file) ?? workspace.read(file);
      if (text === undefined || text.length > maxFileChars) continue;
      if (isComposeName(basename(file))) {
        const facts = this.composes.get(file, text, () =>
          composeFacts(file, text, (envFile) => workspace.read(envFile)),
        );
        if (facts) composes.push(facts);
      } else if (looksLikeTemplate(text, text.trimStart().startsWith('{'))) {
        const facts = this.templates.get(file, text, () => templateFacts(file, text));
        if (facts) templates.push(facts);
      } else if (basename(file) === 'cdk.json') {
        cdkApps.push(
          this.cdkSources.app(file, text, (source) => this.openText(source) ?? workspace.read(source)),
        );
      } else if (/\.ya?ml$/i.test(file) && looksLikeKubernetes(text)) {
        const facts = this.manifests.get(file, text, () => kubernetesFacts(file, text));
        if (facts) manifests.push(facts);
      }
    }
    if (composes.length === 0 && templates.length === 0 && manifests.length === 0 && cdkApps.length === 0)
      return undefined;
    return link(path, workspace, composes, templates, { manifests, cdkApps });
  }

  /**
   * The applications a template or compose file runs: what `of` links for the code folders near
   * it (its build contexts and `CodeUri` folders, and the folders with a Dockerfile from the
   * repository's top down to two levels below it), kept when one of their runtimes is declared
   * in this file.
   */
  runBy(path: string, parsed?: ParsedTemplate): DeployableUnit[] {
    const workspace = this.workspaceFor(path);
    const folders = new Set<string>();
    const text = this.openText(path) ?? workspace.read(path);
    if (text !== undefined && text.length <= maxFileChars) {
      if (isComposeName(basename(path))) {
        const facts = this.composes.get(path, text, () =>
          composeFacts(path, text, (envFile) => workspace.read(envFile)),
        );
        for (const service of facts?.services ?? []) if (service.context) folders.add(service.context);
      } else if (looksLikeTemplate(text, text.trimStart().startsWith('{'))) {
        // The rule that asks has parsed this text already: its template is used, not parsed again.
        const template = parsed?.text === text ? parsed.template : undefined;
        const facts = this.templates.get(path, text, () => templateFacts(path, text, template));
        for (const fn of facts?.functions ?? []) folders.add(fn.codeRoot);
      }
    }
    for (const folder of this.imageFoldersNear(dirname(path), workspace)) folders.add(folder);
    const units: DeployableUnit[] = [];
    const roots = new Set<string>();
    for (const folder of folders) {
      // A file that need not exist inside the folder: `of` links the folder's code.
      const unit = this.of(join(folder, '.cloud-lessons-probe'));
      if (!unit || roots.has(unit.root) || !unit.runtimes.some((r) => r.at.path === path)) continue;
      roots.add(unit.root);
      units.push(unit);
    }
    return units;
  }

  /** Folders with a Dockerfile, from the repository's top (above `folder`) to two levels below it (bounded; remembered briefly). */
  private imageFoldersNear(folder: string, workspace: WorkspaceView): string[] {
    const ups = foldersUp(workspace, folder, maxLevelsUp);
    let top = ups[ups.length - 1] ?? folder;
    for (const up of ups)
      if (workspace.exists(join(up, '.git'))) {
        top = up;
        break;
      }
    const key = `\u0000images\u0000${top}`;
    const now = Date.now();
    const known = this.nearby.get(key);
    if (known && now - known.at < rememberMs) return known.files;
    const found: string[] = [];
    const queue: { at: string; depth: number }[] = [{ at: top, depth: 0 }];
    for (let listed = 0; queue.length > 0 && listed < maxListings && found.length < maxFiles; listed++) {
      const { at, depth } = queue.shift()!;
      const entries = workspace.list?.(at) ?? [];
      if (entries.some((e) => !e.endsWith('/') && isDockerfileName(e))) found.push(at);
      if (depth < 2)
        for (const entry of entries)
          if (entry.endsWith('/') && !entry.startsWith('.') && !notCodeFolder.test(entry))
            queue.push({ at: join(at, entry), depth: depth + 1 });
    }
    this.nearby.set(key, { at: now, files: found });
    return found;
  }

  /** Compose files and templates near a folder, nearest first (bounded; remembered briefly). */
  private filesNear(folder: string, workspace: WorkspaceView): string[] {
    const now = Date.now();
    const known = this.nearby.get(folder);
    if (known && now - known.at < rememberMs) return known.files;
    for (const [key, entry] of this.nearby) if (now - entry.at >= rememberMs) this.nearby.delete(key);
    const files: string[] = [];
    const add = (path: string) => {
      if (files.length < maxFiles && !files.includes(path)) files.push(path);
    };
    for (const up of foldersUp(workspace, folder, maxLevelsUp)) {
      const entries = workspace.list?.(up) ?? [];
      for (const entry of entries) {
        if (entry.endsWith('/')) {
          if (!infraFolder.test(entry)) continue;
          for (const inner of workspace.list?.(join(up, entry)) ?? [])
            if (!inner.endsWith('/') && mayBeTemplate(inner)) add(join(up, entry, inner));
        } else if (isComposeName(entry) || mayBeTemplate(entry)) add(join(up, entry));
      }
      // A repository's top is as far as an application reaches.
      if (entries.includes('.git/') || entries.includes('.git')) break;
    }
    this.nearby.set(folder, { at: now, files });
    return files;
  }
}

const rememberMs = 5_000;
const maxLevelsUp = 6;
const maxFiles = 60;
const maxFileChars = 1_000_000;
/** Folder listings `runBy` reads at most to find the images near a file. */
const maxListings = 200;
/** Folders that hold no application's code. */
const notCodeFolder = /^(node_modules|vendor|venv|env|__pycache__|dist|build|coverage|cdk\.out|target)\/$/;
/** Folders that hold a repository's templates. */
const infraFolder =
  /^(infra|infrastructure|deploy|deployment|deployments|cloudformation|cfn|templates?|aws|sam|iac|stacks?|ecs|ops|cdk|k8s|kubernetes|kube|manifests?|(k8s|kubernetes|kube)[-_][\w-]*|[\w-]*[-_](k8s|kubernetes|manifests))\/$/i;
/** Data files that are never templates, by name. */
const notTemplate =
  /^(package(-lock)?\.json|tsconfig.*\.json|jsconfig\.json|composer\.json|\.?eslintrc.*|\.prettierrc.*|renovate\.json|lerna\.json|nx\.json|turbo\.json|app\.json|angular\.json|\.?babelrc.*|openapi.*|swagger.*|pnpm-.*\.yaml|\.pre-commit.*|mkdocs\.ya?ml|codecov\.ya?ml|\.travis\.ya?ml|\.gitlab-ci\.ya?ml|buildspec.*|serverless\.ya?ml)$/i;

function mayBeTemplate(name: string): boolean {
  return /\.(ya?ml|json|template)$/i.test(name) && !notTemplate.test(name) && !isComposeName(name);
}

/** Names a repository gives an image or service that say nothing about which code it runs. */
const genericName =
  /^(api|app|application|web|www|server|backend|frontend|service|services|worker|main|src|code|docker|image|container|default|site|root)$/;

/** What the model knows of each runtime it links, for wiring edits. */
type Host =
  | { kind: 'compose'; facts: ComposeFacts; service: ComposeService }
  | { kind: 'ecs'; facts: TemplateFacts; container: EcsContainer }
  | { kind: 'lambda'; facts: TemplateFacts; fn: LambdaFunction };

type BackingHost =
  | { kind: 'compose'; facts: ComposeFacts; service: ComposeService }
  | { kind: 'template'; facts: TemplateFacts; backing: TemplateBacking };

function link(
  path: string,
  workspace: WorkspaceView,
  composes: ComposeFacts[],
  templates: TemplateFacts[],
  /** Kubernetes manifests and CDK apps near the code: their runtimes get no wiring edits (kubernetes.ts, cdk.ts). */
  more: { manifests: KubernetesFacts[]; cdkApps: CdkAppFacts[] } = { manifests: [], cdkApps: [] },
): DeployableUnit | undefined {
  const hosts = new Map<Runtime, Host>();
  let root: string | undefined;
  let dockerfile: string | undefined;
  const names = new Set<string>();
  const addName = (name: string | undefined) => {
    const lower = name?.toLowerCase();
    if (lower && lower.length > 1 && !genericName.test(lower)) names.add(lower);
  };

  // Compose services that build the code: the deepest build context that holds the file.
  const building: { facts: ComposeFacts; service: ComposeService }[] = [];
  for (const facts of composes)
    for (const service of facts.services)
      if (service.context && isWithin(service.context, path)) building.push({ facts, service });
  const deepest = Math.max(-1, ...building.map((b) => b.service.context!.length));
  for (const { facts, service } of building) {
    if (service.context!.length !== deepest) continue;
    root = service.context;
    dockerfile ??= service.dockerfile;
    addName(basename(service.context!));
    addName(service.name);
    addName(service.repository);
    if (service.dockerfile) addName(imageNameOf(service.dockerfile));
    hosts.set(
      {
        kind: 'compose',
        name: `compose service ${service.name}`,
        at: service.at,
        copies: service.copies,
        ...composeEnvironment(composes, facts, service),
        mounts: service.mounts,
        mountsKnown: service.mountsKnown,
        ...composeStopTimeout(composes, facts, service),
      },
      { kind: 'compose', facts, service },
    );
  }

  // Lambda functions whose code folder holds the file: the deepest one.
  const functions: { facts: TemplateFacts; fn: LambdaFunction }[] = [];
  for (const facts of templates)
    for (const fn of facts.functions) if (isWithin(fn.codeRoot, path)) functions.push({ facts, fn });
  const deepestFunction = Math.max(-1, ...functions.map((f) => f.fn.codeRoot.length));
  for (const { facts, fn } of functions) {
    if (fn.codeRoot.length !== deepestFunction) continue;
    if (!root || fn.codeRoot.length > root.length) root = fn.codeRoot;
    hosts.set(
      {
        kind: 'lambda',
        name: `Lambda function ${fn.fn.logicalId}`,
        at: fn.at,
        copies: fn.copies,
        environment: fn.environment.map((v) => v.name),
        environmentKnown: true,
        environmentAt: fn.environmentAt,
        mounts: fn.mounts,
        mountsKnown: fn.mountsKnown,
      },
      { kind: 'lambda', facts, fn },
    );
  }

  // CDK functions and services whose asset folder holds the file (the deepest one).
  const extra: Runtime[] = [];
  const cdk = cdkRunsFor(more.cdkApps, path);
  if (cdk.root && (!root || cdk.root.length > root.length)) root = cdk.root;
  if (cdk.dockerfile && workspace.read(cdk.dockerfile) !== undefined && !dockerfile) {
    dockerfile = cdk.dockerfile;
    addName(basename(dirname(dockerfile)));
    addName(imageNameOf(dockerfile));
  }
  extra.push(...cdk.runs.map((r) => r.runtime));

  // Without a compose file, the image is the Dockerfile nearest the code.
  if (!root) {
    const found = nearestDockerfile(path, workspace);
    if (found) {
      root = dirname(found);
      dockerfile = found;
      addName(basename(root));
      addName(imageNameOf(found));
    }
  }

  // The app's own name, as its manifest gives it (`"name": "@shop/order-worker"` → order-worker).
  if (root) addName(manifestName(root, workspace));

  // ECS containers that run the image, known by its name.
  if (root && names.size > 0)
    for (const facts of templates)
      for (const container of facts.containers) {
        if (![...container.names].some((n) => names.has(n))) continue;
        hosts.set(
          {
            kind: 'ecs',
            name: `ECS service ${container.service.logicalId}`,
            at: container.at,
            copies: container.copies,
            ...(container.loadBalanced ? { loadBalanced: container.loadBalanced } : {}),
            container: container.name,
            environment: container.environment.map((v) => v.name),
            environmentKnown: container.environmentKnown,
            environmentAt: container.environmentAt,
            mounts: container.mounts,
            mountsKnown: container.mountsKnown,
            ...(container.stopTimeout ? { stopTimeout: container.stopTimeout } : {}),
            ownCommand: container.ownCommand,
          },
          { kind: 'ecs', facts, container },
        );
      }

  // Kubernetes containers and CDK services from a registry image, known by the image's name.
  if (root && names.size > 0) {
    for (const run of kubernetesRuns(more.manifests, names))
      extra.push({
        kind: 'kubernetes',
        name: `Kubernetes ${run.workload.kind} ${run.workload.name}`,
        at: run.workload.at,
        copies: run.copies,
        ...(run.service ? { loadBalanced: run.service } : {}),
        container: run.container.name,
        environment: run.container.environment.map((v) => v.name),
        environmentKnown: run.container.environmentKnown,
        environmentAt: run.container.environmentAt,
        mounts: run.container.mounts,
        mountsKnown: run.container.mountsKnown,
      });
    for (const run of cdkRunsNamed(more.cdkApps, names))
      if (!extra.includes(run.runtime)) extra.push(run.runtime);
  }

  if (!root || hosts.size + extra.length === 0) return undefined;

  const backingHosts = new Map<BackingService, BackingHost>();
  const seenFiles = new Set<string>();
  for (const host of hosts.values()) {
    if (seenFiles.has(host.facts.file.path)) continue;
    seenFiles.add(host.facts.file.path);
    if (host.kind === 'compose') {
      for (const service of host.facts.services)
        if (service.backing)
          backingHosts.set(
            {
              kind: service.backing,
              name: `compose service ${service.name} (${service.repository})`,
              at: service.at,
            },
            { kind: 'compose', facts: host.facts, service },
          );
    } else
      for (const backing of host.facts.backing)
        backingHosts.set(
          {
            kind: backing.kind,
            name: backing.name,
            at: backing.at,
            ...(backing.visibility ? { visibility: backing.visibility } : {}),
          },
          { kind: 'template', facts: host.facts, backing },
        );
  }

  pointTo(hosts, backingHosts);

  const dockerfileText = dockerfile ? workspace.read(dockerfile) : undefined;
  const workdir = imageWorkdir(dockerfileText);
  return {
    root,
    ...(dockerfile ? { dockerfile } : {}),
    imageEnvironment: imageEnvironment(dockerfileText),
    ...(workdir ? { workdir } : {}),
    runtimes: [...hosts.keys(), ...extra],
    backing: [
      ...backingHosts.keys(),
      // A Redis the manifests beside the code run: named, never wired (`wiring` is undefined for it).
      ...kubernetesBacking(
        more.manifests,
        new Set(extra.filter((r) => r.kind === 'kubernetes').map((r) => dirname(r.at.path))),
      ),
    ],
    wiring: (service, as) => {
      const backingHost = backingHosts.get(service);
      return backingHost && wiringOf(hosts, backingHost, as);
    },
    writtenValues: (variable) => writtenValues(hosts, variable),
    secretMove: (values, options) => secretMove(hosts, values, options),
  };
}

/**
 * What compose gives a service: its own `environment` and env files, with those of the same
 * service in the other compose files of its folder (an override, a variant merged with `-f`).
 */
function composeEnvironment(
  composes: ComposeFacts[],
  facts: ComposeFacts,
  service: ComposeService,
): Pick<Runtime, 'environment' | 'environmentKnown' | 'environmentAt'> {
  const names = new Set(service.environment.map((v) => v.name));
  let known = service.environmentKnown;
  for (const other of composes) {
    if (other === facts || dirname(other.file.path) !== dirname(facts.file.path)) continue;
    for (const same of other.services)
      if (same.name === service.name) {
        for (const v of same.environment) names.add(v.name);
        known &&= same.environmentKnown;
      }
  }
  return { environment: [...names], environmentKnown: known, environmentAt: service.environmentAt };
}

/**
 * How long compose waits after SIGTERM: the service's own `stop_grace_period`, or the longest
 * that the same service sets in the other compose files of its folder (an override, a variant).
 * Unknown when one of them cannot be read.
 */
function composeStopTimeout(
  composes: ComposeFacts[],
  facts: ComposeFacts,
  service: ComposeService,
): Pick<Runtime, 'stopTimeout' | 'ownCommand'> {
  let stopTimeout = service.stopTimeout;
  let ownCommand = service.ownCommand;
  for (const other of composes) {
    if (other === facts || dirname(other.file.path) !== dirname(facts.file.path)) continue;
    for (const same of other.services)
      if (same.name === service.name) {
        ownCommand ||= same.ownCommand;
        if (!same.stopTimeout) stopTimeout = undefined;
        else if (
          stopTimeout &&
          same.stopTimeout.written &&
          (!stopTimeout.written || same.stopTimeout.seconds > stopTimeout.seconds)
        )
          stopTimeout = same.stopTimeout;
        if (!stopTimeout) return { ownCommand };
      }
  }
  return { ...(stopTimeout ? { stopTimeout } : {}), ownCommand };
}

/** For each ECS container and Lambda function, the variables it is given that point at a backing service of its template. */
function pointTo(hosts: Map<Runtime, Host>, backingHosts: Map<BackingService, BackingHost>): void {
  for (const [runtime, host] of hosts) {
    if (host.kind !== 'ecs' && host.kind !== 'lambda') continue;
    const environment = host.kind === 'ecs' ? host.container.environment : host.fn.environment;
    const pointers: NonNullable<Runtime['pointers']> = [];
    for (const [service, backing] of backingHosts) {
      if (backing.kind !== 'template' || backing.facts !== host.facts) continue;
      for (const variable of environment)
        if (variable.mentions.has(backing.backing.resource.logicalId))
          pointers.push({ variable: variable.name, service, at: variable.at });
    }
    if (pointers.length > 0) runtime.pointers = pointers;
  }
}

/** The names a Dockerfile's `ENV` instructions set (names only; continuation lines joined). `ARG` ends with the build. */
export function imageEnvironment(text: string | undefined): string[] {
  if (!text) return [];
  const names = new Set<string>();
  for (const match of text.replace(/\\\r?\n/g, ' ').matchAll(/^[ \t]*(ENV)[ \t]+(.+)$/gim)) {
    const rest = match[2].trim();
    // `ENV NAME value` (the old form) or `ENV A=1 B="two"`.
    if (!rest.includes('=')) names.add(rest.split(/\s+/)[0]);
    // A name starts where no name character comes before it: each is tried once.
    else for (const pair of rest.matchAll(/(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)=/g)) names.add(pair[1]);
  }
  return [...names];
}

/** The working directory of a Dockerfile's final stage: its last `WORKDIR`, when that one is absolute and literal. */
export function imageWorkdir(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const joined = text.replace(/\\\r?\n/g, ' ');
  const stages = joined.split(/^[ \t]*FROM[ \t]/im);
  const last = stages[stages.length - 1];
  const workdirs = [...last.matchAll(/^[ \t]*WORKDIR[ \t]+(\S+)[ \t]*$/gim)].map((m) =>
    m[1].replace(/^["']|["']$/g, ''),
  );
  const workdir = workdirs.pop();
  return workdir?.startsWith('/') && !workdir.includes('$') ? withoutTrailingSeparators(workdir) : undefined;
}

/** The Dockerfile in the file's folder or up to three folders above it, nearest first. */
function nearestDockerfile(path: string, workspace: WorkspaceView): string | undefined {
  for (const folder of foldersUp(workspace, dirname(path), 4)) {
    const entries = workspace.list?.(folder) ?? [];
    const found = entries.find((e) => !e.endsWith('/') && isDockerfileName(e));
    if (found) return join(folder, found);
    if (entries.includes('.git/')) break;
  }
  return undefined;
}

function manifestName(root: string, workspace: WorkspaceView): string | undefined {
  const text = workspace.read(join(root, 'package.json'));
  if (text !== undefined)
    try {
      const name = (JSON.parse(text) as { name?: unknown }).name;
      return typeof name === 'string' ? name.split('/').pop() : undefined;
    } catch {
      return undefined;
    }
  const pyproject = workspace.read(join(root, 'pyproject.toml'));
  return pyproject && /^[ \t]*name[ \t]*=[ \t]*["']([\w.-]+)["']/m.exec(pyproject)?.[1];
}

interface Provided {
  name: string;
  form: 'url' | 'host';
  at: Place;
}

/** The variable through which runtimes of the file that declares the cache reach it, and what is missing. */
function wiringOf(
  hosts: Map<Runtime, Host>,
  backing: BackingHost,
  as: Pick<Wiring, 'variable' | 'form'> | undefined,
): Wiring | undefined {
  if (backing.kind === 'compose' ? backing.service.backing !== 'redis' : backing.backing.kind !== 'redis')
    return undefined;
  const endpoint = backing.kind === 'template' ? backing.backing.endpoint : undefined;
  if (backing.kind === 'template' && !endpoint) return undefined;
  const file = backing.facts.file.path;
  const reaching = [...hosts].filter(([, host]) => host.facts.file.path === file);
  if (reaching.length === 0) return undefined;
  const provided: Provided[] = [];
  for (const [, host] of reaching) provided.push(...providedBy(host, backing));
  const chosen = as
    ? { name: as.variable, form: as.form }
    : (provided.find((p) => p.form === 'url') ?? provided[0]);
  const variable = chosen?.name ?? 'REDIS_URL';
  const form = chosen?.form ?? 'url';
  const edits: TextEdit[] = [];
  const definitions = new Set<unknown>();
  for (const [runtime, host] of reaching) {
    if (runtime.environment.includes(variable)) continue;
    if (host.kind === 'compose' && backing.kind === 'compose') {
      const name = backing.service.name;
      edits.push(
        serviceVariableEdit(
          host.facts.file,
          host.service.service,
          variable,
          form === 'url' ? `redis://${name}:6379` : name,
        ),
      );
    } else if (host.kind === 'ecs' && endpoint) {
      if (definitions.has(host.container.definition)) continue;
      definitions.add(host.container.definition);
      edits.push(containerVariableEdit(host.facts.file, host.container, variable, endpoint, form));
    } else if (host.kind === 'lambda' && endpoint) {
      edits.push(functionVariableEdit(host.facts.file, host.fn, variable, endpoint, form));
    }
  }
  const unreached = [...hosts.keys()].filter(
    (runtime) => hosts.get(runtime)!.facts.file.path !== file && !runtime.environment.includes(variable),
  );
  return {
    variable,
    form,
    tls: endpoint?.tls ?? false,
    provided: provided.filter((p) => p.name === variable).map((p) => p.at),
    edits: edits.length > 0 ? [fileEdits(backing.facts.file, edits)] : [],
    unreached,
  };
}

function fileEdits(file: ReadFile, edits: TextEdit[]): FileEdits {
  return { path: file.path, text: file.text, edits: edits.sort((a, b) => a.start - b.start) };
}

/** The variables a runtime is given whose value points at the backing service. */
function providedBy(host: Host, backing: BackingHost): Provided[] {
  const found: Provided[] = [];
  if (host.kind === 'compose') {
    if (backing.kind !== 'compose') return found;
    for (const variable of host.service.environment) {
      const form = variable.value !== undefined ? namesHost(variable.value, backing.service.name) : undefined;
      if (form) found.push({ name: variable.name, form, at: variable.at });
    }
    return found;
  }
  if (backing.kind !== 'template') return found;
  const environment = host.kind === 'ecs' ? host.container.environment : host.fn.environment;
  for (const variable of environment)
    if (variable.mentions.has(backing.backing.resource.logicalId))
      found.push({ name: variable.name, form: variable.url ? 'url' : 'host', at: variable.at });
  return found;
}
