import { basename, dirname, join } from 'node:path';
import type { ImageReference } from '../parse/dockerfile';
import { foldersUp, type WorkspaceView } from '../workspace';

/**
 * Whether an image that a Dockerfile builds on is one that its own repository builds: repositories
 * of many Dockerfiles (`curl/Dockerfile`, `mailgun/Dockerfile` with `FROM registry.example/curl`)
 * build their images together, base first, and tag them under one registry namespace. Such a
 * `FROM` names a sibling, like a build stage, not a third party's image that can move under it.
 */

const dockerfileNames = ['Dockerfile', 'Containerfile'];

/** Build files that name the images a repository builds and pushes. */
const buildFiles =
  /^(Makefile|GNUmakefile|[\w.-]+\.mk|docker-bake\.(hcl|json)|build\.sh|\.gitlab-ci\.ya?ml)$/;

/** How far the lookup goes: folders up from the Dockerfile's folder, sibling Dockerfiles read. */
const levelsUp = 3;
const maxSiblings = 100;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hasDockerfile(workspace: WorkspaceView, folder: string): boolean {
  return dockerfileNames.some((name) => workspace.exists(join(folder, name)));
}

/**
 * True when the repository builds `reference`: a folder named after the image (its last path
 * component) holds a Dockerfile, beside the Dockerfile's folder or above; or the image's
 * namespace is the repository's own, because a build file (Makefile, bake file, build script)
 * names it, or because sibling Dockerfiles name their own image under it (`LABEL`, a documented
 * `docker run registry.example/<folder>`). Only namespaced images (`registry/name`, `owner/name`)
 * are judged: an official image (`alpine`) is never built by the repository.
 */
export function builtByRepository(
  reference: ImageReference,
  path: string,
  workspace: WorkspaceView,
): boolean {
  const slash = reference.name.lastIndexOf('/');
  if (slash <= 0) return false;
  const namespace = reference.name.slice(0, slash);
  const repository = reference.name.slice(slash + 1);
  const own = dirname(path);
  const parents = foldersUp(workspace, dirname(own), levelsUp);
  for (const folder of parents) {
    const candidate = join(folder, repository);
    if (candidate !== own && hasDockerfile(workspace, candidate)) return true;
    // One folder per tag: `owner/wireguard:install` built from `wireguard/install/Dockerfile`.
    const tagged = reference.tag && join(candidate, reference.tag);
    if (tagged && tagged !== own && hasDockerfile(workspace, tagged)) return true;
  }
  // `REGISTRY := ghcr.io/org`, `docker push ghcr.io/org/$(IMAGE)`.
  const mention = new RegExp(`(^|[\\s"'=:])${escape(namespace)}(/|["'\\s]|$)`, 'm');
  for (const folder of [own, ...parents]) {
    for (const entry of workspace.list?.(folder) ?? []) {
      if (!buildFiles.test(entry)) continue;
      if (mention.test(workspace.read(join(folder, entry)) ?? '')) return true;
    }
  }
  // Sibling folders whose Dockerfile names its own image under the same namespace.
  const parent = parents[0];
  if (!parent || !workspace.list) return false;
  let read = 0;
  for (const entry of workspace.list(parent) ?? []) {
    if (!entry.endsWith('/') || entry.startsWith('.')) continue;
    const folder = join(parent, entry);
    if (folder === own) continue;
    const name = basename(folder);
    for (const file of dockerfileNames) {
      const text = workspace.read(join(folder, file));
      if (text === undefined) continue;
      if (new RegExp(`(^|[\\s"'=:])${escape(namespace)}/${escape(name)}([\\s"':@]|$)`, 'im').test(text))
        return true;
      break;
    }
    if (++read >= maxSiblings) break;
  }
  return false;
}
