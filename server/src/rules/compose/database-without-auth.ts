import { databaseOf } from '../../engine/docker/images';
import {
  environmentOf,
  imageOf,
  interpolate,
  isDefinedHere,
  portsOf,
  serviceKey,
  type Service,
} from '../../engine/parse/compose';
import { asScalar, asSeq, get, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

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

/** The words of a service's `command`, in list or string form. */
function commandText(service: Service): string {
  const command = get(service.node, 'command');
  const items = asSeq(command)?.items;
  return items ? items.map((i) => scalarText(i) ?? '').join(' ') : (scalarText(command) ?? '');
}

/** Redis-protocol servers and MongoDB, which accept anyone unless told otherwise. */
function opensWithoutPassword(noun: string, service: Service, text: string): boolean {
  const environment = environmentOf(service, text);
  const set = (name: RegExp) => environment.some((e) => name.test(e.name) && (e.value ?? '') !== '');
  const command = commandText(service);
  // A configuration file mounted in may set a password: nothing can be said then.
  const mountsConfig = (asSeq(get(service.node, 'volumes'))?.items ?? []).some((item) =>
    /\.conf(:|$)/.test(scalarText(item) ?? scalarText(get(item, 'source')) ?? ''),
  );
  if (mountsConfig || /\.conf\b/.test(command)) return false;
  if (['Redis', 'Valkey', 'KeyDB', 'Dragonfly'].includes(noun))
    return !/--requirepass\b|--aclfile\b/.test(command) && !set(/^(REDIS|VALKEY)_PASSWORD(_FILE)?$/);
  if (noun === 'MongoDB') return !set(/^MONGO(DB)?_INITDB_ROOT_(USERNAME|PASSWORD)(_FILE)?$/);
  return false;
}

export default defineRule({
  id: 'least-privilege/database-without-auth',
  lesson: 'least-privilege',
  title: 'Database that accepts connections without a password',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    authOff:
      'Service {{service}} ({{database}}) sets {{setting}}: anyone who reaches it logs in without a password.',
    published:
      'Service {{service}} ({{database}}) publishes port {{port}} and has no password: anyone who reaches the host can read and change its data.',
  },
  docs: {
    what:
      'A compose service running a well-known database, cache or search engine that switches authentication off (`POSTGRES_HOST_AUTH_METHOD=trust`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `ALLOW_EMPTY_PASSWORD=yes`, `xpack.security.enabled=false`, `NEO4J_AUTH=none`), ' +
      'and a Redis, Valkey, KeyDB or MongoDB service that publishes a port on a host interface other than the loopback while setting no password (`--requirepass`, `REDIS_PASSWORD`, `MONGO_INITDB_ROOT_USERNAME`). ' +
      'Services that mount a configuration file are not judged: the file may set one. A Redis without a password that only the compose network reaches is not flagged either: that is how most stacks run it, and the network is the fence.',
    why:
      'A database without authentication trusts the network to keep strangers out, and a published port takes that fence down: scanners find open Redis and MongoDB servers within hours and empty, encrypt or mine them. ' +
      'Even on a private network, one compromised container then reads and rewrites every record.',
    example: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_HOST_AUTH_METHOD: trust`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt`,
    },
    references: [
      {
        title: 'Redis security: authentication',
        url: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/',
      },
      {
        title: 'PostgreSQL: the trust authentication method',
        url: 'https://www.postgresql.org/docs/current/auth-trust.html',
      },
    ],
  },
  checks: {
    compose({ model, document, report }) {
      for (const service of model.services) {
        if (!isDefinedHere(service) || serviceKey(model, service, 'build').pair) continue;
        const database = databaseOf(imageOf(model, service)?.reference);
        if (!database) continue;
        let off = false;
        for (const entry of environmentOf(service, document.text)) {
          const pattern = authOff[entry.name];
          const value = entry.value === undefined ? undefined : interpolate(entry.value).value;
          if (!pattern || value === undefined || !pattern.test(value)) continue;
          off = true;
          report({
            at: entry.valueSpan ?? entry.node,
            messageId: 'authOff',
            data: { service: service.name, database: database.noun, setting: `${entry.name}=${value}` },
          });
        }
        if (off || !opensWithoutPassword(database.noun, service, document.text)) continue;
        const open = portsOf(model, service).find(
          (p) => p.hostIp !== 'unknown' && !/^(127\.|::1$|\[::1\]$|localhost$)/.test(p.hostIp ?? ''),
        );
        if (!open) continue;
        report({
          at: asScalar(open.node) ?? open.node,
          messageId: 'published',
          data: { service: service.name, database: database.noun, port: open.target },
        });
      }
    },
  },
});
