import { dirname } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { isAlpineImage, isShellless, shipsHealthcheck } from '../../engine/docker/images';
import { orchestration, projectDeploysWithKubernetes } from '../../engine/docker/orchestrator';
import { appRoutes, soleHealthRoute } from '../../engine/code/routes';
import { documentedRunLines, isInteractiveTool, isThrowawayImage } from '../../engine/docker/purpose';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import { isWindowsImage, type DockerfileModel, type Stage } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand } from '../../engine/parse/shell';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';
import type { WorkspaceView } from '../../engine/workspace';

/** Programs that serve requests: an image started with one of them is a service. */
const servers = new Set([
  'gunicorn',
  'uvicorn',
  'hypercorn',
  'daphne',
  'uwsgi',
  'waitress-serve',
  'nginx',
  'httpd',
  'apache2-foreground',
  'caddy',
  'traefik',
  'puma',
  'unicorn',
  'php-fpm',
  'php-fpm8',
  'catalina.sh',
  'envoy',
  'haproxy',
]);

/** The HEALTHCHECK the final image runs with, or `none` when it is switched off on purpose. */
export function healthcheckOf(model: DockerfileModel, final: Stage): Instruction | 'none' | undefined {
  const last = model.chainInstructions(final, 'HEALTHCHECK').at(-1);
  if (!last) return undefined;
  return /^\s*NONE\b/i.test(last.getArgumentsContent() ?? '') ? 'none' : last;
}

/** A default command that only prints usage or a version (`CMD ["--help"]`): a command-line tool's image. */
function startsUsageOnly(model: DockerfileModel, final: Stage): boolean {
  const cmd = model.chainInstructions(final, 'CMD').at(-1);
  const words = cmd && model.execForm(cmd)?.map((a) => a.value);
  return (
    !!words && words.length > 0 && /^(--?help|-h|help|--?version|version)$/.test(words[words.length - 1])
  );
}

/** Whether the final image serves something: it exposes a port or starts a known server. */
function isService(model: DockerfileModel, final: Stage): boolean {
  if (startsUsageOnly(model, final)) return false;
  if (model.chainInstructions(final, 'EXPOSE').length > 0) return true;
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const instruction = model.chainInstructions(final, keyword).at(-1);
    if (!instruction) continue;
    const exec = model.execForm(instruction);
    const first = exec?.[0]?.value ?? model.commands(instruction)[0]?.command.words[0]?.value;
    const words = model.commands(instruction).map(({ command }) => effectiveCommand(command).words);
    const names = [first, ...words.map((w) => commandName({ words: w }))].filter((n): n is string => !!n);
    if (names.some((n) => servers.has(n.replace(/^.*\//, '')))) return true;
  }
  return false;
}

function exposedPort(model: DockerfileModel, final: Stage): string | undefined {
  for (const expose of model.chainInstructions(final, 'EXPOSE')) {
    // Port 22 is SSH, never the app's health endpoint.
    const port = expose
      .getArguments()
      .map((a) => /^(\d+)(\/tcp)?$/.exec(a.getValue())?.[1])
      .find((p) => p && p !== '22');
    if (port) return port;
  }
  return undefined;
}

/** Whether the final image's stages install a package (`curl`, `wget`). */
function installs(model: DockerfileModel, name: string): boolean {
  return model.finalChain.some((stage) =>
    stage.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .some((run) =>
        model.commands(run).some(({ command }) => {
          const packages = packageCommand(command);
          return (packages && installedPackages(packages)?.some((w) => w.value === name)) ?? false;
        }),
      ),
  );
}

/** The one health route of the app in the Dockerfile's folder, when all its routes can be read. */
function healthRouteBeside(path: string, workspace: WorkspaceView): string | undefined {
  const routes = appRoutes(dirname(path), workspace);
  return routes && !routes.unseen ? soleHealthRoute(routes) : undefined;
}

/** A HEALTHCHECK skeleton that the base image can run, before the start command. */
function dockerFix(
  model: DockerfileModel,
  final: Stage,
  lines: LineIndex,
  servedHealth: string | undefined,
): Fix | undefined {
  const root = model.rootImage(final);
  const written = model.chainOf(final).at(-1)?.from.getImage() ?? '';
  if (isShellless(root?.reference, written)) return undefined;
  const port = exposedPort(model, final) ?? '8080';
  const url = `http://127.0.0.1:${port}${servedHealth ?? '/health'}`;
  const repository = root?.reference?.repository;
  let probe: string;
  if (repository === 'node') {
    probe = `CMD ["node", "-e", "fetch('${url}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`;
  } else if (repository === 'python' || repository === 'pypy') {
    probe = `CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('${url}', timeout=2).status != 200)"]`;
  } else if ((isAlpineImage(root?.reference) || repository === 'busybox') && !installs(model, 'curl')) {
    probe = `CMD wget -q --spider ${url} || exit 1`;
  } else {
    probe = `CMD curl -fsS ${url} || exit 1`;
  }
  const needsCurl = probe.includes('curl') && !installs(model, 'curl');
  // The app's own health route when it has exactly one; else a placeholder to replace.
  const comment = servedHealth
    ? needsCurl
      ? `# the probe needs curl in the image; it requests the app's ${servedHealth} route`
      : `# requests the app's ${servedHealth} route`
    : needsCurl
      ? '# the probe needs curl in the image; replace /health with your health endpoint'
      : '# replace /health with your health endpoint';
  const start = final.instructions.find((i) => ['CMD', 'ENTRYPOINT'].includes(i.getKeyword()));
  const eol = lines.eol;
  const text = `${comment}${eol}HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 ${probe}${eol}`;
  if (start) {
    const at = lines.lineStart(lines.lineOf(model.span(start.getRange()).start));
    return { title: 'Add a HEALTHCHECK', edits: [{ start: at, end: at, text }] };
  }
  const end = lines.text.length;
  return {
    title: 'Add a HEALTHCHECK',
    edits: [{ start: end, end, text: (lines.text.endsWith('\n') ? '' : eol) + text }],
  };
}

export default defineRule({
  id: 'auto-recovery/image-without-healthcheck',
  lesson: 'auto-recovery',
  title: 'Image without a HEALTHCHECK',
  severity: 'info',
  equivalents: ['CKV_DOCKER_2', 'DL3057'],
  fix: 'scaffold',
  strictOnly: true,
  messages: {
    image:
      'The image serves requests but has no HEALTHCHECK: Docker shows a hung process as running, and Swarm, which replaces unhealthy containers, cannot tell (Kubernetes and ECS ignore HEALTHCHECK and need their own probe).',
    shelllessImage:
      'The image serves requests but has no HEALTHCHECK: without a shell or curl in it, the probe has to be built into the app (`HEALTHCHECK CMD ["/app", "healthcheck"]`) or left to the orchestrator.',
  },
  docs: {
    what:
      'A Dockerfile whose final image serves something (it has `EXPOSE`, or starts a server such as gunicorn, nginx or puma) without a `HEALTHCHECK`. ' +
      'In the `strict` preset only. Even there it is left alone where something else checks the container: Kubernetes manifests of the repository (a `k8s/`, `kubernetes-manifests/`, `deploy/`, `helm/`… folder up to four folders above) that run the image, named after the Dockerfile’s folder, with a liveness or readiness probe; every Kubernetes workload elsewhere in the workspace that runs an image of exactly that name (its last path segment; a common name such as `api`, `frontend` or `worker` only in manifests of a project of the same name) probing it; a compose file beside it or up to three folders above that builds it for a service with a `healthcheck`; a project that deploys with Kubernetes (a workload manifest of the workspace in the same project, or in a project folder of the same name), where the probe belongs in the manifest; ' +
      'and where nothing would act on it: test images (in a `test/`, `tests/`, `e2e/` folder, or `Dockerfile.test`), debug or development images (`Dockerfile.debug`, `Dockerfile.dev`), images whose comments document how they are started with plain `docker run`, images whose default command only prints usage (`CMD ["--help"]`), tools run in a terminal (the comments show `docker run -it`, or it starts a program that takes over the terminal, such as the `mitmproxy` console), and base images known to ship a HEALTHCHECK. ' +
      '`HEALTHCHECK NONE` is a deliberate choice and is not flagged. ' +
      'Where the repository runs the image with compose or Swarm, `auto-recovery/no-healthcheck` (in every preset) reports the service that needs the check.',
    why:
      'Only Docker itself reads an image’s `HEALTHCHECK`: it marks the container unhealthy, compose holds back the services that wait for it, and Swarm replaces it. ' +
      'Kubernetes and ECS ignore it and need their own probe, and plain `docker run` restarts a container that exits, never one that is unhealthy. ' +
      'So the check matters where the image runs under compose or Swarm, and there `auto-recovery/no-healthcheck` reports the service. ' +
      'A Dockerfile on its own does not say how its image runs; read on real repositories, almost none of these findings led to a change, so the rule is for teams that publish images for others to run under Docker, and want each to carry its probe.',
    example: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
COPY . /app
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
COPY . /app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]`,
    },
    references: [
      {
        title: 'Dockerfile reference: HEALTHCHECK',
        url: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
      },
    ],
    fix:
      "Inserts a HEALTHCHECK before the start command that probes the app's own health route when the code beside the Dockerfile registers exactly one (`/healthz`, `/ping`…), else `/health`, on the exposed port, with node, python, wget or curl, whichever the image has. " +
      "A scaffold: replace the placeholder `/health` with the app's own endpoint, and make sure the probe's program (curl, wget) is in the image.",
  },
  checks: {
    docker({ model, document, workspace, target, report }) {
      const final = model.finalStage;
      // A fragment's HEALTHCHECK may be in the part it is joined to.
      if (!final || final.fragment || isWindowsImage(model.rootImage(final))) return;
      if (healthcheckOf(model, final) || !isService(model, final)) return;
      // A tool run in someone's terminal (`docker run -it`): that person sees when it hangs.
      if (isInteractiveTool(model)) return;
      // Documented as started with `docker run`: Docker restarts a container that exits, never one
      // that is unhealthy, so nothing would act on the status (compose and Swarm are judged apart).
      if (documentedRunLines(model).length > 0) return;
      if (shipsHealthcheck(model.rootImage(final)?.reference)) return;
      // Kubernetes ignores HEALTHCHECK: manifests that probe the image are its health check, and
      // so is the healthcheck of the compose service that builds it. Test images run once.
      if (isThrowawayImage(document.path) || orchestration(document.path, workspace).probed) return;
      // The project's other images run on Kubernetes: so does this one, and its probe is the manifest's.
      if (projectDeploysWithKubernetes(document.path, workspace)) return;
      const root = model.rootImage(final);
      const shellless = isShellless(root?.reference, model.chainOf(final).at(-1)?.from.getImage() ?? '');
      report({
        at: model.span(final.from.getImageRange() ?? final.from.getRange()),
        messageId: shellless ? 'shelllessImage' : 'image',
        fix: () => dockerFix(model, final, target.lines, healthRouteBeside(document.path, workspace)),
      });
    },
  },
});
