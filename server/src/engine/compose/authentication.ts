import { environmentOf, type Service } from '../parse/compose';
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
