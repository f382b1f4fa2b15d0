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
  return result;
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
