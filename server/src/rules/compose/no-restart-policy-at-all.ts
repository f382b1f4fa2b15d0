import { defineRule } from '../../engine/rule';
import { missingPolicies, restartFix } from './no-restart-policy';

export default defineRule({
  id: 'auto-recovery/no-restart-policy-at-all',
  lesson: 'auto-recovery',
  title: 'Compose file in which no service restarts',
  severity: 'info',
  equivalents: [],
  fix: 'safe',
  strictOnly: true,
  messages: {
    noPolicy:
      'Service {{service}} has no restart policy: after a crash or a reboot it stays down until someone starts it.',
  },
  docs: {
    what:
      'A compose service without `restart:` or `deploy.restart_policy` in a file where no service has one, the files compose merges with it included (`compose.override.yaml`, the `docker-compose.*.yml` variants beside it, `include:`). ' +
      'In the `strict` preset only: such a file is a development or sample set-up more often than not, where nobody adds a policy; ' +
      'where some services restart and others do not, `auto-recovery/no-restart-policy` reports the oversight in every preset. ' +
      'One-shot services, services run on demand (`profiles: [tools]`) and test stacks are left alone, as there.',
    why:
      'Without a policy a container that crashes stays down, and after the host reboots nothing comes back until someone runs `docker compose up` again. ' +
      'A file that runs a service on a server for real needs one on every long-running service.',
    example: {
      language: 'yaml',
      code: `services:
  api:
    image: example/api:1.4.2`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  api:
    image: example/api:1.4.2
    restart: unless-stopped`,
    },
    references: [
      {
        title: 'Compose file reference: restart',
        url: 'https://docs.docker.com/reference/compose-file/services/#restart',
      },
    ],
    fix: 'Adds `restart: unless-stopped` to the service: it comes back after a crash or a reboot, and stays down after a deliberate `docker compose stop`.',
  },
  checks: {
    compose({ model, document, workspace, target, report }) {
      for (const { service, restarting } of missingPolicies(model, document, workspace)) {
        if (restarting.length > 0) continue;
        report({
          at: service.nameNode,
          messageId: 'noPolicy',
          data: { service: service.name },
          fix: restartFix(target, service),
        });
      }
    },
  },
});
