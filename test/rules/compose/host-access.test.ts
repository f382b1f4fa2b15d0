import rule from '../../../server/src/rules/compose/host-access';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'the Docker socket, read-only or not, in short and long syntax',
      path: 'compose.yaml',
      text: `services:
  ingress:
    image: traefik:v3.2
    volumes:
      - «/var/run/docker.sock:/var/run/docker.sock:ro»
  runner:
    image: example/ci-runner:17.4
    volumes:
      - type: bind
        source: «/run/docker.sock»
        target: /var/run/docker.sock
`,
      messages: [
        "Service ingress mounts the container engine's socket (/var/run/docker.sock): whoever controls the container can start a privileged one and own the host. Read-only does not help: the API is the same.",
        /Service runner mounts the container engine's socket \(\/run\/docker\.sock\)/,
      ],
      messageIds: ['engineSocket', 'engineSocket'],
    },
    {
      name: "the host's root and /etc, a writable /sys, and cloud credentials from the home folder",
      path: 'docker-compose.yml',
      text: `services:
  backup:
    image: example/backup:2.3
    volumes:
      - «/:/host:ro»
      - «/etc/:/host-etc»
      - «/sys:/sys»
      - «~/.aws:/root/.aws»
      - «\${HOME}/.ssh:/root/.ssh:ro»
      - ./data:/data
`,
      messages: [
        "Service backup mounts the host's / (read-only): a compromise of the container reaches the host's own files.",
        "Service backup mounts the host's /etc: a compromise of the container reaches the host's own files.",
        /host's \/sys:/,
        'Service backup mounts ~/.aws from the host: the credentials there go wherever the container goes.',
        /mounts \$\{HOME\}\/\.ssh from the host/,
      ],
      messageIds: ['hostFolder', 'hostFolder', 'hostFolder', 'credentials', 'credentials'],
    },
    {
      name: 'host process, IPC and user namespaces',
      path: 'compose.yaml',
      text: `services:
  debugger:
    image: example/debug-tools:1.0
    pid: «host»
    ipc: «"host"»
    userns_mode: «host»
`,
      messageIds: ['pidHost', 'ipcHost', 'usernsHost'],
    },
  ],
  clean: [
    {
      name: 'a container manager, an image updater and a socket proxy: the socket is their job',
      path: 'compose.yaml',
      text: `services:
  manager:
    image: portainer/portainer-ce:2.21.4
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
  updater:
    image: docker.io/containrrr/watchtower:1.7.1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
  socket-proxy:
    image: tecnativa/docker-socket-proxy:0.3
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
`,
    },
    {
      name: 'named volumes, project folders, read-only kernel interfaces and single host files',
      path: 'compose.yaml',
      text: `services:
  exporter:
    image: prom/node-exporter:v1.8.2
    pid: service:app
    volumes:
      - /proc:/host/proc:ro
      - /sys:/host/sys:ro
      - /etc/localtime:/etc/localtime:ro
      - ./config:/etc/exporter
      - metrics:/var/lib/metrics
      - type: volume
        source: cache
        target: /cache
  app:
    image: example/app:1.0
    ipc: shareable
volumes:
  metrics:
  cache:
`,
    },
  ],
});
