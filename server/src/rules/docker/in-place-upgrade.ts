import { commandsAfter, removeRunCommandEdit } from '../../engine/docker/edits';
import {
  fullUpgrade,
  needsPackageIndexLater,
  packageCommand,
  packageIndexUse,
} from '../../engine/docker/packages';
import { commandName, effectiveCommand } from '../../engine/parse/shell';
import { defineRule } from '../../engine/rule';
import type { Span } from '../../engine/text';

export default defineRule({
  id: 'immutable-infrastructure/in-place-upgrade',
  lesson: 'immutable-infrastructure',
  title: 'Whole-system upgrade inside the image',
  severity: 'warning',
  equivalents: ['DL3005'],
  fix: 'safe',
  messages: {
    upgrade: '`{{command}}` upgrades every package in place: the image changes with the day it is built.',
  },
  docs: {
    what:
      'A `RUN` that upgrades every installed package: `apt-get upgrade` / `dist-upgrade` / `full-upgrade`, `unattended-upgrade`, `yum` or `dnf update`/`upgrade` without package names, `apk upgrade`, `zypper update`, `pacman -Syu`. ' +
      'Installing or upgrading named packages (`apk add --upgrade curl`, `yum update openssl`) is not flagged.',
    why:
      'An upgrade pulls whatever the mirrors hold on the day of the build, so the same Dockerfile yields different images from one week to the next, and nobody reviewed the difference. ' +
      'It is patching a live system inside what should be a repeatable build. ' +
      'Get fixes by moving the `FROM` to a newer patched tag or digest, which the maintainers have built and tested as a whole, and rebuild; the old image stays available to roll back to.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y && apt-get install -y --no-install-recommends ca-certificates`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `# a newer point release brings the security fixes, built and tested upstream
FROM debian:bookworm-20241016-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\
 && rm -rf /var/lib/apt/lists/*`,
    },
    references: [
      {
        title: 'Docker build best practices: rebuild your images often',
        url: 'https://docs.docker.com/build/building/best-practices/#rebuild-your-images-often',
      },
    ],
    fix:
      'Removes the upgrade from its `&&` chain, or the whole `RUN` when it is the only command. ' +
      'No fix inside `if`, after `||`, or where the upgrade also refreshes the package index (`apk upgrade -U`, `pacman -Syu`) that a later step installs from.',
  },
  checks: {
    docker({ model, target, report }) {
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          for (const { command, script } of model.commands(instruction)) {
            const packages = packageCommand(command);
            const upgrade = packages && fullUpgrade(packages);
            // `unattended-upgrade` applies every pending update, the security ones by default.
            const { words } = effectiveCommand(command);
            const unattended = /^unattended-upgrades?$/.test(commandName({ words }) ?? '')
              ? words[0]
              : undefined;
            let at: Span;
            let written: string;
            if (unattended) {
              at = unattended.span;
              written = unattended.value ?? '';
            } else if (packages && upgrade) {
              at = { start: packages.program.span.start, end: upgrade.span.end };
              written = `${packages.program.value} ${upgrade.value}`;
            } else {
              continue;
            }
            report({
              at,
              messageId: 'upgrade',
              data: { command: written },
              fix: () => {
                // `pacman -Syu` and `apk upgrade -U` also leave the index later installs read.
                if (
                  packages &&
                  packageIndexUse(packages).leaves &&
                  needsPackageIndexLater(commandsAfter(model, stage, instruction, command), packages.manager)
                )
                  return undefined;
                const edit = removeRunCommandEdit(model, instruction, script, command, target.lines);
                return edit ? { title: 'Remove the upgrade', edits: [edit] } : undefined;
              },
            });
          }
        }
      }
    },
  },
});
