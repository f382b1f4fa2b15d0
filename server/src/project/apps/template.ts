import { dirname, join } from 'node:path';
import type {
  BackingKind,
  Copies,
  FileEdits,
  Mount,
  Place,
  QueueVisibility,
  StopTimeout,
} from '../../engine/applications';
import { effectiveProperty } from '../../engine/cfn/resources';
import { referencedNames, stringsIn } from '../../engine/cfn/references';
import { asBoolean, asNumber } from '../../engine/cfn/values';
import { appendItem, insertPair, replaceValue, setPath, type PlainValue } from '../../engine/edit';
import {
  buildTemplate,
  possibleValues,
  property,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { parseJson } from '../../engine/parse/json';
import {
  asMap,
  asSeq,
  get,
  getPair,
  getPath,
  scalarText,
  type DataNode,
  type MapNode,
} from '../../engine/parse/tree';
import { parseYaml } from '../../engine/parse/yaml';
import type { TextEdit } from '../../engine/text';
import { ReadFile, repositoryName, withoutTrailingSeparators } from './files';

/** How a template runs code, and what it declares beside it. */
export interface TemplateFacts {
  file: ReadFile;
  template: Template;
  containers: EcsContainer[];
  functions: LambdaFunction[];
  backing: TemplateBacking[];
}

/** An environment variable a runtime of the template is given: its name, and what its value mentions. */
export interface TemplateVariable {
  name: string;
  /** Logical ids and parameters its value refers to. */
  mentions: ReadonlySet<string>;
  /** Its value holds a URL (`redis://…`), not a bare host. */
  url: boolean;
  at: Place;
}

/** A container of an ECS service's task definition. */
export interface EcsContainer {
  service: Resource;
  name: string;
  /** Names the container is known by: its `Name`, the repository of its image (or of the ECR repository it refers to). */
  names: Set<string>;
  copies: Copies;
  loadBalanced?: Place;
  environment: TemplateVariable[];
  /** False when the container also reads `EnvironmentFiles` (from S3): what it is given is then unknown. */
  environmentKnown: boolean;
  /** The `Environment` key of the container, or its `Name`. */
  environmentAt: Place;
  definition: MapNode;
  /** Its mount points on volumes that outlive the task (EFS, FSx, a host path, a shared Docker volume). */
  mounts: Mount[];
  /** False when its `VolumesFrom` or a mount's path or volume is not written out. */
  mountsKnown: boolean;
  /** How long ECS waits after SIGTERM before SIGKILL (`StopTimeout`, or the default); undefined when unknown. */
  stopTimeout?: StopTimeout;
  /** It sets `Command` or `EntryPoint`: the image's `CMD` does not run as written. */
  ownCommand: boolean;
  at: Place;
}

/** A Lambda function whose code is a folder of the workspace. */
export interface LambdaFunction {
  fn: Resource;
  /** The code folder (`CodeUri`, `Code`, or the Docker context of an image function). Absolute. */
  codeRoot: string;
  copies: Copies;
  environment: TemplateVariable[];
  /** The function's `Environment` key, or its logical id. */
  environmentAt: Place;
  /** Its `FileSystemConfigs` (EFS access points), by `LocalMountPath`. */
  mounts: Mount[];
  mountsKnown: boolean;
  at: Place;
}

export interface TemplateBacking {
  kind: BackingKind;
  resource: Resource;
  name: string;
  at: Place;
  /** For a Redis cache the code can reach through one endpoint: the attributes of its address and port. */
  endpoint?: { address: string; port: string; tls: boolean };
  /** For an SQS queue: its `VisibilityTimeout` (or the default), when known. */
  visibility?: QueueVisibility;
}

/** Parse a template read from the workspace; undefined when it is not one. */
export function templateFacts(path: string, text: string, parsed?: Template): TemplateFacts | undefined {
  const template = parsed ?? parseTemplate(text);
  if (!template) return undefined;
  const file = new ReadFile(path, text, template.format);
  return {
    file,
    template,
    containers: containersOf(template, file),
    functions: functionsOf(template, file),
    backing: backingOf(template, file),
  };
}

/** A template's text parsed as the model reads it (JSON or YAML by its first character). */
export function parseTemplate(text: string): Template | undefined {
  const json = text.trimStart().startsWith('{');
  const root = json ? parseJson(text).root : parseYaml(text).root;
  return root ? buildTemplate(root, json ? 'json' : 'yaml') : undefined;
}

const idPlace = (file: ReadFile, resource: Resource) => file.place(resource.idNode.span);

/** The largest number a property can be (parameter defaults and both branches of `Fn::If`). */
function largest(template: Template, node: DataNode | undefined): number | undefined {
  const values = node ? possibleValues(template, node) : undefined;
  const numbers = values?.map((v) => asNumber(v.value));
  if (!numbers || numbers.some((n) => n === undefined)) return undefined;
  return Math.max(...(numbers as number[]));
}

function containersOf(template: Template, file: ReadFile): EcsContainer[] {
  const containers: EcsContainer[] = [];
  const services = template.resourcesOfType(['AWS::ECS::Service']);
  if (services.length === 0) return containers;
  const scaling = template.resourcesOfType(['AWS::ApplicationAutoScaling::ScalableTarget']);
  for (const taskDefinition of template.resourcesOfType(['AWS::ECS::TaskDefinition'])) {
    const runners = services.filter((s) =>
      referencedNames(property(s, 'TaskDefinition')?.value).has(taskDefinition.logicalId),
    );
    if (runners.length === 0) continue;
    for (const item of asSeq(property(taskDefinition, 'ContainerDefinitions')?.value)?.items ?? []) {
      const definition = asMap(item);
      if (!definition) continue;
      const name = scalarText(get(definition, 'Name'));
      const names = new Set<string>();
      if (name) names.add(name.toLowerCase());
      const image = get(definition, 'Image');
      for (const text of stringsIn(image)) {
        const repository = repositoryName(text);
        if (repository) names.add(repository);
      }
      for (const id of referencedNames(image)) {
        const repository = template.resourceById.get(id);
        const repositoryName =
          repository?.type === 'AWS::ECR::Repository'
            ? scalarText(get(repository.properties, 'RepositoryName'))
            : undefined;
        if (repositoryName) names.add(repositoryName.toLowerCase().split('/').pop()!);
      }
      const environment = containerEnvironment(definition, file);
      const environmentKey = getPair(definition, 'Environment') ?? getPair(definition, 'Name');
      const mounts = containerMounts(taskDefinition, definition, file);
      for (const service of runners) {
        containers.push({
          service,
          name: name ?? taskDefinition.logicalId,
          names,
          copies: serviceCopies(template, file, service, scaling),
          loadBalanced: loadBalancers(service, file),
          environment,
          environmentKnown: get(definition, 'EnvironmentFiles') === undefined,
          environmentAt: environmentKey ? file.place(environmentKey.key.span) : idPlace(file, taskDefinition),
          definition,
          ...mounts,
          ...withStopTimeout(containerStopTimeout(template, file, service, taskDefinition, definition)),
          ownCommand: get(definition, 'Command') !== undefined || get(definition, 'EntryPoint') !== undefined,
          at: idPlace(file, service),
        });
      }
    }
  }
  return containers;
}

function loadBalancers(service: Resource, file: ReadFile): Place | undefined {
  const pair = property(service, 'LoadBalancers');
  return asSeq(pair?.value)?.items.length ? file.place(pair!.key.span) : undefined;
}

function serviceCopies(template: Template, file: ReadFile, service: Resource, scaling: Resource[]): Copies {
  if (scalarText(property(service, 'SchedulingStrategy')?.value) === 'DAEMON') {
    const pair = property(service, 'SchedulingStrategy')!;
    return { most: Infinity, words: 'one task on every container instance', at: file.place(pair.value.span) };
  }
  const desiredPair = property(service, 'DesiredCount');
  // CloudFormation starts one task when DesiredCount is left out.
  const desired = desiredPair ? largest(template, desiredPair.value) : 1;
  let most = desired ?? 1;
  let words = desired !== undefined ? tasks(desired) : 'its DesiredCount of tasks';
  let at = desiredPair ? file.place(desiredPair.value.span) : idPlace(file, service);
  // Behind a load balancer, a single task is two while a rolling deployment replaces it (ECS
  // starts the new task before it stops the old one unless MaximumPercent is 100).
  const maximumPercent = largest(
    template,
    getPath(service.properties, 'DeploymentConfiguration', 'MaximumPercent'),
  );
  if (most === 1 && loadBalancers(service, file) && (maximumPercent ?? 200) >= 200) {
    most = 2;
    words = '1 task behind a load balancer, and 2 while each deployment replaces it';
  }
  for (const target of scaling) {
    if (!referencedNames(property(target, 'ResourceId')?.value).has(service.logicalId)) continue;
    const maxPair = property(target, 'MaxCapacity');
    const max = largest(template, maxPair?.value);
    if (max !== undefined && maxPair && max > most) {
      most = max;
      words = `up to ${tasks(max)} (auto scaling)`;
      at = file.place(maxPair.value.span);
    }
  }
  return { most, words, at };
}

const tasks = (n: number) => (n === 1 ? '1 task' : `${n} tasks`);

function containerEnvironment(definition: MapNode, file: ReadFile): TemplateVariable[] {
  const variables: TemplateVariable[] = [];
  for (const key of ['Environment', 'Secrets']) {
    for (const item of asSeq(get(definition, key))?.items ?? []) {
      const namePair = getPair(item, 'Name');
      const name = scalarText(namePair?.value);
      if (!name || !namePair) continue;
      const value = get(item, key === 'Environment' ? 'Value' : 'ValueFrom');
      variables.push({
        name,
        mentions: referencedNames(value),
        url: stringsIn(value).some((s) => s.includes('://')),
        at: file.place(namePair.value.span),
      });
    }
  }
  return variables;
}

function functionsOf(template: Template, file: ReadFile): LambdaFunction[] {
  const functions: LambdaFunction[] = [];
  const folder = dirname(file.path);
  for (const fn of template.resourcesOfType(['AWS::Serverless::Function', 'AWS::Lambda::Function'])) {
    const sam = fn.type === 'AWS::Serverless::Function';
    const code = sam ? effectiveProperty(template, fn, 'CodeUri')?.pair.value : property(fn, 'Code')?.value;
    let relative = scalarText(code);
    // An image function built by `sam build` from a Docker context.
    if (!relative && scalarText(property(fn, 'PackageType')?.value) === 'Image')
      relative = scalarText(getPath(fn.node, 'Metadata', 'DockerContext'));
    if (!relative || /^[a-z0-9]+:\/\//i.test(relative) || relative.includes('${')) continue;
    const reserved = property(fn, 'ReservedConcurrentExecutions');
    const most = reserved ? (largest(template, reserved.value) ?? Infinity) : Infinity;
    functions.push({
      fn,
      codeRoot: withoutTrailingSeparators(join(folder, relative)),
      copies: {
        most,
        words: Number.isFinite(most)
          ? most === 1
            ? 'one execution environment at a time'
            : `up to ${most} concurrent execution environments`
          : 'one execution environment per concurrent request',
        at: reserved ? file.place(reserved.value.span) : idPlace(file, fn),
      },
      environment: functionEnvironment(template, fn, file),
      environmentAt: property(fn, 'Environment')
        ? file.place(property(fn, 'Environment')!.key.span)
        : idPlace(file, fn),
      ...functionMounts(template, fn, file),
      at: idPlace(file, fn),
    });
  }
  return functions;
}

/**
 * The mount points of a container on volumes whose files outlive the task: EFS and FSx volumes,
 * a host path (EC2), a Docker volume with `Scope: shared`. A volume with none of those is the
 * task's own storage, gone with it, and not counted.
 */
function containerMounts(
  taskDefinition: Resource,
  definition: MapNode,
  file: ReadFile,
): Pick<EcsContainer, 'mounts' | 'mountsKnown'> {
  const mounts: Mount[] = [];
  let known = get(definition, 'VolumesFrom') === undefined;
  const points = get(definition, 'MountPoints');
  if (points && !asSeq(points)) known = false;
  const volumes = new Map<string, MapNode>();
  const volumeList = property(taskDefinition, 'Volumes')?.value;
  if (volumeList && !asSeq(volumeList)) known = false;
  for (const item of asSeq(volumeList)?.items ?? []) {
    const volume = asMap(item);
    const name = scalarText(get(volume, 'Name'));
    if (volume && name) volumes.set(name, volume);
    else known = false;
  }
  for (const item of asSeq(points)?.items ?? []) {
    const pathPair = getPair(item, 'ContainerPath');
    const path = scalarText(pathPair?.value);
    const source = scalarText(get(item, 'SourceVolume'));
    const volume = source ? volumes.get(source) : undefined;
    if (!pathPair || !path?.startsWith('/') || !volume) {
      known = false;
      continue;
    }
    if (asBoolean(scalarText(get(item, 'ReadOnly'))) === true) continue;
    const what = lastingVolume(volume);
    if (what === 'unknown') known = false;
    else if (what)
      mounts.push({
        path: withoutTrailingSeparators(path),
        what: `${what} ${source}`,
        at: file.place(pathPair.value.span),
      });
  }
  return { mounts, mountsKnown: known };
}

/** What keeps a task definition volume's files after the task: `EFS volume`, …; undefined for the task's own storage. */
function lastingVolume(volume: MapNode): string | undefined | 'unknown' {
  if (get(volume, 'EFSVolumeConfiguration')) return 'EFS volume';
  if (get(volume, 'FSxWindowsFileServerVolumeConfiguration')) return 'FSx volume';
  if (scalarText(getPath(volume, 'Host', 'SourcePath'))) return 'host volume';
  const docker = get(volume, 'DockerVolumeConfiguration');
  if (docker) {
    const scope = scalarText(get(docker, 'Scope'));
    return scope === 'shared'
      ? 'Docker volume'
      : scope === undefined || scope === 'task'
        ? undefined
        : 'unknown';
  }
  // An EBS volume the service attaches at launch: the service's settings decide what lasts.
  if (get(volume, 'ConfiguredAtLaunch')) return 'unknown';
  return undefined;
}

/** A function's `FileSystemConfigs` (its own, or SAM's `Globals`): EFS access points by their `LocalMountPath`. */
function functionMounts(
  template: Template,
  fn: Resource,
  file: ReadFile,
): Pick<LambdaFunction, 'mounts' | 'mountsKnown'> {
  // SAM adds the entries of `Globals` to the function's own (lists are additive there).
  const pairs = [property(fn, 'FileSystemConfigs')];
  if (fn.type === 'AWS::Serverless::Function')
    pairs.push(getPair(getPath(template.globals, 'Function'), 'FileSystemConfigs'));
  const mounts: Mount[] = [];
  let known = true;
  for (const pair of pairs) {
    if (!pair) continue;
    if (!asSeq(pair.value)) known = false;
    for (const item of asSeq(pair.value)?.items ?? []) {
      const pathPair = getPair(item, 'LocalMountPath');
      const path = scalarText(pathPair?.value);
      if (!pathPair || !path?.startsWith('/')) {
        known = false;
        continue;
      }
      const accessPoint = [...referencedNames(get(item, 'Arn'))].find(
        (id) => template.resourceById.get(id)?.type === 'AWS::EFS::AccessPoint',
      );
      mounts.push({
        path: withoutTrailingSeparators(path),
        what: accessPoint ? `EFS access point ${accessPoint}` : 'EFS file system',
        at: file.place(pathPair.value.span),
      });
    }
  }
  return { mounts, mountsKnown: known };
}

function functionEnvironment(template: Template, fn: Resource, file: ReadFile): TemplateVariable[] {
  const variables: TemplateVariable[] = [];
  const maps = [asMap(get(property(fn, 'Environment')?.value, 'Variables'))];
  if (fn.type === 'AWS::Serverless::Function')
    maps.push(asMap(getPath(template.globals, 'Function', 'Environment', 'Variables')));
  for (const map of maps)
    for (const pair of map?.pairs ?? []) {
      variables.push({
        name: String(pair.key.value),
        mentions: referencedNames(pair.value),
        url: stringsIn(pair.value).some((s) => s.includes('://')),
        at: file.place(pair.key.span),
      });
    }
  return variables;
}

const backingTypes: Record<string, BackingKind> = {
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::Serverless::SimpleTable': 'dynamodb',
  'AWS::RDS::DBInstance': 'rds',
  'AWS::RDS::DBCluster': 'rds',
  'AWS::SQS::Queue': 'sqs',
  'AWS::S3::Bucket': 's3',
  'AWS::EFS::FileSystem': 'efs',
};

const backingWords: Partial<Record<BackingKind, string>> = {
  dynamodb: 'DynamoDB table',
  rds: 'RDS database',
  sqs: 'SQS queue',
  s3: 'S3 bucket',
  efs: 'EFS file system',
};

function backingOf(template: Template, file: ReadFile): TemplateBacking[] {
  const backing: TemplateBacking[] = [];
  for (const resource of template.resources) {
    if (!resource.type) continue;
    const kind = backingTypes[resource.type];
    if (kind) {
      backing.push({
        kind,
        resource,
        name: `${backingWords[kind]} ${resource.logicalId}`,
        at: idPlace(file, resource),
        ...withVisibility(kind === 'sqs' ? queueVisibility(template, file, resource) : undefined),
      });
      continue;
    }
    const cache = cacheOf(template, resource);
    if (cache)
      backing.push({
        ...cache,
        resource,
        at: idPlace(file, resource),
      });
  }
  return backing;
}

/** ElastiCache (and MemoryDB) resources: which engine, and the endpoint a client connects to. */
function cacheOf(
  template: Template,
  resource: Resource,
): Pick<TemplateBacking, 'kind' | 'name' | 'endpoint'> | undefined {
  const engine = (scalarText(property(resource, 'Engine')?.value) ?? 'redis').toLowerCase();
  const id = resource.logicalId;
  const redis = engine === 'redis' || engine === 'valkey';
  const engineWord = engine === 'valkey' ? 'Valkey' : redis ? 'Redis' : 'Memcached';
  const tlsPair = property(resource, 'TransitEncryptionEnabled');
  const tls = asBoolean(scalarText(tlsPair?.value)) === true;
  switch (resource.type) {
    case 'AWS::ElastiCache::CacheCluster':
      return {
        kind: redis ? 'redis' : 'memcached',
        name: `ElastiCache ${engineWord} ${id}`,
        endpoint: redis
          ? { address: `${id}.RedisEndpoint.Address`, port: `${id}.RedisEndpoint.Port`, tls }
          : undefined,
      };
    case 'AWS::ElastiCache::ReplicationGroup': {
      // Cluster mode spreads keys over shards: a plain client on the primary endpoint does not fit.
      const shards = largest(template, property(resource, 'NumNodeGroups')?.value) ?? 1;
      const clusterMode = scalarText(property(resource, 'ClusterMode')?.value)?.toLowerCase() === 'enabled';
      return {
        kind: 'redis',
        name: `ElastiCache ${engine === 'valkey' ? 'Valkey' : 'Redis'} ${id}`,
        endpoint:
          shards > 1 || clusterMode
            ? undefined
            : { address: `${id}.PrimaryEndPoint.Address`, port: `${id}.PrimaryEndPoint.Port`, tls },
      };
    }
    case 'AWS::ElastiCache::ServerlessCache':
      return {
        kind: redis ? 'redis' : 'memcached',
        name: `ElastiCache Serverless ${engineWord} ${id}`,
        endpoint: redis
          ? { address: `${id}.Endpoint.Address`, port: `${id}.Endpoint.Port`, tls: true }
          : undefined,
      };
    case 'AWS::MemoryDB::Cluster':
      return { kind: 'redis', name: `MemoryDB ${id}` };
    default:
      return undefined;
  }
}

/** The value that gives a runtime the cache's endpoint, in the form the code reads. */
function endpointValue(endpoint: NonNullable<TemplateBacking['endpoint']>, form: 'url' | 'host'): PlainValue {
  if (form === 'host') return { 'Fn::GetAtt': endpoint.address };
  return { 'Fn::Sub': `${endpoint.tls ? 'rediss' : 'redis'}://\${${endpoint.address}}:\${${endpoint.port}}` };
}

/** The edit that gives an ECS container a variable holding the cache's endpoint. */
export function containerVariableEdit(
  file: ReadFile,
  container: EcsContainer,
  variable: string,
  endpoint: NonNullable<TemplateBacking['endpoint']>,
  form: 'url' | 'host',
): TextEdit {
  const entry = { Name: variable, Value: endpointValue(endpoint, form) };
  const environment = asSeq(get(container.definition, 'Environment'));
  return environment
    ? appendItem(file.target, environment, entry)
    : insertPair(file.target, container.definition, 'Environment', [entry]);
}

/** The edit that gives a Lambda function a variable holding the cache's endpoint. */
export function functionVariableEdit(
  file: ReadFile,
  fn: LambdaFunction,
  variable: string,
  endpoint: NonNullable<TemplateBacking['endpoint']>,
  form: 'url' | 'host',
): TextEdit {
  return setPath(
    file.target,
    fn.fn.node,
    ['Properties', 'Environment', 'Variables', variable],
    endpointValue(endpoint, form),
  );
}

const withStopTimeout = (stopTimeout: StopTimeout | undefined) => (stopTimeout ? { stopTimeout } : {});
const withVisibility = (visibility: QueueVisibility | undefined) => (visibility ? { visibility } : {});

const editsOf = (file: ReadFile, edit: TextEdit): FileEdits => ({
  path: file.path,
  text: file.text,
  edits: [edit],
});

/** A plain number written in place (not a reference, a parameter or a condition). */
const literalNumber = (node: DataNode | undefined): boolean =>
  node?.type === 'scalar' && asNumber(scalarText(node)) !== undefined;

/**
 * Whether an ECS service runs on Fargate: its launch type, its capacity providers, or a task
 * definition that only Fargate can run.
 */
function onFargate(service: Resource, taskDefinition: Resource): boolean {
  const launchType = scalarText(property(service, 'LaunchType')?.value);
  if (launchType) return launchType === 'FARGATE';
  const providers = asSeq(property(service, 'CapacityProviderStrategy')?.value)?.items ?? [];
  if (providers.length > 0)
    return providers.every((item) =>
      /^FARGATE(_SPOT)?$/.test(scalarText(get(item, 'CapacityProvider')) ?? ''),
    );
  const compatibilities = (
    asSeq(property(taskDefinition, 'RequiresCompatibilities')?.value)?.items ?? []
  ).map((item) => scalarText(item));
  return compatibilities.length > 0 && compatibilities.every((c) => c === 'FARGATE');
}

/** The longest a container's `StopTimeout` can be, and where it is written; ECS waits 30 s when it is not. */
function containerStopTimeout(
  template: Template,
  file: ReadFile,
  service: Resource,
  taskDefinition: Resource,
  definition: MapNode,
): StopTimeout | undefined {
  const fargate = onFargate(service, taskDefinition);
  const most = fargate ? 120 : undefined;
  const pair = getPair(definition, 'StopTimeout');
  if (pair) {
    const seconds = largest(template, pair.value);
    if (seconds === undefined) return undefined;
    const literal = literalNumber(pair.value);
    return {
      seconds,
      words: literal ? `StopTimeout: ${seconds}` : `a StopTimeout of up to ${seconds} s`,
      written: true,
      ...(most ? { most } : {}),
      at: file.place(pair.value.span),
      raise: literal ? (n) => editsOf(file, replaceValue(file.target, pair.value, n)) : undefined,
    };
  }
  // On EC2 the agent's ECS_CONTAINER_STOP_TIMEOUT sets the default: written in the user data, it is not known here.
  if (!fargate && file.text.includes('ECS_CONTAINER_STOP_TIMEOUT')) return undefined;
  const name = getPair(definition, 'Name');
  return {
    seconds: 30,
    words: fargate ? 'no StopTimeout: the Fargate default' : 'no StopTimeout: the ECS default',
    written: false,
    ...(most ? { most } : {}),
    at: name ? file.place(name.value.span) : idPlace(file, taskDefinition),
    raise: (n) => editsOf(file, insertPair(file.target, definition, 'StopTimeout', n)),
  };
}

/** SQS hides a received message for 30 seconds unless the queue says otherwise. */
const defaultVisibility = 30;

/** The longest a queue's `VisibilityTimeout` can be, and where it is written. */
function queueVisibility(template: Template, file: ReadFile, queue: Resource): QueueVisibility | undefined {
  const pair = property(queue, 'VisibilityTimeout');
  if (pair) {
    const seconds = largest(template, pair.value);
    if (seconds === undefined) return undefined;
    const literal = literalNumber(pair.value);
    return {
      seconds,
      words: literal ? `VisibilityTimeout: ${seconds}` : `a VisibilityTimeout of up to ${seconds} s`,
      written: true,
      at: file.place(pair.value.span),
      raise: literal ? (n) => editsOf(file, replaceValue(file.target, pair.value, n)) : undefined,
    };
  }
  return {
    seconds: defaultVisibility,
    words: 'no VisibilityTimeout: the SQS default',
    written: false,
    at: idPlace(file, queue),
    raise: (n) => editsOf(file, setPath(file.target, queue.node, ['Properties', 'VisibilityTimeout'], n)),
  };
}
