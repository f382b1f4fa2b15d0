import type { Instruction } from 'dockerfile-ast';
import { dropsPrivilegesItself, runsUnprivilegedByDefault } from './images';
import type { DockerfileModel, Stage } from '../parse/dockerfile';
import { commandName } from '../parse/shell';

/** Who a stage's commands run as at some point of the Dockerfile. */
export type EffectiveUser =
  | { kind: 'non-root'; name: string }
  | { kind: 'unknown' }
  | { kind: 'root-explicit'; instruction: Instruction }
  | { kind: 'root-default' };

const rootNames = /^(root|0)(:(root|0))?$/;

export function isRootUser(value: string): boolean {
  return rootNames.test(value.trim());
}

/**
 * The user in effect just before `before` in `stage` (at the stage's end when omitted): the
 * last USER, else what the stage inherits from the stage or image it is built on.
 */
export function effectiveUser(model: DockerfileModel, stage: Stage, before?: Instruction): EffectiveUser {
  for (const s of model.chainOf(stage)) {
    const limit = s === stage && before ? model.positionOf(before) : s.instructions.length;
    for (let i = limit - 1; i >= 0; i--) {
      const instruction = s.instructions[i];
      if (instruction.getKeyword() !== 'USER') continue;
      const value = (instruction.getArgumentsContent() ?? '').trim();
      if (value.includes('$')) return { kind: 'unknown' };
      return isRootUser(value) ? { kind: 'root-explicit', instruction } : { kind: 'non-root', name: value };
    }
  }
  const root = model.rootImage(stage);
  if (!root) {
    // `FROM scratch` runs as root; a base named by an ARG without default is unknowable.
    const chain = model.chainOf(stage);
    return chain[chain.length - 1].from.getImage()?.toLowerCase() === 'scratch'
      ? { kind: 'root-default' }
      : { kind: 'unknown' };
  }
  if (root.resolved === undefined) return { kind: 'unknown' };
  if (root.resolved.toLowerCase() === 'scratch') return { kind: 'root-default' };
  if (runsUnprivilegedByDefault(root.resolved.toLowerCase(), root.reference)) {
    return { kind: 'non-root', name: '(the image’s own user)' };
  }
  // The image's entrypoint (or its worker processes) switch user, unless the Dockerfile replaces it.
  if (dropsPrivilegesItself(root.reference) && model.chainInstructions(stage, 'ENTRYPOINT').length === 0) {
    return { kind: 'unknown' };
  }
  return { kind: 'root-default' };
}

/** A user that a RUN of the stage's chain creates (`useradd … app`, `adduser -S app`). */
export function createdUser(model: DockerfileModel, stage: Stage): string | undefined {
  for (const s of model.chainOf(stage)) {
    for (const run of s.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      for (const { command } of model.commands(run)) {
        const name = commandName(command);
        if (name !== 'useradd' && name !== 'adduser') continue;
        const last = command.words[command.words.length - 1];
        const value = last?.value;
        // The login name is the last operand (`adduser -S -G app app`, `useradd -r -u 1001 svc`).
        if (command.words.length > 1 && value && /^[a-z_][a-z0-9_-]*$/.test(value)) return value;
      }
    }
  }
  return undefined;
}
