import type { Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { commandsAfter } from '../../engine/docker/edits';
import { runsAService } from '../../engine/docker/purpose';
import {
  hasOption,
  installedPackages,
  needsPackageIndexLater,
  packageCommand,
  type PackageCommand,
} from '../../engine/docker/packages';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { appendCommandEdit, commandName, type ShellScript } from '../../engine/parse/shell';
import { defineRule } from '../../engine/rule';

const cleanup = 'rm -rf /var/lib/apt/lists/*';

/** A cache or tmpfs mount over apt's lists keeps them out of the layer. */
function listsOnMount(instruction: Instruction): boolean {
  return (instruction as ModifiableInstruction)
    .getFlags()
    .some(
      (f) =>
        f.getName() === 'mount' &&
        /(^|,)type=(cache|tmpfs)(,|$)/.test(f.getValue() ?? '') &&
        /(^|,)(target|dst|destination)=\/var\/lib\/apt(\/lists)?\/?(,|$)/.test(f.getValue() ?? ''),
    );
}

/** Whether a RUN removes the lists (`rm -rf /var/lib/apt/lists/*`, `apt-get distclean`). */
function cleansLists(model: DockerfileModel, instruction: Instruction): boolean {
  return model.commands(instruction).some(({ command }) => {
    const name = commandName(command);
    if (name === 'rm' || name === 'find')
      return command.words.some((w) => /^\/var\/lib\/apt\/lists\/?/.test(w.raw));
    const packages = packageCommand(command);
    return (
      packages?.manager === 'apt' && ['distclean', 'dist-clean'].includes(packages.subcommand?.value ?? '')
    );
  });
}

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
  id: 'container-ready/apt-lists-left',
  lesson: 'container-ready',
  title: 'apt leaves package lists or extra packages in the image',
  severity: 'info',
  equivalents: ['DL3009', 'DL3015'],
  fix: 'safe',
  messages: {
    listsLeft:
      "This RUN downloads apt's package lists and leaves them in the layer: remove /var/lib/apt/lists/* in the same RUN.",
    recommends:
      '`{{program}} install` without --no-install-recommends also installs every recommended package.',
  },
  docs: {
    what:
      'In the stages the final image is built on: a `RUN` that runs `apt-get update` and does not remove `/var/lib/apt/lists/*` in the same `RUN` (unless the lists are on a cache mount), ' +
      'and `apt-get install` without `--no-install-recommends` (unless apt is configured not to install recommended packages) in an image that serves or runs an application: desktop programs and tools often need what apt recommends.',
    why:
      'Each `RUN` is a layer and a later `rm` cannot shrink an earlier one: lists removed in another step still ship, tens of megabytes of package indexes that nothing at run time reads. ' +
      'Recommended packages add documentation, helpers and libraries the app never asked for, making the image bigger, slower to pull when a new instance starts, and larger to patch. ' +
      'A light image starts faster when the service scales out and has less in it to attack.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y curl`,
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
    fix:
      'Appends `rm -rf /var/lib/apt/lists/*` to the `RUN` that installs; a `RUN` that only updates, or one whose lists a later step still installs from, gets none. ' +
      'Adding `--no-install-recommends` is a scaffold to review: if the app relied on a recommended package (often `ca-certificates`), name it in the install.',
  },
  checks: {
    docker({ model, report }) {
      // Recommended packages are what desktop programs and tools often rely on (fonts, themes,
      // helpers): the advice is for images that serve or run an application.
      const service = runsAService(model);
      for (const stage of model.finalChain) {
        const noRecommends = !service || recommendsOff(model, stage);
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          const commands = model.commands(instruction);
          const apt = commands
            .map(({ command, script }) => ({ packages: packageCommand(command), script }))
            .filter((c): c is { packages: PackageCommand; script: ShellScript } => isApt(c.packages));
          const update = apt.find((c) => c.packages.subcommand?.value === 'update');
          const installs = apt.filter((c) => installedPackages(c.packages) !== undefined);
          if (update && !listsOnMount(instruction) && !cleansLists(model, instruction)) {
            const script = installs.at(-1)?.script;
            report({
              at: { start: update.packages.program.span.start, end: update.packages.subcommand!.span.end },
              messageId: 'listsLeft',
              // Without an install in this RUN, or with a later step that installs without
              // updating, the lists are still needed: no fix.
              fix: script
                ? () => {
                    if (needsPackageIndexLater(commandsAfter(model, stage, instruction), 'apt'))
                      return undefined;
                    const edit = appendCommandEdit(script, cleanup);
                    return edit ? { title: `Append && ${cleanup}`, edits: [edit] } : undefined;
                  }
                : undefined,
            });
          }
          if (noRecommends) continue;
          for (const { packages } of installs) {
            if (hasOption(packages, '--no-install-recommends')) continue;
            if (packages.options.some((o) => /Install-Recommends=(false|0|no)/i.test(o.value ?? '')))
              continue;
            const subcommand = packages.subcommand!;
            report({
              at: { start: packages.program.span.start, end: subcommand.span.end },
              messageId: 'recommends',
              data: { program: packages.program.value ?? '' },
              // A recommended package may be what the app needs at run time.
              fix: () => ({
                title: 'Add --no-install-recommends',
                kind: 'scaffold',
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
