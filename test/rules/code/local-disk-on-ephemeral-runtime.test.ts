import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import type { Rule } from '../../../server/src/engine/rule';
import onEphemeral from '../../../server/src/rules/code/local-disk-on-ephemeral-runtime';
import localDisk from '../../../server/src/rules/code/local-disk-state';
import { projectOver, analyse, memory, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'applications');
const rules: Rule[] = [onEphemeral, localDisk];

/** Each finding as `rule line:column-line:column «text» severity`, so that a failure shows what was found where. */
function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} «${text.slice(f.span.start, f.span.end)}» ${f.severity}`,
  );
}

function relatedOf(result: AnalysisResult, index: number, root: string): string[] {
  return (result.findings[index].related ?? []).map(
    (r) =>
      `${relative(root, r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1}-${r.range.end.line + 1}:${r.range.end.character + 1} ${r.message}`,
  );
}

describe('local-state/local-disk-on-ephemeral-runtime', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    const rule = onEphemeral;
    assert.ok(rule.id.startsWith(`${rule.lesson}/`));
    for (const field of ['what', 'why'] as const) assert.ok((rule.docs[field] ?? '').length > 40, field);
    assert.ok(rule.docs.example.code.trim() && rule.docs.useInstead.code.trim());
    assert.ok((rule.docs.references ?? []).length > 0, 'references');
    assert.deepEqual(rule.equivalents, []);
    assert.equal(rule.fix, 'no');
    assert.deepEqual(rule.supersedes, ['local-state/local-disk-state']);
    assert.deepEqual([...rule.kinds].sort(), ['js', 'py']);
  });

  describe('Lambda functions via SAM', () => {
    const root = join(fixtures, 'lambda-disk-writes');

    it('flags a write beside the code of a function without a file system, as an error, pointing at the function', async () => {
      const path = join(root, 'reports', 'handler.js');
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      // The write to os.tmpdir() is scratch space; the single-file finding was replaced, not repeated.
      assert.deepEqual(found(result, text), [
        'local-state/local-disk-on-ephemeral-runtime 7:9-7:30 «fs.promises.writeFile» error',
      ]);
      assert.equal(
        result.findings[0].message,
        '`fs.promises.writeFile` in the Lambda handler `handler` writes to the local disk (`/var/task/out`), but Lambda function ReportsFunction runs this code (template.yaml), and on Lambda only `/tmp` is writable: anywhere else the write fails, and a file in `/tmp` belongs to one execution environment and goes with it. Store it in S3, or mount EFS with `FileSystemConfigs`.',
      );
      assert.deepEqual(relatedOf(result, 0, root), [
        'template.yaml:10:3-10:18 Lambda function ReportsFunction runs this code, with no file system mounted at `/var/task/out`',
      ]);
      assert.deepEqual(result.suppressed, []);
    });

    it('leaves writes under the mounted EFS path and /tmp alone, and flags a /mnt path nothing mounts', async () => {
      const path = join(root, 'archive', 'app.py');
      const text = read(path);
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), [
        'local-state/local-disk-on-ephemeral-runtime 9:10-9:14 «open» warning',
      ]);
      assert.match(
        result.findings[0].message,
        /^`open\(…, "w"\)` in the Lambda handler `handler` writes to the local disk \(`\/mnt\/exports\/`\), but Lambda function ArchiveFunction mounts no file system there \(template\.yaml\): on Lambda the write fails\./,
      );
      assert.deepEqual(relatedOf(result, 0, root), [
        'template.yaml:17:3-17:18 Lambda function ArchiveFunction runs this code, with no file system mounted at `/mnt/exports/`',
        'template.yaml:25:27-25:39 EFS access point ArchiveAccessPoint is mounted at `/mnt/archive`, not where this code writes',
      ]);
    });

    it('adds the file systems of SAM Globals to those of the function', async () => {
      const template = read(join(root, 'template.yaml'));
      const files = {
        'template.yaml': template.replace(
          '    Timeout: 30\n',
          '    Timeout: 30\n    FileSystemConfigs:\n      - Arn: !GetAtt ArchiveAccessPoint.Arn\n        LocalMountPath: /mnt/exports\n',
        ),
        'archive/app.py': read(join(root, 'archive', 'app.py')),
      };
      const project = projectOver('/w', rules, memory('/w', files));
      const result = await analyse(project, '/w/archive/app.py', files['archive/app.py']);
      assert.deepEqual(found(result, files['archive/app.py']), []);
    });

    it('leaves code outside every CodeUri to the single-file rule', async () => {
      const files = {
        'template.yaml': read(join(root, 'template.yaml')),
        'tools/export.js': read(join(root, 'reports', 'handler.js')),
      };
      const project = projectOver('/w', rules, memory('/w', files));
      const result = await analyse(project, '/w/tools/export.js', files['tools/export.js']);
      assert.deepEqual(found(result, files['tools/export.js']), [
        'local-state/local-disk-state 7:9-7:30 «fs.promises.writeFile» warning',
      ]);
    });

    it('is silenced where the single-file finding is suppressed', async () => {
      const path = join(root, 'reports', 'handler.js');
      const text = read(path).replace(
        '  await fs.promises.writeFile(',
        '  // cloud-lessons-disable-next-line local-state/local-disk-state -- written before the move to S3\n  await fs.promises.writeFile(',
      );
      const result = await analyse(projectOver(root, rules), path, text);
      assert.deepEqual(found(result, text), []);
      assert.deepEqual(result.suppressed.map((f) => f.ruleId).sort(), [
        'local-state/local-disk-on-ephemeral-runtime',
        'local-state/local-disk-state',
      ]);
    });
  });

  describe('an Express app on Fargate, its uploads on EFS', () => {
    const root = join(fixtures, 'fargate-uploads');
    const server = join(root, 'gallery', 'server.js');
    const template = join(root, 'infra', 'template.yaml');
    const workspaceFiles = () => ({
      'docker-compose.yml': read(join(root, 'docker-compose.yml')),
      'gallery/server.js': read(server),
      'gallery/package.json': read(join(root, 'gallery', 'package.json')),
      'gallery/Dockerfile': read(join(root, 'gallery', 'Dockerfile')),
      'infra/template.yaml': read(template),
    });

    it('flags writes outside the EFS mount (the task storage volume too), and leaves multer on the mount alone', async () => {
      const text = read(server);
      const result = await analyse(projectOver(root, rules), server, text);
      assert.deepEqual(found(result, text), [
        'local-state/local-disk-on-ephemeral-runtime 13:3-13:19 «fs.writeFileSync» warning',
        'local-state/local-disk-on-ephemeral-runtime 14:3-14:20 «fs.appendFileSync» warning',
      ]);
      assert.equal(
        result.findings[0].message,
        '`fs.writeFileSync` in the request handler `POST /albums/:id/cover` writes to the local disk (`/app/cache/`), but ECS service GalleryService runs this code as 2 tasks (infra/template.yaml) with no lasting volume mounted there: each task keeps its own files, and they are gone when ECS replaces the task (every deployment, scale-in or failed health check). Store them in S3, or mount an EFS volume at that path.',
      );
      assert.deepEqual(relatedOf(result, 0, root), [
        'infra/template.yaml:36:3-36:17 ECS service GalleryService runs this code as 2 tasks, with no lasting volume mounted at `/app/cache/`',
        'infra/template.yaml:32:30-32:42 EFS volume uploads is mounted at `/app/uploads`, not where this code writes',
      ]);
    });

    it('says nothing where the task definition mounts EFS at the path written', async () => {
      const files = workspaceFiles();
      files['infra/template.yaml'] = files['infra/template.yaml'].replace(
        '        - Name: scratch\n',
        '        - Name: scratch\n          EFSVolumeConfiguration:\n            FilesystemId: !Ref Uploads\n',
      );
      files['gallery/server.js'] = files['gallery/server.js'].replace(
        "  fs.appendFileSync('/var/log/gallery/audit.log', `${req.params.id}\\n`);\n",
        '',
      );
      const project = projectOver('/w', rules, memory('/w', files));
      const result = await analyse(project, '/w/gallery/server.js', files['gallery/server.js']);
      assert.deepEqual(found(result, files['gallery/server.js']), []);
    });

    it('is not sure of a relative path when the image says no WORKDIR and a volume is mounted', async () => {
      const files = workspaceFiles();
      files['gallery/Dockerfile'] = files['gallery/Dockerfile'].replace('WORKDIR /app\n', '');
      const project = projectOver('/w', rules, memory('/w', files));
      const result = await analyse(project, '/w/gallery/server.js', files['gallery/server.js']);
      // The relative writes are left to the single-file rule; the absolute one is judged.
      assert.deepEqual(found(result, files['gallery/server.js']), [
        "local-state/local-disk-state 5:25-5:41 «dest: 'uploads/'» warning",
        'local-state/local-disk-state 13:3-13:19 «fs.writeFileSync» warning',
        'local-state/local-disk-on-ephemeral-runtime 14:3-14:20 «fs.appendFileSync» warning',
      ]);
    });

    it('does not judge compose: with compose alone, its volumes silence the single-file rule where they are mounted', async () => {
      const files = workspaceFiles();
      delete (files as Partial<typeof files>)['infra/template.yaml'];
      const project = projectOver('/w', rules, memory('/w', files));
      const result = await analyse(project, '/w/gallery/server.js', files['gallery/server.js']);
      // uploads/ and cache/ are compose volumes; /var/log/gallery is not.
      assert.deepEqual(found(result, files['gallery/server.js']), [
        'local-state/local-disk-state 14:3-14:20 «fs.appendFileSync» warning',
      ]);
      const readOnly = {
        ...files,
        'docker-compose.yml': files['docker-compose.yml'].replace('cache:/app/cache', 'cache:/app/cache:ro'),
      };
      const again = await analyse(
        projectOver('/w', rules, memory('/w', readOnly)),
        '/w/gallery/server.js',
        files['gallery/server.js'],
      );
      assert.deepEqual(
        found(again, files['gallery/server.js']).map((f) => f.split(' ').slice(0, 2).join(' ')),
        ['local-state/local-disk-state 13:3-13:19', 'local-state/local-disk-state 14:3-14:20'],
      );
    });
  });
});
