import { isAlpineImage, isShellless } from '../../engine/docker/images';
import { createdUser, effectiveUser, isRootUser } from '../../engine/docker/users';
import { isWindowsImage, type DockerfileModel, type Stage } from '../../engine/parse/dockerfile';
import { interpolate } from '../../engine/parse/compose';
import { asScalar, getPair } from '../../engine/parse/tree';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

export default defineRule({
  id: 'least-privilege/root-user',
  lesson: 'least-privilege',
  title: 'Container runs as root',
  severity: 'warning',
  equivalents: ['DL3002', 'CKV_DOCKER_3', 'CKV_DOCKER_8'],
  fix: 'scaffold',
  messages: {
    lastUserRoot: 'The image runs as root: the last USER of the final stage is root.',
    noUser: 'The image runs as root: its final stage (FROM {{image}}) never sets a non-root USER.',
    composeRoot: "Service {{service}} runs as root: `user: {{user}}` overrides the image's own user.",
  },
  docs: {
    what:
      'An image whose final stage never switches to another user, or whose last `USER` is `root` (or uid 0). ' +
      'Stages built `FROM` an earlier stage inherit its user, and bases that already run unprivileged (distroless `:nonroot`, Chainguard, Bitnami, Grafana, Prometheus) count as non-root. ' +
      'Official images that switch user themselves (the postgres, mysql and redis entrypoints, the nginx and httpd workers) are left alone unless the Dockerfile replaces their `ENTRYPOINT`. ' +
      'In a compose file, a service with `user: root` (or `0`, or a variable whose default is root), which overrides whatever user the image chose.',
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
    fix:
      "Adds a `USER` before the start command: the user the Dockerfile creates, the image's own (`node`), uid 65532 on images without a shell, or a new system user `app` (compose findings have no fix: remove the override, or name an unprivileged uid). " +
      'A scaffold to review: files the app writes at run time must belong to that user, and ports below 1024 need root.',
  },
  checks: {
    docker({ model, target, report }) {
      const final = model.finalStage;
      if (!final) return;
      if (isWindowsImage(model.rootImage(final))) return;
      const user = effectiveUser(model, final);
      if (user.kind === 'non-root' || user.kind === 'unknown') return;
      if (user.kind === 'root-explicit') {
        const instruction = user.instruction;
        const args = instruction.getArgumentsRange();
        report({
          at: model.span(args ?? instruction.getRange()),
          messageId: 'lastUserRoot',
          fix: () => addUserFix(model, final, target.lines),
        });
        return;
      }
      const image = final.from.getImageRange() ?? final.from.getRange();
      report({
        at: model.span(image),
        messageId: 'noUser',
        data: { image: final.from.getImage() ?? '?' },
        fix: () => addUserFix(model, final, target.lines),
      });
    },
    compose({ model, report }) {
      for (const service of model.services) {
        const user = asScalar(getPair(service.node, 'user')?.value);
        if (!user || user.value === null) continue;
        // `user: "${APP_UID:-0}"` runs as root unless the variable is set: judge the default.
        const value = interpolate(String(user.value)).value;
        if (value === undefined || !isRootUser(value)) continue;
        report({
          at: user,
          messageId: 'composeRoot',
          data: { service: service.name, user: String(user.value) },
        });
      }
    },
  },
});

/** How to get a non-root user on this base: one the Dockerfile creates, the image's own, or a new one. */
function userFor(model: DockerfileModel, final: Stage): { lines: string[] } {
  const created = createdUser(model, final);
  if (created) return { lines: [`USER ${created}`] };
  const root = model.rootImage(final);
  const written = (model.chainOf(final).at(-1)?.from.getImage() ?? '').toLowerCase();
  const reference = root?.reference;
  if (reference?.repository === 'node') return { lines: ['USER node'] };
  if (isShellless(reference, written)) return { lines: ['USER 65532:65532'] };
  if (isAlpineImage(reference) || reference?.repository === 'busybox') {
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
