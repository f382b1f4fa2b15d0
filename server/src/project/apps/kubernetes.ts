import { dirname } from 'node:path';
import type { BackingKind, Copies, Mount, Place } from '../../engine/applications';
import {
  asMap,
  asSeq,
  get,
  getPair,
  getPath,
  scalarBoolean,
  scalarText,
  type DataNode,
  type MapNode,
  type Pair,
} from '../../engine/parse/tree';
import { parseYaml } from '../../engine/parse/yaml';
import { ReadFile, repositoryName, withoutTrailingSeparators } from './files';

/**
 * Kubernetes manifests as the application model reads them: the Deployments, StatefulSets and
 * DaemonSets of a file (every `---` document), their containers, and the Services and
 * HorizontalPodAutoscalers that decide how many pods serve requests. Plain manifests only: Helm
 * charts (templates with `{{ }}`) and kustomize overlays are not read; a kustomize base's own
 * files are, as plain manifests.
 */
export interface KubernetesFacts {
  file: ReadFile;
  workloads: KubernetesWorkload[];
  services: KubernetesService[];
  autoscalers: KubernetesAutoscaler[];
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface KubernetesWorkload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** The pod template's labels, which Services select. */
  labels: Map<string, string>;
  /** `spec.replicas` when it is a literal count; undefined when it is left out. */
  replicas?: { count: number; at: Place };
  /** `spec.replicas` is written but is not a literal count. */
  replicasUnknown: boolean;
  /** A Deployment's rollout stops the old pod before it starts the new one (`Recreate`, `maxSurge: 0`). */
  noSurge: boolean;
  containers: KubernetesContainer[];
  /** Where `kind:` says what it is. */
  kindAt: Place;
  /** Its `metadata.name`. */
  at: Place;
}

export interface KubernetesContainer {
  name: string;
  /** The image's repository (`ghcr.io/shop/cart-api:1.2` → `cart-api`). */
  repository?: string;
  environment: { name: string; at: Place }[];
  /** False with `envFrom` (a ConfigMap or Secret whose keys the manifest does not show). */
  environmentKnown: boolean;
  environmentAt: Place;
  mounts: Mount[];
  mountsKnown: boolean;
  at: Place;
}

export interface KubernetesService {
  name: string;
  namespace: string;
  selector: Map<string, string>;
  at: Place;
}

export interface KubernetesAutoscaler {
  name: string;
  namespace: string;
  target: { kind: string; name: string };
  maxReplicas?: { count: number; at: Place };
}

/** Whether a YAML text is a plain Kubernetes manifest of a kind the model reads (not a Helm template). */
export function looksLikeKubernetes(text: string): boolean {
  return (
    /^apiVersion[ \t]*:/m.test(text) &&
    /^kind[ \t]*:[ \t]*["']?(Deployment|StatefulSet|DaemonSet|Service|HorizontalPodAutoscaler)["']?[ \t]*(#.*)?$/m.test(
      text,
    ) &&
    !text.includes('{{')
  );
}

/** The most documents of one manifest file that are read. */
const maxDocuments = 200;

/** The documents of a YAML stream: where each starts and ends, split at `---` and `...` lines. */
export function yamlDocuments(text: string): { start: number; end: number }[] {
  const documents: { start: number; end: number }[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart <= text.length && documents.length < maxDocuments) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const head = text.slice(lineStart, lineStart + 4);
    const marker = /^(---|\.\.\.)([ \t\r\n]|$)/.test(head);
    if (marker) {
      if (lineStart > start) documents.push({ start, end: lineStart });
      // `--- # comment` or `--- !tag`: the document starts after the marker.
      start = text.startsWith('---', lineStart) ? lineStart + 3 : lineEnd;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (start < text.length && documents.length < maxDocuments && /\S/.test(text.slice(start)))
    documents.push({ start, end: text.length });
  return documents;
}

/** Move the spans of a tree parsed from a slice by the slice's offset in the whole text. */
function shift(node: DataNode, by: number, seen: Set<object>): void {
  if (seen.has(node)) return;
  seen.add(node);
  node.span = { start: node.span.start + by, end: node.span.end + by };
  if (node.type === 'map')
    for (const pair of node.pairs) {
      if (!seen.has(pair)) {
        seen.add(pair);
        pair.span = { start: pair.span.start + by, end: pair.span.end + by };
      }
      shift(pair.key, by, seen);
      shift(pair.value, by, seen);
    }
  else if (node.type === 'seq') for (const item of node.items) shift(item, by, seen);
}

/** Parse a manifest file (every document of it); undefined when no document parses. */
export function kubernetesFacts(path: string, text: string): KubernetesFacts | undefined {
  const file = new ReadFile(path, text, 'yaml');
  const facts: KubernetesFacts = { file, workloads: [], services: [], autoscalers: [] };
  let parsed = false;
  for (const { start, end } of yamlDocuments(text)) {
    const slice = text.slice(start, end);
    if (!/^kind[ \t]*:/m.test(slice)) continue;
    const root = asMap(parseYaml(slice).root);
    if (!root) continue;
    parsed = true;
    if (start > 0) shift(root, start, new Set());
    const kind = scalarText(get(root, 'kind'));
    const namePair = getPair(get(root, 'metadata'), 'name');
    const name = scalarText(namePair?.value);
    if (!kind || !name || !namePair) continue;
    const namespace = scalarText(getPath(root, 'metadata', 'namespace')) ?? 'default';
    if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet') {
      const workload = workloadOf(root, kind, name, namespace, namePair, file);
      if (workload) facts.workloads.push(workload);
    } else if (kind === 'Service') {
      const selector = labelsOf(getPath(root, 'spec', 'selector'));
      if (selector.size > 0)
        facts.services.push({ name, namespace, selector, at: file.place(namePair.value.span) });
    } else if (kind === 'HorizontalPodAutoscaler') {
      const target = get(get(root, 'spec'), 'scaleTargetRef');
      const targetKind = scalarText(get(target, 'kind'));
      const targetName = scalarText(get(target, 'name'));
      if (!targetKind || !targetName) continue;
      const maxPair = getPair(get(root, 'spec'), 'maxReplicas');
      const max = count(maxPair?.value);
      facts.autoscalers.push({
        name,
        namespace,
        target: { kind: targetKind, name: targetName },
        ...(max !== undefined && maxPair
          ? { maxReplicas: { count: max, at: file.place(maxPair.value.span) } }
          : {}),
      });
    }
  }
  return parsed ? facts : undefined;
}

/** A literal whole count (`3`, `"3"`), else undefined. */
function count(node: DataNode | undefined): number | undefined {
  const text = scalarText(node);
  return text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

function labelsOf(node: DataNode | undefined): Map<string, string> {
  const labels = new Map<string, string>();
  for (const pair of asMap(node)?.pairs ?? []) {
    const value = scalarText(pair.value);
    if (value !== undefined) labels.set(String(pair.key.value), value);
  }
  return labels;
}

function workloadOf(
  root: MapNode,
  kind: WorkloadKind,
  name: string,
  namespace: string,
  namePair: Pair,
  file: ReadFile,
): KubernetesWorkload | undefined {
  const spec = get(root, 'spec');
  const podSpec = getPath(spec, 'template', 'spec');
  const containers = asSeq(get(podSpec, 'containers'))?.items ?? [];
  if (containers.length === 0) return undefined;
  const replicasPair = kind === 'DaemonSet' ? undefined : getPair(spec, 'replicas');
  const replicas = count(replicasPair?.value);
  const strategy = get(spec, 'strategy');
  const surge = scalarText(getPath(strategy, 'rollingUpdate', 'maxSurge'));
  const claims = new Set<string>();
  for (const claim of asSeq(get(spec, 'volumeClaimTemplates'))?.items ?? []) {
    const claimName = scalarText(getPath(claim, 'metadata', 'name'));
    if (claimName) claims.add(claimName);
  }
  const volumes = new Map<string, DataNode>();
  let volumesKnown = get(podSpec, 'volumes') === undefined || asSeq(get(podSpec, 'volumes')) !== undefined;
  for (const volume of asSeq(get(podSpec, 'volumes'))?.items ?? []) {
    const volumeName = scalarText(get(volume, 'name'));
    if (volumeName) volumes.set(volumeName, volume);
    else volumesKnown = false;
  }
  const kindPair = getPair(root, 'kind')!;
  return {
    kind,
    name,
    namespace,
    labels: labelsOf(getPath(spec, 'template', 'metadata', 'labels')),
    ...(replicas !== undefined && replicasPair
      ? { replicas: { count: replicas, at: file.place(replicasPair.value.span) } }
      : {}),
    replicasUnknown: replicasPair !== undefined && replicas === undefined,
    noSurge:
      kind !== 'Deployment' ||
      scalarText(get(strategy, 'type')) === 'Recreate' ||
      surge === '0' ||
      surge === '0%',
    containers: containers
      .map((item) => containerOf(item, volumes, claims, volumesKnown, file))
      .filter((c): c is KubernetesContainer => !!c),
    kindAt: file.place(kindPair.value.span),
    at: file.place(namePair.value.span),
  };
}

function containerOf(
  item: DataNode,
  volumes: Map<string, DataNode>,
  claims: Set<string>,
  volumesKnown: boolean,
  file: ReadFile,
): KubernetesContainer | undefined {
  const container = asMap(item);
  const namePair = getPair(container, 'name');
  const name = scalarText(namePair?.value);
  if (!container || !name || !namePair) return undefined;
  const image = scalarText(get(container, 'image'));
  const repository = image ? repositoryName(image) : undefined;
  const environment: KubernetesContainer['environment'] = [];
  const envPair = getPair(container, 'env');
  let environmentKnown = get(container, 'envFrom') === undefined;
  if (envPair && !asSeq(envPair.value)) environmentKnown = false;
  for (const entry of asSeq(envPair?.value)?.items ?? []) {
    const entryName = getPair(entry, 'name');
    const variable = scalarText(entryName?.value);
    if (variable && entryName) environment.push({ name: variable, at: file.place(entryName.value.span) });
    else environmentKnown = false;
  }
  const mounts: Mount[] = [];
  let mountsKnown = volumesKnown;
  const mountList = get(container, 'volumeMounts');
  if (mountList && !asSeq(mountList)) mountsKnown = false;
  for (const entry of asSeq(mountList)?.items ?? []) {
    const pathPair = getPair(entry, 'mountPath');
    const path = scalarText(pathPair?.value);
    const volumeName = scalarText(get(entry, 'name'));
    if (!pathPair || !path?.startsWith('/') || !volumeName) {
      mountsKnown = false;
      continue;
    }
    if (scalarBoolean(get(entry, 'readOnly')) === true) continue;
    const volume = volumes.get(volumeName);
    const what = claims.has(volumeName)
      ? `persistent volume claim template ${volumeName}`
      : volume
        ? lastingVolume(volume, volumeName)
        : 'unknown';
    if (what === 'unknown') mountsKnown = false;
    else if (what)
      mounts.push({ path: withoutTrailingSeparators(path), what, at: file.place(pathPair.value.span) });
  }
  return {
    name,
    ...(repository ? { repository } : {}),
    environment,
    environmentKnown,
    environmentAt: file.place((envPair?.key ?? namePair.value).span),
    mounts,
    mountsKnown,
    at: file.place(namePair.value.span),
  };
}

/** Volume sources whose files outlive the pod, in words. */
const lastingSources: Record<string, string> = {
  persistentVolumeClaim: 'persistent volume claim',
  hostPath: 'host path volume',
  nfs: 'NFS volume',
  awsElasticBlockStore: 'EBS volume',
  gcePersistentDisk: 'persistent disk',
  azureDisk: 'Azure disk',
  azureFile: 'Azure file share',
  cephfs: 'CephFS volume',
  glusterfs: 'GlusterFS volume',
  iscsi: 'iSCSI volume',
  cinder: 'Cinder volume',
};

/** The pod's own storage, gone with it (or read-only data it is given). */
const podSources = new Set([
  'emptyDir',
  'configMap',
  'secret',
  'downwardAPI',
  'projected',
  'ephemeral',
  'image',
  'gitRepo',
]);

/** What keeps a pod volume's files after the pod, undefined for its own storage, `unknown` when the manifest cannot say (a CSI driver). */
function lastingVolume(volume: DataNode, name: string): string | undefined {
  for (const pair of asMap(volume)?.pairs ?? []) {
    const key = String(pair.key.value);
    if (key === 'name') continue;
    if (lastingSources[key]) {
      const claim = key === 'persistentVolumeClaim' ? scalarText(get(pair.value, 'claimName')) : undefined;
      return `${lastingSources[key]} ${claim ?? name}`;
    }
    if (podSources.has(key)) return undefined;
    return 'unknown';
  }
  return 'unknown';
}

const backingImages: [RegExp, BackingKind][] = [
  [/^(redis|valkey|keydb|dragonfly|redis-stack|redis-stack-server)$/, 'redis'],
  [/^memcached$/, 'memcached'],
  [/^(postgres|postgis|mysql|mariadb|mongo|mongodb)$/, 'database'],
];

/** A workload that runs a backing service (a Redis, a database) by the image of its first container. */
export function backingKindOf(workload: KubernetesWorkload): BackingKind | undefined {
  if (workload.kind === 'DaemonSet') return undefined;
  const repository = workload.containers[0]?.repository;
  return repository ? backingImages.find(([pattern]) => pattern.test(repository))?.[1] : undefined;
}

/** A workload's container that runs the code, with how many copies of it run and what spreads requests to it. */
export interface KubernetesRun {
  facts: KubernetesFacts;
  workload: KubernetesWorkload;
  container: KubernetesContainer;
  copies: Copies;
  /** A Service that selects its pods. */
  service?: Place;
}

const replicaWords = (n: number) => (n === 1 ? '1 replica' : `${n} replicas`);

/**
 * The containers of the manifests whose image is known by one of the app's names, with their
 * copies: `spec.replicas` (1 when left out), the `maxReplicas` of a HorizontalPodAutoscaler that
 * targets the workload, many for a DaemonSet. A Deployment of one replica behind a Service is
 * counted as two, as ECS counts a single load-balanced task: its default rollout (`maxSurge`
 * 25%, rounded up to one pod) starts the new pod and sends it requests before the old one stops.
 * Services and autoscalers are looked up in every manifest read, in the same namespace.
 */
export function kubernetesRuns(all: KubernetesFacts[], names: ReadonlySet<string>): KubernetesRun[] {
  const runs: KubernetesRun[] = [];
  for (const facts of all)
    for (const workload of facts.workloads)
      for (const container of workload.containers) {
        if (!container.repository || !names.has(container.repository)) continue;
        const service = all
          .flatMap((f) => f.services)
          .find(
            (s) =>
              s.namespace === workload.namespace &&
              [...s.selector].every(([key, value]) => workload.labels.get(key) === value),
          );
        runs.push({
          facts,
          workload,
          container,
          copies: copiesOf(all, workload, service !== undefined),
          ...(service ? { service: service.at } : {}),
        });
      }
  return runs;
}

function copiesOf(all: KubernetesFacts[], workload: KubernetesWorkload, behindService: boolean): Copies {
  if (workload.kind === 'DaemonSet')
    return { most: Infinity, words: 'one pod on every node (DaemonSet)', at: workload.kindAt };
  let most = workload.replicas?.count ?? 1;
  let words = workload.replicasUnknown ? 'its replicas' : replicaWords(most);
  let at = workload.replicas?.at ?? workload.at;
  if (most === 1 && !workload.replicasUnknown && behindService && !workload.noSurge) {
    most = 2;
    words = '1 replica behind a Service, and 2 while each rollout replaces it';
  }
  for (const facts of all)
    for (const hpa of facts.autoscalers) {
      if (hpa.namespace !== workload.namespace || hpa.target.kind !== workload.kind) continue;
      if (hpa.target.name !== workload.name || !hpa.maxReplicas) continue;
      if (hpa.maxReplicas.count > most) {
        most = hpa.maxReplicas.count;
        words = `up to ${replicaWords(most)} (HorizontalPodAutoscaler ${hpa.name})`;
        at = hpa.maxReplicas.at;
      }
    }
  return { most, words, at };
}

/** The workloads of the manifests in the folders of `files` that run a backing service. */
export function kubernetesBacking(
  all: KubernetesFacts[],
  folders: ReadonlySet<string>,
): { kind: BackingKind; name: string; at: Place }[] {
  const found: { kind: BackingKind; name: string; at: Place }[] = [];
  for (const facts of all) {
    if (!folders.has(dirname(facts.file.path))) continue;
    for (const workload of facts.workloads) {
      const kind = backingKindOf(workload);
      if (kind)
        found.push({
          kind,
          name: `Kubernetes ${workload.kind} ${workload.name} (${workload.containers[0].repository})`,
          at: workload.at,
        });
    }
  }
  return found;
}
