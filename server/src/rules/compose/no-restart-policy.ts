import { composePurpose, type ComposePurpose } from '../../engine/compose/purpose';
import { insertPair } from '../../engine/edit';
import {
  composeLayers,
  environmentOf,
  isDefinedHere,
  isTestStack,
  layeredKey,
  serviceKey,
  type ComposeFile,
  type Service,
} from '../../engine/parse/compose';
import { asMap, asSeq, get, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule, type CheckContext, type ReportedFinding } from '../../engine/rule';

/** A service set up for development: a `dev` build target, compose watch, or a development environment. */
function isDevelopment(service: Service, text: string): boolean {
  if (/dev/i.test(scalarText(get(get(service.node, 'build'), 'target')) ?? '')) return true;
  if (get(service.node, 'develop') !== undefined) return true;
  return environmentOf(service, text).some(
    (e) =>
      /^(NODE_ENV|FLASK_ENV|RAILS_ENV|APP_ENV|ENVIRONMENT|ASPNETCORE_ENVIRONMENT|DJANGO_DEBUG|DEBUG)$/.test(
        e.name,
      ) && /^(development|dev|true|1)$/i.test(e.value ?? ''),
  );
}

/** A service without a restart policy, and the services of the project that restart. */
export interface MissingPolicy {
  service: Service;
  restarting: string[];
  development: boolean;
  /** What the file is for: a stack run on a server, or a development or sample set-up. */
  purpose: ComposePurpose;
}

/**
 * Whether `auto-recovery/no-restart-policy` (every preset) reports the service: a file that runs
 * a stack on a server, where other services restart or the file is named for production, and a
 * service not set up for development. The strict companion reports the rest.
 */
export function reportedInEveryPreset(missing: MissingPolicy): boolean {
  const { purpose, restarting, development } = missing;
  return purpose.production && !development && (restarting.length > 0 || purpose.namedProduction);
}

/**
 * The services of a compose file that have no restart policy, with what the files merged with
 * it (override, variants, includes) say; shared by this rule and its strict companion.
 */
export function missingPolicies(
  model: ComposeFile,
  document: { path: string; text: string },
  workspace: CheckContext<ComposeFile>['workspace'],
): MissingPolicy[] {
  // Compose files of a test or CI run: their services are started once, for the run.
  if (isTestStack(document.path, model)) return [];
  // The override beside the file, the variants merged with -f and the included files.
  const layers = composeLayers(document.path, model, workspace);
  const oneShot = new Set<string>();
  for (const service of [model, ...layers.map((l) => l.compose)].flatMap((c) => c.services)) {
    for (const pair of asMap(get(service.node, 'depends_on'))?.pairs ?? []) {
      if (scalarText(get(pair.value, 'condition')) === 'service_completed_successfully')
        oneShot.add(String(pair.key.value));
    }
  }
  /** `restart` or `deploy.restart_policy` as written for the service here, through extends, or in a layer. */
  const policy = (service: Service): DataNode | 'external' | undefined => {
    const restart = serviceKey(model, service, 'restart');
    const deploy = serviceKey(model, service, 'deploy');
    if (restart.external || deploy.external) return 'external';
    const own = restart.pair?.value ?? get(deploy.pair?.value, 'restart_policy');
    if (own) return own;
    return (
      layeredKey(layers, service.name, 'restart')?.pair.value ??
      get(layeredKey(layers, service.name, 'deploy')?.pair.value, 'restart_policy')
    );
  };
  /** An explicit `restart: "no"` is a choice, not a service that restarts. */
  const restarts = (service: Service): boolean => {
    const found = policy(service);
    if (found === undefined || found === 'external') return false;
    const value = scalarText(found) ?? scalarText(get(found, 'condition'));
    return value !== 'no' && value !== 'none';
  };
  const onDemand = (service: Service): boolean =>
    !!asSeq(get(service.node, 'profiles'))?.items.some((p) =>
      /^(tools?|cli|manual|oneshot|one-shot|jobs?|migrat\w*|setup|init|seed\w*)$/.test(scalarText(p) ?? ''),
    );
  const restarting = model.services.filter(restarts).map((s) => s.name);
  const missing: MissingPolicy[] = [];
  const purpose = composePurpose(document.path, model, workspace);
  for (const service of model.services) {
    if (!isDefinedHere(service) || oneShot.has(service.name)) continue;
    if (policy(service) !== undefined) continue;
    // A service run only on demand with `docker compose run` is a task, not a server.
    if (onDemand(service)) continue;
    missing.push({ service, restarting, development: isDevelopment(service, document.text), purpose });
  }
  return missing;
}

/** The fix both rules offer. */
export function restartFix(
  target: CheckContext<ComposeFile>['target'],
  service: Service,
): ReportedFinding['fix'] {
  return () => ({
    title: 'Add restart: unless-stopped',
    edits: [insertPair(target, service.node, 'restart', 'unless-stopped')],
  });
}

export default defineRule({
  id: 'auto-recovery/no-restart-policy',
  lesson: 'auto-recovery',
  title: 'Compose service without a restart policy',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    noPolicyUnlike:
      'Service {{service}} has no restart policy, unlike {{others}}: after a crash or a reboot it stays down until someone starts it.',
    noPolicyProduction:
      'Service {{service}} has no restart policy, in a compose file named for production: after a crash or a reboot it stays down until someone starts it.',
  },
  docs: {
    what:
      'A compose service with neither `restart:` nor `deploy.restart_policy`, including what it inherits through `extends`. ' +
      'One-shot services that another service waits to complete (`condition: service_completed_successfully`) and partial overrides of services defined in another file are not flagged. ' +
      'The files compose merges with this one are read too: `compose.override.yaml` (or `docker-compose.override.yml`) beside it, the variants beside it that are merged with `-f` (`docker-compose.prod.yml`), the files it names in `include:`, and, for a file named in an `include:` path list (`path: [base.yaml, prod.yaml]`), the other files of that list, which compose merges with it; a policy set for the service in any of them counts. ' +
      'Reported only in a compose file that runs a stack on a server: one named for production (`docker-compose.prod.yml`), one that sets what only servers use (`deploy.replicas`, `placement`, `update_config`, resource limits), or one whose services all run built images (`image:`, no `build:`) without source folders mounted over them. ' +
      'There it is reported where other services of the file (or its overlays) restart, which makes the missing one an oversight, and on every service of a file named for production. ' +
      'A development, sample or demo set-up is left to `auto-recovery/no-restart-policy-at-all` (in `strict`): a file named `…dev…`, `…local…` or `…example…`, one in an `examples/` or `demo/` folder, one with Kubernetes manifests, a Helm chart or an ECS task definition beside it (they run the stack for real), one that publishes its ports on localhost only, one that builds a service and mounts its source over it, or one that builds services on the spot beside off-the-shelf images. ' +
      'Nobody adds restart policies to those: a finding there would be true and ignored. ' +
      'A service set up for development (a `dev` build target, `develop:` watch, `NODE_ENV=development`) is left alone too, and so are test stacks (`docker-compose.test.yml`, `compose.ci.yaml`, `…e2e…`).',
    why:
      'Without a policy a container that crashes stays down, and after the host reboots nothing comes back until someone runs `docker compose up` again. ' +
      'The outage lasts as long as it takes a person to notice. ' +
      '`unless-stopped` restarts the service after a crash and after a reboot, yet respects a deliberate `docker compose stop`.',
    example: {
      language: 'yaml',
      code: `services:
  api:
    image: example/api:1.4.2
    ports: ["8080:8080"]`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  api:
    image: example/api:1.4.2
    ports: ["8080:8080"]
    restart: unless-stopped`,
    },
    references: [
      {
        title: 'Compose file reference: restart',
        url: 'https://docs.docker.com/reference/compose-file/services/#restart',
      },
      {
        title: 'Docker: start containers automatically',
        url: 'https://docs.docker.com/engine/containers/start-containers-automatically/',
      },
    ],
    fix: 'Adds `restart: unless-stopped` to the service: it comes back after a crash or a reboot, and stays down after a deliberate `docker compose stop`.',
  },
  checks: {
    compose({ model, document, workspace, target, report }) {
      for (const missing of missingPolicies(model, document, workspace)) {
        if (!reportedInEveryPreset(missing)) continue;
        const { service, restarting } = missing;
        report({
          at: service.nameNode,
          messageId: restarting.length > 0 ? 'noPolicyUnlike' : 'noPolicyProduction',
          data: {
            service: service.name,
            others: restarting.slice(0, 3).join(', ') + (restarting.length > 3 ? ', …' : ''),
          },
          fix: restartFix(target, service),
        });
      }
    },
  },
});
