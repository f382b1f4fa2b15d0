import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

const rootNames = /^(root|0)(:(root|0))?$/;

export default defineRule({
  id: 'least-privilege/root-user',
  lesson: 'least-privilege',
  title: 'Container runs as root',
  severity: 'warning',
  equivalents: ['DL3002', 'CKV_DOCKER_3', 'CKV_DOCKER_8'],
  fix: 'yes',
  docs: {
    what:
      'An image whose final stage never switches to another user, or whose last `USER` is `root` (or uid 0). ' +
      'Stages built `FROM` an earlier stage inherit its user, and bases that already run unprivileged (distroless `:nonroot`, Chainguard) count as non-root.',
    why:
      'Root in the container is root on the files and the kernel interface it shares with the host. ' +
      'A bug in the app or one of its dependencies that lets an attacker run a command hands them every privilege the container has, and a short step from there to the host or the other containers. ' +
      'An unprivileged user costs one line and contains the damage.',
    example: {
      language: 'dockerfile',
      code: `FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM node:22-slim
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci --omit=dev
# the node images ship an unprivileged "node" user
USER node
CMD ["node", "server.js"]`,
    },
    references: [
      { title: 'Dockerfile reference: USER', url: 'https://docs.docker.com/reference/dockerfile/#user' },
      {
        title: 'OWASP Docker Security Cheat Sheet: set a user',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html#rule-2-set-a-user',
      },
    ],
  },
  checks: {
    docker({ model, document, report }) {
      const final = model.finalStage;
      if (!final) return;
      const user = effectiveUser(model, final, new Set());
      if (user.kind === 'non-root' || user.kind === 'unknown') return;
      if (user.kind === 'root-explicit') {
        const instruction = user.instruction;
        const args = instruction.getArgumentsRange();
        report({
          at: model.span(args ?? instruction.getRange()),
          message: 'The image runs as root: the last USER of the final stage is root.',
          fix: () => addUserFix(model, final, document.lines),
        });
        return;
      }
      const image = final.from.getImageRange() ?? final.from.getRange();
      report({
        at: model.span(image),
        message: `The image runs as root: its final stage (FROM ${final.from.getImage() ?? '?'}) never sets a non-root USER.`,
        fix: () => addUserFix(model, final, document.lines),
      });
    },
  },
});

type EffectiveUser =
  | { kind: 'non-root' }
  | { kind: 'unknown' }
  | { kind: 'root-explicit'; instruction: Instruction }
  | { kind: 'root-default' };

/** The user a stage runs as: its last USER, else what it inherits from its base. */
function effectiveUser(model: DockerfileModel, stage: Stage, seen: Set<Stage>): EffectiveUser {
  seen.add(stage);
  const users = stage.instructions.filter((i) => i.getKeyword() === 'USER');
  const last = users[users.length - 1];
  if (last) {
    const value = (last.getArgumentsContent() ?? '').trim();
    if (value.includes('$')) return { kind: 'unknown' };
    return rootNames.test(value) ? { kind: 'root-explicit', instruction: last } : { kind: 'non-root' };
  }
  const base = (stage.from.getImage() ?? '').toLowerCase();
  const parent = model.stages.find((s) => s.name === base && s.index < stage.index);
  if (parent && !seen.has(parent)) return effectiveUser(model, parent, seen);
  if (base.includes('$')) return { kind: 'unknown' };
  if (runsUnprivileged(base)) return { kind: 'non-root' };
  return { kind: 'root-default' };
}

/** Bases whose default user is already unprivileged. */
function runsUnprivileged(image: string): boolean {
  return /[:-]nonroot\b|:rootless\b/.test(image) || image.startsWith('cgr.dev/chainguard/');
}

/** How to get a non-root user on this base: an existing one, or create one. */
function userFor(model: DockerfileModel, final: Stage): { lines: string[] } {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = final; s && !chain.includes(s);) {
    chain.push(s);
    const base = (s.from.getImage() ?? '').toLowerCase();
    s = model.stages.find((other) => other.name === base && other.index < s!.index);
  }
  // A user the Dockerfile already creates in the final stage's chain.
  for (const stage of chain) {
    for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      const created = /\b(?:useradd|adduser)\b[^&;|\n]*?\s([a-z_][a-z0-9_-]*)\s*(?:$|&&|;|\||\\)/m.exec(
        run.getArgumentsContent() ?? '',
      );
      if (created) return { lines: [`USER ${created[1]}`] };
    }
  }
  const base = (chain[chain.length - 1].from.getImage() ?? '').toLowerCase();
  const name = base.split('/').pop() ?? base;
  if (/^node(:|$)/.test(name)) return { lines: ['USER node'] };
  if (base === 'scratch' || base.includes('distroless')) return { lines: ['USER 65532:65532'] };
  if (/alpine|busybox/.test(base)) {
    return { lines: ['RUN addgroup -S app && adduser -S -G app -H app', 'USER app'] };
  }
  return {
    lines: ['RUN groupadd --system app && useradd --system --gid app --no-create-home app', 'USER app'],
  };
}

/**
 * Switch to an unprivileged user just before the stage's start command (CMD/ENTRYPOINT), or at
 * its end, so that every earlier RUN keeps the root it may need.
 */
function addUserFix(model: DockerfileModel, final: Stage, lines: LineIndex): Fix {
  const { lines: added } = userFor(model, final);
  const instructions = final.instructions;
  const lastRun = [...instructions]
    .reverse()
    .find(
      (i) => !['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'STOPSIGNAL'].includes(i.getKeyword()),
    );
  const start = instructions.find(
    (i) =>
      ['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'EXPOSE'].includes(i.getKeyword()) &&
      (!lastRun || i.getRange().start.line > lastRun.getRange().start.line),
  );
  const eol = lines.eol;
  if (start) {
    const at = lines.lineStart(start.getRange().start.line);
    return {
      title: `Run as a non-root user (${added[added.length - 1]})`,
      edits: [{ start: at, end: at, text: added.join(eol) + eol }],
    };
  }
  const text = lines.text;
  const end = text.length;
  const prefix = text.endsWith('\n') || text.length === 0 ? '' : eol;
  return {
    title: `Run as a non-root user (${added[added.length - 1]})`,
    edits: [{ start: end, end, text: prefix + added.join(eol) + eol }],
  };
}
