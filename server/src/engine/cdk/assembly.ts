import { join } from 'node:path';
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
  readManifest(view, outDir, assembly, 0, new Set());
  const treeFile = assembly.tree.size === 0 ? join(outDir, 'tree.json') : undefined;
  if (treeFile && view.exists(treeFile)) readTree(view, treeFile, assembly);
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
      readManifest(view, join(folder, properties.directoryName), assembly, depth + 1, seen);
    } else if (artifact.type === 'cdk:tree' && typeof properties.file === 'string') {
      readTree(view, join(folder, properties.file), assembly);
    } else if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const metadata: Record<string, unknown> = isRecord(artifact.metadata) ? { ...artifact.metadata } : {};
      if (typeof artifact.additionalMetadataFile === 'string') {
        const more = readJson(view, join(folder, artifact.additionalMetadataFile), assembly);
        if (isRecord(more)) Object.assign(metadata, more);
      }
      assembly.stacks.push(stackOf(id, artifact, join(folder, properties.templateFile), metadata));
    }
  }
}

function stackOf(
  id: string,
  artifact: Record<string, unknown>,
  templatePath: string,
  metadata: Record<string, unknown>,
): StackArtifact {
  const path = typeof artifact.displayName === 'string' ? artifact.displayName : id;
  const stack: StackArtifact = { id, path, templatePath, resources: new Map() };
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
        stack.resources.set(entry.data, { path: constructPath, creationStack });
      }
    }
    if (constructPath === path && creationStack) stack.creationStack = creationStack;
  }
  return stack;
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
    for (const info of assembly.tree.values())
      if (info.logicalId && info.path.startsWith(`${stack.path}/`))
        stack.resources.set(info.logicalId, { path: info.path });
  }
}
