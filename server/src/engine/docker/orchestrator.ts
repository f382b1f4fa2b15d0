import { basename, dirname, join, normalize } from 'node:path';
import { isComposeName } from '../classify';
import { FileVerdicts } from '../file-verdicts';
import { buildCompose, builtDockerfilePath, serviceKey } from '../parse/compose';
import { asMap, get, scalarText } from '../parse/tree';
import { parseYaml } from '../parse/yaml';
import { foldersUp, type WorkspaceView } from '../workspace';

/**
 * What the repository's Kubernetes manifests say about the image a Dockerfile builds. Kubernetes
 * ignores an image's HEALTHCHECK and probes the container itself (`livenessProbe`,
 * `readinessProbe`), so an image that manifests beside it already probe needs none of its own.
 */

/** Folders that hold deployment manifests, as repositories name them. */
const manifestFolder =
  /^(k8s|kube|kubernetes|kustomize|manifests|deploy|deployments?|helm|charts?|k8s-[\w-]+|kubernetes-[\w-]+)\/$/i;

/** Folders whose name says nothing about the image built inside them (`src/cartservice/src/Dockerfile`). */
const genericFolder = /^(src|app|docker|build|dockerfiles?|image|container)$/i;

/**
 * A project's top: its git metadata or its licence. Manifests above it belong to other projects
 * (a folder of cloned repositories, a vendored copy), so the lookup goes no higher.
 */
const projectTopEntry = /^(\.git\/?|LICEN[CS]E([.-][\w.-]+)?|COPYING([.-][\w.-]+)?)$/i;

/** How far the lookup goes: folders up from the Dockerfile, levels down into a manifest folder, files read. */
const levelsUp = 4;
const levelsDown = 2;
const maxFiles = 80;

/** The name the image of the Dockerfile at `path` goes by: its folder's, past generic folder names. */
export function imageNameOf(path: string): string | undefined {
  let folder = dirname(path);
  for (let i = 0; i < 3 && genericFolder.test(basename(folder)); i++) folder = dirname(folder);
  const name = basename(folder).toLowerCase();
  return name && !genericFolder.test(name) ? name : undefined;
}

/** YAML files under `folder`, at most `depth` levels down, appended to `into` up to the cap. */
function manifestFiles(workspace: WorkspaceView, folder: string, depth: number, into: string[]): void {
  for (const entry of workspace.list?.(folder) ?? []) {
    if (into.length >= maxFiles) return;
    if (entry.endsWith('/')) {
      if (depth > 0 && !entry.startsWith('.')) manifestFiles(workspace, join(folder, entry), depth - 1, into);
    } else if (/\.ya?ml$/i.test(entry)) into.push(join(folder, entry));
  }
}

/** Whether an image reference (`adservice`, `gcr.io/p/adservice:v1`, `org/app_vote`) names `name`. */
function namesImage(reference: string, name: string): boolean {
  const last =
    reference
      .replace(/@.*$/, '')
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop()
      ?.toLowerCase() ?? '';
  return last === name || last.endsWith(`_${name}`) || last.endsWith(`-${name}`);
}

/** Whether one YAML document of a manifest runs the image. */
function runsImage(document: string, name: string): boolean {
  for (const match of document.matchAll(/^[ \t]*(?:-[ \t]*)?image:[ \t]*["']?([^\s"'#]+)/gm)) {
    if (namesImage(match[1], name)) return true;
  }
  return false;
}

/** What Kubernetes does for a container, as a manifest that runs the image says. */
export interface KubernetesVerdict {
  /** A liveness, readiness or startup probe: Kubernetes ignores the image's HEALTHCHECK. */
  probed: boolean;
  /** `runAsNonRoot: true` or a non-zero `runAsUser`: the pod never runs the image as root. */
  nonRoot: boolean;
}

function verdictOf(document: string, name: string): KubernetesVerdict {
  if (!runsImage(document, name)) return { probed: false, nonRoot: false };
  const probed = /^[ \t]*(livenessProbe|readinessProbe|startupProbe):/m.test(document);
  const rootUser = /^[ \t]*runAsUser:[ \t]*["']?0["']?[ \t]*$/m.test(document);
  const nonRoot =
    !rootUser &&
    (/^[ \t]*runAsNonRoot:[ \t]*true[ \t]*$/m.test(document) ||
      /^[ \t]*runAsUser:[ \t]*["']?[1-9]\d*["']?[ \t]*$/m.test(document));
  return { probed, nonRoot };
}

/** What each manifest said for an image name (a workspace has a handful of manifests). */
const verdicts = new FileVerdicts<KubernetesVerdict>(256);

/**
 * What Kubernetes manifests of the repository (in a `k8s/`, `kubernetes-manifests/`,
 * `deploy/`… folder at most four folders up from the Dockerfile) say about the image the
 * Dockerfile builds, named after its folder: whether they probe it, and whether they run it
 * as a non-root user. Bounded: a few folders, two levels down, eighty files; never above the
 * workspace's root, nor above the project's top (the first folder up with `.git` or a licence).
 * Where they say nothing, the manifests elsewhere in the workspace that run an image of exactly
 * that name have their say (see `workspaceManifestVerdict`).
 */
export function kubernetesVerdict(path: string, workspace: WorkspaceView): KubernetesVerdict {
  const result: KubernetesVerdict = { probed: false, nonRoot: false };
  const name = imageNameOf(path);
  if (!name || !workspace.list) return result;
  const files: string[] = [];
  for (const folder of foldersUp(workspace, dirname(path), levelsUp)) {
    const entries = workspace.list(folder) ?? [];
    for (const entry of entries) {
      if (manifestFolder.test(entry)) manifestFiles(workspace, join(folder, entry), levelsDown, files);
    }
    if (entries.some((entry) => projectTopEntry.test(entry))) break;
  }
  for (const file of files) {
    const text = workspace.read(file);
    if (text === undefined) continue;
    const verdict = verdicts.get(`${file}\0${name}`, text, () => {
      const documents = text.split(/^---[ \t]*$/m).map((document) => verdictOf(document, name));
      return { probed: documents.some((d) => d.probed), nonRoot: documents.some((d) => d.nonRoot) };
    });
    result.probed ||= verdict.probed;
    result.nonRoot ||= verdict.nonRoot;
  }
  if (result.probed && result.nonRoot) return result;
  const elsewhere = workspaceManifestVerdict(path, name, workspace, new Set(files));
  return { probed: result.probed || elsewhere.probed, nonRoot: result.nonRoot || elsewhere.nonRoot };
}

/**
 * Image names too common to tie a Dockerfile to a manifest elsewhere in the workspace: many
 * projects build an `api` or a `frontend`, and a workspace may hold several of them. Such a name
 * counts only in manifests of a project of the same name (see `workspaceManifestVerdict`). Names
 * of public images (`redis`, `postgres`) are here too: a manifest that runs `redis:7` runs the
 * public image, not the one a `redis/` folder builds.
 */
const genericImageNames = new Set([
  'app',
  'apps',
  'application',
  'api',
  'apis',
  'web',
  'webapp',
  'www',
  'site',
  'website',
  'static',
  'server',
  'backend',
  'back',
  'frontend',
  'front',
  'client',
  'ui',
  'worker',
  'workers',
  'service',
  'services',
  'svc',
  'main',
  'core',
  'base',
  'common',
  'shared',
  'gateway',
  'proxy',
  'admin',
  'auth',
  'job',
  'jobs',
  'cron',
  'task',
  'tasks',
  'runner',
  'agent',
  'bot',
  'cli',
  'tool',
  'tools',
  'demo',
  'example',
  'examples',
  'sample',
  'hello',
  'test',
  'tests',
  'dev',
  'prod',
  'db',
  'database',
  'cache',
  'queue',
  'nginx',
  'httpd',
  'apache',
  'caddy',
  'traefik',
  'envoy',
  'haproxy',
  'redis',
  'valkey',
  'memcached',
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongo',
  'mongodb',
  'rabbitmq',
  'kafka',
  'zookeeper',
  'elasticsearch',
  'opensearch',
  'busybox',
  'alpine',
  'debian',
  'ubuntu',
  'node',
  'python',
  'golang',
  'java',
]);

/** A Kubernetes workload: what runs containers from images. */
const workloadKind =
  /^[ \t]*kind:[ \t]*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod)["']?[ \t]*$/m;

/** Folders a workspace-wide walk skips: dependencies, build output, caches, hidden folders. */
const skippedFolder =
  /^(\.[^/]*|node_modules|bower_components|vendor|venv|site-packages|__pycache__|dist|build|out|target|coverage|cdk\.out)\/$/i;

/**
 * How far the workspace-wide walk goes: folder depth from the root, folders listed, YAML files
 * read (under manifest folders, and elsewhere).
 */
const walkDepth = 8;
const walkFolders = 4_000;
const walkYamlFiles = { manifests: 400, other: 300 };
/** How long a workspace's index of manifests is trusted before it is walked again (the editor's files change). */
const indexLifetimeMs = 30_000;

/** The last path segment of an image reference, without its tag or digest (`gcr.io/p/adservice:v1` → `adservice`). */
function lastSegment(reference: string): string {
  return (
    reference
      .replace(/@.*$/, '')
      .replace(/:[^/:]*$/, '')
      .split('/')
      .pop()
      ?.toLowerCase() ?? ''
  );
}

/** Image names run by each Kubernetes workload file of a workspace, and the files that run each. */
type ManifestIndex = Map<string, string[]>;

const indexes = new WeakMap<WorkspaceView, { at: number; index: ManifestIndex; refreshing?: boolean }>();

/**
 * The workload manifests of the workspace, by the last segment of the images they run (see
 * `walkManifests`). Walked once per workspace view, the first time a Dockerfile asks; after
 * thirty seconds the index is walked again, in the background, while the old one still answers,
 * so that no keystroke waits for a walk but the first (a CLI run walks once).
 */
function manifestIndex(workspace: WorkspaceView): ManifestIndex | undefined {
  const root = workspace.root;
  if (root === undefined || !workspace.list) return undefined;
  const known = indexes.get(workspace);
  if (!known) {
    const index = walkManifests(workspace, root);
    indexes.set(workspace, { at: Date.now(), index });
    return index;
  }
  if (Date.now() - known.at >= indexLifetimeMs && !known.refreshing) {
    known.refreshing = true;
    const timer = setTimeout(() => {
      indexes.set(workspace, { at: Date.now(), index: walkManifests(workspace, root) });
    }, 0);
    timer.unref?.();
  }
  return known.index;
}

/**
 * A breadth-first walk from the workspace's root, at most eight folders deep, four thousand
 * folders listed, four hundred YAML files read under manifest folders and three hundred
 * elsewhere (compose files aside), skipping hidden folders, dependencies and build output.
 */
function walkManifests(workspace: WorkspaceView, root: string): ManifestIndex {
  const index: ManifestIndex = new Map();
  // Folders with the manifest-folder flag: YAML files under a `k8s/`, `deploy/`… folder are read
  // on their own budget, so that a workspace full of other YAML (templates, CI) does not crowd them out.
  let queue: { folder: string; manifests: boolean }[] = [{ folder: root, manifests: false }];
  let listed = 0;
  const read = { manifests: 0, other: 0 };
  for (let depth = 0; depth <= walkDepth && queue.length > 0 && listed < walkFolders; depth++) {
    const next: typeof queue = [];
    for (const { folder, manifests } of queue) {
      if (listed++ >= walkFolders) break;
      for (const entry of workspace.list?.(folder) ?? []) {
        if (entry.endsWith('/')) {
          if (!skippedFolder.test(entry))
            next.push({ folder: join(folder, entry), manifests: manifests || manifestFolder.test(entry) });
          continue;
        }
        if (!/\.ya?ml$/i.test(entry) || isComposeName(entry)) continue;
        const budget = manifests ? 'manifests' : 'other';
        if (read[budget] >= walkYamlFiles[budget]) continue;
        read[budget]++;
        const file = join(folder, entry);
        const text = workspace.read(file);
        if (text === undefined || !workloadKind.test(text)) continue;
        const names = new Set<string>();
        for (const match of text.matchAll(/^[ \t]*(?:-[ \t]*)?image:[ \t]*["']?([^\s"'#]+)/gm)) {
          const name = lastSegment(match[1]);
          if (name) names.add(name);
        }
        for (const name of names) {
          const files = index.get(name);
          if (files) files.push(file);
          else index.set(name, [file]);
        }
      }
    }
    queue = next;
  }
  return index;
}

/** The top folder of the project holding `folder`: the first one up with `.git` or a licence. */
function projectTop(workspace: WorkspaceView, folder: string): string | undefined {
  return foldersUp(workspace, folder).find((up) =>
    (workspace.list?.(up) ?? []).some((entry) => projectTopEntry.test(entry)),
  );
}

/** The project tops of the workload manifests of an index, and their names. */
const manifestProjects = new WeakMap<ManifestIndex, { tops: Set<string>; names: Set<string> }>();

/**
 * Whether the project of the Dockerfile at `path` deploys with Kubernetes: a workload manifest of
 * the workspace sits in the same project (the first folder up with `.git` or a licence), or in a
 * project folder of the same name checked out beside it (`deploy/shop/` for `services/shop/`).
 * Kubernetes ignores HEALTHCHECK; the probe of an image it runs belongs in the manifest, even for
 * an image no manifest of the workspace names yet.
 */
export function projectDeploysWithKubernetes(path: string, workspace: WorkspaceView): boolean {
  const index = manifestIndex(workspace);
  if (!index || index.size === 0) return false;
  const own = projectTop(workspace, dirname(path));
  if (own === undefined || own === workspace.root) return false;
  let projects = manifestProjects.get(index);
  if (!projects) {
    projects = { tops: new Set(), names: new Set() };
    for (const file of new Set([...index.values()].flat())) {
      const top = projectTop(workspace, dirname(file));
      if (top === undefined || top === workspace.root) continue;
      projects.tops.add(top);
      projects.names.add(basename(top));
    }
    manifestProjects.set(index, projects);
  }
  return projects.tops.has(own) || projects.names.has(basename(own));
}

/** How many workloads of a manifest run the image, and how many of those probe it, or run it as non-root. */
interface WorkloadCounts {
  runs: number;
  probed: number;
  nonRoot: number;
}

const workloadCounts = new FileVerdicts<WorkloadCounts>(256);

/** One workload document runs the image when one of its `image:` references ends in exactly `name`. */
function countsOf(text: string, name: string): WorkloadCounts {
  const counts: WorkloadCounts = { runs: 0, probed: 0, nonRoot: 0 };
  for (const document of text.split(/^---[ \t]*$/m)) {
    if (!workloadKind.test(document)) continue;
    const images = [...document.matchAll(/^[ \t]*(?:-[ \t]*)?image:[ \t]*["']?([^\s"'#]+)/gm)];
    if (!images.some((match) => lastSegment(match[1]) === name)) continue;
    const verdict = verdictOf(document, name);
    counts.runs++;
    if (verdict.probed) counts.probed++;
    if (verdict.nonRoot) counts.nonRoot++;
  }
  return counts;
}

/**
 * What the Kubernetes workloads anywhere in the workspace (a monorepo's `deploy/` tree, or the
 * manifests of the same project checked out beside it) say about the image a Dockerfile builds:
 * those that run an image whose last path segment is exactly the Dockerfile's image name. The
 * name must be distinctive: a generic one (`api`, `frontend`, `worker`, a public image's name)
 * counts only in a manifest whose project top (the first folder up with `.git` or a licence) has
 * the same name as the Dockerfile's. Every workload found must agree: one that runs the image
 * without a probe, or as root (no `runAsNonRoot`, or `runAsUser: 0`), and the image counts as
 * unprobed, or as run as root.
 */
function workspaceManifestVerdict(
  path: string,
  name: string,
  workspace: WorkspaceView,
  seen: ReadonlySet<string>,
): KubernetesVerdict {
  const result: KubernetesVerdict = { probed: false, nonRoot: false };
  const files = manifestIndex(workspace)
    ?.get(name)
    ?.filter((file) => !seen.has(file));
  if (!files || files.length === 0) return result;
  let candidates = files;
  if (genericImageNames.has(name)) {
    const own = projectTop(workspace, dirname(path));
    if (own === undefined || own === workspace.root) return result;
    candidates = files.filter((file) => {
      const top = projectTop(workspace, dirname(file));
      return top !== undefined && top !== workspace.root && basename(top) === basename(own);
    });
  }
  const total: WorkloadCounts = { runs: 0, probed: 0, nonRoot: 0 };
  for (const file of candidates) {
    const text = workspace.read(file);
    if (text === undefined) continue;
    const counts = workloadCounts.get(`${file}\0${name}`, text, () => countsOf(text, name));
    total.runs += counts.runs;
    total.probed += counts.probed;
    total.nonRoot += counts.nonRoot;
  }
  return {
    probed: total.runs > 0 && total.probed === total.runs,
    nonRoot: total.runs > 0 && total.nonRoot === total.runs,
  };
}

/** What each compose file said for a Dockerfile. */
const composeVerdicts = new FileVerdicts<KubernetesVerdict>(256);

function composeFileVerdict(file: string, text: string, dockerfile: string): KubernetesVerdict {
  const verdict: KubernetesVerdict = { probed: false, nonRoot: false };
  const root = asMap(parseYaml(text).root);
  if (!root) return verdict;
  const compose = buildCompose(root);
  for (const service of compose.services) {
    if (!serviceKey(compose, service, 'build').pair) continue;
    const built = builtDockerfilePath(compose, service, file);
    if (!built || normalize(built) !== normalize(dockerfile)) continue;
    const check = asMap(serviceKey(compose, service, 'healthcheck').pair?.value);
    if (check && scalarText(get(check, 'disable')) !== 'true' && get(check, 'test')) verdict.probed = true;
    const user = scalarText(serviceKey(compose, service, 'user').pair?.value)?.split(':')[0];
    if (user && !/^(root|0)$/.test(user) && !user.includes('$')) verdict.nonRoot = true;
  }
  return verdict;
}

/**
 * What the compose files of the repository (beside the Dockerfile or up to three folders
 * above it) say about the services they build from it: a `healthcheck`, and a non-root `user`.
 */
export function composeVerdict(path: string, workspace: WorkspaceView): KubernetesVerdict {
  const result: KubernetesVerdict = { probed: false, nonRoot: false };
  if (!workspace.list) return result;
  for (const folder of foldersUp(workspace, dirname(path), 3)) {
    for (const entry of workspace.list(folder) ?? []) {
      if (entry.endsWith('/') || !isComposeName(entry)) continue;
      const file = join(folder, entry);
      const text = workspace.read(file);
      if (text === undefined || !text.includes('build')) continue;
      const verdict = composeVerdicts.get(`${file}\0${path}`, text, () =>
        composeFileVerdict(file, text, path),
      );
      result.probed ||= verdict.probed;
      result.nonRoot ||= verdict.nonRoot;
    }
  }
  return result;
}

/**
 * How the image of a Dockerfile is run, as the repository says: probed (a Kubernetes probe or a
 * compose healthcheck) and run as a non-root user (by a manifest or a compose `user:`).
 */
export function orchestration(path: string, workspace: WorkspaceView): KubernetesVerdict {
  const kubernetes = kubernetesVerdict(path, workspace);
  if (kubernetes.probed && kubernetes.nonRoot) return kubernetes;
  const compose = composeVerdict(path, workspace);
  return { probed: kubernetes.probed || compose.probed, nonRoot: kubernetes.nonRoot || compose.nonRoot };
}
