import { defineRule } from '../../engine/rule';
import { missingPolicies, reportedInEveryPreset, restartFix } from './no-restart-policy';

export default defineRule({
  id: 'auto-recovery/no-restart-policy-at-all',
  lesson: 'auto-recovery',
  title: 'Compose service without a restart policy, in a local or policy-free file',
  severity: 'info',
  equivalents: [],
  fix: 'safe',
  strictOnly: true,
  messages: {
    noPolicy:
      'Service {{service}} has no restart policy: after a crash or a reboot it stays down until someone starts it.',
    noPolicyUnlike:
      'Service {{service}} has no restart policy, unlike {{others}}: after a crash or a reboot it stays down until someone starts it.',
  },
  docs: {
    what:
      'A compose service without `restart:` or `deploy.restart_policy`, the files compose merges with it included (`compose.override.yaml`, the `docker-compose.*.yml` variants beside it, `include:`, the other files of an `include:` path list that names it), ' +
      'in a file where no service has one, or in a file that is a development, sample or demo set-up rather than a stack run on a server (see `auto-recovery/no-restart-policy` for how that is told). ' +
      'In the `strict` preset only: nobody adds restart policies to a local or sample stack, and a file where no service restarts is one more often than not; ' +
      'where a production file restarts some services and not others, `auto-recovery/no-restart-policy` reports the oversight in every preset. ' +
      'One-shot services, services run on demand (`profiles: [tools]`), development services beside services that restart, and test stacks are left alone, as there.',
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
      for (const missing of missingPolicies(model, document, workspace)) {
        const { service, restarting, development } = missing;
        // Reported in every preset by no-restart-policy, or a development service among services that restart.
        if (reportedInEveryPreset(missing) || (restarting.length > 0 && development)) continue;
        report({
          at: service.nameNode,
          messageId: restarting.length > 0 ? 'noPolicyUnlike' : 'noPolicy',
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
