import { imageOf, interpolate, type ComposeFile, type Service } from '../../engine/parse/compose';
import { asMap, asScalar, asSeq, get, getPair, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';
import { trimTrailing } from '../../engine/text';

/** Sockets of a container engine: whoever can write to one can start a privileged container. */
const engineSocket = /^\/(var\/)?run\/(docker|podman\/podman|containerd\/containerd|crio\/crio)\.sock$/;

/**
 * Host folders whose contents give away the host: its root, its configuration and users, the
 * kernel's interfaces, the engine's state. Read-only mounts of /proc and /sys (what monitoring
 * agents read) and single files such as /etc/localtime are left alone.
 */
const hostFolders = new Set([
  '/',
  '/etc',
  '/root',
  '/boot',
  '/dev',
  '/var/lib/docker',
  '/var/run',
  '/run',
  '/home',
]);
const kernelInterfaces = new Set(['/proc', '/sys']);
/** Credentials in a home folder: `~/.ssh`, `$HOME/.aws`, `/home/me/.kube`. */
const credentialFolder =
  /(^~|^\$\{?HOME\}?|^\/home\/[^/]+|^\/root)\/\.(ssh|aws|kube|docker|gnupg|config\/gcloud|azure)(\/|$)/;

/**
 * Images whose whole job is the engine's API, so that the socket is what they are run for:
 * container managers (Portainer, Dockge, Yacht), Watchtower, which replaces containers with
 * newer images, and the socket proxies that stand between the socket and everything else.
 * Read-only consumers (a reverse proxy discovering backends, a CI runner) are not here: they
 * can reach the socket through such a proxy, and a finding tells them so.
 */
const engineManagers =
  /^(portainer\/(portainer|portainer-ce|portainer-ee|agent)|containrrr\/watchtower|louislam\/dockge|selfhostedpro\/yacht|tecnativa\/docker-socket-proxy|linuxserver\/socket-proxy|wollomatic\/socket-proxy)$/;

/** Whether the service runs an image whose purpose is to manage the engine through its socket. */
function managesTheEngine(compose: ComposeFile, service: Service): boolean {
  const name = imageOf(compose, service)?.reference?.name ?? '';
  return engineManagers.test(name.replace(/^(docker\.io|ghcr\.io|lscr\.io)\//, ''));
}

interface BindMount {
  node: DataNode;
  source: string;
  readOnly: boolean;
}

/** The host paths of a service's bind mounts, in short (`/a:/b:ro`) or long syntax. */
function bindMounts(service: Service): BindMount[] {
  const mounts: BindMount[] = [];
  for (const item of asSeq(get(service.node, 'volumes'))?.items ?? []) {
    const short = asScalar(item);
    if (short && typeof short.value === 'string') {
      const parts = short.value.split(':');
      if (parts.length < 2) continue;
      mounts.push({ node: short, source: parts[0], readOnly: /(^|,)ro(,|$)/.test(parts[2] ?? '') });
      continue;
    }
    const long = asMap(item);
    if (!long || (scalarText(get(long, 'type')) ?? 'volume') !== 'bind') continue;
    const source = scalarText(get(long, 'source'));
    if (source === undefined) continue;
    mounts.push({
      node: get(long, 'source') ?? long,
      source,
      readOnly: scalarText(get(long, 'read_only')) === 'true',
    });
  }
  return mounts;
}

/** A path as compose reads it: defaults of `${VAR:-…}` filled in, `~`, `$HOME` and trailing `/` kept apart. */
function hostPath(source: string): string {
  const home = /^(~|\$\{?HOME\}?)(\/|$)/.exec(source);
  if (home) return source;
  const value = interpolate(source).value ?? source;
  return value.length > 1 ? trimTrailing(value, '/') : value;
}

export default defineRule({
  id: 'least-privilege/host-access',
  lesson: 'least-privilege',
  title: "Container given the host's engine, files or namespaces",
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    engineSocket:
      "Service {{service}} mounts the container engine's socket ({{path}}): whoever controls the container can start a privileged one and own the host. Read-only does not help: the API is the same.",
    hostFolder:
      "Service {{service}} mounts the host's {{path}}{{mode}}: a compromise of the container reaches the host's own files.",
    credentials:
      'Service {{service}} mounts {{path}} from the host: the credentials there go wherever the container goes.',
    pidHost:
      "Service {{service}} shares the host's process namespace (`pid: host`): it sees every process on the host and can signal or trace them.",
    ipcHost:
      "Service {{service}} shares the host's IPC namespace (`ipc: host`): it can read and write the shared memory of every process on the host.",
    usernsHost:
      'Service {{service}} leaves the user namespace (`userns_mode: host`): root in the container is root on the host, whatever the daemon remaps for the others.',
  },
  docs: {
    what:
      'A compose service that mounts the Docker (or Podman, containerd) socket, a sensitive host folder (`/`, `/etc`, `/root`, `/home`, `/boot`, `/dev`, `/run`, `/var/run`, `/var/lib/docker`, and `/proc` or `/sys` when writable) or a folder of credentials (`~/.ssh`, `~/.aws`, `~/.kube`), ' +
      'or that shares the host’s process or IPC namespace (`pid: host`, `ipc: host`) or leaves the user namespace (`userns_mode: host`). ' +
      'Read-only mounts of `/proc` and `/sys` (what monitoring agents read) and single files such as `/etc/localtime` are not flagged. ' +
      'Neither is the socket mounted into an image whose whole job is the engine’s API: container managers (Portainer, Dockge, Yacht), Watchtower, and the socket proxies (`tecnativa/docker-socket-proxy` and the like) that are the remedy for everyone else; a finding there could only say “do not run it”. Reverse proxies and CI runners that mount it are flagged, read-only or not.',
    why:
      'These undo the isolation a container is for. The engine socket is an API that starts containers as root with any mount, so a container that holds it holds the host; host folders and namespaces hand over files, processes and shared memory directly. ' +
      'A reverse proxy or a CI runner that needs the socket should reach it through a proxy that allows only the calls it makes, and an agent that needs host data should mount the one file or folder it reads, read-only.',
    example: {
      language: 'yaml',
      code: `services:
  proxy:
    image: traefik:v3.2
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  socket-proxy:
    image: tecnativa/docker-socket-proxy:0.3
    environment:
      CONTAINERS: 1   # only the read calls the proxy needs
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    networks: [socket]
  proxy:
    image: traefik:v3.2
    command: --providers.docker.endpoint=tcp://socket-proxy:2375
    networks: [socket, web]`,
    },
    references: [
      {
        title: 'Docker Engine security: the attack surface of the daemon',
        url: 'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
      },
      {
        title: 'OWASP Docker Security Cheat Sheet: do not expose the Docker daemon socket',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html#rule-1-do-not-expose-the-docker-daemon-socket-even-to-the-containers',
      },
    ],
  },
  checks: {
    compose({ model, report }) {
      for (const service of model.services) {
        for (const mount of bindMounts(service)) {
          const path = hostPath(mount.source);
          const data = { service: service.name, path };
          if (engineSocket.test(path)) {
            if (!managesTheEngine(model, service))
              report({ at: mount.node, messageId: 'engineSocket', data });
          } else if (credentialFolder.test(path)) report({ at: mount.node, messageId: 'credentials', data });
          else if (hostFolders.has(path) || (kernelInterfaces.has(path) && !mount.readOnly))
            report({
              at: mount.node,
              messageId: 'hostFolder',
              data: { ...data, mode: mount.readOnly ? ' (read-only)' : '' },
            });
        }
        for (const [key, messageId] of [
          ['pid', 'pidHost'],
          ['ipc', 'ipcHost'],
          ['userns_mode', 'usernsHost'],
        ] as const) {
          const pair = getPair(service.node, key);
          if (pair && scalarText(pair.value) === 'host')
            report({ at: pair.value, messageId, data: { service: service.name } });
        }
      }
    },
  },
});
