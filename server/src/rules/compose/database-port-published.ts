import { authOffSettings, opensWithoutPassword } from '../../engine/compose/authentication';
import { databaseOf } from '../../engine/docker/images';
import { insertPair, replaceScalar, type EditTarget } from '../../engine/edit';
import {
  imageOf,
  isAllInterfaces,
  isDefinedHere,
  portsOf,
  type ComposeFile,
  type PublishedPort,
  type Service,
} from '../../engine/parse/compose';
import { asMap, asScalar, get, getPair, scalarText } from '../../engine/parse/tree';
import { defineRule, spanOf, type Fix, type TextEdit } from '../../engine/rule';

/** Bind a published port to the loopback address, keeping the rest of its text. */
function loopbackFix(text: string, target: EditTarget, port: PublishedPort): Fix | undefined {
  if (port.form === 'long') {
    const map = asMap(port.node);
    if (!map) return undefined;
    const hostIp = asScalar(get(map, 'host_ip'));
    const edit = hostIp
      ? replaceScalar(target, hostIp, '127.0.0.1')
      : insertPair(target, map, 'host_ip', '127.0.0.1');
    return { title: 'Publish on 127.0.0.1 only', edits: [edit] };
  }
  const scalar = asScalar(port.node);
  if (!scalar || scalar.value === null) return undefined;
  const value = String(scalar.value);
  const raw = text.slice(scalar.span.start, scalar.span.end);
  const quoted = scalar.style === 'single' || scalar.style === 'double';
  if ((quoted ? raw.slice(1, -1) : raw) !== value) return undefined;
  const start = scalar.span.start + (quoted ? 1 : 0);
  let edit: TextEdit;
  const explicit = /^(0\.0\.0\.0|\[::\]|::):/.exec(value);
  if (explicit) {
    edit = { start, end: start + explicit[0].length, text: '127.0.0.1:' };
  } else if (port.published === undefined) {
    // `- 5432` publishes on a random host port: keep that, on loopback only.
    edit = { start, end: start, text: '127.0.0.1::' };
  } else {
    edit = { start, end: start, text: '127.0.0.1:' };
  }
  const edits = [edit];
  // A plain number (`- 5432`) becomes text with colons: quote it so it stays one string.
  if (!quoted && typeof scalar.value !== 'string') {
    edits[0] = { ...edit, text: `"${edit.text}` };
    edits.push({ start: scalar.span.end, end: scalar.span.end, text: '"' });
  }
  return { title: 'Publish on 127.0.0.1 only', edits };
}

/** Ports of a database image that are not where clients log in, and what they give away. */
const sidePorts: Record<string, Record<string, { role: string; risk: string }>> = {
  OpenSearch: {
    '9600': { role: 'its Performance Analyzer API', risk: 'read the metrics of the cluster and its nodes' },
    '9300': {
      role: 'its transport port, which cluster nodes join through',
      risk: 'talk to the cluster as a node',
    },
  },
  Elasticsearch: {
    '9300': {
      role: 'its transport port, which cluster nodes join through',
      risk: 'talk to the cluster as a node',
    },
  },
};

/**
 * The ports this rule reports for a service: published without an address or on `0.0.0.0`/`::`,
 * written in the service itself (ports inherited through `extends` are reported where they are
 * written). Shared with `least-privilege/database-without-auth`, which leaves these to this rule.
 */
export function portsOnEveryInterface(model: ComposeFile, service: Service): PublishedPort[] {
  return portsOf(model, service).filter(
    (port) =>
      port.hostIp !== 'unknown' &&
      isAllInterfaces(port.hostIp) &&
      port.node.span.start >= service.node.span.start &&
      port.node.span.end <= service.node.span.end,
  );
}

/**
 * Whether this rule's finding for the service is on a port where clients log in, so that its
 * message says when authentication is off (`least-privilege/database-without-auth` then stays quiet).
 */
export function publishesLoginPort(model: ComposeFile, service: Service, noun: string): boolean {
  return portsOnEveryInterface(model, service).some(
    (port) => !sidePorts[noun]?.[String(port.target).replace(/\/.*$/, '')],
  );
}

/** `9600 (its Performance Analyzer API)`, or just `5433`. */
function portName(port: PublishedPort, side: { role: string } | undefined): string {
  // Another host port for the same container port: `16379 (to container port 6379)`.
  const host = port.published && port.published !== port.target ? port.published : undefined;
  const what = [host ? `to container port ${port.target}` : undefined, side?.role].filter(Boolean);
  return `${host ?? port.target}${what.length > 0 ? ` (${what.join(', ')})` : ''}`;
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: string[]): string {
  return items.length < 2
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export default defineRule({
  id: 'private-network/database-port-published',
  lesson: 'private-network',
  title: 'Database port published on every interface',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    hostNetwork:
      "Service {{service}} ({{database}}) shares the host's network: every port it opens listens on every host interface.",
    published:
      'Service {{service}} ({{database}}) publishes port {{port}} on every host interface: anyone who can reach this machine can try to log in.{{others}}',
    publishedNoPassword:
      'Service {{service}} ({{database}}) publishes port {{port}} on every host interface and asks for no password: anyone who can reach this machine can read and change its data.{{others}}',
    publishedAuthOff:
      'Service {{service}} ({{database}}) publishes port {{port}} on every host interface and sets {{setting}}: anyone who can reach this machine can read and change its data without a password.{{others}}',
    sidePort:
      'Service {{service}} ({{database}}) publishes port {{port}}, {{role}}, on every host interface: anyone who can reach this machine can {{risk}}.{{others}}',
  },
  docs: {
    what:
      'A compose service running a database, cache or search engine (recognised by its image: postgres, mysql, mariadb, mongo, redis, valkey, memcached, elasticsearch, opensearch, cassandra, …) ' +
      'that publishes a port without a host address, or on `0.0.0.0`/`::`, in short (`"5432:5432"`) or long syntax, and one that uses `network_mode: host`. ' +
      '`expose:` and ports bound to an address are not flagged. ' +
      'One finding per service, on its first published port where clients log in (or its first port when it publishes only others); the other ports it publishes the same way are named in the message, shown as related locations, and bound to the loopback address by the same fix. ' +
      'When the service also asks for no password (a Redis or MongoDB without one) or switches its authentication off (`plugins.security.disabled=true`, `POSTGRES_HOST_AUTH_METHOD=trust`, …), the message says so, naming the setting: this is the one finding for that service, and `least-privilege/database-without-auth` does not repeat it (it reports the setting once the port is bound to an address, since the database then still trusts everyone on the network). ' +
      'Ports that are not where clients log in are named for what they are (OpenSearch’s Performance Analyzer on 9600, the Elasticsearch and OpenSearch transport port 9300).',
    why:
      'A published port without an address listens on every interface of the host, so the database answers anyone who can reach the machine: the office network, the café Wi-Fi, or the internet on a cloud VM. ' +
      'Docker writes its own firewall rules for published ports, which take effect before ufw or firewalld rules, so the host firewall does not protect it. ' +
      'The other services reach the database over the compose network by its service name; only a tool on the same machine needs the port, and `127.0.0.1` serves it.',
    example: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    ports:
      - "5432:5432"`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"   # or no ports at all: the app reaches db:5432 on the compose network`,
    },
    references: [
      {
        title: 'Docker: packet filtering and firewalls (published ports and ufw)',
        url: 'https://docs.docker.com/engine/network/packet-filtering-firewalls/',
      },
      {
        title: 'Compose file reference: ports',
        url: 'https://docs.docker.com/reference/compose-file/services/#ports',
      },
    ],
    fix: 'Binds the published port to `127.0.0.1`, keeping the host and container ports: tools on the same machine still reach it, other machines no longer do. `network_mode: host` gets no fix.',
  },
  checks: {
    compose({ model, document, target, report }) {
      for (const service of model.services) {
        if (!isDefinedHere(service) || getPair(service.node, 'build')) continue;
        const database = databaseOf(imageOf(model, service)?.reference);
        if (!database) continue;
        const networkMode = getPair(service.node, 'network_mode');
        if (scalarText(networkMode?.value) === 'host') {
          report({
            at: networkMode!.value,
            messageId: 'hostNetwork',
            data: { service: service.name, database: database.noun },
          });
        }
        const ports = portsOnEveryInterface(model, service);
        if (ports.length === 0) continue;
        const sideOf = (port: PublishedPort) =>
          sidePorts[database.noun]?.[String(port.target).replace(/\/.*$/, '')];
        // The port clients log in on, when the service publishes one; the others are named with it.
        const first = ports.find((port) => !sideOf(port)) ?? ports[0];
        const rest = ports.filter((port) => port !== first);
        const place = (port: PublishedPort) =>
          port.form === 'long'
            ? (get(port.node, 'published') ?? get(port.node, 'target') ?? port.node)
            : port.node;
        const names = rest.map((port) => portName(port, sideOf(port)));
        const others =
          rest.length === 0
            ? ''
            : ` ${rest.length === 1 ? 'Port' : 'Ports'} ${listed(names)} ${rest.length === 1 ? 'is' : 'are'} published the same way.`;
        const side = sideOf(first);
        const off = authOffSettings(service, document.text).find((s) => !s.unlessSet);
        const noPassword = opensWithoutPassword(database.noun, service, document.text);
        report({
          at: place(first),
          messageId: side
            ? 'sidePort'
            : off
              ? 'publishedAuthOff'
              : noPassword
                ? 'publishedNoPassword'
                : 'published',
          data: {
            service: service.name,
            database: database.noun,
            port: first.target,
            others,
            ...(off ? { setting: off.setting } : {}),
            ...side,
          },
          related: [
            ...rest.map((port, i) => ({
              path: document.path,
              range: document.lines.rangeOf(spanOf(place(port))),
              message: `port ${names[i]} is published on every host interface too`,
            })),
            ...(off && !side
              ? [
                  {
                    path: document.path,
                    range: document.lines.rangeOf(spanOf(off.entry.valueSpan ?? off.entry.node)),
                    message: `${off.setting} switches authentication off`,
                  },
                ]
              : []),
          ],
          fix: () => {
            const fixes = ports.map((port) => loopbackFix(document.text, target, port));
            const edits = fixes.flatMap((f) => f?.edits ?? []);
            return edits.length > 0 ? { title: fixes.find((f) => f)!.title, edits } : undefined;
          },
        });
      }
    },
  },
});
