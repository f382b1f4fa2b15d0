import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';
import { diskWrites, mountedFor } from '../../engine/code/disk-writes';

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

function check({ model, document, workspace, applications, report }: CheckContext<CodeModel>): void {
  const writes = diskWrites(model, document.path, workspace).filter((w) => w.where === 'local');
  if (writes.length === 0) return;
  // A volume every runtime of the code mounts where it writes keeps the files (the cross-file rule judges the rest).
  const app = applications.of(document.path);
  for (const write of writes) {
    if (app && mountedFor(app, document.path, write)) continue;
    report({
      at: write.span,
      messageId: write.kind,
      ...(write.scope ? { data: { call: write.call, scope: write.scope } } : {}),
    });
  }
}
