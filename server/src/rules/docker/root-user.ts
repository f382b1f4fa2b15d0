import { dropsPrivilegesItself, isShellless } from '../../engine/docker/images';
import { orchestration } from '../../engine/docker/orchestrator';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import {
  distributionOf,
  isBaseImage,
  isLambdaImage,
  isInteractiveTool,
  isOneOffTask,
  isThrowawayImage,
  runsAService,
  runsDownloadedTool,
  commentsStateRootNeeded,
  documentedRunDecidesUser,
  isWasmImage,
} from '../../engine/docker/purpose';
import { createdUser, dropsPrivilegesAtStart, effectiveUser, isRootUser } from '../../engine/docker/users';
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
      'Not flagged either: images built as a base for others (they copy no application, expose no port and start at most a shell or a language prompt, like the official runtime images, or they declare `ONBUILD` triggers), AWS Lambda images (Lambda runs the function as its own unprivileged user), WebAssembly images (no Linux user to switch), and images that show no sign of serving or running an application (no `EXPOSE`, no `HEALTHCHECK`, no server program, no runtime started on the application’s files, no program of its own copied in, where data copied to a folder outside PATH for a program started by name does not count: a command-line tool with `ENTRYPOINT ["aws"]`, a desktop program), which run once as whoever starts them chooses with `docker run --user`; nor tools run in a terminal (the Dockerfile’s comments show `docker run -it` and never `-d`, or it starts a program that takes over the terminal, such as an editor, `htop`, `mutt` or the `mitmproxy` console, or, in an image that exposes no port, a console client such as `pop` or `lf`), nor images that run one task and exit (what they start, or the script given to their interpreter, is named for one action: `reset-cache.py`, `backup-db.sh`, `migrate`, `sendemail`), nor images that download a ready-made program and start it as it is (`curl … -o /opt/sim.jar`, then `java -jar /opt/sim.jar`) while copying nothing of their own and naming no server or port, nor images whose comments say they are given the host’s `/etc/shadow` (only root can read it), nor images whose documented `docker run` lines all choose the user (`--user`, `-u`) or grant privileges only root can use (`--privileged`, `--cap-add`: a virtual machine host, a network tool). ' +
      'Images that start as root only to hand over to another user are not flagged: their `ENTRYPOINT` or `CMD` runs `gosu`, `su-exec`, `setpriv --reuid`, `chpst -u`, `runuser -u`, `s6-setuidgid`, `sudo -u`, or a daemon with the flag that makes it switch to its own user (`slapd -u openldap`, `memcached -u memcache`), or the entrypoint script copied from the build context does. ' +
      'When the script is not in the workspace, what the Dockerfile shows stands in for it: the image installs gosu or su-exec (they serve no other purpose) or a daemon installed only to be run that its script starts with its user (slapd, memcached), creates a user it never switches to with `USER`, or its comments say so as a fact (“starts the editor as that user”, “drops root privileges”; comments with `TODO`, `should` or `not` do not count). The comments are weaker evidence than the script, so they count only when the script cannot be read. ' +
      'Servers that start as root and hand over by themselves (nginx, httpd, sshd, postfix, distccd, or a start script named after one, such as `distccd-init`) and process supervisors that start each service as the user its definition names (runit, s6, supervisord) are not flagged either, nor images that never set a user when the repository’s Kubernetes manifests (a `k8s/`, `kubernetes-manifests/`, `deploy/`… folder up to four folders above) run them, named after the Dockerfile’s folder, with `runAsNonRoot: true` or a non-zero `runAsUser`, or when the Kubernetes workloads elsewhere in the workspace that run an image of exactly that name (its last path segment) all do so: a bounded walk from the workspace’s root, once per workspace; a common name (`api`, `web`, `frontend`, `worker`, a public image’s name like `redis`) counts there only in manifests of a project of the same name (its top folder, with `.git` or a licence, is named like the Dockerfile’s), and one workload that runs the image with `runAsUser: 0` or without a non-root setting keeps the finding, or when a compose file beside it or up to three folders above builds it for a service with a non-root `user:` (an explicit `USER root` is still flagged). Test images (in a `test/`, `tests/`, `e2e/` folder, or `Dockerfile.test`) run once in CI, and debug or development images (`Dockerfile.debug`, `Dockerfile.dev`, a `debug/` folder) on a developer’s machine: they are left alone. ' +
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
      "Adds a `USER` before the start command, with what the base's distribution has: the user the Dockerfile creates, the image's own (`node`, or `redis`, `postgres` and the like when their entrypoint is replaced), a new system user `app` made with `useradd` (Debian, Ubuntu, Fedora, Amazon Linux) or BusyBox's `adduser` (Alpine), or uid 65532 on images without a shell or without shadow-utils (distroless, `-minimal` images). " +
      'No fix on a base this project cannot place, nor on nginx and httpd, which bind their ports as root and hand over by themselves (compose findings have no fix either: remove the override, or name an unprivileged uid). ' +
      'A scaffold to review: files the app writes at run time must belong to that user, and ports below 1024 need root.',
  },
  checks: {
    docker({ model, document, workspace, target, report }) {
      const final = model.finalStage;
      // A fragment is not the whole image: the part it joins may switch user after it.
      if (!final || final.fragment) return;
      if (isWindowsImage(model.rootImage(final))) return;
      // Lambda runs functions as its own unprivileged user, a Wasm runtime has no Linux user,
      // a base image leaves the user to the images built on it, and a tool or a one-off job to
      // whoever runs it: the rule judges images that show they serve or run an application.
      if (isLambdaImage(model) || isWasmImage(model) || isBaseImage(model) || !runsAService(model)) return;
      // A tool run in someone's terminal (`docker run -it`), or one task run by hand, runs as they choose.
      if (isInteractiveTool(model) || isOneOffTask(model)) return;
      // A third-party program downloaded and started as it is, or one that its comments say
      // reads the host's /etc/shadow (root only): no user of the image's own to switch to.
      if (runsDownloadedTool(model) || commentsStateRootNeeded(model)) return;
      // The documented `docker run` picks the user (`--user`), or grants what only root can use.
      if (documentedRunDecidesUser(model)) return;
      const user = effectiveUser(model, final);
      if (user.kind === 'non-root' || user.kind === 'unknown') return;
      // Started as root on purpose, to hand over to an unprivileged user (gosu, su-exec, setpriv).
      if (dropsPrivilegesAtStart(model, final, document.path, workspace)) return;
      // The repository's Kubernetes manifests, or the compose service that builds it, run the
      // image as a non-root user already. A test image runs once, in CI.
      if (user.kind !== 'root-explicit' && orchestration(document.path, workspace).nonRoot) return;
      if (isThrowawayImage(document.path)) return;
      const added = userFor(model, final);
      const fix = added && (() => addUserFix(final, added.lines, target.lines));
      if (user.kind === 'root-explicit') {
        const instruction = user.instruction;
        const args = instruction.getArgumentsRange();
        report({
          at: model.span(args ?? instruction.getRange()),
          messageId: 'lastUserRoot',
          fix,
        });
        return;
      }
      const image = final.from.getImageRange() ?? final.from.getRange();
      report({
        at: model.span(image),
        messageId: 'noUser',
        data: { image: final.from.getImage() ?? '?' },
        fix,
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

/** The user the official image of a service creates for itself, for when its entrypoint is replaced. */
const serviceUsers: Record<string, string> = {
  postgres: 'postgres',
  postgis: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  percona: 'mysql',
  mongo: 'mongodb',
  redis: 'redis',
  valkey: 'valkey',
  rabbitmq: 'rabbitmq',
  couchdb: 'couchdb',
  cassandra: 'cassandra',
  elasticsearch: 'elasticsearch',
  'eclipse-mosquitto': 'mosquitto',
};

/**
 * How to get a non-root user on this base, with what its distribution has: the user the
 * Dockerfile creates, the image's own, `useradd` where shadow-utils or passwd is there,
 * BusyBox's `adduser` on Alpine, a bare uid where neither is. Undefined when the base is
 * unknown, or a web server that binds ports below 1024 as root and hands over by itself.
 */
function userFor(model: DockerfileModel, final: Stage): { lines: string[] } | undefined {
  const created = createdUser(model, final);
  if (created) return { lines: [`USER ${created}`] };
  const root = model.rootImage(final);
  const written = (model.chainOf(final).at(-1)?.from.getImage() ?? '').toLowerCase();
  const reference = root?.reference;
  if (reference?.repository === 'node') return { lines: ['USER node'] };
  if (isShellless(reference, written)) return { lines: ['USER 65532:65532'] };
  if (reference && dropsPrivilegesItself(reference)) {
    const own = serviceUsers[reference.name];
    return own ? { lines: [`USER ${own}`] } : undefined;
  }
  switch (distributionOf(model, final)) {
    case 'alpine':
    case 'busybox':
      return { lines: ['RUN addgroup -S app && adduser -S -G app -H app', 'USER app'] };
    case 'debian':
    case 'rhel':
      return {
        lines: ['RUN groupadd --system app && useradd --system --gid app --no-create-home app', 'USER app'],
      };
    case 'rhel-minimal':
      // No useradd unless the Dockerfile installs shadow-utils; a uid needs no entry in /etc/passwd.
      return installsShadowUtils(model, final)
        ? {
            lines: [
              'RUN groupadd --system app && useradd --system --gid app --no-create-home app',
              'USER app',
            ],
          }
        : { lines: ['USER 65532:65532'] };
    default:
      return undefined;
  }
}

function installsShadowUtils(model: DockerfileModel, final: Stage): boolean {
  return model.chainInstructions(final, 'RUN').some((run) =>
    model.commands(run).some(({ command }) => {
      const packages = packageCommand(command);
      const installed = packages && installedPackages(packages);
      return !!installed?.some((word) => word.value === 'shadow-utils');
    }),
  );
}

/**
 * Switch to an unprivileged user just before the stage's start command (CMD/ENTRYPOINT), or at
 * its end, so that every earlier RUN keeps the root it may need.
 */
function addUserFix(final: Stage, added: string[], lines: LineIndex): Fix {
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
