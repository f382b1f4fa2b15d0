import { opensWithoutPassword } from '../../engine/compose/authentication';
import { databaseOf } from '../../engine/docker/images';
import { insertPair, replaceScalar, type EditTarget } from '../../engine/edit';
import {
  imageOf,
  isAllInterfaces,
  isDefinedHere,
  portsOf,
  type PublishedPort,
} from '../../engine/parse/compose';
import { asMap, asScalar, get, getPair, scalarText } from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

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
      'Service {{service}} ({{database}}) publishes port {{port}} on every host interface: anyone who can reach this machine can try to log in.',
    publishedNoPassword:
      'Service {{service}} ({{database}}) publishes port {{port}} on every host interface and asks for no password: anyone who can reach this machine can read and change its data.',
    sidePort:
      'Service {{service}} ({{database}}) publishes port {{port}}, {{role}}, on every host interface: anyone who can reach this machine can {{risk}}.',
  },
  docs: {
    what:
      'A compose service running a database, cache or search engine (recognised by its image: postgres, mysql, mariadb, mongo, redis, valkey, memcached, elasticsearch, opensearch, cassandra, …) ' +
      'that publishes a port without a host address, or on `0.0.0.0`/`::`, in short (`"5432:5432"`) or long syntax, and one that uses `network_mode: host`. ' +
      '`expose:` and ports bound to an address are not flagged. ' +
      'When the service also asks for no password (a Redis or MongoDB without one), the message says so: this is the one finding for that port, and `least-privilege/database-without-auth` does not repeat it. ' +
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
        const noPassword = opensWithoutPassword(database.noun, service, document.text);
        for (const port of portsOf(model, service)) {
          if (port.hostIp === 'unknown' || !isAllInterfaces(port.hostIp)) continue;
          // Ports inherited through extends are reported where they are written.
          if (port.node.span.start < service.node.span.start || port.node.span.end > service.node.span.end)
            continue;
          const at =
            port.form === 'long'
              ? (get(port.node, 'published') ?? get(port.node, 'target') ?? port.node)
              : port.node;
          const side = sidePorts[database.noun]?.[String(port.target).replace(/\/.*$/, '')];
          report({
            at,
            messageId: side ? 'sidePort' : noPassword ? 'publishedNoPassword' : 'published',
            data: { service: service.name, database: database.noun, port: port.target, ...side },
            fix: () => loopbackFix(document.text, target, port),
          });
        }
      }
    },
  },
});
