import { insertPair, type EditTarget, type PlainValue } from '../../engine/edit';
import { databaseOf, shipsHealthcheck } from '../../engine/docker/images';
import { FileVerdicts } from '../../engine/file-verdicts';
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
import { parseDockerfile } from '../../engine/parse/dockerfile';
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
import { healthcheckOf } from './image-without-healthcheck';

/** Stores that keep their data in memory and accept connections within a moment of starting. */
const readyOnStart = new Set(['Redis', 'Valkey', 'KeyDB', 'Dragonfly', 'Memcached']);

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
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  messages: {
    waitedFor:
      'Service {{service}} has no healthcheck: {{dependants}} cannot wait until it is ready, and a hung {{service}} looks like a working one.',
    swarm:
      'Service {{service}} has no healthcheck: Swarm cannot tell a hung task from a working one, so it never replaces it.',
    container:
      'Container {{container}} of {{id}} has no HealthCheck: ECS only replaces it when it exits, not when it hangs.',
  },
  docs: {
    what:
      'A compose service that others depend on, or that Swarm deploys (`deploy:`), without a `healthcheck` (in-memory stores that answer as soon as they start, Redis, Valkey, KeyDB, Dragonfly and Memcached, only under Swarm; services built from a Dockerfile that has one, and images known to ship one, are fine; test stacks, named `*.test.yml`, `*.ci.yml`, `*.e2e.yml` or with a `sut` service, are run once and thrown away and are not judged); ' +
      'and an essential container of an ECS task definition that a service of the template runs, without `HealthCheck`, unless a load balancer already checks it (task definitions started as one-off tasks are not flagged). ' +
      '`healthcheck: {disable: true}` is a deliberate choice and is not flagged. ' +
      'A Dockerfile without a `HEALTHCHECK` is `auto-recovery/image-without-healthcheck`, in the `strict` preset only: the service that runs the image is where the check is needed, and it is judged here.',
    why:
      'A process can be alive and useless: deadlocked, out of connections, stuck on a dead dependency. ' +
      'Without a health check the platform only notices a crash, so such a container keeps its place, and traffic, until a person does something. ' +
      'With an image `HEALTHCHECK`, Docker marks the container unhealthy and Swarm replaces it; compose starts dependants only once a service’s check passes; ECS replaces a task whose container definition `HealthCheck` fails. ' +
      'Kubernetes and ECS do not read the image’s `HEALTHCHECK`: they need their own probe or `HealthCheck`.',
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
