import { dirname, posix, relative, sep } from 'node:path';
import type { Node } from '../parse/syntax-tree';
import type { DeployableUnit, Mount, Runtime } from '../applications';
import type { CodeModel } from '../parse/code';
import type { Span } from '../text';
import type { WorkspaceView } from '../workspace';
import { codeChildren, objectProperty } from './edit';
import { describeScope, requestHandlers } from './handlers';
import { bindingsOf, calleeQualifiedName } from './imports';
import {
  callArguments,
  calleeName,
  enclosingFunction,
  keywordArgument,
  nodesOfType,
  positionalArguments,
  spanOfNode,
  stringLiteral,
} from './syntax';

/**
 * Files that request handlers write to the disk of the machine they run on (and multer set up
 * to keep uploads there), found once per parse: `local-state/local-disk-state` reports those on
 * the instance's own disk; `local-state/local-disk-on-ephemeral-runtime` judges the same writes
 * against the runtimes and volumes the workspace declares for the code.
 */
export interface DiskWrite {
  /** The call's callee (`fs.writeFile`, `f.save`), multer's `diskStorage`, or multer's `dest` option. */
  span: Span;
  kind: 'diskWrite' | 'uploadMove' | 'multerDiskStorage' | 'multerDest';
  /** The write as messages show it: `fs.promises.writeFile`, `open(…, "w")`. */
  call: string;
  /** The handler scope it runs in, in words (not for multer, set up at start-up). */
  scope?: string;
  /**
   * `local`: the instance's own disk; `mount`: a literal path under `/mnt/` or `/efs/`, where a
   * shared file system is usually mounted (whether one is, only the deployment says).
   */
  where: 'local' | 'mount';
  /** What the code says of the path written, as far as the file shows it. */
  path?: WrittenPath;
}

export interface WrittenPath {
  /** The path's leading literal part (`uploads/`, `/data/reports/`), as written; `''` for a bare `__dirname`. */
  prefix: string;
  /** The prefix starts with `/`. */
  absolute: boolean;
  /** Built from the code's own folder (`__dirname`, `os.path.dirname(__file__)`): relative to the file, not the working directory. */
  fromCodeFolder: boolean;
}

/** Node's file system modules (and fs-extra), whose write functions put data on this machine's disk. */
const fsModules = /^(node:)?fs(\/promises)?$|^fs-extra$|^graceful-fs$/;
const fsWrites = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'createWriteStream',
  'copyFile',
  'copyFileSync',
  'rename',
  'renameSync',
  'outputFile',
  'outputFileSync',
  'outputJson',
  'outputJsonSync',
  'writeJson',
  'writeJsonSync',
  'move',
  'moveSync',
  'copy',
  'copySync',
]);

/**
 * Paths that are not this instance's own disk: the temporary directory (scratch space, and
 * Lambda's only writable place), shared file systems mounted into the container or function
 * (EFS, `/mnt/…`), and paths the environment supplies (the deployment decides what is mounted
 * there).
 */
const scratch = /\btmp\b|tmpdir|temp|gettempdir|mkdtemp|NamedTemporaryFile|\/dev\/null/i;
const shared = /^['"`]?\/(mnt|efs)\/|\befs\b|\bEFS_|_EFS\b|\bMOUNT_PATH\b/i;
const fromEnvironment = /process\.env\b|os\.environ\b|\bgetenv\(|\benviron\.get\(/;

type Judged = 'local' | 'mount' | 'other';

function judgeText(text: string): Judged {
  if (scratch.test(text) || fromEnvironment.test(text)) return 'other';
  if (shared.test(text)) return /^\/(mnt|efs)\//.test(pathOfText(text)?.prefix ?? '') ? 'mount' : 'other';
  return 'local';
}

/** What each name of the file is assigned, in any scope: looked up once per parse. */
const assignedTexts = new WeakMap<CodeModel, Map<string, string[]>>();

function assignmentsOf(model: CodeModel): Map<string, string[]> {
  let found = assignedTexts.get(model);
  if (found) return found;
  found = new Map();
  for (const assignment of nodesOfType(model, ['variable_declarator', 'assignment'])) {
    const target = assignment.childForFieldName(assignment.type === 'assignment' ? 'left' : 'name');
    const value = assignment.childForFieldName(assignment.type === 'assignment' ? 'right' : 'value');
    if (target?.type !== 'identifier' || !value) continue;
    const texts = found.get(target.text) ?? [];
    texts.push(value.text);
    found.set(target.text, texts);
  }
  assignedTexts.set(model, found);
  return found;
}

/**
 * Where a write goes: `local` (this instance's disk), `mount` (a literal `/mnt/…` path), or
 * `other` (scratch space, a path from the environment, a shared file system by its name), with
 * the path as far as the file says it.
 */
function judge(model: CodeModel, node: Node | undefined): { where: Judged; path?: WrittenPath } {
  if (!node) return { where: 'local' };
  // multer's `{ dest: … }`: the value.
  if (node.type === 'pair') node = node.childForFieldName('value') ?? node;
  const own = judgeText(node.text);
  // A path kept in a variable: what the file assigned to it, or a path built from one.
  const names =
    node.type === 'identifier' ? [node] : node.descendantsOfType('identifier').filter((n): n is Node => !!n);
  const assigned = assignmentsOf(model);
  const values = names.flatMap((name) => assigned.get(name.text) ?? []);
  if (own === 'other' || values.some((v) => judgeText(v) === 'other')) return { where: 'other' };
  const where = own === 'mount' || values.some((v) => judgeText(v) === 'mount') ? 'mount' : 'local';
  const path = pathOfText(node.text) ?? leadingVariablePath(node.text, assigned);
  return path ? { where, path } : { where };
}

/** `UPLOADS` or `path.join(UPLOADS, name)` where the file assigns `UPLOADS` one path: that path's prefix. */
function leadingVariablePath(text: string, assigned: Map<string, string[]>): WrittenPath | undefined {
  let rest = text.trim();
  for (let i = 0; i < 3; i++) {
    const call = joining.exec(rest);
    if (!call) break;
    rest = rest.slice(call[0].length);
  }
  const name = /^[A-Za-z_$][\w$]*/.exec(rest)?.[0];
  const values = name ? assigned.get(name) : undefined;
  return values?.length === 1 ? pathOfText(values[0]) : undefined;
}

/** The code's folder, as JavaScript and Python write it. */
const codeFolder =
  /^(__dirname|import\.meta\.dirname|os\.path\.dirname\((os\.path\.(abspath|realpath)\()?__file__\)?\)|Path\(__file__\)(\.(resolve|absolute)\(\))?\.parent)/;
/** Calls that join path parts, whose first argument leads the path. */
const joining = /^(path\.(join|resolve)|join|resolve|os\.path\.join|Path|pathlib\.Path|PurePath)\(\s*/;

/** The leading literal part of a path expression: `path.join(__dirname, 'uploads', f)` → `uploads`, from the code folder. */
export function pathOfText(text: string): WrittenPath | undefined {
  let rest = text.trim();
  for (let i = 0; i < 3; i++) {
    const call = joining.exec(rest);
    if (!call) break;
    rest = rest.slice(call[0].length);
  }
  const folder = codeFolder.exec(rest);
  if (folder) {
    rest = rest.slice(folder[0].length).replace(/^\s*[,+/]\s*/, '');
    const literal = leadingLiteral(rest);
    const prefix = (literal ?? '').replace(/^\.?\/+/, '');
    return { prefix, absolute: false, fromCodeFolder: true };
  }
  const literal = leadingLiteral(rest);
  if (literal === undefined || literal === '') return undefined;
  return { prefix: literal.replace(/^\.\/+/, ''), absolute: literal.startsWith('/'), fromCodeFolder: false };
}

/** The literal text a string (or f-string, template literal) starts with, up to its first interpolation. */
function leadingLiteral(text: string): string | undefined {
  const match = /^[fFrRbB]{0,2}(['"`])/.exec(text);
  if (!match) return undefined;
  const quote = match[1];
  let out = '';
  for (let i = match[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === quote || c === '\\' || c === '{' || (c === '$' && text[i + 1] === '{')) break;
    out += c;
  }
  return out;
}

const found = new WeakMap<CodeModel, DiskWrite[]>();

/** The disk writes of a file's request handlers (and its multer set-ups), in the order of the file. */
export function diskWrites(model: CodeModel, path: string, workspace: WorkspaceView): DiskWrite[] {
  const known = found.get(model);
  if (known) return known;
  const writes = findWrites(model, path, workspace);
  found.set(model, writes);
  return writes;
}

function findWrites(model: CodeModel, path: string, workspace: WorkspaceView): DiskWrite[] {
  const writes: DiskWrite[] = [];
  const index = requestHandlers(model, path, workspace);
  const bindings = bindingsOf(model);
  const python = model.grammar === 'python';

  for (const call of nodesOfType(model, python ? 'call' : 'call_expression')) {
    if (!call) continue;
    const callee = call.childForFieldName('function');
    if (!callee) continue;
    const qualified = calleeQualifiedName(call, bindings) ?? '';
    // multer is set up at start-up for the routes that use it; any other write counts inside a handler only.
    if (!python && /^multer(\.diskStorage)?$/.test(qualified)) {
      const write = multerWrite(model, call, qualified);
      if (write) writes.push(write);
      continue;
    }
    const scope = index.at(call);
    if (!scope) continue;
    const method = calleeName(call) ?? '';
    const args = python ? positionalArguments(call) : callArguments(call);
    let what: { kind: 'diskWrite' | 'uploadMove'; call: string; target: Node | undefined } | undefined;

    if (python) {
      if (
        (qualified === '' && callee.text === 'open') ||
        qualified === 'io.open' ||
        qualified === 'aiofiles.open' ||
        qualified === 'codecs.open'
      ) {
        const mode =
          stringLiteral(args[1] ?? keywordArgument(call, 'mode')?.childForFieldName('value'))?.value ?? 'r';
        if (/[wax+]/.test(mode))
          what = { kind: 'diskWrite', call: `${callee.text}(…, "${mode}")`, target: args[0] };
      } else if (/^shutil\.(copy|copy2|copyfile|move|copytree)$/.test(qualified)) {
        what = { kind: 'diskWrite', call: callee.text, target: args[1] };
      } else if (method === 'write_text' || method === 'write_bytes') {
        what = { kind: 'diskWrite', call: callee.text, target: callee.childForFieldName('object') ?? callee };
      } else if (method === 'save' && args.length > 0 && isUploadOrLocalStorage(callee, call)) {
        what = { kind: 'diskWrite', call: callee.text, target: args[0] };
      }
    } else {
      const module = qualified.slice(0, qualified.lastIndexOf('.'));
      const fn = qualified.slice(qualified.lastIndexOf('.') + 1);
      if ((fsModules.test(module) || fsModules.test(module.replace(/\.promises$/, ''))) && fsWrites.has(fn)) {
        const target =
          fn.startsWith('rename') || fn.startsWith('copy') || fn.startsWith('move') ? args[1] : args[0];
        what = { kind: 'diskWrite', call: callee.text, target };
      } else if (method === 'mv' && /\bfiles?\b/.test(callee.text)) {
        what = { kind: 'uploadMove', call: callee.text, target: args[0] };
      }
    }
    if (!what) continue;
    // `Path(…).write_text()`: the receiver is judged as a whole (it is the path).
    const judged = judge(model, what.target);
    if (judged.where === 'other') continue;
    writes.push({
      span: spanOfNode(callee),
      kind: what.kind,
      call: what.call,
      scope: describeScope(scope),
      where: judged.where,
      ...(judged.path ? { path: judged.path } : {}),
    });
  }
  return writes;
}

/** `file.save(path)` where `file` is an upload (request.files, UploadFile, FileStorage) or a FileSystemStorage. */
function isUploadOrLocalStorage(callee: Node, call: Node): boolean {
  const receiver = callee.childForFieldName('object');
  if (!receiver) return false;
  const text = receiver.text;
  if (/\bfiles\b|FileSystemStorage/.test(text)) return true;
  if (receiver.type !== 'identifier') return false;
  // Where the receiver was assigned in this function: request.files[…], FileSystemStorage(), a file parameter.
  const scope = enclosingFunction(call);
  if (!scope) return false;
  for (const assignment of scope.descendantsOfType('assignment')) {
    if (assignment?.childForFieldName('left')?.text !== text) continue;
    const right = assignment.childForFieldName('right')?.text ?? '';
    if (/\bfiles\b|FileSystemStorage\(/.test(right)) return true;
  }
  for (const parameter of codeChildren(scope.childForFieldName('parameters')!)) {
    if (
      parameter.type === 'typed_parameter' &&
      parameter.text.startsWith(text) &&
      /UploadFile|FileStorage/.test(parameter.text)
    )
      return true;
  }
  for (const loop of scope.descendantsOfType('for_statement')) {
    if (
      loop?.childForFieldName('left')?.text === text &&
      /\bfiles\b/.test(loop.childForFieldName('right')?.text ?? '')
    )
      return true;
  }
  return false;
}

function multerWrite(model: CodeModel, call: Node, qualified: string): DiskWrite | undefined {
  const options = callArguments(call)[0];
  if (qualified === 'multer.diskStorage') {
    const destination = options?.type === 'object' ? objectProperty(options, 'destination') : undefined;
    // A destination callback decides at run time: judged as a path it is not one.
    const judged = destination ? judge(model, destination) : { where: 'local' as const };
    if (judged.where === 'other') return undefined;
    return {
      span: spanOfNode(call.childForFieldName('function')!),
      kind: 'multerDiskStorage',
      call: 'multer.diskStorage',
      where: judged.where,
      ...(judged.path ? { path: judged.path } : {}),
    };
  }
  if (options?.type !== 'object') return undefined;
  const dest = objectProperty(options, 'dest');
  if (!dest) return undefined;
  const judged = judge(model, dest);
  if (judged.where === 'other') return undefined;
  return {
    span: spanOfNode(dest),
    kind: 'multerDest',
    call: 'multer',
    where: judged.where,
    ...(judged.path ? { path: judged.path } : {}),
  };
}

/** Whether a runtime keeps a write's files on a volume it mounts: `mounted`, `not`, or `maybe` when the files cannot tell. */
export type Coverage = 'mounted' | 'maybe' | 'not';

export interface Judgement {
  coverage: Coverage;
  /** The path written, inside the container or function, as far as it is known (a prefix). */
  path?: string;
  /** The mount that keeps the files, when `mounted`. */
  mount?: Mount;
}

/** Where Lambda runs a function's code: the working directory, read-only. */
const lambdaTask = '/var/task';

/** Whether `runtime`, running the code of `file` in `app`, writes this write's files to a volume it mounts. */
export function judgeWrite(app: DeployableUnit, file: string, runtime: Runtime, write: DiskWrite): Judgement {
  const path = containerPath(app, file, runtime, write);
  const unsure = (coverage: Coverage): Judgement => ({
    coverage: coverage === 'not' && !runtime.mountsKnown ? 'maybe' : coverage,
    ...(path !== undefined ? { path } : {}),
  });
  if (path === undefined) return unsure(runtime.mounts.length === 0 ? 'not' : 'maybe');
  const mount = runtime.mounts.find(
    (m) => path === m.path || path.startsWith(m.path.endsWith('/') ? m.path : `${m.path}/`),
  );
  if (mount) return { coverage: 'mounted', path, mount };
  // A prefix that a mount's path continues (`/data/` + a name, a mount at `/data/uploads`): it may be there.
  if (runtime.mounts.some((m) => m.path.startsWith(path))) return unsure('maybe');
  return unsure('not');
}

function containerPath(
  app: DeployableUnit,
  file: string,
  runtime: Runtime,
  write: DiskWrite,
): string | undefined {
  const written = write.path;
  if (!written) return undefined;
  if (written.absolute) return posix.normalize(written.prefix);
  // Lambda starts the code in /var/task, the code folder; a container in its image's WORKDIR.
  const base = runtime.kind === 'lambda' ? lambdaTask : app.workdir;
  if (!base) return undefined;
  const folder = written.fromCodeFolder ? relative(app.root, dirname(file)).split(sep).join('/') : '';
  if (folder.startsWith('..')) return undefined;
  const joined = posix.join(base, folder, written.prefix);
  // `join` drops a trailing slash only when nothing follows it; keep what the prefix said.
  return written.prefix === '' ? `${joined.replace(/\/$/, '')}/` : joined;
}

/**
 * The runtimes that decide where the code's files go: those of the platform it is deployed to
 * (ECS, Lambda) when the workspace declares one, else its compose services.
 */
export function decidingRuntimes(app: DeployableUnit): Runtime[] {
  const deployed = app.runtimes.filter((r) => r.kind !== 'compose');
  return deployed.length > 0 ? deployed : app.runtimes;
}

/** Every runtime that decides keeps this write's files on a volume it mounts. */
export function mountedFor(app: DeployableUnit, file: string, write: DiskWrite): boolean {
  const runtimes = decidingRuntimes(app);
  return runtimes.length > 0 && runtimes.every((r) => judgeWrite(app, file, r, write).coverage === 'mounted');
}
