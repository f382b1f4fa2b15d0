import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import type { WorkspaceView } from '../workspace';
import { describeScope, requestHandlers, type HandlerScope } from './handlers';
import {
  classFieldValues,
  createsClient,
  guardedBy,
  moduleValues,
  requestDerived,
  writesIn,
  type ModuleValue,
  type StateWrite,
} from './state';
import { parameterNames } from './syntax';

/**
 * Request data that a handler keeps in the memory of its process (a module-level list, a cache
 * filled per request, a counter): what the single-file rule reports, and what the rule that
 * knows how many copies of the app run reports with them.
 */
export interface RequestState {
  /** Where the value is written (the target of the write). */
  span: Span;
  /** The variable: `carts`, `this.sessions`. */
  name: string;
  /** The handler that writes it, in words (`the POST /cart handler`). */
  scope: string;
  /**
   * `collection`: a list, map or object that grows with requests; `cache`: a cache filled with
   * request data; `counter`: a number changed per request; `setFromRequest`: a variable set from
   * request data.
   */
  what: 'collection' | 'cache' | 'counter' | 'setFromRequest';
  /** For a collection: what it is, in words (`a module-level Map`). */
  container?: string;
  /** The handler is a Lambda function's. */
  lambda: boolean;
}

/** What `requestState` found on a parse: two rules ask it on every edit. */
const computed = new WeakMap<
  CodeModel,
  { path: string; workspace: WorkspaceView; states: readonly RequestState[] }
>();

/** The request state of a file's handlers, one per handler and variable, in document order. */
export function requestState(
  model: CodeModel,
  path: string,
  workspace: WorkspaceView,
): readonly RequestState[] {
  const known = computed.get(model);
  if (known && known.path === path && known.workspace === workspace) return known.states;
  const states = findRequestState(model, path, workspace);
  computed.set(model, { path, workspace, states });
  return states;
}

function findRequestState(model: CodeModel, path: string, workspace: WorkspaceView): RequestState[] {
  const index = requestHandlers(model, path, workspace);
  if (index.handlers.length === 0) return [];
  // Every write of the file, found once and given to the handler scope it runs in: walking each
  // scope's body again would be quadratic in nested callbacks.
  const writes = writesIn(model, model.root, moduleValues(model));
  const classBodies = new Map<number, Node>();
  // (`parent` costs a descent from the root in tree-sitter: asked only where it can matter.)
  for (const scope of index.scopes) {
    if (scope.handler.framework !== 'nestjs') continue;
    const body = scope.function.parent;
    if (body?.type === 'class_body') classBodies.set(body.id, body);
  }
  for (const body of classBodies.values()) writes.push(...writesIn(model, body, classFieldValues(body)));
  writes.sort((a, b) => a.node.startIndex - b.node.startIndex);
  const reported = new Set<string>();
  const found: RequestState[] = [];
  for (const write of writes) {
    const scope = index.at(write.node);
    if (!scope) continue;
    // Class fields count only in the methods of their own class.
    if (
      write.value.name.startsWith('this.') &&
      scope.function.parent?.id !== write.value.declaration.parent?.parent?.id
    )
      continue;
    const key = `${scope.handler.function.id}\u0000${write.value.name}`;
    if (reported.has(key)) continue;
    const requestNames = scope.via
      ? new Set([...scope.handler.requestNames, ...parameterNames(scope.function)])
      : scope.handler.requestNames;
    const what = judge(write, scope, requestNames);
    if (!what) continue;
    reported.add(key);
    found.push({
      span: { start: write.target.startIndex, end: write.target.endIndex },
      name: write.value.name,
      scope: describeScope(scope),
      what,
      ...(what === 'collection' ? { container: describe(write.value) } : {}),
      lambda: scope.handler.framework === 'lambda',
    });
  }
  return found;
}

/**
 * State that belongs to this one instance by its nature: whether it is ready, draining or
 * warm, how many requests it has in flight, how many invocations its environment served.
 */
const lifecycleName =
  /^_*(is_?|has_?|was_?)?(cold_?start|warm|ready|healthy|alive|live|shutting_?down|shutdown|draining|closing|stopping|initiali[sz]ed|init_?done|started|booted|connected|in_?flight|active_?requests|pending_?requests|open_?connections|invocations?(_?count)?|requests_?in_?flight)/i;

/** The connections a server keeps open (SSE clients, WebSockets): only this instance can hold them. */
const connectionName = /^_?(res|response|reply|ws|socket|sock|conn|connection|stream|client|subscriber)s?$/i;

/** SDK reads whose results Lambda functions keep between invocations: configuration and secrets. */
const configurationRead =
  /\b(get_secret_value|get_parameters?(_by_path)?|GetSecretValueCommand|GetParameters?Command|GetParametersByPathCommand|getSecretValue|getParameters?)\b/;

/** Classes that are in memory on purpose: the in-memory twin of a repository, a fake, a stub. */
const inMemoryClass = /^(InMemory|Memory|Fake|Mock|Stub|Dummy)[A-Z_]/;

function judge(
  write: StateWrite,
  scope: HandlerScope,
  requestNames: Set<string>,
): RequestState['what'] | undefined {
  const value = write.value;
  const bare = value.name.replace(/^this\./, '');
  if (lifecycleName.test(bare)) return undefined;
  if (write.operation !== 'delete' && write.written.length > 0 && write.written.some((n) => createsClient(n)))
    return undefined;
  if (
    write.operation === 'mutate' &&
    write.written.some((n) => n.type === 'identifier' && connectionName.test(n.text))
  )
    return undefined;
  const lambda = scope.handler.framework === 'lambda';
  if (lambda && write.written.some((n) => configurationRead.test(n.text))) return undefined;
  if (value.name.startsWith('this.') && inMemoryClass.test(className(scope) ?? '')) return undefined;
  const fromRequest = write.written.some((n) => requestDerived(n, requestNames, scope.function));
  switch (value.kind) {
    case 'collection':
      if (!fromRequest && guardedBy(write.node, value.name, scope.function)) return undefined;
      return 'collection';
    case 'cache':
      if (!fromRequest || createsClient(write.written[0])) return undefined;
      return 'cache';
    case 'scalar':
    case 'unset':
      if (write.operation === 'increment') return 'counter';
      if (write.operation === 'assign' && fromRequest) return 'setFromRequest';
      return undefined;
    default:
      return undefined;
  }
}

/** The name of the class a method belongs to (NestJS providers and controllers). */
function className(scope: HandlerScope): string | undefined {
  const body = scope.function.parent;
  return body?.type === 'class_body'
    ? (body.parent?.childForFieldName('name')?.text ?? undefined)
    : undefined;
}

function describe(value: ModuleValue): string {
  if (value.name.startsWith('this.')) {
    const article = /^[aeiouAEIOU]/.test(value.container) ? 'an' : 'a';
    return `${article} ${value.container} field of a long-lived class instance`;
  }
  return `a module-level ${value.container}`;
}
