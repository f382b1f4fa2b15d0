import { basename, dirname, relative, sep } from 'node:path';
import { isDefinedHere, portsOf, serviceKey, type ComposeFile, type Service } from '../parse/compose';
import { asMap, asSeq, get, getPair, scalarText } from '../parse/tree';
import type { WorkspaceView } from '../workspace';

/**
 * What a compose file is for, as far as its name, its folder and its services tell: a stack that
 * runs for real on a server (`production`), or a local development, sample or demo set-up. Rules
 * whose findings only matter on a server (restart policies) speak in `recommended` only for the
 * first.
 */
export interface ComposePurpose {
  /** The file runs a stack on a server: see `composePurpose`. */
  production: boolean;
  /** Its name says so (`docker-compose.prod.yml`, `compose.production.yaml`). */
  namedProduction: boolean;
  /** Why it is taken for a development or sample set-up, in a few words (for docs and tests). */
  development?: string;
}

const productionName = /(^|[._-])(prod|production|live|release)([._-]|$)/i;
const developmentName =
  /(^|[._-])(dev|devel|develop|development|local|example|examples|sample|demo)([._-]|$)/i;
/** Folders of example code, as repositories name them (`examples/`, `sample-app/`, `demo_stack/`). */
const exampleFolder =
  /^(examples?|samples?|demos?|tutorials?|playground|quickstarts?|sandbox|starters?)([-_].*)?$/i;
/** Beside the file or a folder up: the stack is deployed by Kubernetes, Helm, Skaffold or Copilot (ECS). */
const orchestratorEntry =
  /^(k8s|kube|kubernetes|kustomize|helm|charts?|k8s-[\w-]+|kubernetes-[\w-]+|copilot)\/$|^(skaffold\.ya?ml|kustomization\.ya?ml|Chart\.yaml|ecs-params\.ya?ml|[\w.-]*task-?definition[\w.-]*\.json)$/i;
/** `deploy:` keys that only a stack run on servers sets (not a GPU reservation for a local run). */
const serverDeployKeys = [
  'replicas',
  'mode',
  'placement',
  'update_config',
  'rollback_config',
  'restart_policy',
];

/** A service's bind mounts: `./src:/app`, `{type: bind, source: ./src, target: /app}`. */
function bindMounts(compose: ComposeFile, service: Service): { source: string; target: string }[] {
  const mounts: { source: string; target: string }[] = [];
  for (const item of asSeq(serviceKey(compose, service, 'volumes').pair?.value)?.items ?? []) {
    const short = scalarText(item);
    if (short !== undefined) {
      const [source, target = ''] = short.split(':');
      if (/^[.~/$]/.test(source)) mounts.push({ source, target });
    } else if (scalarText(get(item, 'type')) === 'bind') {
      mounts.push({
        source: scalarText(get(item, 'source')) ?? '',
        target: scalarText(get(item, 'target')) ?? '',
      });
    }
  }
  return mounts;
}

/** Where images keep their application code (`/app`, `/usr/src/app`, `/code`, `/var/www/html`). */
const codeTarget =
  /^\/(app|code|src|usr\/src|var\/www|srv|workspace|opt\/app|home\/[^/]+\/(app|code|src))(\/|$)/;

/**
 * Whether a service mounts source code from the host: the project folder (`.`, `..`), a `src` or
 * `app` folder, or any relative folder over where images keep their code. Data folders
 * (`./data:/var/lib/mysql`) and configuration files (`./nginx.conf:/etc/nginx/nginx.conf`) are not.
 */
function mountsSource(compose: ComposeFile, service: Service): boolean {
  return bindMounts(compose, service).some(({ source, target }) => {
    if (!/^\.\.?(\/|$)/.test(source)) return false;
    const last = source.split('/').filter(Boolean).pop() ?? '';
    if (last === '.' || last === '..' || /^(src|app|code|source)$/i.test(last)) return true;
    return !/\.\w+$/.test(last) && codeTarget.test(target);
  });
}

function setsServerDeploy(compose: ComposeFile, service: Service): boolean {
  const deploy = asMap(serviceKey(compose, service, 'deploy').pair?.value);
  if (!deploy) return false;
  if (serverDeployKeys.some((key) => getPair(deploy, key) !== undefined)) return true;
  return get(get(deploy, 'resources'), 'limits') !== undefined;
}

/** The folders from the file's own up to the workspace root, as path segments. */
function folderNames(path: string, workspace: WorkspaceView): string[] {
  const folder = dirname(path);
  const within = workspace.root !== undefined ? relative(workspace.root, folder) : folder;
  if (within.startsWith('..')) return [];
  return within
    .split(sep)
    .flatMap((part) => part.split('/'))
    .filter(Boolean);
}

/**
 * Whether a compose file runs a stack for real, on a server. A development or sample set-up is:
 * named so (`docker-compose.dev.yml`, `compose.local.yaml`, `…example…`), kept in an example
 * folder (`examples/`, `demo/`, `sample-app/`), deployed for real by something else beside it
 * (Kubernetes manifests, a Helm chart, Skaffold, Copilot or an ECS task definition in its folder or
 * the one above), binding every published port to localhost, or building a service from source
 * that it also mounts over the container (live reload). Otherwise the file runs for real when its
 * name says so (`docker-compose.prod.yml`), when a service sets what only servers use
 * (`deploy.replicas`, `placement`, `update_config`, resource limits…), or when every service it
 * defines runs a built image (`image:` and no `build:`) and none mounts a source folder.
 * Anything else (services built on the spot beside off-the-shelf images) is a local set-up more
 * often than not.
 */
export function composePurpose(path: string, compose: ComposeFile, workspace: WorkspaceView): ComposePurpose {
  const name = basename(path).replace(/\.ya?ml$/i, '.');
  const namedProduction = productionName.test(name);
  const development = (why: string): ComposePurpose => ({
    production: false,
    namedProduction,
    development: why,
  });
  if (folderNames(path, workspace).some((folder) => exampleFolder.test(folder)))
    return development('an example folder');
  if (namedProduction) return { production: true, namedProduction };
  if (developmentName.test(name)) return development('its name');
  const services = compose.services.filter(isDefinedHere);
  const built = (s: Service) => serviceKey(compose, s, 'build').pair !== undefined;
  if (services.some((s) => built(s) && mountsSource(compose, s)))
    return development('source mounted over a service it builds');
  const ports = services.flatMap((s) => portsOf(compose, s));
  if (ports.length > 0 && ports.every((p) => p.hostIp === '127.0.0.1' || p.hostIp === 'localhost'))
    return development('ports published on localhost only');
  const folder = dirname(path);
  const up = dirname(folder);
  for (const candidate of workspace.root === folder || up === folder ? [folder] : [folder, up]) {
    if ((workspace.list?.(candidate) ?? []).some((entry) => orchestratorEntry.test(entry)))
      return development('deployed by an orchestrator beside it');
  }
  if (services.some((s) => setsServerDeploy(compose, s))) return { production: true, namedProduction };
  const fromImages = services.every(
    (s) => !built(s) && serviceKey(compose, s, 'image').pair !== undefined && !mountsSource(compose, s),
  );
  if (services.length > 0 && fromImages) return { production: true, namedProduction };
  return development('services built on the spot');
}
