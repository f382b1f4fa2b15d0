import {
  hasOption,
  installedPackages,
  packageCommand,
  type PackageCommand,
} from '../../engine/docker/packages';
import { isThrowawayImage, runsAService } from '../../engine/docker/purpose';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { commandName } from '../../engine/parse/shell';
import { defineRule } from '../../engine/rule';

/** apt configured, earlier in the chain, never to install recommended packages. */
function recommendsOff(model: DockerfileModel, stage: Stage): boolean {
  return model
    .chainInstructions(stage, 'RUN')
    .some((run) => /Install-Recommends["'\s]*(=|\s)\s*["']?(false|0)\b/i.test(run.getTextContent()));
}

function isApt(packages: PackageCommand | undefined): packages is PackageCommand {
  return packages?.manager === 'apt' && commandName({ words: [packages.program] }) !== 'aptitude';
}

export default defineRule({
  id: 'container-ready/apt-install-recommends',
  lesson: 'container-ready',
  title: 'apt installs recommended packages too',
  severity: 'info',
  equivalents: ['DL3015'],
  fix: 'scaffold',
  strictOnly: true,
  messages: {
    recommends:
      '`{{program}} install` without --no-install-recommends also installs every package the named ones recommend.',
  },
  docs: {
    what:
      'In the stages the final image is built on, `apt-get install` (or `apt install`) without `--no-install-recommends`, unless apt is configured not to install recommended packages, in an image that serves or runs an application. ' +
      'Desktop programs and tools, which often need what apt recommends, test images and debug or development images are left alone. ' +
      'Only in the `strict` preset: whether the recommended packages are dead weight depends on what the app does with them, so it is advice to weigh, not a defect.',
    why:
      'Recommended packages add documentation, helpers and libraries the app never asked for: the image is bigger, slower to pull when a new instance starts, and has more to patch and to attack. ' +
      'Naming what the app needs, and nothing it does not, keeps the image light.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates curl \\
 && rm -rf /var/lib/apt/lists/*`,
    },
    references: [
      {
        title: 'Docker build best practices: apt-get',
        url: 'https://docs.docker.com/build/building/best-practices/#apt-get',
      },
    ],
    fix: 'Adds `--no-install-recommends`. A scaffold to review: if the app relied on a recommended package (often `ca-certificates`), name it in the install.',
  },
  checks: {
    docker({ model, document, report }) {
      // Recommended packages are what desktop programs and tools often rely on (fonts, themes,
      // helpers): the advice is for images that serve or run an application.
      if (!runsAService(model) || isThrowawayImage(document.path)) return;
      for (const stage of model.finalChain) {
        if (recommendsOff(model, stage)) continue;
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          for (const { command } of model.commands(instruction)) {
            const packages = packageCommand(command);
            if (!isApt(packages) || installedPackages(packages) === undefined) continue;
            if (hasOption(packages, '--no-install-recommends')) continue;
            if (packages.options.some((o) => /Install-Recommends=(false|0|no)/i.test(o.value ?? '')))
              continue;
            const subcommand = packages.subcommand!;
            report({
              at: { start: packages.program.span.start, end: subcommand.span.end },
              messageId: 'recommends',
              data: { program: packages.program.value ?? '' },
              fix: () => ({
                title: 'Add --no-install-recommends',
                edits: [
                  { start: subcommand.span.end, end: subcommand.span.end, text: ' --no-install-recommends' },
                ],
              }),
            });
          }
        }
      }
    },
  },
});
