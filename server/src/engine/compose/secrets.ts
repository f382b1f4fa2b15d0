import { wellKnownDefaultPasswords } from '../default-credentials';
import { databaseOf } from '../docker/images';
import {
  composeLayers,
  environmentOf,
  imageOf,
  interpolate,
  isTestStack,
  layeredKey,
  portsOf,
  serviceKey,
  type ComposeFile,
  type EnvironmentEntry,
  type Service,
} from '../parse/compose';
import { asMap, asSeq, get, getPair, scalarText } from '../parse/tree';
import { isNonSecretValue, isSecretName } from '../secret-names';
import type { Span } from '../text';
import type { WorkspaceView } from '../workspace';
import { composePurpose } from './purpose';

/**
 * The secrets written in a compose file, one per value: the same literal given as
 * `MYSQL_ROOT_PASSWORD` of the database and as the password of `DATABASE_URL` of the app is one
 * secret written in two places. `secrets-management/secret-in-compose` reports each once (its
 * strict companion the passwords of databases only the compose network reaches, in local
 * stacks), and `secrets-management/hardcoded-credential` leaves every place listed here to them.
 */
export interface ComposeSecret {
  /** The literal, after interpolation (the default of `${VAR:-default}`). */
  value: string;
  /** Where it is written, in document order: secret-named variables and URL passwords. */
  places: SecretPlace[];
  /**
   * Where it is reported, and whose variable the fix reads everywhere: the first secret-named
   * variable of a database service that holds it, else the first one.
   */
  first: SecretPlace & { entry: EnvironmentEntry };
  /**
   * Set when the value is the password of databases of this file that publish no port, in a
   * local, sample or demo stack: only the compose network can use it.
   */
  internal?: { databases: string[] };
}

export interface SecretPlace {
  /** The value's own text (a variable's value, or the password inside a URL). */
  span: Span;
  /** Set when the span can be replaced by `${NAME:?…}` (plain or simply quoted scalars, URL passwords). */
  editable: boolean;
  /** The service whose settings hold it, if any. */
  service?: Service;
  /** The variable that holds it (`MYSQL_ROOT_PASSWORD`, `DATABASE_URL`), when known. */
  name?: string;
  /** For a secret-named variable: its entry. */
  entry?: EnvironmentEntry;
  /** For a URL password: the URL's host. */
  host?: string;
  /** The variable's value is `${VAR:-literal}`: the file gives a fallback. */
  fromDefault: boolean;
}

/**
 * Whether a value is a known default, or only repeats a name the stack already shows (its
 * service, its image, its user or database name), maybe with `my`/`some` before or digits after:
 * `POSTGRES_PASSWORD: gitea` beside `POSTGRES_USER: gitea`, `MYSQL_ROOT_PASSWORD: somewordpress`.
 */
function isGuessable(value: string, names: Set<string>): boolean {
  const v = value.trim().toLowerCase();
  if (wellKnownDefaultPasswords.has(v)) return true;
  const core = v.replace(/^(my|some)[-_]?/, '').replace(/[-_]?\d{1,4}$/, '');
  return core.length > 0 && (names.has(core) || wellKnownDefaultPasswords.has(core));
}

/** The names a service shows: its own, its image's, and the values of its user and database settings. */
function shownNames(
  service: Service,
  repository: string | undefined,
  entries: EnvironmentEntry[],
): Set<string> {
  const names = new Set([service.name.toLowerCase()]);
  if (repository) names.add(repository.toLowerCase());
  for (const entry of entries) {
    if (!/(^|_)(USER|USERNAME|DB|DATABASE|DB_NAME|NAME)$/.test(entry.name) || !entry.value) continue;
    const value = interpolate(entry.value).value;
    if (value) names.add(value.toLowerCase());
  }
  return names;
}

/** Names of passwords (not tokens, keys or secrets of other kinds). */
const passwordName = /pass|pwd/i;

/**
 * The secrets of a compose file, grouped by value. A test stack has none (its databases live for
 * one run); well-known defaults and values the file lets anyone guess are none either.
 */
export function composeSecrets(
  model: ComposeFile,
  document: { path: string; text: string },
  workspace: WorkspaceView,
): ComposeSecret[] {
  if (isTestStack(document.path, model)) return [];
  const { text } = document;
  const byValue = new Map<string, SecretPlace[]>();
  for (const service of model.services) {
    const environment = environmentOf(service, text);
    const names = shownNames(service, imageOf(model, service)?.reference?.repository, environment);
    for (const entry of environment) {
      if (entry.value === undefined || !isSecretName(entry.name)) continue;
      const { value, variables } = interpolate(entry.value);
      // Only variables, no literal text: the value comes from outside the file.
      if (value === undefined || value === '' || isNonSecretValue(value)) continue;
      // A default anyone could guess from the documentation or the file itself is no leak.
      if (isGuessable(value, names)) continue;
      let span = entry.valueSpan;
      if (!span) {
        // A block scalar's node runs on to the line break after it: its text only.
        let end = entry.node.span.end;
        while (end > entry.node.span.start && /\s/.test(text[end - 1])) end--;
        span = { start: entry.node.span.start, end };
      }
      const places = byValue.get(value) ?? [];
      places.push({
        span,
        editable: entry.valueSpan !== undefined,
        service,
        name: entry.name,
        entry,
        fromDefault: variables.length > 0,
      });
      byValue.set(value, places);
    }
  }
  if (byValue.size === 0) return [];
  const secrets: ComposeSecret[] = [];
  let purpose: ReturnType<typeof composePurpose> | undefined;
  for (const [value, entries] of byValue) {
    const places = [...entries, ...urlPasswords(model, text, value)].sort(
      (a, b) => a.span.start - b.span.start,
    );
    // The database's own setting, when one holds it: the others are copies of it.
    const first = (entries.find((p) => p.service && databaseOf(imageOf(model, p.service)?.reference)) ??
      entries[0]) as SecretPlace & { entry: EnvironmentEntry };
    const secret: ComposeSecret = { value, places, first };
    const databases = unpublishedDatabases(model, document, workspace, places);
    if (databases) {
      purpose ??= composePurpose(document.path, model, workspace);
      if (!purpose.production) secret.internal = { databases };
    }
    secrets.push(secret);
  }
  return secrets.sort((a, b) => a.first.span.start - b.first.span.start);
}

/**
 * Where `value` is the password of a URL in the file (`mysql://root:VALUE@db:3306/app`), in any
 * setting: found by its text, `:VALUE@` after a scheme and a user.
 */
function urlPasswords(model: ComposeFile, text: string, value: string): SecretPlace[] {
  const places: SecretPlace[] = [];
  const needle = `:${value}@`;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    // `scheme://user` right before: the user holds none of the characters a URL stops at.
    const before = text.slice(Math.max(0, at - 160), at);
    const slashes = before.lastIndexOf('://');
    if (slashes < 0 || /[\s:@/'"`<>()]/.test(before.slice(slashes + 3))) continue;
    if (!/[A-Za-z][A-Za-z0-9+.-]{0,20}$/.test(before.slice(Math.max(0, slashes - 21), slashes))) continue;
    const start = at + 1;
    const end = start + value.length;
    const host = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}/.exec(text.slice(end + 1, end + 256))?.[0] ?? '';
    const service = model.services.find((s) => s.node.span.start <= at && at < s.node.span.end);
    const name = service
      ? environmentOf(service, text).find(
          (e) => e.valueSpan && e.valueSpan.start <= at && at < e.valueSpan.end,
        )?.name
      : undefined;
    places.push({ span: { start, end }, editable: true, service, name, host, fromDefault: false });
  }
  return places;
}

/**
 * The databases a password guards when they publish no port, or undefined. Every variable that
 * holds it must name a password, at least one must belong to a database service of this file
 * (by its image), each such database must publish no port here or in a file merged with this one
 * (`expose:` is internal) and not share the host's network, and every URL with it must point at
 * one of them. Then only a container on the compose network can log in with it.
 */
function unpublishedDatabases(
  model: ComposeFile,
  document: { path: string },
  workspace: WorkspaceView,
  places: SecretPlace[],
): string[] | undefined {
  if (places.some((p) => p.entry && !passwordName.test(p.name ?? ''))) return undefined;
  const databases = new Set<Service>();
  for (const place of places)
    if (place.entry && place.service && databaseOf(imageOf(model, place.service)?.reference))
      databases.add(place.service);
  if (databases.size === 0) return undefined;
  let layers: ReturnType<typeof composeLayers> | undefined;
  for (const database of databases) {
    if (portsOf(model, database).length > 0) return undefined;
    if (scalarText(serviceKey(model, database, 'network_mode').pair?.value) === 'host') return undefined;
    layers ??= composeLayers(document.path, model, workspace);
    if (layeredKey(layers, database.name, 'ports') || layeredKey(layers, database.name, 'network_mode'))
      return undefined;
  }
  const hostNames = new Set<string>();
  for (const database of databases) {
    hostNames.add(database.name.toLowerCase());
    for (const key of ['hostname', 'container_name']) {
      const name = scalarText(getPair(database.node, key)?.value);
      if (name) hostNames.add(name.toLowerCase());
    }
    // Network aliases: `networks: {backend: {aliases: [mysql]}}`.
    for (const pair of asMap(get(database.node, 'networks'))?.pairs ?? [])
      for (const alias of asSeq(get(pair.value, 'aliases'))?.items ?? []) {
        const name = scalarText(alias);
        if (name) hostNames.add(name.toLowerCase());
      }
  }
  if (places.some((p) => p.host !== undefined && !hostNames.has(p.host.toLowerCase()))) return undefined;
  return [...databases].map((d) => d.name);
}
