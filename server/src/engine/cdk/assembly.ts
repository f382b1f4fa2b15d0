import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { WorkspaceView } from '../workspace';

/** What the cloud assembly says about one CloudFormation resource of a stack. */
export interface ResourceOrigin {
  /** The construct path of the resource's L1, without the leading slash (`Shop/OrdersDb/Resource`). */
  path: string;
  /** `aws:cdk:creationStack`, when the app was synthesized with stack traces. */
  creationStack?: string[];
}

/** One stack artifact of the assembly or of one of its nested assemblies (stages). */
export interface StackArtifact {
  /** The artifact id (`Shop`, `ProdShop82526E42`). */
  id: string;
  /** The stack's construct path (`Shop`, `Prod/Shop`). */
  path: string;
  /** Absolute path of the synthesized template. */
  templatePath: string;
  /** By logical id. */
  resources: Map<string, ResourceOrigin>;
  /** Where the stack itself was created, when recorded. */
  creationStack?: string[];
  /** For a nested stack (`NestedStack`): the construct path of the stack whose template deploys it. */
  parent?: string;
}

/** One construct of tree.json. */
export interface ConstructInfo {
  path: string;
  id: string;
  /** The jsii type it is, or the nearest library type it extends (`aws-cdk-lib.aws_rds.DatabaseInstance`). */
  fqn?: string;
  version?: string;
  /** For an L1: the resource's logical id. */
  logicalId?: string;
  /** The CloudFormation type of an L1. */
  cfnType?: string;
}

export interface CloudAssembly {
  /** Absolute path of the cdk.out folder. */
  outDir: string;
  stacks: StackArtifact[];
  /** tree.json by construct path; empty when the assembly has none or it cannot be read. */
  tree: Map<string, ConstructInfo>;
  /** The aws-cdk-lib version the app was synthesized with, from tree.json. */
  libraryVersion?: string;
  /** What could not be read, for the user (`tree.json is not valid JSON`). */
  problems: string[];
}

interface MetadataEntry {
  type?: unknown;
  data?: unknown;
}

/** Nested assemblies (stages inside stages) deeper than this are not read. */
const maxDepth = 8;

/**
 * The stacks of a cloud assembly as CDK wrote it: `manifest.json`, the metadata it holds or the
 * `*.metadata.json` files it names, `tree.json`, and the nested assemblies of stages. Only
 * reads, through `view`; nothing here runs the app.
 */
export function readAssembly(view: WorkspaceView, outDir: string): CloudAssembly {
  const assembly: CloudAssembly = { outDir, stacks: [], tree: new Map(), problems: [] };
  const origins = new Map<StackArtifact, Origin[]>();
  readManifest(view, outDir, assembly, 0, new Set(), origins);
  const treeFile = assembly.tree.size === 0 ? join(outDir, 'tree.json') : undefined;
  if (treeFile && view.exists(treeFile)) readTree(view, treeFile, assembly);
  addNestedStacks(view, assembly, origins);
  fillFromTree(assembly);
  return assembly;
}

function readJson(view: WorkspaceView, path: string, assembly: CloudAssembly): unknown {
  const text = view.read(path);
  if (text === undefined) {
    assembly.problems.push(`${path} cannot be read (missing, outside the project, or larger than 1 MB).`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    assembly.problems.push(`${path} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readManifest(
  view: WorkspaceView,
  folder: string,
  assembly: CloudAssembly,
  depth: number,
  seen: Set<string>,
  origins: Map<StackArtifact, Origin[]>,
): void {
  if (depth > maxDepth || seen.has(folder)) return;
  seen.add(folder);
  const manifest = readJson(view, join(folder, 'manifest.json'), assembly);
  if (!isRecord(manifest)) return;
  const artifacts = isRecord(manifest.artifacts) ? manifest.artifacts : {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact)) continue;
    const properties = isRecord(artifact.properties) ? artifact.properties : {};
    if (artifact.type === 'cdk:cloud-assembly' && typeof properties.directoryName === 'string') {
      readManifest(view, join(folder, properties.directoryName), assembly, depth + 1, seen, origins);
    } else if (artifact.type === 'cdk:tree' && typeof properties.file === 'string') {
      readTree(view, join(folder, properties.file), assembly);
    } else if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const metadata: Record<string, unknown> = isRecord(artifact.metadata) ? { ...artifact.metadata } : {};
      if (typeof artifact.additionalMetadataFile === 'string') {
        const more = readJson(view, join(folder, artifact.additionalMetadataFile), assembly);
        if (isRecord(more)) Object.assign(metadata, more);
      }
      const { stack, entries } = stackOf(id, artifact, join(folder, properties.templateFile), metadata);
      assembly.stacks.push(stack);
      origins.set(stack, entries);
    }
  }
}

/** A logical id of a stack's metadata and where it comes from (nested stacks' resources included). */
interface Origin extends ResourceOrigin {
  logicalId: string;
}

function stackOf(
  id: string,
  artifact: Record<string, unknown>,
  templatePath: string,
  metadata: Record<string, unknown>,
): { stack: StackArtifact; entries: Origin[] } {
  const path = typeof artifact.displayName === 'string' ? artifact.displayName : id;
  const stack: StackArtifact = { id, path, templatePath, resources: new Map() };
  const origins: Origin[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (!Array.isArray(value)) continue;
    const constructPath = key.replace(/^\//, '');
    const entries = value as MetadataEntry[];
    const creation = entries.find((e) => e?.type === 'aws:cdk:creationStack');
    const creationStack =
      Array.isArray(creation?.data) && creation.data.every((f) => typeof f === 'string')
        ? (creation.data as string[])
        : undefined;
    for (const entry of entries) {
      if (entry?.type === 'aws:cdk:logicalId' && typeof entry.data === 'string') {
        origins.push({ logicalId: entry.data, path: constructPath, creationStack });
      }
    }
    if (constructPath === path && creationStack) stack.creationStack = creationStack;
  }
  for (const { logicalId, ...origin } of origins) stack.resources.set(logicalId, origin);
  return { stack, entries: origins };
}

/**
 * `Names.uniqueId` of a construct path, which names a nested stack's template
 * (`<uniqueId>.nested.template.json`): the path's ids without non-alphanumerics, then the first
 * 8 hex digits of the MD5 of the path.
 */
function uniqueIdParts(path: string): { human: string; hash: string } {
  const components = path.split('/').filter((c) => c && c !== 'Default');
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const words: string[] = [];
  for (const c of components.map((c) => c.replace(/[^A-Za-z0-9]/g, '')))
    if (words[words.length - 1] !== c) words.push(c);
  return { human: words.join(''), hash };
}

/**
 * The nested stacks (`NestedStack`): their templates are assets of the stack that deploys them,
 * beside its template, and their resources' metadata is in that stack's. Each becomes a stack of
 * its own, holding the logical ids of the resources below its path (the deepest nested stack's).
 */
function addNestedStacks(
  view: WorkspaceView,
  assembly: CloudAssembly,
  origins: Map<StackArtifact, Origin[]>,
): void {
  const nested = [...assembly.tree.values()]
    .filter((info) => info.fqn === 'aws-cdk-lib.NestedStack')
    .map((info) => info.path);
  if (nested.length === 0) return;
  const top = [...assembly.stacks];
  for (const path of nested.sort((a, b) => a.length - b.length)) {
    const owner = top
      .filter((s) => path.startsWith(`${s.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!owner) continue;
    const folder = dirname(owner.templatePath);
    const { human, hash } = uniqueIdParts(path);
    let templatePath = join(folder, `${human}${hash}.nested.template.json`);
    if (!view.exists(templatePath)) {
      const found = view.list?.(folder)?.find((name) => name.endsWith(`${hash}.nested.template.json`));
      if (!found) continue;
      templatePath = join(folder, found);
    }
    // The deploying stack: the deepest stack (top-level or nested) the nested one is inside.
    const parent = assembly.stacks
      .filter((s) => path.startsWith(`${s.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    const stack: StackArtifact = {
      id: basename(templatePath).replace(/\.nested\.template\.json$/, ''),
      path,
      templatePath,
      resources: new Map(),
      parent: parent.path,
    };
    assembly.stacks.push(stack);
  }
  // Each resource of a top-level stack's metadata belongs to the deepest stack whose path holds it.
  for (const owner of top) {
    const entries = origins.get(owner) ?? [];
    const within = assembly.stacks.filter((s) => s.parent && s.path.startsWith(`${owner.path}/`));
    if (within.length === 0) continue;
    owner.resources.clear();
    for (const { logicalId, ...origin } of entries) {
      const holder =
        within
          .filter((s) => origin.path.startsWith(`${s.path}/`))
          .sort((a, b) => b.path.length - a.path.length)[0] ?? owner;
      holder.resources.set(logicalId, origin);
    }
  }
}

function readTree(view: WorkspaceView, file: string, assembly: CloudAssembly): void {
  const tree = readJson(view, file, assembly);
  if (!isRecord(tree) || !isRecord(tree.tree)) return;
  const visit = (node: Record<string, unknown>, depth: number) => {
    if (depth > 200) return;
    const path = typeof node.path === 'string' ? node.path : '';
    const id = typeof node.id === 'string' ? node.id : '';
    const info: ConstructInfo = { path, id };
    const construct = isRecord(node.constructInfo) ? node.constructInfo : undefined;
    if (typeof construct?.fqn === 'string') info.fqn = construct.fqn;
    if (typeof construct?.version === 'string') info.version = construct.version;
    const attributes = isRecord(node.attributes) ? node.attributes : undefined;
    if (typeof attributes?.['aws:cdk:cloudformation:logicalId'] === 'string')
      info.logicalId = attributes['aws:cdk:cloudformation:logicalId'];
    if (typeof attributes?.['aws:cdk:cloudformation:type'] === 'string')
      info.cfnType = attributes['aws:cdk:cloudformation:type'];
    if (path) assembly.tree.set(path, info);
    if (info.fqn?.startsWith('aws-cdk-lib.') && info.version && !assembly.libraryVersion)
      assembly.libraryVersion = info.version;
    if (isRecord(node.children))
      for (const child of Object.values(node.children)) if (isRecord(child)) visit(child, depth + 1);
  };
  visit(tree.tree, 0);
}

/**
 * A stack whose metadata leaves logical ids out (`aws:cdk:disable-logicalId-metadata`) still has
 * them in the tree.
 */
function fillFromTree(assembly: CloudAssembly): void {
  for (const stack of assembly.stacks) {
    if (stack.resources.size > 0) continue;
    // Not the resources of a stack nested inside it: they are in the nested stack's template.
    const inner = assembly.stacks.filter((s) => s !== stack && s.path.startsWith(`${stack.path}/`));
    for (const info of assembly.tree.values())
      if (
        info.logicalId &&
        info.path.startsWith(`${stack.path}/`) &&
        !inner.some((s) => info.path.startsWith(`${s.path}/`))
      )
        stack.resources.set(info.logicalId, { path: info.path });
  }
}
