import type { Node } from 'web-tree-sitter';
import { codeChildren, objectProperty } from '../../engine/code/edit';
import { describeScope, requestHandlers } from '../../engine/code/handlers';
import { bindingsOf, calleeQualifiedName } from '../../engine/code/imports';
import {
  callArguments,
  calleeName,
  enclosingFunction,
  keywordArgument,
  nodesOfType,
  positionalArguments,
  spanOfNode,
  stringLiteral,
} from '../../engine/code/syntax';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

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

function notLocalDisk(text: string): boolean {
  return scratch.test(text) || shared.test(text) || fromEnvironment.test(text);
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

/** Whether a path written to is scratch space, a shared mount or configured (see above). */
function temporary(model: CodeModel, node: Node | undefined): boolean {
  if (!node) return false;
  if (notLocalDisk(node.text)) return true;
  // A path kept in a variable: what the file assigned to it, or a path built from one.
  const names = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier').filter((n) => !!n);
  const assigned = assignmentsOf(model);
  return names.some((name) => (assigned.get(name!.text) ?? []).some(notLocalDisk));
}

export default defineRule({
  id: 'local-state/local-disk-state',
  lesson: 'local-state',
  title: 'Request data written to the local disk',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    diskWrite:
      "`{{call}}` in {{scope}} writes to this instance's own disk: the file exists on this instance only, and is gone when the container or instance is replaced. Store it in S3 (or EFS when a shared file system is needed).",
    uploadMove:
      "`{{call}}` (express-fileupload) in {{scope}} writes to this instance's own disk: the file exists on this instance only, and is gone when the container or instance is replaced. Store it in S3 (or EFS when a shared file system is needed).",
    multerDiskStorage:
      "multer's diskStorage keeps uploads on this instance's own disk: other instances never see them, and they are gone when the container or instance is replaced. Use memoryStorage and put the file in S3, or a storage engine that writes to S3 (multer-s3).",
    multerDest:
      "multer with `dest` keeps uploads on this instance's own disk: other instances never see them, and they are gone when the container or instance is replaced. Use memoryStorage and put the file in S3, or a storage engine that writes to S3 (multer-s3).",
  },
  docs: {
    what:
      'Request handlers (also those of controller modules whose routes are registered elsewhere) that write files to the instance\'s own disk: `fs.writeFile*`, `fs.appendFile*`, `fs.createWriteStream`, `fs.rename`/`copyFile` and the fs-extra equivalents, express-fileupload\'s `file.mv()`, Python `open(…, "w"/"a"/"x")`, `file.save(path)` on uploads, `FileSystemStorage().save()`, `Path.write_text/write_bytes`, `shutil.copy/move`; ' +
      'and multer set up to keep uploads on disk (`dest`, `diskStorage`). Writes under the temporary directory (`/tmp`, `os.tmpdir()`, `tempfile`) are scratch space and are left alone, and so are writes to shared file systems: EFS and other mounts under `/mnt/` or `/efs/`, and paths read from the environment (the deployment decides what is mounted there).',
    why:
      'A file written by one instance exists on that instance only: the next request, served by another instance, does not find it, and the disk goes away when the container or instance is replaced, which auto scaling and every deployment do. ' +
      'Containers often run with a read-only or small ephemeral file system, and Lambda can write only to `/tmp`. ' +
      'Uploads and generated files belong in S3 (or EFS when the code really needs a shared file system); the handler can stream to S3 or hand the client a presigned upload URL.',
    example: {
      language: 'python',
      code: `@app.post("/avatar")
def upload_avatar():
    file = request.files["avatar"]
    file.save(os.path.join("uploads", secure_filename(file.filename)))
    return {"ok": True}`,
    },
    useInstead: {
      language: 'python',
      code: `s3 = boto3.client("s3")

@app.post("/avatar")
def upload_avatar():
    file = request.files["avatar"]
    key = f"avatars/{uuid.uuid4()}"
    s3.upload_fileobj(file.stream, os.environ["UPLOADS_BUCKET"], key)
    return {"key": key}`,
    },
    references: [
      { title: 'The Twelve-Factor App: processes', url: 'https://12factor.net/processes' },
      {
        title: 'Amazon S3: uploading objects with presigned URLs',
        url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html',
      },
      {
        title: 'multer: MemoryStorage and custom storage engines',
        url: 'https://github.com/expressjs/multer#storage',
      },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

function check({ model, document, workspace, report }: CheckContext<CodeModel>): void {
  const index = requestHandlers(model, document.path, workspace);
  const bindings = bindingsOf(model);
  const python = model.grammar === 'python';

  for (const call of nodesOfType(model, python ? 'call' : 'call_expression')) {
    if (!call) continue;
    const callee = call.childForFieldName('function');
    if (!callee) continue;
    const qualified = calleeQualifiedName(call, bindings) ?? '';
    // multer is set up at start-up for the routes that use it; any other write counts inside a handler only.
    if (!python && /^multer(\.diskStorage)?$/.test(qualified)) {
      multerFinding(model, call, qualified, report);
      continue;
    }
    const scope = index.at(call);
    if (!scope) continue;
    const method = calleeName(call) ?? '';
    const args = python ? positionalArguments(call) : callArguments(call);
    // The write as the message shows it.
    let what: { messageId: 'diskWrite' | 'uploadMove'; call: string } | undefined;

    if (python) {
      if (
        (qualified === '' && callee.text === 'open') ||
        qualified === 'io.open' ||
        qualified === 'aiofiles.open' ||
        qualified === 'codecs.open'
      ) {
        const mode =
          stringLiteral(args[1] ?? keywordArgument(call, 'mode')?.childForFieldName('value'))?.value ?? 'r';
        if (/[wax+]/.test(mode) && !temporary(model, args[0]))
          what = { messageId: 'diskWrite', call: `${callee.text}(…, "${mode}")` };
      } else if (/^shutil\.(copy|copy2|copyfile|move|copytree)$/.test(qualified)) {
        if (!temporary(model, args[1])) what = { messageId: 'diskWrite', call: callee.text };
      } else if ((method === 'write_text' || method === 'write_bytes') && !temporary(model, callee)) {
        what = { messageId: 'diskWrite', call: callee.text };
      } else if (
        method === 'save' &&
        args.length > 0 &&
        isUploadOrLocalStorage(callee, call) &&
        !temporary(model, args[0])
      ) {
        what = { messageId: 'diskWrite', call: callee.text };
      }
    } else {
      const module = qualified.slice(0, qualified.lastIndexOf('.'));
      const fn = qualified.slice(qualified.lastIndexOf('.') + 1);
      if ((fsModules.test(module) || fsModules.test(module.replace(/\.promises$/, ''))) && fsWrites.has(fn)) {
        const target =
          fn.startsWith('rename') || fn.startsWith('copy') || fn.startsWith('move') ? args[1] : args[0];
        if (!temporary(model, target)) what = { messageId: 'diskWrite', call: callee.text };
      } else if (method === 'mv' && /\bfiles?\b/.test(callee.text) && !temporary(model, args[0])) {
        what = { messageId: 'uploadMove', call: callee.text };
      }
    }
    if (!what) continue;
    report({
      at: spanOfNode(callee),
      messageId: what.messageId,
      data: { call: what.call, scope: describeScope(scope) },
    });
  }
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

function multerFinding(
  model: CodeModel,
  call: Node,
  qualified: string,
  report: CheckContext<CodeModel>['report'],
): void {
  if (qualified === 'multer.diskStorage') {
    const options = callArguments(call)[0];
    const destination = options?.type === 'object' ? objectProperty(options, 'destination') : undefined;
    if (destination && temporary(model, destination)) return;
    report({ at: spanOfNode(call.childForFieldName('function')!), messageId: 'multerDiskStorage' });
    return;
  }
  const options = callArguments(call)[0];
  if (options?.type !== 'object') return;
  const dest = objectProperty(options, 'dest');
  if (!dest || temporary(model, dest)) return;
  report({ at: spanOfNode(dest), messageId: 'multerDest' });
}
