import { dirname } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { insertPair, type EditTarget, type PlainValue } from '../../engine/edit';
import { databaseOf, isAlpineImage, isShellless, shipsHealthcheck } from '../../engine/docker/images';
import { orchestration, projectDeploysWithKubernetes } from '../../engine/docker/orchestrator';
import { FileVerdicts } from '../../engine/file-verdicts';
import { appRoutes, soleHealthRoute } from '../../engine/code/routes';
import { documentedRunLines, isInteractiveTool, isThrowawayImage } from '../../engine/docker/purpose';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import { intrinsic, type Resource, type Template } from '../../engine/parse/cloudformation';
import {
  builtDockerfilePath,
  imageOf,
  isDefinedHere,
  isTestStack,
  portsOf,
  serviceKey,
  type ComposeFile,
  type Service,
} from '../../engine/parse/compose';
import {
  isWindowsImage,
  parseDockerfile,
  type DockerfileModel,
  type Stage,
} from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand } from '../../engine/parse/shell';
import {
  asMap,
  asSeq,
  get,
  getPair,
  scalarBoolean,
  scalarText,
  type DataNode,
  type MapNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix } from '../../engine/rule';
import { LineIndex } from '../../engine/text';
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
function healthcheckOf(model: DockerfileModel, final: Stage): Instruction | 'none' | undefined {
  const last = model.chainInstructions(final, 'HEALTHCHECK').at(-1);
  if (!last) return undefined;
  return /^\s*NONE\b/i.test(last.getArgumentsContent() ?? '') ? 'none' : last;
}

/** Whether the final image serves something: it exposes a port or starts a known server. */
/** Stores that keep their data in memory and accept connections within a moment of starting. */
const readyOnStart = new Set(['Redis', 'Valkey', 'KeyDB', 'Dragonfly', 'Memcached']);

/** A default command that only prints usage or a version (`CMD ["--help"]`): a command-line tool's image. */
function startsUsageOnly(model: DockerfileModel, final: Stage): boolean {
  const cmd = model.chainInstructions(final, 'CMD').at(-1);
  const words = cmd && model.execForm(cmd)?.map((a) => a.value);
  return (
    !!words && words.length > 0 && /^(--?help|-h|help|--?version|version)$/.test(words[words.length - 1])
  );
}

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

/** Health-check commands for database and cache images that ship a client. */
const databaseProbes: Record<string, string[]> = {
  PostgreSQL: ['CMD', 'pg_isready'],
  PostGIS: ['CMD', 'pg_isready'],
  TimescaleDB: ['CMD', 'pg_isready'],
  MySQL: ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1'],
  'Percona Server': ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1'],
  MariaDB: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
  Redis: ['CMD', 'redis-cli', 'ping'],
  Valkey: ['CMD', 'valkey-cli', 'ping'],
  KeyDB: ['CMD', 'keydb-cli', 'ping'],
  MongoDB: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"],
  Elasticsearch: ['CMD-SHELL', 'curl -fsS http://127.0.0.1:9200/_cluster/health || exit 1'],
};

/**
 * What built Dockerfiles decided, by path, with the text it was read from: typing in a compose
 * file then reads its Dockerfiles but parses one again only when its text has changed.
 */
const dockerfileVerdicts = new FileVerdicts<boolean>(64);

/**
 * Whether the Dockerfile at `path` settles the image's health check: it has a HEALTHCHECK (or
 * `HEALTHCHECK NONE`, a decision), or it builds no image. Undefined when it cannot be read.
 */
function dockerfileSettlesHealthcheck(path: string, workspace: WorkspaceView): boolean | undefined {
  const text = workspace.read(path);
  if (text === undefined) return undefined;
  return dockerfileVerdicts.get(path, text, () => {
    const model = parseDockerfile(text, new LineIndex(text));
    return !model.finalStage || healthcheckOf(model, model.finalStage) !== undefined;
  });
}

/** The services that wait for each service, and one-shot services that others wait to complete. */
function dependencies(compose: ComposeFile): { dependedOn: Map<string, string[]>; oneShot: Set<string> } {
  const dependedOn = new Map<string, string[]>();
  const oneShot = new Set<string>();
  const add = (name: string, dependant: string) =>
    dependedOn.set(name, [...(dependedOn.get(name) ?? []), dependant]);
  for (const service of compose.services) {
    const dependsOn = get(service.node, 'depends_on');
    for (const item of asSeq(dependsOn)?.items ?? []) {
      const name = scalarText(item);
      if (name) add(name, service.name);
    }
    for (const pair of asMap(dependsOn)?.pairs ?? []) {
      const name = String(pair.key.value);
      if (scalarText(get(pair.value, 'condition')) === 'service_completed_successfully') oneShot.add(name);
      else add(name, service.name);
    }
  }
  return { dependedOn, oneShot };
}

function composeFix(compose: ComposeFile, service: Service, target: EditTarget): Fix {
  const image = imageOf(compose, service);
  const noun = databaseOf(image?.reference)?.noun;
  let test = noun ? databaseProbes[noun] : undefined;
  if (!test) {
    const port =
      portsOf(compose, service)[0]?.target ??
      scalarText(asSeq(get(service.node, 'expose'))?.items[0]) ??
      '8080';
    test = ['CMD-SHELL', `curl -fsS http://127.0.0.1:${String(port).replace(/\/.*$/, '')}/health || exit 1`];
  }
  const value: PlainValue = { test, interval: '30s', timeout: '5s', retries: 3, start_period: '10s' };
  return { title: 'Add a healthcheck', edits: [insertPair(target, service.node, 'healthcheck', value)] };
}

/**
 * How a container name is written, to compare the task definition's `Name` with a service's
 * `ContainerName`: a literal, or a reference to the same parameter. Undefined when unknowable.
 */
function nameKey(node: DataNode | undefined): string | undefined {
  const literal = scalarText(node);
  if (literal !== undefined) return literal;
  const fn = intrinsic(node);
  if (fn?.name === 'Ref') return `Ref ${scalarText(fn.argument) ?? ''}`;
  return undefined;
}

/**
 * The containers of a task definition that an ECS service puts behind a load balancer: ECS
 * replaces tasks whose target fails the balancer's health check. `*` when a name cannot be read.
 */
function containersBehindLoadBalancers(services: Resource[]): Set<string> {
  const names = new Set<string>();
  for (const service of services) {
    for (const balancer of asSeq(get(service.properties, 'LoadBalancers'))?.items ?? []) {
      names.add(nameKey(get(balancer, 'ContainerName')) ?? '*');
    }
  }
  return names;
}

/** The ECS services of the template by the task definition they run (`TaskDefinition: !Ref …`). */
function servicesByTaskDefinition(template: Template): Map<string, Resource[]> {
  const services = new Map<string, Resource[]>();
  for (const service of template.resourcesOfType(['AWS::ECS::Service'])) {
    const ref = intrinsic(get(service.properties, 'TaskDefinition'));
    const id = ref?.name === 'Ref' ? scalarText(ref.argument) : undefined;
    if (id !== undefined) services.set(id, [...(services.get(id) ?? []), service]);
  }
  return services;
}

function cfnFix(container: MapNode, target: EditTarget): Fix {
  const port = scalarText(get(asSeq(get(container, 'PortMappings'))?.items[0], 'ContainerPort')) ?? '8080';
  return {
    title: 'Add a HealthCheck',
    edits: [
      insertPair(target, container, 'HealthCheck', {
        Command: ['CMD-SHELL', `curl -f http://localhost:${port}/health || exit 1`],
        Interval: 30,
        Timeout: 5,
        Retries: 3,
        StartPeriod: 60,
      }),
    ],
  };
}

export default defineRule({
  id: 'auto-recovery/no-healthcheck',
  lesson: 'auto-recovery',
  title: 'No health check',
  severity: 'info',
  equivalents: ['CKV_DOCKER_2', 'DL3057'],
  fix: 'scaffold',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  messages: {
    image:
      'The image serves requests but has no HEALTHCHECK: Docker shows a hung process as running, and Swarm, which replaces unhealthy containers, cannot tell (Kubernetes and ECS ignore HEALTHCHECK and need their own probe).',
    shelllessImage:
      'The image serves requests but has no HEALTHCHECK: without a shell or curl in it, the probe has to be built into the app (`HEALTHCHECK CMD ["/app", "healthcheck"]`) or left to the orchestrator.',
    waitedFor:
      'Service {{service}} has no healthcheck: {{dependants}} cannot wait until it is ready, and a hung {{service}} looks like a working one.',
    swarm:
      'Service {{service}} has no healthcheck: Swarm cannot tell a hung task from a working one, so it never replaces it.',
    container:
      'Container {{container}} of {{id}} has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
  },
  docs: {
    what:
      'A Dockerfile whose final image serves something (it has `EXPOSE`, or starts a server such as gunicorn, nginx or puma) without a `HEALTHCHECK`, unless Kubernetes manifests of the repository (a `k8s/`, `kubernetes-manifests/`, `deploy/`, `helm/`… folder up to four folders above) run the image, named after the Dockerfile’s folder, with a liveness or readiness probe (Kubernetes ignores `HEALTHCHECK` and probes the container itself), or every Kubernetes workload elsewhere in the workspace that runs an image of exactly that name (its last path segment; a common name such as `api`, `frontend` or `worker` only in manifests of a project of the same name) probes it, or a compose file beside it or up to three folders above builds it for a service with a `healthcheck`, or its project deploys with Kubernetes (a workload manifest of the workspace sits in the same project, or in a project folder of the same name), even when no manifest names this image yet: its probe belongs in the manifest it will get; test images (in a `test/`, `tests/`, `e2e/` folder, or `Dockerfile.test`), debug or development images (`Dockerfile.debug`, `Dockerfile.dev`) images whose comments document how they are started with plain `docker run` (Docker restarts a container that exits, never one that is unhealthy: only compose, when a service waits for it, and Swarm act on HEALTHCHECK), images whose default command only prints usage (`CMD ["--help"]`), and tools run in a terminal (the Dockerfile’s comments show `docker run -it`, or it starts a program that takes over the terminal, such as the `mitmproxy` console) are left alone; ' +
      'a compose service that others depend on, or that Swarm deploys (`deploy:`), without a `healthcheck` (in-memory stores that answer as soon as they start, Redis, Valkey, KeyDB, Dragonfly and Memcached, only under Swarm; services built from a Dockerfile that has one, and images known to ship one, are fine; test stacks, named `*.test.yml`, `*.ci.yml`, `*.e2e.yml` or with a `sut` service, are run once and thrown away and are not judged); ' +
      'and an essential container of an ECS task definition that a service of the template runs, without `HealthCheck`, unless a load balancer already checks it (task definitions started as one-off tasks are not flagged). ' +
      '`HEALTHCHECK NONE` and `healthcheck: {disable: true}` are deliberate choices and are not flagged.',
    why:
      'A process can be alive and useless: deadlocked, out of connections, stuck on a dead dependency. ' +
      'Without a health check the platform only notices a crash, so such a container keeps its place, and traffic, until a person does something. ' +
      'With an image `HEALTHCHECK`, Docker marks the container unhealthy and Swarm replaces it; compose starts dependants only once a service’s check passes; ECS replaces a task whose container definition `HealthCheck` fails. ' +
      'Kubernetes and ECS do not read the image’s `HEALTHCHECK`: they need their own probe or `HealthCheck`, which is why the rule leaves an image alone when the repository’s manifests probe it.',
    example: {
      language: 'yaml',
      code: `services:
  api:
    build: .
    ports: ["8080:8080"]
    depends_on: [db]
  db:
    image: postgres:16`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  api:
    build: .
    ports: ["8080:8080"]
    healthcheck:
      test: ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/health || exit 1"]
      interval: 30s
      timeout: 5s
      retries: 3
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready"]
      interval: 10s`,
    },
    references: [
      {
        title: 'Dockerfile reference: HEALTHCHECK',
        url: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
      },
      {
        title: 'Compose file reference: healthcheck',
        url: 'https://docs.docker.com/reference/compose-file/services/#healthcheck',
      },
      {
        title: 'Amazon ECS: HealthCheck in a container definition',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html',
      },
    ],
    fix:
      "Inserts a health check that probes the app's own health route when the code beside the Dockerfile registers exactly one (`/healthz`, `/ping`…), else `/health`, on the exposed port (with node, python, wget or curl, whichever the image has), or the client command of a known database image. " +
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
    compose({ model, document, workspace, target, report }) {
      // A test stack is started, run once and thrown away: its test waits in its own way.
      if (isTestStack(document.path, model)) return;
      const { dependedOn, oneShot } = dependencies(model);
      for (const service of model.services) {
        if (!isDefinedHere(service) || oneShot.has(service.name)) continue;
        const healthcheck = serviceKey(model, service, 'healthcheck');
        if (healthcheck.pair || healthcheck.external) continue;
        // In compose a health check lets dependants wait until the service is ready, and lets
        // Swarm replace a hung task; plain `docker compose` restarts nothing on its own.
        const dependants = dependedOn.get(service.name) ?? [];
        const swarm = serviceKey(model, service, 'deploy').pair !== undefined;
        if (dependants.length === 0 && !swarm) continue;
        if (shipsHealthcheck(imageOf(model, service)?.reference)) continue;
        // An in-memory store answers as soon as its process is up: its dependants have nothing to
        // wait for (Swarm still wants the check, to replace a hung task).
        if (!swarm && readyOnStart.has(databaseOf(imageOf(model, service)?.reference)?.noun ?? '')) continue;
        if (serviceKey(model, service, 'build').pair) {
          const path = builtDockerfilePath(model, service, document.path);
          // A Dockerfile that cannot be read may well have its own HEALTHCHECK.
          if (!path || dockerfileSettlesHealthcheck(path, workspace) !== false) continue;
        }
        report({
          at: service.nameNode,
          messageId: dependants.length > 0 ? 'waitedFor' : 'swarm',
          data: { service: service.name, dependants: dependants.join(', ') },
          fix: () => composeFix(model, service, target),
        });
      }
    },
    cfn({ model: template, resources, target, report }) {
      const running = servicesByTaskDefinition(template);
      for (const resource of resources) {
        // A task definition no service runs is started as a task (RunTask from Step Functions,
        // Lambda, EventBridge) that runs to completion: there is nothing to keep healthy.
        const services = running.get(resource.logicalId);
        if (!services) continue;
        const balanced = containersBehindLoadBalancers(services);
        for (const item of asSeq(get(resource.properties, 'ContainerDefinitions'))?.items ?? []) {
          const container = asMap(item);
          if (!container || getPair(container, 'HealthCheck')) continue;
          if (scalarBoolean(get(container, 'Essential')) === false) continue;
          const nameNode = get(container, 'Name');
          const key = nameKey(nameNode);
          if (balanced.has('*') || (key !== undefined && balanced.has(key))) continue;
          const shown = key?.startsWith('Ref ') ? `(${key})` : (key ?? '(unnamed)');
          report({
            at: nameNode ?? container.pairs[0]?.key ?? container,
            resource,
            messageId: 'container',
            data: { container: shown, id: resource.logicalId },
            fix: () => cfnFix(container, target),
          });
        }
      }
    },
  },
});
