import type { Instruction } from 'dockerfile-ast';
import { effectiveUser } from '../../engine/docker/users';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand, type ShellCommand } from '../../engine/parse/shell';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

/** The edit that drops `sudo` and its options, or undefined when sudo switches to another user. */
function dropSudo(command: ShellCommand): TextEdit | undefined {
  const sudo = command.words[0];
  const options = [];
  for (const word of command.words.slice(1)) {
    if (!(word.value ?? '').startsWith('-')) break;
    options.push(word.value ?? '');
  }
  if (options.some((o) => /^-[a-zA-Z]*[ugi]|^--(user|group|login)|^-s$|^--shell/.test(o))) return undefined;
  const inner = effectiveCommand(command).words[0];
  if (!inner || inner === sudo) return undefined;
  return { start: sudo.span.start, end: inner.span.start, text: '' };
}

function sudoCommands(model: DockerfileModel, run: Instruction): ShellCommand[] {
  return model
    .commands(run)
    .map(({ command }) => command)
    .filter((c) => commandName(c) === 'sudo');
}

function fixFor(model: DockerfileModel, stage: Stage, run: Instruction, lines: LineIndex): Fix | undefined {
  const user = effectiveUser(model, stage, run);
  const commands = sudoCommands(model, run);
  const edits = commands.map(dropSudo);
  if (edits.some((e) => !e)) return undefined;
  const drops = edits as TextEdit[];
  if (user.kind === 'root-default' || user.kind === 'root-explicit') {
    return { title: 'Remove sudo: the build already runs as root', edits: drops };
  }
  if (user.kind !== 'non-root' || user.name.includes('(')) return undefined;
  // As another user, run this one RUN as root and switch back, when every command used sudo.
  const outer = model.commands(run).filter(({ command }) => !command.nested);
  if (outer.some(({ command }) => commandName(command) !== 'sudo')) return undefined;
  const span = model.span(run.getRange());
  const start = lines.lineStart(lines.lineOf(span.start));
  const lastLine = lines.lineOf(span.end);
  const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : lines.text.length;
  const eol = lines.eol;
  const after =
    end === lines.text.length && !lines.text.endsWith('\n')
      ? `${eol}USER ${user.name}${eol}`
      : `USER ${user.name}${eol}`;
  return {
    title: `Run this step as root with USER root … USER ${user.name}`,
    edits: [{ start, end: start, text: `USER root${eol}` }, ...drops, { start: end, end, text: after }],
  };
}

export default defineRule({
  id: 'least-privilege/sudo',
  lesson: 'least-privilege',
  title: 'sudo in a Dockerfile',
  severity: 'warning',
  equivalents: ['DL3004', 'CKV2_DOCKER_1'],
  fix: 'safe',
  messages: {
    sudo: 'sudo in a build step: steps run as root already, and sudo left in the image lets the app regain root.',
  },
  docs: {
    what: '`sudo` running a command in a `RUN` of any build stage (installing the sudo package is not flagged).',
    why:
      'Build steps run as root unless a `USER` says otherwise, so `sudo` adds nothing but a setuid binary, a sudoers file and an unpredictable TTY and environment handling. ' +
      'Left in the image it lets the unprivileged runtime user become root again, undoing the one line that limited what a compromised app can do. ' +
      'Switch users with `USER` in the Dockerfile instead, and keep sudo out of the image.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12
RUN useradd --create-home app
USER app
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM debian:12
RUN useradd --create-home app
RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
USER app`,
    },
    references: [
      { title: 'Dockerfile reference: USER', url: 'https://docs.docker.com/reference/dockerfile/#user' },
      {
        title: 'Docker build best practices: USER (avoid sudo)',
        url: 'https://docs.docker.com/build/building/best-practices/#user',
      },
    ],
    fix:
      'Removes `sudo` and its options where the build already runs as root; where a `USER` switched away and every command of the step used sudo, it wraps the step in `USER root` … `USER <name>` instead. ' +
      'No fix for `sudo -u` and the like, which switch to another user.',
  },
  checks: {
    docker({ model, target, report }) {
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          for (const command of sudoCommands(model, instruction)) {
            report({
              at: command.words[0].span,
              messageId: 'sudo',
              fix: () => fixFor(model, stage, instruction, target.lines),
            });
          }
        }
      }
    },
  },
});
