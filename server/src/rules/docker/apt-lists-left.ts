import type { Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { commandsAfter } from '../../engine/docker/edits';
import { isThrowawayImage } from '../../engine/docker/purpose';
import {
  installedPackages,
  needsPackageIndexLater,
  packageCommand,
  type PackageCommand,
} from '../../engine/docker/packages';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
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

function isApt(packages: PackageCommand | undefined): packages is PackageCommand {
  return packages?.manager === 'apt' && commandName({ words: [packages.program] }) !== 'aptitude';
}

export default defineRule({
  id: 'container-ready/apt-lists-left',
  lesson: 'container-ready',
  title: 'apt leaves its package lists in the image',
  severity: 'info',
  equivalents: ['DL3009'],
  fix: 'safe',
  messages: {
    listsLeft:
      "This RUN downloads apt's package lists and leaves them in the layer: remove /var/lib/apt/lists/* in the same RUN.",
  },
  docs: {
    what:
      'In the stages the final image is built on: a `RUN` that runs `apt-get update` and does not remove `/var/lib/apt/lists/*` in the same `RUN` (unless the lists are on a cache mount). ' +
      'Test images (in a `test/`, `tests/`, `e2e/` folder, or `Dockerfile.test`) and debug or development images (`Dockerfile.debug`, `Dockerfile.dev`, a `debug/` folder) are left alone: they are built to be run once or on a developer’s machine, never shipped, and their size is nobody’s concern. ' +
      'Installing recommended packages (hadolint’s DL3015) is another concern, judged by `container-ready/apt-install-recommends`.',
    why:
      'Each `RUN` is a layer and a later `rm` cannot shrink an earlier one: lists removed in another step still ship, tens of megabytes of package indexes that nothing at run time reads. ' +
      'A light image is pulled faster when the service scales out or an instance is replaced, and has less in it to attack.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl`,
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
    fix: 'Appends `rm -rf /var/lib/apt/lists/*` to the `RUN` that installs; a `RUN` that only updates, or one whose lists a later step still installs from, gets none.',
  },
  checks: {
    docker({ model, document, report }) {
      // A test or debug image is run once, or on a developer's machine: its size matters to no one.
      if (isThrowawayImage(document.path)) return;
      for (const stage of model.finalChain) {
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
        }
      }
    },
  },
});
