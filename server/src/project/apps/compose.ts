import { dirname, join, normalize } from 'node:path';
import type { BackingKind, Copies, Mount, Place, StopTimeout } from '../../engine/applications';
import { appendItem, insertPair, replaceValue } from '../../engine/edit';
import {
  buildCompose,
  builtDockerfilePath,
  environmentOf,
  imageOf,
  interpolate,
  serviceKey,
  type ComposeFile,
  type Service,
} from '../../engine/parse/compose';
import { asMap, asScalar, asSeq, get, scalarText, type DataNode } from '../../engine/parse/tree';
import { parseYaml } from '../../engine/parse/yaml';
import type { TextEdit } from '../../engine/text';
import { ReadFile, repositoryName, withoutTrailingSeparators } from './files';

/** A compose file as the application model sees it. */
export interface ComposeFacts {
  file: ReadFile;
  compose: ComposeFile;
  services: ComposeService[];
}

export interface ComposeVariable {
  name: string;
  /** The value as written (interpolated with defaults where it can be), undefined for a pass-through or an env_file entry. */
  value: string | undefined;
  at: Place;
}

export interface ComposeService {
  service: Service;
  name: string;
  /** The build context, when the service builds its image here. Absolute. */
  context?: string;
  dockerfile?: string;
  /** The image's repository name (`image: org/shop-api:1` → `shop-api`). */
  repository?: string;
  copies: Copies;
  environment: ComposeVariable[];
  /** False when an `env_file` it names cannot be read: what it is given is then unknown. */
  environmentKnown: boolean;
  /** The `environment:` key, or the service's name. */
  environmentAt: Place;
  /** The service is a backing service (a Redis, a database) by its image. */
  backing?: BackingKind;
  /** Its writable `volumes:` (named, anonymous and bind mounts; not tmpfs). */
  mounts: Mount[];
  /** False when a volume's target is not written out (a variable without a default, an unreadable entry). */
  mountsKnown: boolean;
  /**
   * How long compose waits after SIGTERM before SIGKILL (`stop_grace_period`, or 10 s): undefined
   * when the value cannot be read, or `stop_signal` sends another signal.
   */
  stopTimeout?: StopTimeout;
  /** It sets `command` or `entrypoint`: the image's `CMD` does not run as written. */
  ownCommand: boolean;
  at: Place;
}

/** Parse a compose file read from the workspace; `envFile` reads the files its services name in `env_file`. */
export function composeFacts(
  path: string,
  text: string,
  envFile: (path: string) => string | undefined,
): ComposeFacts | undefined {
  const root = asMap(parseYaml(text).root);
  if (!root) return undefined;
  const compose = buildCompose(root);
  const file = new ReadFile(path, text, 'yaml');
  const services = compose.services.map((service) => serviceFacts(compose, service, file, envFile));
  return { file, compose, services };
}

const backingImages: [RegExp, BackingKind][] = [
  [/^(redis|valkey|keydb|dragonfly|redis-stack|redis-stack-server)$/, 'redis'],
  [/^memcached$/, 'memcached'],
  [/^(dynamodb-local)$/, 'dynamodb'],
  [/^(postgres|postgis|mysql|mariadb|mongo|mongodb)$/, 'database'],
];

function serviceFacts(
  compose: ComposeFile,
  service: Service,
  file: ReadFile,
  envFile: (path: string) => string | undefined,
): ComposeService {
  const build = serviceKey(compose, service, 'build').pair;
  const dockerfile = build ? builtDockerfilePath(compose, service, file.path) : undefined;
  const buildValue = build?.value;
  const contextText = scalarText(buildValue) ?? scalarText(get(buildValue, 'context')) ?? '.';
  const context = build && dockerfile ? normalize(join(dirname(file.path), contextText)) : undefined;
  const image = imageOf(compose, service);
  const repository = image?.resolved ? repositoryName(image.resolved) : undefined;
  const backing =
    !build && repository ? backingImages.find(([pattern]) => pattern.test(repository))?.[1] : undefined;
  const environment = environmentOfService(service, file, envFile);
  const environmentKey = serviceKey(compose, service, 'environment').pair;
  return {
    service,
    name: service.name,
    context,
    dockerfile,
    repository,
    copies: copiesOf(compose, service, file),
    environment: environment.variables,
    environmentKnown: environment.known,
    environmentAt: file.place((environmentKey?.key ?? service.nameNode).span),
    backing,
    ...mountsOf(serviceKey(compose, service, 'volumes').pair?.value, file),
    ...withStopTimeout(serviceStopTimeout(compose, service, file)),
    ownCommand:
      serviceKey(compose, service, 'command').pair !== undefined ||
      serviceKey(compose, service, 'entrypoint').pair !== undefined,
    at: file.place(service.nameNode.span),
  };
}

const withStopTimeout = (stopTimeout: StopTimeout | undefined) => (stopTimeout ? { stopTimeout } : {});

/** Compose waits 10 seconds after the stop signal unless `stop_grace_period` says otherwise. */
const defaultGracePeriod = 10;

/** A service's `stop_grace_period` (or the default), when the signal it sends is SIGTERM. */
export function serviceStopTimeout(
  compose: ComposeFile,
  service: Service,
  file: ReadFile,
): StopTimeout | undefined {
  const signal = scalarText(serviceKey(compose, service, 'stop_signal').pair?.value);
  if (signal !== undefined && !/^(SIG)?TERM$|^15$/i.test(signal.trim())) return undefined;
  const { pair, from } = serviceKey(compose, service, 'stop_grace_period');
  if (pair) {
    const written = scalarText(pair.value);
    const seconds = written === undefined || written.includes('$') ? undefined : durationSeconds(written);
    if (seconds === undefined) return undefined;
    return {
      seconds,
      words: `stop_grace_period: ${written}`,
      written: true,
      at: file.place(pair.value.span),
      raise:
        from === service
          ? (n) => ({
              path: file.path,
              text: file.text,
              edits: [replaceValue(file.target, pair.value, `${n}s`)],
            })
          : undefined,
    };
  }
  return {
    seconds: defaultGracePeriod,
    words: 'no stop_grace_period: the compose default',
    written: false,
    at: file.place(service.nameNode.span),
    raise: (n) => ({
      path: file.path,
      text: file.text,
      edits: [insertPair(file.target, service.node, 'stop_grace_period', `${n}s`)],
    }),
  };
}

/** A compose duration (`10s`, `1m30s`, `500ms`, `1h`) in seconds; undefined for anything else (a bare number). */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const factors: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let seconds = 0;
  // Read part by part: a number, then its unit (`1m30s`).
  let at = 0;
  while (at < trimmed.length) {
    const start = at;
    while (at < trimmed.length && /[\d.]/.test(trimmed[at])) at++;
    const number = trimmed.slice(start, at);
    const unit = ['us', 'ms', 's', 'm', 'h'].find((u) => trimmed.startsWith(u, at));
    if (!/^\d+(\.\d+)?$/.test(number) || !unit) return undefined;
    at += unit.length;
    seconds += Number(number) * factors[unit];
  }
  return trimmed.length > 0 ? seconds : undefined;
}

/** A service's `volumes:`, short (`data:/app/data:ro`) and long (`{ type, source, target }`) syntax. */
function mountsOf(
  volumes: DataNode | undefined,
  file: ReadFile,
): Pick<ComposeService, 'mounts' | 'mountsKnown'> {
  const mounts: Mount[] = [];
  if (!volumes) return { mounts, mountsKnown: true };
  let known = asSeq(volumes) !== undefined;
  for (const item of asSeq(volumes)?.items ?? []) {
    let source: string | undefined;
    let target: string | undefined;
    let readOnly = false;
    let type: string | undefined;
    const short = scalarText(item);
    if (short !== undefined) {
      const parts = (interpolate(short).value ?? '').split(':');
      // `/container/path`, `source:/container/path`, `source:/container/path:ro` (a Windows drive letter aside).
      if (parts.length > 1 && /^[A-Za-z]$/.test(parts[0]) && parts[1].startsWith('\\'))
        parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
      if (parts.length === 1) target = parts[0];
      else {
        source = parts[0];
        target = parts[1];
        readOnly = /(^|,)ro(,|$)/.test(parts[2] ?? '');
      }
    } else {
      type = scalarText(get(item, 'type'));
      source = scalarText(get(item, 'source'));
      const written = scalarText(get(item, 'target'));
      target = written === undefined ? undefined : interpolate(written).value;
      readOnly =
        asScalar(get(item, 'read_only'))?.value === true || scalarText(get(item, 'read_only')) === 'true';
    }
    if (!target?.startsWith('/')) {
      known = false;
      continue;
    }
    if (readOnly || type === 'tmpfs' || type === 'npipe') continue;
    const what = !source
      ? 'compose anonymous volume'
      : /^[./~]/.test(source) || type === 'bind'
        ? `compose bind mount ${source}`
        : `compose volume ${source}`;
    mounts.push({ path: withoutTrailingSeparators(target), what, at: file.place(item.span) });
  }
  return { mounts, mountsKnown: known };
}

function copiesOf(compose: ComposeFile, service: Service, file: ReadFile): Copies {
  const deploy = serviceKey(compose, service, 'deploy').pair?.value;
  const mode = asScalar(get(deploy, 'mode'));
  if (scalarText(mode) === 'global')
    return { most: Infinity, words: 'one replica on every node (global mode)', at: file.place(mode!.span) };
  const replicas =
    asScalar(get(deploy, 'replicas')) ?? asScalar(serviceKey(compose, service, 'scale').pair?.value);
  const written = replicas && interpolate(String(replicas.value)).value;
  const count = written !== undefined && /^\d+$/.test(written ?? '') ? Number(written) : undefined;
  if (replicas && count !== undefined)
    return {
      most: count,
      words: count === 1 ? '1 replica' : `${count} replicas`,
      at: file.place(replicas.span),
    };
  return { most: 1, words: '1 container', at: file.place(service.nameNode.span) };
}

function environmentOfService(
  service: Service,
  file: ReadFile,
  envFile: (path: string) => string | undefined,
): { variables: ComposeVariable[]; known: boolean } {
  let known = true;
  const variables: ComposeVariable[] = environmentOf(service, file.text).map((entry) => ({
    name: entry.name,
    value: entry.value === undefined ? undefined : (interpolate(entry.value).value ?? entry.value),
    at: file.place(entry.nameSpan),
  }));
  const envFiles = get(service.node, 'env_file');
  const listed = asSeq(envFiles)?.items ?? (envFiles ? [envFiles] : []);
  for (const item of listed.slice(0, 10)) {
    const relative = scalarText(item) ?? scalarText(get(item, 'path'));
    const required = asScalar(get(item, 'required'))?.value !== false;
    if (!relative || relative.includes('$')) {
      known = false;
      continue;
    }
    const text = envFile(join(dirname(file.path), relative));
    if (text === undefined) {
      // A missing optional env file (`required: false`) gives nothing.
      if (required) known = false;
      continue;
    }
    // Names only: the values of an env file are never kept.
    for (const match of text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm))
      variables.push({ name: match[1], value: undefined, at: file.place(item.span) });
  }
  return { variables, known };
}

/** Whether a value (`redis://cache:6379/0`, `cache`, `cache:6379`) names the compose service `host`. */
export function namesHost(value: string, host: string): 'url' | 'host' | undefined {
  const escaped = host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`^[a-z][a-z0-9+.-]*://([^/@]*@)?${escaped}(:\\d+)?(/|$)`, 'i').test(value)) return 'url';
  if (new RegExp(`^${escaped}(:\\d+)?$`, 'i').test(value)) return 'host';
  return undefined;
}

/** The edit that gives a compose service a variable holding a value. */
export function serviceVariableEdit(
  file: ReadFile,
  service: Service,
  variable: string,
  value: string,
): TextEdit {
  const environment = get(service.node, 'environment');
  const map = asMap(environment);
  if (map) return insertPair(file.target, map, variable, value);
  const list = asSeq(environment);
  if (list) return appendItem(file.target, list, `${variable}=${value}`);
  return insertPair(file.target, service.node, 'environment', { [variable]: value });
}
