import type { ParsedDocument } from '../document';
import type { HoverContext } from './context';
import { renderNote, type ContainerNote } from './container-notes';

/** What each instruction has to do with the lessons, in a few sentences. */
const notes: Record<string, ContainerNote> = {
  FROM: {
    lessons: ['immutable-infrastructure', 'container-ready'],
    text:
      'Start from a version you have tested: a tag that names one (`python:3.12.7-slim`), or a digest for builds that are identical to the byte. ' +
      'Only the last stage ships: compile in earlier stages and copy the result into a slim, distroless or `scratch` final stage.',
    rules: ['immutable-infrastructure/unpinned-base-image', 'container-ready/heavy-image'],
  },
  USER: {
    lessons: ['least-privilege'],
    text:
      'The user the following steps and the container run as. Switch to an unprivileged one after the steps that need root (installing packages) and before `CMD`, ' +
      'so that a compromised app holds that user\u2019s rights, not root\u2019s.',
    rules: ['least-privilege/root-user', 'least-privilege/sudo'],
  },
  HEALTHCHECK: {
    lessons: ['auto-recovery'],
    text:
      'How the platform tells a working container from one that merely runs: Docker marks it unhealthy, Swarm and ECS replace it, compose holds back its dependants. ' +
      'Probe something cheap and local (`http://127.0.0.1:PORT/health`) with a short timeout; `HEALTHCHECK NONE` records that you decided against one.',
    rules: ['auto-recovery/image-without-healthcheck'],
  },
  EXPOSE: {
    lessons: ['private-network'],
    text:
      'Documents the ports the app listens on; publishing them is decided where the container runs. ' +
      'List only what clients need: no SSH (22), no debugger or admin ports.',
    rules: ['private-network/ssh-exposed'],
  },
  ENV: {
    lessons: ['secrets-management', 'container-ready'],
    text:
      'Defaults for configuration that the environment can override at run time. Never a secret: every `ENV` can be read by anyone who pulls the image (`docker inspect`). ' +
      'Secrets come from the orchestrator when the container starts.',
    rules: ['secrets-management/secret-in-image'],
  },
  ARG: {
    lessons: ['secrets-management', 'immutable-infrastructure'],
    text:
      'A build-time variable; a default keeps builds repeatable (`ARG NODE_VERSION=22.11`). Build arguments are recorded in the image history: ' +
      'pass secrets with `RUN --mount=type=secret` instead.',
    rules: ['secrets-management/secret-in-image'],
  },
  CMD: {
    lessons: ['container-ready'],
    text:
      'What the container runs. In exec form (`["node", "server.js"]`) the app is process 1 and hears the SIGTERM of `docker stop` and of a scale-in, so it can finish its requests and exit cleanly. ' +
      'Start the app only: everything it needs is installed at build time.',
    rules: ['container-ready/shell-form-cmd', 'container-ready/install-at-start'],
  },
  ENTRYPOINT: {
    lessons: ['container-ready'],
    text:
      'The program the container always runs, `CMD` supplying its default arguments. Use the exec form so that signals reach the app; ' +
      'an entrypoint script should end with `exec "$@"` for the same reason.',
    rules: ['container-ready/shell-form-cmd', 'container-ready/install-at-start'],
  },
  ADD: {
    lessons: ['immutable-infrastructure'],
    text: '`ADD` also downloads URLs and unpacks local tar archives. A download is only repeatable with `--checksum=sha256:…`; for plain files, `COPY` says what is meant.',
    rules: ['immutable-infrastructure/remote-add'],
  },
  RUN: {
    lessons: ['immutable-infrastructure', 'container-ready'],
    text:
      'Each `RUN` is a layer of the image. Install at build time with pinned versions, upgrade by moving `FROM` rather than in place, ' +
      'and remove caches in the same `RUN` that created them, or they stay in the layer.',
    rules: [
      'immutable-infrastructure/in-place-upgrade',
      'immutable-infrastructure/unpinned-packages',
      'container-ready/apt-lists-left',
    ],
  },
};

/** A lesson note on the keyword of the instruction under the cursor. */
export function dockerfileHover(
  document: ParsedDocument,
  offset: number,
  context: HoverContext,
): string | undefined {
  if (document.model?.kind !== 'dockerfile') return undefined;
  const model = document.model.dockerfile;
  for (const instruction of model.dockerfile.getInstructions()) {
    const keyword = model.span(instruction.getInstructionRange());
    if (offset < keyword.start || offset > keyword.end) continue;
    const name = instruction.getKeyword();
    const note = notes[name];
    if (!note) return undefined;
    let text = renderNote(name, note, context, document.lines);
    if (name === 'FROM' && model.stages.length > 1) {
      const final = model.finalStage?.from === instruction;
      text += final
        ? '\n\nThis is the final stage: what it contains is what ships.'
        : '\n\nThis is a build stage: nothing in it ships unless the final stage copies it or is built on it.';
    }
    return text;
  }
  return undefined;
}
