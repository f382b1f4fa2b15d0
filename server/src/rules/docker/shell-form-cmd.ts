import type { Instruction } from 'dockerfile-ast';
import { dropsPrivilegesItself } from '../../engine/docker/images';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { commandName, lastTopLevelCommand, type ShellWord } from '../../engine/parse/shell';
import { defineRule, type Fix } from '../../engine/rule';

/** Shell builtins that no image has as a program: the exec form could not start them. */
const builtins = new Set([
  '.',
  ':',
  'alias',
  'bg',
  'builtin',
  'cd',
  'command',
  'declare',
  'eval',
  'exit',
  'export',
  'fg',
  'getopts',
  'hash',
  'jobs',
  'let',
  'local',
  'read',
  'readonly',
  'return',
  'set',
  'shift',
  'shopt',
  'source',
  'times',
  'trap',
  'type',
  'typeset',
  'ulimit',
  'umask',
  'unalias',
  'unset',
  'wait',
]);

/** Whether a word means something to the shell beyond its text: globs, `~`, `{a,b}` brace expansion. */
function expands(word: ShellWord): boolean {
  if (word.value === undefined || /[*?[]/.test(word.value)) return true;
  const unquoted = word.raw.replace(/'[^']*'|"(?:\\.|[^"\\])*"/g, '');
  return unquoted.includes('~') || bracesExpand(unquoted);
}

/** Whether a word holds a brace expansion (`{a,b}`, `{1..3}`): one pass, each `{` to its `}`. */
function bracesExpand(text: string): boolean {
  let open = -1;
  let expands = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      open = i;
      expands = false;
    } else if (open >= 0 && c === '}') {
      if (expands) return true;
      open = -1;
    } else if (open >= 0 && (c === ',' || (c === '.' && text[i + 1] === '.'))) expands = true;
  }
  return false;
}

/**
 * The exec form of a shell-form command, when the shell adds nothing to it: one simple command
 * of literal words, without variables, globs, redirections, operators or builtins.
 */
function execFormFix(model: DockerfileModel, instruction: Instruction): Fix | undefined {
  const scripts = model.scripts(instruction);
  if (scripts.length !== 1) return undefined;
  const [script] = scripts;
  if (script.error || script.commands.length !== 1) return undefined;
  const [command] = script.commands;
  if (command.nested || command.assignments.length > 0 || command.redirects.length > 0) return undefined;
  if (lastTopLevelCommand(script) !== command) return undefined;
  if (command.words.length === 0 || command.words.some(expands)) return undefined;
  if (builtins.has(commandName(command) ?? '')) return undefined;
  const words = command.words.map((w) => JSON.stringify(w.value)).join(', ');
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  return {
    title: `Use the exec form: ${instruction.getKeyword()} [${words}]`,
    edits: [{ ...model.span(range), text: `[${words}]` }],
  };
}

/**
 * Whether the command of a CMD matters to the entrypoint that receives it, beyond starting it:
 * an exec-form ENTRYPOINT of the Dockerfile gets the words instead of `/bin/sh -c "…"`, and the
 * entrypoints of database and web server images (postgres, nginx) initialise or drop privileges
 * only when the command is their own program. A base that cannot be resolved may have one too.
 */
function entrypointSeesCommand(
  model: DockerfileModel,
  final: Stage,
  entrypoint: Instruction | undefined,
): boolean {
  // A shell-form ENTRYPOINT ignores the CMD.
  if (entrypoint) return model.execForm(entrypoint) !== undefined;
  const root = model.rootImage(final);
  if (!root) return model.chainOf(final).at(-1)?.from.getImage()?.toLowerCase() !== 'scratch';
  return root.resolved === undefined || dropsPrivilegesItself(root.reference);
}

export default defineRule({
  id: 'container-ready/shell-form-cmd',
  lesson: 'container-ready',
  title: 'CMD or ENTRYPOINT in shell form',
  severity: 'warning',
  equivalents: ['DL3025'],
  fix: 'safe',
  messages: {
    shellForm:
      '{{instruction}} in shell form runs under /bin/sh -c: the shell does not pass SIGTERM on, so the app cannot stop gracefully.',
  },
  docs: {
    what:
      'The `CMD` or `ENTRYPOINT` the final image starts with, written in shell form (`CMD node server.js`) instead of exec form (`CMD ["node", "server.js"]`). ' +
      'A shell form whose last command is `exec …` is not flagged, since the shell then hands its place to the program.',
    why:
      'In shell form Docker runs `/bin/sh -c "…"`, so the shell is process 1 and the program is its child. ' +
      '`docker stop`, ECS and Kubernetes ask a container to stop with SIGTERM, which the shell does not pass on: the app never hears it, cannot finish its requests or close its connections, and is killed ten or thirty seconds later. ' +
      'Every deployment and scale-in then drops work that a graceful stop would have finished.',
    example: {
      language: 'dockerfile',
      code: `FROM node:22-slim
COPY . /app
CMD node /app/server.js --port 8080`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM node:22-slim
COPY . /app
CMD ["node", "/app/server.js", "--port", "8080"]`,
    },
    references: [
      {
        title: 'Dockerfile reference: shell and exec form',
        url: 'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form',
      },
      {
        title: 'Docker build best practices: ENTRYPOINT and CMD',
        url: 'https://docs.docker.com/build/building/best-practices/#entrypoint',
      },
    ],
    fix:
      'Writes the exec form when the command is one program with literal arguments (no variables, globs, pipes, `&&` or builtins), but not for a shell-form ENTRYPOINT with a CMD, which would become its arguments. ' +
      'A scaffold for a CMD that an entrypoint receives (the Dockerfile\'s, or a database or web server image\'s): it then gets the program and its arguments instead of `/bin/sh -c "…"`, so check what it does with them.',
  },
  checks: {
    docker({ model, report }) {
      const final = model.finalStage;
      if (!final) return;
      const entrypoint = model.chainInstructions(final, 'ENTRYPOINT').at(-1);
      let cmd = model.chainInstructions(final, 'CMD').at(-1);
      // An ENTRYPOINT set in a later stage than the CMD resets the CMD it inherits.
      const stageIndex = (i: Instruction | undefined) => (i ? (model.stageOf(i)?.index ?? -1) : -1);
      if (entrypoint && cmd && stageIndex(entrypoint) > stageIndex(cmd)) cmd = undefined;
      for (const [keyword, instruction] of [
        ['ENTRYPOINT', entrypoint],
        ['CMD', cmd],
      ] as const) {
        if (!instruction || model.execForm(instruction) || !model.runsPosixShell(instruction)) continue;
        const range = instruction.getArgumentsRange();
        if (!range) continue;
        const scripts = model.scripts(instruction);
        const last = scripts[0] && lastTopLevelCommand(scripts[0]);
        if (last && commandName(last) === 'exec') continue;
        report({
          at: model.span(range),
          messageId: 'shellForm',
          data: { instruction: keyword },
          fix: () => {
            // In exec form an ENTRYPOINT gets the CMD as its arguments; in shell form it ignores it.
            if (keyword === 'ENTRYPOINT' && cmd) return undefined;
            const fix = execFormFix(model, instruction);
            if (fix && keyword === 'CMD' && entrypointSeesCommand(model, final, entrypoint))
              fix.kind = 'scaffold';
            return fix;
          },
        });
      }
    },
  },
});
