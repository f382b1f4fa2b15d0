import { isThrowawayImage } from '../../engine/docker/purpose';
import type { Instruction, ModifiableInstruction, Property } from 'dockerfile-ast';
import { commandsAfter } from '../../engine/docker/edits';
import {
  hasOption,
  installedPackages,
  needsPackageIndexLater,
  packageCommand,
  type PackageCommand,
} from '../../engine/docker/packages';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { appendCommandEdit, commandName, type ShellScript } from '../../engine/parse/shell';
import { defineRule, type Fix } from '../../engine/rule';

/** Where each manager keeps what it downloaded, as `rm` and cache mounts name it. */
const cacheFolders: Record<'apk' | 'pip' | 'yum' | 'zypper', RegExp> = {
  apk: /^\/var\/cache\/apk(\/|$)/,
  pip: /(^|\/)\.cache(\/pip)?\/?(\*|$)|^\/root\/\.cache|^~\/\.cache/,
  yum: /^\/var\/cache\/(yum|dnf|tdnf|libdnf5)(\/|$)/,
  zypper: /^\/var\/cache\/zypp(\/|$)/,
};

type Cached = keyof typeof cacheFolders;

/** A cache or tmpfs mount over the manager's cache keeps it out of the layer. */
function cacheOnMount(instruction: Instruction, manager: Cached): boolean {
  return (instruction as ModifiableInstruction).getFlags().some((flag) => {
    const value = flag.getValue() ?? '';
    if (flag.getName() !== 'mount' || !/(^|,)type=(cache|tmpfs)(,|$)/.test(value)) return false;
    const target = /(?:^|,)(?:target|dst|destination)=([^,]+)/.exec(value)?.[1] ?? '';
    return cacheFolders[manager].test(target);
  });
}

/** Whether the RUN empties the manager's cache itself (`dnf clean all`, `rm -rf /var/cache/apk/*`, `pip cache purge`). */
function cleansCache(model: DockerfileModel, instruction: Instruction, manager: Cached): boolean {
  return model.commands(instruction).some(({ command }) => {
    const name = commandName(command);
    if (name === 'rm') return command.words.some((w) => cacheFolders[manager].test(w.value ?? w.raw));
    const packages = packageCommand(command);
    if (packages?.manager !== manager && !(manager === 'pip' && packages?.manager === 'pip')) return false;
    const sub = packages.subcommand?.value ?? '';
    if (manager === 'pip') return sub === 'cache';
    if (manager === 'apk') return sub === 'cache';
    return sub === 'clean' || sub === 'cc';
  });
}

/** pip told not to cache for the whole stage chain (`ENV PIP_NO_CACHE_DIR=1`). */
function pipCacheOff(model: DockerfileModel, stage: Stage): boolean {
  return ['ENV', 'ARG'].some((keyword) =>
    model
      .chainInstructions(stage, keyword)
      .some((i) =>
        ((i as unknown as { getProperties?(): Property[] }).getProperties?.() ?? []).some(
          (p) => p.getName() === 'PIP_NO_CACHE_DIR' && (p.getValue() ?? '') !== '',
        ),
      ),
  );
}

const cleanCommands: Record<'yum' | 'zypper', (program: string) => string> = {
  yum: (program) => `${program} clean all`,
  zypper: () => 'zypper clean --all',
};

export default defineRule({
  id: 'container-ready/package-cache-left',
  lesson: 'container-ready',
  title: 'Package manager cache left in the image',
  severity: 'info',
  equivalents: ['DL3019', 'DL3042', 'DL3032', 'DL3036', 'DL3038', 'DL3040', 'DL3060'],
  fix: 'safe',
  messages: {
    apk: '`apk add` without --no-cache keeps the package index it fetched in /var/cache/apk, in this layer.',
    pip: '`{{program}} install` without --no-cache-dir keeps every downloaded package in pip’s cache, in this layer.',
    cleanLater:
      '`{{program}} install` leaves its package cache and metadata in this layer: run `{{clean}}` at the end of the same RUN.',
  },
  docs: {
    what:
      'In the stages the final image is built on: `apk add` without `--no-cache`, `pip install` without `--no-cache-dir`, and `yum`/`dnf`/`microdnf`/`zypper` installs whose `RUN` does not clean the cache (`dnf clean all`, `zypper clean --all`, or an `rm` of the cache folder). ' +
      'Not flagged: a `RUN` that puts the cache on a `--mount=type=cache` or tmpfs mount, pip with `PIP_NO_CACHE_DIR` set, and build stages whose files are not copied whole into the final image. ' +
      "Test images and debug or development images (`Dockerfile.test`, `Dockerfile.debug`, `Dockerfile.dev`, a `tests/` folder) are left alone: they never ship. apt's lists have their own rule, `container-ready/apt-lists-left`.",
    why:
      'Each `RUN` is a layer, and what it leaves stays in the image even if a later step deletes it: package indexes and downloaded archives that nothing at run time reads, often as large as what was installed. ' +
      'Every new instance pulls them before it starts, so scaling out and replacing a failed task take longer.',
    example: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt`,
    },
    references: [
      {
        title: 'Docker build best practices: leverage the build cache and keep layers small',
        url: 'https://docs.docker.com/build/building/best-practices/',
      },
      { title: 'pip: caching', url: 'https://pip.pypa.io/en/stable/topics/caching/' },
    ],
    fix: 'Adds `--no-cache-dir` to pip and `--no-cache` to `apk add` (none when a later step installs from the index this RUN fetched), or appends `dnf clean all` (`yum`, `microdnf`, `zypper clean --all`) to the RUN; installs read the metadata again by themselves.',
  },
  checks: {
    docker({ model, document, report }) {
      // A test or debug image is run once, or on a developer's machine: its size matters to no one.
      if (isThrowawayImage(document.path)) return;
      for (const stage of model.finalChain) {
        const pipOff = pipCacheOff(model, stage);
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          const installs = model
            .commands(instruction)
            .map(({ command, script }) => ({
              packages: packageCommand(command),
              script,
              uv: commandName(command) === 'uv',
            }))
            .filter(
              (c): c is { packages: PackageCommand; script: ShellScript; uv: boolean } =>
                !!c.packages && installedPackages(c.packages) !== undefined,
            );
          const reported = new Set<string>();
          for (const { packages, uv } of installs) {
            const manager = packages.manager;
            if (manager !== 'apk' && manager !== 'pip' && manager !== 'yum' && manager !== 'zypper') continue;
            // uv keeps its own cache, with its own switch.
            if (uv) continue;
            if (cacheOnMount(instruction, manager) || cleansCache(model, instruction, manager)) continue;
            const subcommand = packages.subcommand;
            if (!subcommand) continue;
            const at = { start: packages.program.span.start, end: subcommand.span.end };
            const program = packages.program.value ?? manager;
            if (manager === 'apk') {
              if (hasOption(packages, '--no-cache')) continue;
              // Decided here: a declined fix is no fix at all, not one that turns out empty.
              const fix = apkFix(model, stage, instruction, packages);
              report({ at, messageId: 'apk', fix: fix && (() => fix) });
            } else if (manager === 'pip') {
              if (pipOff || hasOption(packages, '--no-cache-dir')) continue;
              report({
                at,
                messageId: 'pip',
                data: { program },
                fix: () => insertAfter(subcommand.span.end, '--no-cache-dir'),
              });
            } else {
              // One clean at the end of the RUN serves every install in it.
              if (reported.has(manager)) continue;
              reported.add(manager);
              const clean = cleanCommands[manager](program);
              const edit = appendCommandEdit(installs[installs.length - 1].script, clean);
              report({
                at,
                messageId: 'cleanLater',
                data: { program, clean },
                fix: edit && (() => ({ title: `Append && ${clean}`, edits: [edit] })),
              });
            }
          }
        }
      }
    },
  },
});

function insertAfter(offset: number, option: string): Fix {
  return { title: `Add ${option}`, edits: [{ start: offset, end: offset, text: ` ${option}` }] };
}

/**
 * `apk add --no-cache` fetches the index for this command only. Declined when the RUN fetches
 * the index with a separate `apk update`, or with `-U` for a later step to read.
 */
function apkFix(
  model: DockerfileModel,
  stage: Stage,
  instruction: Instruction,
  packages: PackageCommand,
): Fix | undefined {
  const separateUpdate = model.commands(instruction).some(({ command }) => {
    const apk = packageCommand(command);
    return apk?.manager === 'apk' && apk.subcommand?.value === 'update';
  });
  if (separateUpdate) return undefined;
  if (
    hasOption(packages, '-U', '--update-cache') &&
    needsPackageIndexLater(commandsAfter(model, stage, instruction), 'apk')
  )
    return undefined;
  return insertAfter(packages.subcommand!.span.end, '--no-cache');
}
