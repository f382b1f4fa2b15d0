import { environmentOf, interpolate, type EnvironmentEntry, type Service } from '../parse/compose';
import { asSeq, get, scalarText } from '../parse/tree';

/** The words of a service's `command`, in list or string form. */
function commandText(service: Service): string {
  const command = get(service.node, 'command');
  const items = asSeq(command)?.items;
  return items ? items.map((i) => scalarText(i) ?? '').join(' ') : (scalarText(command) ?? '');
}

/**
 * Whether a Redis-protocol server, MongoDB, OpenSearch or Elasticsearch service accepts anyone: the
 * first two do unless told otherwise (`--requirepass`, `REDIS_PASSWORD`, `MONGO_INITDB_ROOT_USERNAME`),
 * the search engines when their security is switched off (or, for Elasticsearch before 8, never on). A service that mounts a
 * configuration file may set a password there: nothing can be said then.
 */
export function opensWithoutPassword(noun: string, service: Service, text: string): boolean {
  const environment = environmentOf(service, text);
  const set = (name: RegExp) => environment.some((e) => name.test(e.name) && (e.value ?? '') !== '');
  const command = commandText(service);
  const mountsConfig = (asSeq(get(service.node, 'volumes'))?.items ?? []).some((item) =>
    /\.conf(:|$)/.test(scalarText(item) ?? scalarText(get(item, 'source')) ?? ''),
  );
  if (mountsConfig || /\.conf\b/.test(command)) return false;
  if (['Redis', 'Valkey', 'KeyDB', 'Dragonfly'].includes(noun))
    return !/--requirepass\b|--aclfile\b/.test(command) && !set(/^(REDIS|VALKEY)_PASSWORD(_FILE)?$/);
  if (noun === 'MongoDB') return !set(/^MONGO(DB)?_INITDB_ROOT_(USERNAME|PASSWORD)(_FILE)?$/);
  const switched = (name: string, value: 'true' | 'false') =>
    environment.some((e) => e.name === name && (e.value ?? '').toLowerCase() === value);
  // The security plugin switched off: no users, no passwords.
  if (noun === 'OpenSearch')
    return switched('plugins.security.disabled', 'true') || switched('DISABLE_SECURITY_PLUGIN', 'true');
  if (noun === 'Elasticsearch') {
    if (switched('xpack.security.enabled', 'false')) return true;
    if (switched('xpack.security.enabled', 'true')) return false;
    // Before 8.0 security was off unless switched on.
    const major = /:(\d+)\./.exec(scalarText(get(service.node, 'image')) ?? '')?.[1];
    return major !== undefined && Number(major) < 8;
  }
  return false;
}

/** Settings that switch a database's authentication off, by variable name; the values that do it. */
const authOff: Record<string, RegExp> = {
  POSTGRES_HOST_AUTH_METHOD: /^trust$/i,
  MYSQL_ALLOW_EMPTY_PASSWORD: /^(yes|true|1)$/i,
  MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: /^(yes|true|1)$/i,
  MARIADB_ALLOW_EMPTY_PASSWORD: /^(yes|true|1)$/i,
  ALLOW_EMPTY_PASSWORD: /^(yes|true|1)$/i,
  'xpack.security.enabled': /^false$/i,
  'plugins.security.disabled': /^true$/i,
  DISABLE_SECURITY_PLUGIN: /^true$/i,
  NEO4J_AUTH: /^none$/i,
};

/** Settings that let MySQL or MariaDB start with an empty root password. */
const emptyRootAllowed =
  /^(MYSQL_ALLOW_EMPTY_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD|MARIADB_ALLOW_EMPTY_PASSWORD)$/;

/** The root password settings that such a switch yields to. */
const rootPassword = /^(MYSQL|MARIADB)_ROOT_PASSWORD(_FILE)?$/;

/** A setting of a service's environment that switches its authentication off. */
export interface AuthOffSetting {
  entry: EnvironmentEntry;
  /** `NAME=value`, for messages. */
  setting: string;
  /**
   * For an empty root password that is only allowed: the root password variable beside it that
   * decides (root has no password only when that variable is unset). Undefined: no password, surely.
   */
  unlessSet?: EnvironmentEntry;
}

/**
 * The settings that switch a service's authentication off (`POSTGRES_HOST_AUTH_METHOD=trust`,
 * `plugins.security.disabled=true`, …). `MYSQL_ALLOW_EMPTY_PASSWORD` and its MariaDB twins only
 * allow an empty root password: beside a literal root password (or its file) they change nothing
 * and are left out; beside one that is only a variable they come with it (`unlessSet`).
 */
export function authOffSettings(service: Service, text: string): AuthOffSetting[] {
  const environment = environmentOf(service, text);
  const found: AuthOffSetting[] = [];
  for (const entry of environment) {
    const pattern = authOff[entry.name];
    const value = entry.value === undefined ? undefined : interpolate(entry.value).value;
    if (!pattern || value === undefined || !pattern.test(value)) continue;
    const setting = `${entry.name}=${value}`;
    const root = emptyRootAllowed.test(entry.name)
      ? environment.find((e) => rootPassword.test(e.name) && (e.value ?? '') !== '')
      : undefined;
    if (root) {
      const given = interpolate(root.value ?? '');
      // A literal or a file: root has a password. Only variables: it is empty when they are unset.
      if (root.name.endsWith('_FILE') || (given.value !== undefined && given.value !== '')) continue;
      found.push({ entry, setting, unlessSet: root });
      continue;
    }
    found.push({ entry, setting });
  }
  return found;
}
