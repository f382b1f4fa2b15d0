import { extname } from 'node:path';
import { nameWords } from '../names';
import type { Finding } from '../analyze';
import type { Template } from '../parse/cloudformation';
import type { SettledFix } from '../rule';
import type { Span } from '../text';
import type { CloudAssembly, StackArtifact } from './assembly';
import { findProp, propName, sourceFix } from './fixes';
import { userFrame } from './frames';
import { l2Of, propOf, type L2, type L2Prop } from './props';
import type { ConstructCall, PropEntry, SourceFile } from './source';

/** A finding of a stack's template, with what the mapping needs to know about where it points. */
export interface TemplateFinding {
  finding: Finding;
  stack: StackArtifact;
  /** The top-level property (or resource attribute) of the resource the finding points into. */
  cfnProperty?: string;
  /** The CloudFormation type of the finding's resource. */
  cfnType?: string;
}

/** Where a finding of a template is shown in the CDK source, or why it stays on the template. */
export type Placement =
  | {
      kind: 'prop' | 'construct' | 'line';
      file: SourceFile;
      span: Span;
      /** The construct path of the construct the source creates (`Shop/OrdersDb`). */
      constructPath: string;
      /** How the line was found. */
      via: 'creation stack' | 'construct id';
      call?: ConstructCall;
      l2?: L2;
      /** The prop the finding is about, written (`entry`) or not. */
      prop?: L2Prop;
      entry?: PropEntry;
      /** The resource's path below the construct, when it is not the construct's own resource. */
      inner?: string;
    }
  | { kind: 'template'; reason: string };

/** What every finding of one app is mapped with. */
export interface MappingContext {
  appFolder: string;
  assembly: CloudAssembly;
  sources: Map<string, SourceFile>;
  /** Whether a file exists (through the bounded workspace view): for recorded paths. */
  exists(path: string): boolean;
  callsById: Map<string, { file: SourceFile; call: ConstructCall }[]>;
}

export function mappingContext(
  appFolder: string,
  assembly: CloudAssembly,
  sources: readonly SourceFile[],
  exists: (path: string) => boolean,
): MappingContext {
  const callsById = new Map<string, { file: SourceFile; call: ConstructCall }[]>();
  for (const file of sources)
    for (const call of file.calls) {
      let list = callsById.get(call.id);
      if (!list) callsById.set(call.id, (list = []));
      list.push({ file, call });
    }
  return { appFolder, assembly, sources: new Map(sources.map((s) => [s.path, s])), exists, callsById };
}

/** The top-level property or attribute of `logicalId` whose value holds `span`, for the L2 table. */
export function cfnPropertyAt(template: Template, logicalId: string, span: Span): string | undefined {
  const resource = template.resourceById.get(logicalId);
  if (!resource) return undefined;
  const inside = (s: Span) => s.start <= span.start && span.end <= s.end;
  for (const pair of resource.node.pairs) {
    if (!inside(pair.span) || typeof pair.key.value !== 'string') continue;
    if (pair.key.value !== 'Properties') return pair.key.value;
    for (const property of resource.properties?.pairs ?? [])
      if (inside(property.span) && typeof property.key.value === 'string') return property.key.value;
  }
  return undefined;
}

/** Constructs the app's own code creates children in: everything else is a library's inside. */
const userScopes = new Set([
  'constructs.Construct',
  'aws-cdk-lib.App',
  'aws-cdk-lib.Stage',
  'aws-cdk-lib.Stack',
  'aws-cdk-lib.NestedStack',
]);

/** The default child of an L2: the resource the L2 is. */
const defaultChildren = new Set(['Resource', 'Default']);

function lastName(fqn: string | undefined): string | undefined {
  return fqn?.slice(fqn.lastIndexOf('.') + 1);
}

/**
 * The construct paths the app's code may have created, deepest first: the resource's path cut
 * where a library construct (an L2 from aws-cdk-lib, whose children the library makes) begins.
 */
function candidatePaths(context: MappingContext, stack: StackArtifact, path: string): string[] {
  const below = path.slice(stack.path.length + 1).split('/');
  const paths: string[] = [];
  let scope = stack.path;
  for (const segment of below) {
    const parent = context.assembly.tree.get(scope);
    if (paths.length > 0 && parent?.fqn && !userScopes.has(parent.fqn)) break;
    scope = `${scope}/${segment}`;
    paths.push(scope);
  }
  return paths.reverse();
}

/** Among calls with the same id, the one most likely to have made this construct. */
function bestCall(
  context: MappingContext,
  path: string,
  candidates: { file: SourceFile; call: ConstructCall }[],
): { file: SourceFile; call: ConstructCall } | undefined {
  if (candidates.length <= 1) return candidates[0];
  const info = context.assembly.tree.get(path);
  const className = lastName(info?.fqn);
  const parentPath = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const prefix = parentPath ? `${parentPath}/` : '';
  // Siblings are usually created in the same file, next to each other.
  const siblings = new Set<string>();
  for (const other of context.assembly.tree.values())
    if (other.path.startsWith(prefix) && other.path !== '' && !other.path.slice(prefix.length).includes('/'))
      siblings.add(other.id);
  // A construct of the app itself is created outside any class (`new ShopStack(app, 'Shop')`),
  // any other inside its scope's class (`this`, `self`).
  const topLevel = parentPath === '';
  const score = ({ file, call }: { file: SourceFile; call: ConstructCall }) =>
    (className && call.className === className ? 1000 : 0) +
    ((call.scope === 'this' || call.scope === 'self') !== topLevel ? 100 : 0) +
    file.calls.filter((c) => c !== call && siblings.has(c.id)).length;
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

/** The call at a frame's position in a file, preferring one with an id of the construct's path. */
function callAt(file: SourceFile, line: number, column: number, ids: string[]): ConstructCall | undefined {
  const offset = file.lines.offsetAt({ line: line - 1, character: column - 1 });
  const onLine = file.calls.filter((c) => {
    const first = file.lines.lineOf(c.span.start);
    return first === line - 1 || (c.span.start <= offset && offset < c.span.end && ids.includes(c.id));
  });
  return onLine.find((c) => ids.includes(c.id)) ?? onLine.find((c) => c.span.start <= offset) ?? onLine[0];
}

/** Where a template finding is shown in the source, or why it cannot be. */
export function placeFinding(context: MappingContext, found: TemplateFinding): Placement {
  const { stack, finding } = found;
  const logicalId = finding.resource;
  const origin = logicalId
    ? stack.resources.get(logicalId)
    : { path: stack.path, creationStack: stack.creationStack };
  if (!origin)
    return {
      kind: 'template',
      reason: `the cloud assembly does not say which construct made ${logicalId} (its metadata and tree.json have no entry for it)`,
    };
  const paths = logicalId ? candidatePaths(context, stack, origin.path) : [stack.path];
  const ids = paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
  const place = (
    file: SourceFile,
    call: ConstructCall | undefined,
    constructPath: string,
    via: 'creation stack' | 'construct id',
  ): Placement => {
    const inner = origin.path === constructPath ? undefined : origin.path.slice(constructPath.length + 1);
    // The L1 an L2 wraps: `Resource`, or a child named otherwise of the matching Cfn class
    // (`AutoScalingGroup` makes `ASG`, a `CfnAutoScalingGroup`).
    const own =
      inner === undefined ||
      defaultChildren.has(inner) ||
      (!inner.includes('/') &&
        !!call &&
        lastName(context.assembly.tree.get(origin.path)?.fqn) === `Cfn${call.className}`);
    const info = context.assembly.tree.get(constructPath);
    const l2 = call && own ? l2Of(info?.fqn, call.className, found.cfnType) : undefined;
    const prop = l2 ? propOf(l2, finding.ruleId, found.cfnProperty) : undefined;
    // An L1 (`new dynamodb.CfnGlobalTable(…)`) takes the CloudFormation properties, camelCased.
    const l1Property =
      !l2 && call && own && /^Cfn[A-Z]/.test(call.className) && found.cfnProperty
        ? nameWords(found.cfnProperty)
            .map((w, i) => (i === 0 ? w : `${w[0].toUpperCase()}${w.slice(1)}`))
            .join('')
        : undefined;
    const entry =
      call && prop
        ? findProp(file, call, prop.names)
        : call && l1Property
          ? findProp(file, call, [l1Property])
          : undefined;
    return {
      kind: entry ? 'prop' : call ? 'construct' : 'line',
      file,
      span: entry?.span ?? call?.head ?? { start: 0, end: 0 },
      constructPath,
      via,
      call,
      l2,
      prop,
      entry,
      inner: own ? undefined : inner,
    };
  };

  /** The line of a creation stack's frame, when no call on it is the construct's. */
  let frameLine: Placement | undefined;
  if (origin.creationStack) {
    const frame = userFrame(origin.creationStack, context.appFolder, context.exists);
    if (frame) {
      // Compiled JavaScript beside its TypeScript: the user edits the TypeScript.
      const typescript = extname(frame.file) === '.js' ? frame.file.replace(/\.js$/, '.ts') : undefined;
      const twin = typescript ? context.sources.get(typescript) : undefined;
      const file = twin ?? context.sources.get(frame.file);
      if (file) {
        const call = twin ? undefined : callAt(file, frame.line, frame.column, ids);
        const byId = twin ? file.calls.find((c) => ids.includes(c.id)) : undefined;
        // A call of another construct on the frame's line did not create this one: an L1 a
        // library makes lazily (a ParameterGroup's, when the database binds it) is recorded
        // where the construct that binds it was created. The call with its id says more.
        const chosen = [call, byId].find((c) => c && ids.includes(c.id));
        if (chosen) return place(file, chosen, paths[ids.indexOf(chosen.id)], 'creation stack');
        const line = Math.min(frame.line - 1, file.lines.lineCount - 1);
        const start = file.lines.lineStart(line) + file.lines.indentAt(file.lines.lineStart(line)).length;
        const placement = place(file, undefined, paths[0], 'creation stack');
        frameLine = {
          ...placement,
          span: { start, end: Math.max(start, file.lines.lineEnd(line)) },
        } as Placement;
        // No construct call on the line (`lb.addListener('Listener', …)`): the line is the place.
        if (!call && !byId) return frameLine;
      }
    }
  }
  for (const path of paths) {
    const id = path.slice(path.lastIndexOf('/') + 1);
    const found = bestCall(context, path, context.callsById.get(id) ?? []);
    if (found) return place(found.file, found.call, path, 'construct id');
  }
  if (frameLine) return frameLine;
  const trace = origin.creationStack
    ? 'its creation stack leads to no file of the app'
    : 'the app was synthesized without creation stacks (`cdk synth --debug` records them)';
  return {
    kind: 'template',
    reason: `no call creating ${ids.map((i) => `'${i}'`).join(', ')} with a literal id was found in the app's sources, and ${trace}`,
  };
}

/** A prop as written, when it is short enough to quote in a message. */
function quoted(file: SourceFile, entry: PropEntry): string {
  const written = file.text.slice(entry.span.start, entry.span.end).replace(/\s+/g, ' ');
  return written.length <= 60 ? written : entry.name;
}

/** The finding's message in CDK terms: the construct and its prop first, the template's words after. */
export function cdkMessage(placement: Placement, message: string): string {
  if (placement.kind === 'template') return `${message} (Not shown in the CDK source: ${placement.reason}.)`;
  const { call, entry, prop, file, inner, constructPath } = placement;
  if (!call) return `${constructPath}: ${message}`;
  const construct = `${call.callee} '${call.id}'`;
  if (entry) return `\`${quoted(file, entry)}\` on ${construct}: ${message}`;
  if (prop) return `${construct} does not set \`${propName(file, prop.names[0])}\`: ${message}`;
  if (inner) return `${construct} (its ${inner}): ${message}`;
  return `${construct}: ${message}`;
}

/** The fix of a placed finding, as edits of the source file; undefined where none is safe. */
export function placementFix(
  context: MappingContext,
  placement: Placement,
  finding: Finding,
): (() => SettledFix | undefined) | undefined {
  if (placement.kind === 'template' || !placement.call || !placement.prop?.fix) return undefined;
  const { file, call, prop } = placement;
  const fix = sourceFix({
    file,
    call,
    prop,
    libraryVersion: context.assembly.libraryVersion,
    ruleKind: finding.rule.fix,
  });
  return fix ? () => fix : undefined;
}
