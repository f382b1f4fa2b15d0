import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { isComposeName } from '../classify';
import type { Span } from '../text';
import type { WorkspaceView } from '../workspace';
import { parseImageReference, type ImageReference } from './dockerfile';
import { parseYaml } from './yaml';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  scalarText,
  type DataNode,
  type MapNode,
  type Pair,
  type ScalarNode,
} from './tree';

export interface Service {
  name: string;
  nameNode: ScalarNode;
  pair: Pair;
  node: MapNode;
}

/** A compose file over the shared YAML tree. */
export interface ComposeFile {
  root: MapNode;
  services: Service[];
}

export function buildCompose(root: MapNode): ComposeFile {
  const services: Service[] = [];
  for (const pair of asMap(get(root, 'services'))?.pairs ?? []) {
    const node = asMap(pair.value);
    if (!node) continue;
    services.push({ name: String(pair.key.value), nameNode: pair.key, pair, node });
  }
  return { root, services };
}

/**
 * A key of a service as compose resolves it: the service's own, else from the service it
 * `extends` in the same file (nearest first). `external` is set when the service extends one
 * in another file, whose keys this file cannot see.
 */
export function serviceKey(
  compose: ComposeFile,
  service: Service,
  key: string,
): { pair: Pair | undefined; from: Service; external: boolean } {
  const seen = new Set<Service>();
  for (let current: Service | undefined = service; current && !seen.has(current);) {
    seen.add(current);
    const own = getPair(current.node, key);
    if (own) return { pair: own, from: current, external: false };
    const extended = extendsOf(compose, current);
    if (extended === 'external') return { pair: undefined, from: service, external: true };
    current = extended;
  }
  return { pair: undefined, from: service, external: false };
}

/** The service `extends` names: one of this file, `external` for another file, or undefined. */
function extendsOf(compose: ComposeFile, service: Service): Service | 'external' | undefined {
  const value = get(service.node, 'extends');
  if (value === undefined) return undefined;
  const name = scalarText(value) ?? scalarText(get(value, 'service'));
  if (get(value, 'file') !== undefined) return 'external';
  return compose.services.find((s) => s.name === name) ?? 'external';
}

/**
 * Whether the service is a complete definition here (it has an image, a build or extends
 * another service), rather than a partial override of one defined in another compose file.
 */
export function isDefinedHere(service: Service): boolean {
  return ['image', 'build', 'extends'].some((key) => getPair(service.node, key) !== undefined);
}

/**
 * Compose's `${VAR}` interpolation with what can be known without the environment: defaults
 * (`${VAR:-default}`, `${VAR-default}`) are used, `$$` is a literal `$`; the value is undefined
 * when it depends on a variable without a default.
 */
export function interpolate(text: string): { value: string | undefined; variables: string[] } {
  const variables: string[] = [];
  let unknown = false;
  const value = text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (
      match,
      braced: string | undefined,
      operator: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      if (match === '$$') return '$';
      variables.push((braced ?? bare) as string);
      if (operator === ':-' || operator === '-')
        return interpolate(word ?? '').value ?? ((unknown = true), '');
      unknown = true;
      return '';
    },
  );
  return { value: unknown ? undefined : value, variables };
}

export interface ServiceImage {
  node: ScalarNode;
  /** The image after interpolation with defaults, when it can be known. */
  resolved: string | undefined;
  reference: ImageReference | undefined;
}

export function imageOf(compose: ComposeFile, service: Service): ServiceImage | undefined {
  const node = asScalar(serviceKey(compose, service, 'image').pair?.value);
  if (!node || typeof node.value !== 'string') return undefined;
  const resolved = interpolate(node.value).value;
  return { node, resolved, reference: resolved ? parseImageReference(resolved) : undefined };
}

export interface PublishedPort {
  /** The list item: a short-syntax scalar or a long-syntax map. */
  node: DataNode;
  form: 'short' | 'long';
  /** The host address it is bound to; undefined means every interface. `unknown` when interpolated. */
  hostIp: string | undefined | 'unknown';
  /** The container port (or range) as written. */
  target: string;
  /** The published host port (or range); undefined for an ephemeral one. */
  published: string | undefined;
}

/** The ports a service publishes on the host, in short (`"127.0.0.1:5432:5432"`) or long syntax. */
export function portsOf(compose: ComposeFile, service: Service): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const item of asSeq(serviceKey(compose, service, 'ports').pair?.value)?.items ?? []) {
    const scalar = asScalar(item);
    if (scalar) {
      const text = scalar.value === null ? undefined : String(scalar.value);
      const parsed = text !== undefined ? parseShortPort(text) : undefined;
      if (parsed) ports.push({ node: scalar, form: 'short', ...parsed });
      continue;
    }
    const map = asMap(item);
    if (!map) continue;
    const target = scalarText(get(map, 'target'));
    if (target === undefined) continue;
    const ipText = scalarText(get(map, 'host_ip'));
    const ip = ipText === undefined ? undefined : interpolate(ipText).value;
    ports.push({
      node: map,
      form: 'long',
      hostIp: ipText === undefined ? undefined : (ip ?? 'unknown'),
      target,
      published: scalarText(get(map, 'published')),
    });
  }
  return ports;
}

/** `[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, IPv6 addresses in brackets. */
export function parseShortPort(
  text: string,
): { hostIp: string | undefined | 'unknown'; published: string | undefined; target: string } | undefined {
  const { value } = interpolate(text);
  let rest = (value ?? text).replace(/\/\w+$/, '');
  let hostIp: string | undefined | 'unknown';
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2];
  }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || (v6 && parts.length !== 2)) return undefined;
  if (value === undefined) {
    // A variable in the address part leaves the binding unknown; in a port part it does not matter.
    const rawParts = text.replace(/\/\w+$/, '').split(/:(?![^{]*\})/);
    if (rawParts.length === 3 && interpolate(rawParts[0]).value === undefined) hostIp = 'unknown';
  }
  const target = parts[parts.length - 1];
  const published = parts.length === 2 ? parts[0] : undefined;
  return { hostIp: hostIp === '' ? undefined : hostIp, published: published || undefined, target };
}

/** Host addresses that publish a port to other machines. */
export function isAllInterfaces(hostIp: string | undefined | 'unknown'): boolean {
  return hostIp === undefined || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '[::]';
}

export interface EnvironmentEntry {
  name: string;
  /** Where the variable's name is written. */
  nameSpan: Span;
  /** The value as written (before interpolation), or undefined for a pass-through (`- NAME`, `NAME:`). */
  value: string | undefined;
  /** The exact span of the value in the text, when it can be told (plain and simple quoted scalars). */
  valueSpan: Span | undefined;
  /** The node holding the entry: the list item, or the map value. */
  node: ScalarNode;
  form: 'map' | 'list';
}

/** A service's `environment`, as a map (`NAME: value`) or a list (`- NAME=value`). */
export function environmentOf(service: Service, text: string): EnvironmentEntry[] {
  const environment = get(service.node, 'environment');
  const entries: EnvironmentEntry[] = [];
  const map = asMap(environment);
  if (map) {
    for (const pair of map.pairs) {
      const name = String(pair.key.value);
      const scalar = asScalar(pair.value);
      if (!scalar) continue;
      const value = scalar.value === null ? undefined : String(scalar.value);
      entries.push({
        name,
        nameSpan: pair.key.span,
        value,
        valueSpan: value === undefined ? undefined : scalarValueSpan(text, scalar),
        node: scalar,
        form: 'map',
      });
    }
    return entries;
  }
  for (const item of asSeq(environment)?.items ?? []) {
    const scalar = asScalar(item);
    if (!scalar || typeof scalar.value !== 'string') continue;
    const equals = scalar.value.indexOf('=');
    const name = equals < 0 ? scalar.value : scalar.value.slice(0, equals);
    const value = equals < 0 ? undefined : scalar.value.slice(equals + 1);
    const whole = scalarValueSpan(text, scalar);
    entries.push({
      name,
      nameSpan: whole ? { start: whole.start, end: whole.start + name.length } : scalar.span,
      value,
      valueSpan:
        value === undefined || !whole ? undefined : { start: whole.start + equals + 1, end: whole.end },
      node: scalar,
      form: 'list',
    });
  }
  return entries;
}

/**
 * The span of a scalar's value inside its quotes, when the source spells the value character
 * for character (no escapes, no line folding); undefined otherwise.
 */
function scalarValueSpan(text: string, scalar: ScalarNode): Span | undefined {
  const raw = text.slice(scalar.span.start, scalar.span.end);
  const value = String(scalar.value);
  if (scalar.style === 'plain' && raw === value) return scalar.span;
  if ((scalar.style === 'single' || scalar.style === 'double') && raw.slice(1, -1) === value) {
    return { start: scalar.span.start + 1, end: scalar.span.end - 1 };
  }
  return undefined;
}

/**
 * Another compose file that compose merges with this one: the `override` beside it, which
 * `docker compose up` reads by name; a `variant` beside it (`docker-compose.prod.yml`), merged by
 * `-f`; or a file this one names in `include:`.
 */
export interface ComposeLayer {
  path: string;
  how: 'override' | 'variant' | 'include';
  compose: ComposeFile;
}

const overrideName = /^(docker-)?compose\.override\.ya?ml$/i;
const maxLayers = 20;

/**
 * The compose files merged with `path`, read through the workspace view (so bounded at the
 * project root, and only files that exist and parse). Their services are partial overrides:
 * use `layeredKey` to find a key that any of them sets.
 */
export function composeLayers(path: string, compose: ComposeFile, workspace: WorkspaceView): ComposeLayer[] {
  const folder = dirname(path);
  const own = basename(path);
  const candidates: { path: string; how: ComposeLayer['how'] }[] = [];
  for (const entry of workspace.list?.(folder) ?? []) {
    if (entry.endsWith('/') || entry === own || !isComposeName(entry)) continue;
    candidates.push({ path: join(folder, entry), how: overrideName.test(entry) ? 'override' : 'variant' });
  }
  // `include: [other.yaml]`, `include: [{ path: other.yaml }]`, `path` also a list.
  for (const item of asSeq(get(compose.root, 'include'))?.items ?? []) {
    for (const included of includeEntryPaths(item, folder)) {
      if (included !== path) candidates.push({ path: included, how: 'include' });
    }
  }
  // The other files of a path list that includes this one, in a compose file above it.
  for (const merged of mergedByIncluders(path, workspace)) candidates.push({ path: merged, how: 'include' });
  const layers: ComposeLayer[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (layers.length >= maxLayers || seen.has(candidate.path)) continue;
    seen.add(candidate.path);
    const text = workspace.read(candidate.path);
    if (text === undefined) continue;
    const root = asMap(parseYaml(text).root);
    if (root) layers.push({ ...candidate, compose: buildCompose(root) });
  }
  return layers;
}

/**
 * The files one `include:` entry names, resolved from the including file's folder: the entry
 * itself, its `path`, or each file of `path` given as a list. `project_directory` and `env_file`
 * do not move them. Interpolated and remote (`oci://`, `git@…`) paths are left out.
 */
function includeEntryPaths(item: DataNode, folder: string): string[] {
  const value = scalarText(item) !== undefined ? item : get(item, 'path');
  const paths = asSeq(value)?.items.map(scalarText) ?? [scalarText(value)];
  const resolved: string[] = [];
  for (const written of paths) {
    if (!written || interpolate(written).value !== written) continue;
    if (written.includes('://') || /^[\w.-]+@[\w.-]+:/.test(written)) continue;
    resolved.push(isAbsolute(written) ? written : join(folder, written));
  }
  return resolved;
}

const includerLevels = 3;
const includerSiblings = 24;

/**
 * The files merged with `path` because a compose file includes it in a path list
 * (`include: [{ path: [base.yaml, prod.yaml] }]`): compose merges the files of the list, in
 * order, into one model, so what a later file sets for a service of the first counts for it.
 * Includers are looked for among the compose-named files of this folder, the two above it
 * (within the workspace root) and the folders beside it (`path: ../billing/compose.yaml`), up
 * to a few dozen of those.
 */
function mergedByIncluders(path: string, workspace: WorkspaceView): string[] {
  const own = dirname(path);
  const folders = [own];
  for (let folder = own, level = 1; level < includerLevels; level++) {
    const up = dirname(folder);
    if (folder === workspace.root || up === folder) break;
    if (workspace.root !== undefined && relative(workspace.root, up).startsWith('..')) break;
    folders.push((folder = up));
  }
  if (folders.length > 1) {
    const siblings = (workspace.list?.(folders[1]) ?? []).filter((e) => e.endsWith('/'));
    if (siblings.length <= includerSiblings)
      for (const entry of siblings) {
        const sibling = join(folders[1], entry.slice(0, -1));
        if (sibling !== own) folders.push(sibling);
      }
  }
  const merged: string[] = [];
  for (const folder of folders) {
    for (const entry of workspace.list?.(folder) ?? []) {
      const includer = join(folder, entry);
      if (entry.endsWith('/') || includer === path || !isComposeName(entry)) continue;
      const text = workspace.read(includer);
      if (text === undefined || !/^include[ \t]*:/m.test(text)) continue;
      for (const item of asSeq(get(asMap(parseYaml(text).root), 'include'))?.items ?? []) {
        const listed = includeEntryPaths(item, folder);
        if (listed.length > 1 && listed.includes(path)) merged.push(...listed.filter((p) => p !== path));
      }
    }
  }
  return merged;
}

/**
 * Where a key of a service is set in the files merged with this one: the first layer whose
 * service of that name sets it (directly or through `extends` in that file), or undefined.
 */
export function layeredKey(
  layers: readonly ComposeLayer[],
  serviceName: string,
  key: string,
): { layer: ComposeLayer; pair: Pair } | undefined {
  for (const layer of layers) {
    const service = layer.compose.services.find((s) => s.name === serviceName);
    if (!service) continue;
    const { pair } = serviceKey(layer.compose, service, key);
    if (pair) return { layer, pair };
  }
  return undefined;
}

/**
 * A stack that is started to run tests and then thrown away: its file name says so
 * (`docker-compose.test.yml`, `compose.ci.yaml`, `docker-compose.e2e.yml`), or it has the `sut`
 * service of Docker Hub's automated tests. Nothing there stays up to recover or to protect:
 * its databases hold fixtures and their passwords open nothing that lasts.
 */
export function isTestStack(path: string, compose: ComposeFile): boolean {
  const name = basename(path).toLowerCase();
  if (/(^|[._-])(tests?|ci|e2e|integration)[._-]/.test(name.replace(/\.ya?ml$/, '.'))) return true;
  return compose.services.some((s) => s.name === 'sut');
}

/** The Dockerfile a service builds: undefined when it is not a file of the workspace. */
export function builtDockerfilePath(
  compose: ComposeFile,
  service: Service,
  path: string,
): string | undefined {
  const build = serviceKey(compose, service, 'build').pair?.value;
  const context = scalarText(build) ?? scalarText(get(build, 'context')) ?? '.';
  if (/^[a-z]+:\/\//i.test(context) || context.includes('$')) return undefined;
  const file = scalarText(get(build, 'dockerfile')) ?? 'Dockerfile';
  if (get(build, 'dockerfile_inline') !== undefined || file.includes('$')) return undefined;
  return join(dirname(path), context, file);
}
