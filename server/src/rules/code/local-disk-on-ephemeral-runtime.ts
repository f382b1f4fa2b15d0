import { relative } from 'node:path';
import type { RelatedLocation, Runtime } from '../../engine/applications';
import { diskWrites, judgeWrite, type DiskWrite, type Judgement } from '../../engine/code/disk-writes';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

export default defineRule({
  id: 'local-state/local-disk-on-ephemeral-runtime',
  lesson: 'local-state',
  title: 'Local disk writes in code that runs on Lambda or ECS without a volume there',
  severity: 'warning',
  // No peer tool reads the code and the files that run it together.
  equivalents: [],
  fix: 'no',
  supersedes: ['local-state/local-disk-state'],
  messages: {
    lambda:
      '{{what}}{{target}}, but {{runtime}} runs this code ({{file}}), and on Lambda only `/tmp` is writable: anywhere else the write fails, and a file in `/tmp` belongs to one execution environment and goes with it. Store it in S3, or mount EFS with `FileSystemConfigs`.',
    lambdaNotMounted:
      '{{what}}{{target}}, but {{runtime}} mounts no file system there ({{file}}): on Lambda the write fails. Add a `FileSystemConfigs` entry whose `LocalMountPath` holds the path, or store the file in S3.',
    ecs: '{{what}}{{target}}, but {{runtime}} runs this code as {{copies}} ({{file}}) with no lasting volume mounted there: each task keeps its own files, and they are gone when ECS replaces the task (every deployment, scale-in or failed health check). Store them in S3, or mount an EFS volume at that path.',
    ecsNotMounted:
      "{{what}}{{target}}, but {{runtime}} mounts no lasting volume there ({{file}}): the files land on the task's own disk, and are gone when ECS replaces the task. Mount the EFS volume at that path in the task definition, or store the files in S3.",
    kubernetes:
      '{{what}}{{target}}, but {{runtime}} runs this code as {{copies}} ({{file}}) with no lasting volume mounted there: each pod keeps its own files, and they are gone when Kubernetes replaces the pod (every rollout, rescheduling or failed liveness probe). Store them in object storage, or mount a PersistentVolumeClaim at that path.',
    kubernetesNotMounted:
      "{{what}}{{target}}, but {{runtime}} mounts no lasting volume there ({{file}}): the files land in the container's own file system, and are gone when the pod is replaced. Mount the PersistentVolumeClaim at that path, or store the files in object storage.",
  },
  docs: {
    what:
      'The writes `local-state/local-disk-state` finds (request handlers writing with `fs.writeFile*`, `createWriteStream`, `file.mv()`, Python `open(…, "w")`, `file.save()`, `shutil.copy`, multer `dest`/`diskStorage`), and writes to literal `/mnt/…` or `/efs/…` paths, ' +
      'in code that the workspace runs on Lambda (a SAM or Lambda function whose `CodeUri` holds it) or on ECS (a service whose task definition runs the image built from it), when that runtime mounts no lasting volume at the path written: ' +
      "for Lambda a `FileSystemConfigs` entry whose `LocalMountPath` holds the path; for ECS a container `MountPoints` entry on an EFS or FSx volume, a host `SourcePath` or a shared Docker volume (a volume with none of those is the task's own storage, and goes with it). " +
      "Relative paths are resolved against `/var/task` on Lambda and against the image's `WORKDIR` on ECS. Writes to `/tmp`, and to paths read from the environment, are left alone; so are runtimes whose mounts the files do not fully show (`VolumesFrom`, a path the code builds at run time while a volume is mounted). " +
      'The finding takes the place of the single-file one and points at the function or service, and at the volumes it does mount. A write that every runtime keeps on a mounted volume (compose `volumes:` too, when compose is all that runs the code) is no finding of either rule.',
    why:
      'Lambda runs the code from a read-only file system: outside `/tmp`, a write fails with EROFS, so the upload or report the handler meant to keep is lost the first time it runs in the cloud, even though it worked on a laptop. ' +
      'And `/tmp` belongs to one execution environment: the next request may land on another, and the environment is recycled without notice. ' +
      "A Fargate task's disk lasts as long as the task: every deployment, scale-in and failed health check replaces tasks, and with them the files; with two tasks, each request sees half of them. " +
      'The single-file rule can only say that the disk may be lost; the template says where the code runs and that nothing is mounted there. Files that must last belong in S3, or on an EFS volume mounted where the code writes.',
    example: {
      language: 'javascript',
      code: `// reports/handler.js — template.yaml: ReportsFunction, CodeUri: reports/, no FileSystemConfigs
exports.handler = async (event) => {
  await fs.promises.writeFile(path.join(__dirname, 'out', \`\${event.id}.json\`), JSON.stringify(event));
};`,
    },
    useInstead: {
      language: 'javascript',
      code: `const s3 = new S3Client({});

exports.handler = async (event) => {
  await s3.send(new PutObjectCommand({
    Bucket: process.env.REPORTS_BUCKET,
    Key: \`reports/\${event.id}.json\`,
    Body: JSON.stringify(event),
  }));
};`,
    },
    references: [
      {
        title: 'AWS Lambda: the execution environment (read-only file system, /tmp)',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html',
      },
      {
        title: 'AWS Lambda: configuring file system access (EFS)',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html',
      },
      {
        title: 'Amazon ECS: storage options for tasks (Fargate ephemeral storage, EFS volumes)',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_data_volumes.html',
      },
      { title: 'The Twelve-Factor App: processes', url: 'https://12factor.net/processes' },
    ],
  },
  checks: {
    js: (context) => check(context),
    py: (context) => check(context),
  },
});

const whatWords: Record<DiskWrite['kind'], (write: DiskWrite) => string> = {
  diskWrite: (w) => `\`${w.call}\` in ${w.scope} writes to the local disk`,
  uploadMove: (w) => `\`${w.call}\` (express-fileupload) in ${w.scope} moves the upload to the local disk`,
  multerDiskStorage: () => "multer's diskStorage keeps uploads on the local disk",
  multerDest: () => 'multer with `dest` keeps uploads on the local disk',
};

function check(context: CheckContext<CodeModel>): void {
  const { model, document, workspace, applications, report } = context;
  // The writes first: most files make none, and then the files around them need no reading.
  const writes = diskWrites(model, document.path, workspace);
  if (writes.length === 0) return;
  const app = applications.of(document.path);
  if (!app) return;
  const platforms = app.runtimes.filter((r) => r.kind !== 'compose');
  if (platforms.length === 0) return;
  const from = workspace.root ?? document.path;
  const shown = (path: string) => relative(from, path).split('\\').join('/') || path;
  for (const write of writes) {
    const lost = platforms
      .map((runtime) => ({ runtime, judged: judgeWrite(app, document.path, runtime, write) }))
      .filter((j) => j.judged.coverage === 'not')
      // Lambda first: there the write fails rather than lasts a while.
      .sort((a, b) => Number(b.runtime.kind === 'lambda') - Number(a.runtime.kind === 'lambda'));
    const lead = lost[0];
    if (!lead) continue;
    const lambda = lead.runtime.kind === 'lambda';
    const mount = write.where === 'mount';
    report({
      at: write.span,
      messageId: lambda
        ? mount
          ? 'lambdaNotMounted'
          : 'lambda'
        : lead.runtime.kind === 'kubernetes'
          ? mount
            ? 'kubernetesNotMounted'
            : 'kubernetes'
          : mount
            ? 'ecsNotMounted'
            : 'ecs',
      data: {
        what: whatWords[write.kind](write),
        target: lead.judged.path ? ` (\`${lead.judged.path}\`)` : '',
        runtime: lead.runtime.name,
        copies: lead.runtime.copies.words,
        file: shown(lead.runtime.at.path),
      },
      // A write Lambda refuses (a known path outside /tmp) loses the data at once.
      severity: lambda && !mount && lead.judged.path !== undefined ? 'error' : undefined,
      related: relatedOf(lost),
    });
  }
}

/** Each runtime that loses the files, and the volumes it mounts elsewhere. */
function relatedOf(lost: { runtime: Runtime; judged: Judgement }[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (const { runtime, judged } of lost) {
    const at = judged.path ? ` at \`${judged.path}\`` : '';
    related.push({
      path: runtime.at.path,
      range: runtime.at.range,
      message:
        runtime.kind === 'lambda'
          ? `${runtime.name} runs this code, with no file system mounted${at}`
          : `${runtime.name} runs this code as ${runtime.copies.words}, with no lasting volume mounted${at}`,
    });
    for (const mount of runtime.mounts.slice(0, 3))
      related.push({
        path: mount.at.path,
        range: mount.at.range,
        message: `${mount.what} is mounted at \`${mount.path}\`, not where this code writes`,
      });
  }
  return related;
}
