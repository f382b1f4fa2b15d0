import { insertPair } from '../../engine/edit';
import { environmentOf, isDefinedHere, serviceKey, type Service } from '../../engine/parse/compose';
import { asMap, asSeq, get, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

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

export default defineRule({
  id: 'auto-recovery/no-restart-policy',
  lesson: 'auto-recovery',
  title: 'Compose service without a restart policy',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    noPolicy:
      'Service {{service}} has no restart policy: after a crash or a reboot it stays down until someone starts it.',
    noPolicyUnlike:
      'Service {{service}} has no restart policy, unlike {{others}}: after a crash or a reboot it stays down until someone starts it.',
  },
  docs: {
    what:
      'A compose service with neither `restart:` nor `deploy.restart_policy`, including what it inherits through `extends`. ' +
      'One-shot services that another service waits to complete (`condition: service_completed_successfully`) and partial overrides of services defined in another file are not flagged. ' +
      'The finding is a warning when other services of the file have a policy (an oversight), and information when none has or the service is set up for development (a `dev` build target, `develop:` watch, `NODE_ENV=development`).',
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
    compose({ model, document, target, report }) {
      const oneShot = new Set<string>();
      for (const service of model.services) {
        for (const pair of asMap(get(service.node, 'depends_on'))?.pairs ?? []) {
          if (scalarText(get(pair.value, 'condition')) === 'service_completed_successfully')
            oneShot.add(String(pair.key.value));
        }
      }
      const hasPolicy = (service: Service): boolean | undefined => {
        const restart = serviceKey(model, service, 'restart');
        const deploy = serviceKey(model, service, 'deploy');
        if (restart.external || deploy.external) return undefined;
        return restart.pair !== undefined || get(deploy.pair?.value, 'restart_policy') !== undefined;
      };
      // A file that restarts some services and not others shows an oversight; one that
      // restarts none is more likely a development set-up, where this is only advice.
      const othersRestart = model.services.filter((s) => hasPolicy(s) === true).map((s) => s.name);
      for (const service of model.services) {
        if (!isDefinedHere(service) || oneShot.has(service.name)) continue;
        if (hasPolicy(service) !== false) continue;
        // A service run only on demand with `docker compose run` is a task, not a server.
        if (
          asSeq(get(service.node, 'profiles'))?.items.some((p) =>
            /^(tools?|cli|manual|oneshot|one-shot|jobs?|migrat\w*|setup|init)$/.test(scalarText(p) ?? ''),
          )
        )
          continue;
        report({
          at: service.nameNode,
          severity: othersRestart.length > 0 && !isDevelopment(service, document.text) ? undefined : 'info',
          messageId: othersRestart.length > 0 ? 'noPolicyUnlike' : 'noPolicy',
          data: {
            service: service.name,
            others: othersRestart.slice(0, 3).join(', ') + (othersRestart.length > 3 ? ', …' : ''),
          },
          fix: () => ({
            title: 'Add restart: unless-stopped',
            edits: [insertPair(target, service.node, 'restart', 'unless-stopped')],
          }),
        });
      }
    },
  },
});
