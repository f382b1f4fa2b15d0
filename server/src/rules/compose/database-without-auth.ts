import { databaseOf } from '../../engine/docker/images';
import { authOffSettings, opensWithoutPassword } from '../../engine/compose/authentication';
import { imageOf, isAllInterfaces, isDefinedHere, portsOf, serviceKey } from '../../engine/parse/compose';
import { asScalar } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';
import { publishesLoginPort } from './database-port-published';

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
    emptyRootFallback:
      'Service {{service}} ({{database}}) sets {{setting}}: should {{password}} come out empty (its variable unset), root logs in without a password.',
    published:
      'Service {{service}} ({{database}}) publishes port {{port}} on {{address}} and has no password: anyone who reaches that address can read and change its data.',
  },
  docs: {
    what:
      'A compose service running a well-known database, cache or search engine that switches authentication off (`POSTGRES_HOST_AUTH_METHOD=trust`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `ALLOW_EMPTY_PASSWORD=yes`, `xpack.security.enabled=false`, `NEO4J_AUTH=none`), ' +
      'and a Redis, Valkey, KeyDB or MongoDB service that publishes a port on a host address other than the loopback while setting no password (`--requirepass`, `REDIS_PASSWORD`, `MONGO_INITDB_ROOT_USERNAME`); a port published on every interface is reported once, by `private-network/database-port-published`, whose message then says that no password guards it. The same holds for a service that switches authentication off and publishes a port where clients log in on every interface: that rule reports it once, naming the setting (as a related location too), and this one reports the setting when the port is bound to an address or not published, since one finding per service says it all and binding the port is the first fix. ' +
      '`MYSQL_ALLOW_EMPTY_PASSWORD` and its MariaDB twins only allow an empty root password: beside a literal `MYSQL_ROOT_PASSWORD` (or `MARIADB_ROOT_PASSWORD`, or a `_FILE` variant) they change nothing and are not flagged; beside one that is only a variable, an info says that root has no password when the variable is unset, if the service publishes a port. ' +
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
        const off = authOffSettings(service, document.text);
        // Published on every interface as well: private-network/database-port-published reports
        // the port once and names the setting, as it does for a Redis without a password.
        const published = publishesLoginPort(model, service, database.noun);
        for (const { entry, setting, unlessSet } of off) {
          const data = { service: service.name, database: database.noun, setting };
          if (unlessSet) {
            // Root without a password only if the variable is unset, and then only for the other
            // services of the stack when no port is published: the compose network is the fence.
            if (portsOf(model, service).length === 0) continue;
            report({
              at: entry.valueSpan ?? entry.node,
              severity: 'info',
              messageId: 'emptyRootFallback',
              data: { ...data, password: unlessSet.name },
            });
            continue;
          }
          if (!published) report({ at: entry.valueSpan ?? entry.node, messageId: 'authOff', data });
        }
        if (off.length > 0 || !opensWithoutPassword(database.noun, service, document.text)) continue;
        // A port on every interface is private-network/database-port-published's finding, which
        // says that no password guards it: one finding for one place.
        const open = portsOf(model, service).find(
          (p) =>
            p.hostIp !== 'unknown' &&
            !isAllInterfaces(p.hostIp) &&
            !/^(127\.|::1$|\[::1\]$|localhost$)/.test(p.hostIp ?? ''),
        );
        if (!open) continue;
        report({
          at: asScalar(open.node) ?? open.node,
          messageId: 'published',
          data: {
            service: service.name,
            database: database.noun,
            port: open.target,
            address: open.hostIp ?? '',
          },
        });
      }
    },
  },
});
