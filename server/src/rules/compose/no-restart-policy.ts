import { insertPair, type EditTarget } from '../../engine/edit';
import { isDefinedHere, serviceKey } from '../../engine/parse/compose';
import { asMap, asSeq, get, scalarText } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

export default defineRule({
  id: 'auto-recovery/no-restart-policy',
  lesson: 'auto-recovery',
  title: 'Compose service without a restart policy',
  severity: 'warning',
  equivalents: [],
  fix: 'yes',
  docs: {
    what:
      'A compose service with neither `restart:` nor `deploy.restart_policy`, including what it inherits through `extends`. ' +
      'One-shot services that another service waits to complete (`condition: service_completed_successfully`) and partial overrides of services defined in another file are not flagged. ' +
      'The fix adds `restart: unless-stopped`.',
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
  },
  checks: {
    compose({ model, document, report }) {
      const target: EditTarget = { text: document.text, lines: document.lines, format: 'yaml' };
      const oneShot = new Set<string>();
      for (const service of model.services) {
        for (const pair of asMap(get(service.node, 'depends_on'))?.pairs ?? []) {
          if (scalarText(get(pair.value, 'condition')) === 'service_completed_successfully')
            oneShot.add(String(pair.key.value));
        }
      }
      for (const service of model.services) {
        if (!isDefinedHere(service) || oneShot.has(service.name)) continue;
        const restart = serviceKey(model, service, 'restart');
        if (restart.pair || restart.external) continue;
        const deploy = serviceKey(model, service, 'deploy');
        if (deploy.external || get(deploy.pair?.value, 'restart_policy') !== undefined) continue;
        // A service run only on demand with `docker compose run` is a task, not a server.
        if (
          asSeq(get(service.node, 'profiles'))?.items.some((p) =>
            /^(tools?|cli|manual|oneshot|one-shot|jobs?|migrat\w*|setup|init)$/.test(scalarText(p) ?? ''),
          )
        )
          continue;
        report({
          at: service.nameNode,
          message: `Service ${service.name} has no restart policy: after a crash or a reboot it stays down until someone starts it.`,
          fix: () => ({
            title: 'Add restart: unless-stopped',
            edits: [insertPair(target, service.node, 'restart', 'unless-stopped')],
          }),
        });
      }
    },
  },
});
