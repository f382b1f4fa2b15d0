import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { commandName, lastTopLevelCommand } from '../../engine/parse/shell';
import { defineRule, type Fix } from '../../engine/rule';

/**
 * The exec form of a shell-form command, when the shell adds nothing to it: one simple command
 * of literal words, without variables, globs, redirections or operators.
 */
function execFormFix(model: DockerfileModel, instruction: Instruction): Fix | undefined {
  const scripts = model.scripts(instruction);
  if (scripts.length !== 1) return undefined;
  const [script] = scripts;
  if (script.error || script.commands.length !== 1) return undefined;
  const [command] = script.commands;
  if (command.nested || command.assignments.length > 0 || command.redirects.length > 0) return undefined;
  if (lastTopLevelCommand(script) !== command) return undefined;
  const words = command.words.map((w) => w.value);
  if (words.length === 0 || words.some((w) => w === undefined || /[*?[]|^~/.test(w))) return undefined;
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const args = model.span(range);
  return {
    title: `Use the exec form: ${instruction.getKeyword()} [${words.map((w) => JSON.stringify(w)).join(', ')}]`,
    edits: [{ ...args, text: `[${words.map((w) => JSON.stringify(w)).join(', ')}]` }],
  };
}

export default defineRule({
  id: 'container-ready/shell-form-cmd',
  lesson: 'container-ready',
  title: 'CMD or ENTRYPOINT in shell form',
  severity: 'warning',
  equivalents: ['DL3025'],
  fix: 'yes',
  docs: {
    what:
      'The `CMD` or `ENTRYPOINT` the final image starts with, written in shell form (`CMD node server.js`) instead of exec form (`CMD ["node", "server.js"]`). ' +
      'A shell form whose last command is `exec …` is not flagged, since the shell then hands its place to the program. ' +
      'The fix writes the exec form when the command is one program with literal arguments; with variables, pipes or `&&` it is left to you (`exec` or an entrypoint script).',
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
          message: `${keyword} in shell form runs under /bin/sh -c: the shell does not pass SIGTERM on, so the app cannot stop gracefully.`,
          fix: () => execFormFix(model, instruction),
        });
      }
    },
  },
});
