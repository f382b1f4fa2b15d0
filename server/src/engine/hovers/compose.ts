import type { ParsedDocument } from '../document';
import type { HoverContext } from './context';
import { renderNote, type ContainerNote } from './container-notes';

/** What each service key has to do with the lessons, in a few sentences. */
const notes: Record<string, ContainerNote> = {
  ports: {
    lessons: ['private-network'],
    text:
      'A published port listens on every interface of the host unless it names an address, and Docker\u2019s own firewall rules let it past ufw and firewalld. ' +
      'Publish only what people must reach; bind tools and databases to `127.0.0.1:`, and let services talk to each other over the compose network by service name.',
    rules: ['private-network/database-port-published'],
  },
  restart: {
    lessons: ['auto-recovery'],
    text: 'What happens after a crash or a reboot. `unless-stopped` brings the service back by itself yet respects a deliberate stop; without a policy it stays down until someone notices.',
    rules: ['auto-recovery/no-restart-policy'],
  },
  environment: {
    lessons: ['secrets-management', 'container-ready'],
    text: 'Configuration from the environment, as the app should read it. Write variables here, not secrets: `${DB_PASSWORD:?}` takes the value from `.env` (kept out of git) or the deployment, and refuses to start without it.',
    rules: ['secrets-management/secret-in-compose'],
  },
  privileged: {
    lessons: ['least-privilege'],
    text: 'A privileged container can do what root on the host can: see every device, load kernel modules, leave its namespaces. Grant the one capability it needs with `cap_add` instead.',
    rules: ['least-privilege/privileged-container'],
  },
  cap_add: {
    lessons: ['least-privilege'],
    text: 'Linux capabilities beyond Docker\u2019s default set. Name the few the service needs (`NET_ADMIN`); `ALL` is as much as privileged.',
    rules: ['least-privilege/privileged-container'],
  },
  user: {
    lessons: ['least-privilege'],
    text: 'Overrides the user the image runs as. An unprivileged uid keeps a compromised service from owning the container; `root` undoes the image\u2019s choice.',
    rules: ['least-privilege/root-user'],
  },
  image: {
    lessons: ['immutable-infrastructure'],
    text: 'Name a version (`postgres:16.4`), or a digest: `latest` or no tag means each pull can bring something new.',
    rules: ['immutable-infrastructure/unpinned-base-image'],
  },
  healthcheck: {
    lessons: ['auto-recovery'],
    text: 'How compose and Swarm tell a working container from a hung one; `depends_on: {condition: service_healthy}` waits for it. Keep the probe cheap and local.',
    rules: ['auto-recovery/no-healthcheck'],
  },
};

/** A lesson note on a service key (`ports`, `restart`, `environment`, `privileged`, …) under the cursor. */
export function composeHover(
  document: ParsedDocument,
  offset: number,
  context: HoverContext,
): string | undefined {
  if (document.model?.kind !== 'compose') return undefined;
  for (const service of document.model.compose.services) {
    if (offset < service.node.span.start || offset > service.node.span.end) continue;
    const pair = service.node.pairs.find((p) => p.key.span.start <= offset && offset <= p.key.span.end);
    const name = pair && String(pair.key.value);
    const note = name ? notes[name] : undefined;
    return name && note ? renderNote(name, note, context, document.lines) : undefined;
  }
  return undefined;
}
