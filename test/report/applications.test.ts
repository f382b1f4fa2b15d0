import assert from 'node:assert/strict';
import { join, relative, resolve, sep } from 'node:path';
import { defineRule, type Rule } from '../../server/src/engine/rule';
import { applicationFacts } from '../../server/src/project/app-view';
import { Project } from '../../server/src/project/project';
import { checkFile, runReport } from '../../server/src/project/run';
import type { ApplicationFacts } from '../../server/src/report/applications';
import { formatHtml } from '../../server/src/report/html';
import { scoreLessons } from '../../server/src/report/lessons';
import { formatMarkdown } from '../../server/src/report/markdown';
import type { RunReport } from '../../server/src/report/model';
import type { LessonId } from '../../server/src/lessons/catalogue';
import { allRules } from '../../server/src/rules';
import { publicDb, workspace } from './run';

const examples = join(__dirname, '..', '..', 'examples');

/** The lesson report of a folder as the CLI builds it (paths relative to the folder), with its application view. */
async function lessonReportOf(folder: string) {
  const project = new Project({ rules: allRules, roots: [folder] });
  const outcomes = [];
  for (const file of project.files(folder))
    outcomes.push(
      await checkFile(project, file, relative(folder, file).split(sep).join('/'), { withFixes: false }),
    );
  const run = runReport(project, folder, outcomes);
  const applications = applicationFacts(run, project.applications, {
    absolute: (path) => resolve(folder, path),
    display: (path) => relative(folder, path).split(sep).join('/') || '.',
    read: (path) => project.workspaceFor(path).read(path),
  });
  return scoreLessons(run, { subject: 'examples', applications });
}

/** The Markdown between two headings of the same level (or the end). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `no ${heading}`);
  const level = heading.split(' ')[0];
  const end = markdown.indexOf(`\n${level} `, start + heading.length + 2);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe('the application view of the lesson report', () => {
  it('shows shop-api on examples/ with its two-task ECS service and its broken local-state lesson', async () => {
    const report = await lessonReportOf(examples);
    const apps = report.applications ?? [];
    assert.deepEqual(
      apps.map((a) => a.root),
      ['catalog-service', 'shop-api'],
    );
    const shop = apps.find((a) => a.root === 'shop-api')!;
    assert.equal(shop.dockerfile, 'shop-api/Dockerfile');
    assert.deepEqual(
      shop.runtimes.map((r) => [r.name, r.copies, r.at.path, r.at.range.start.line]).sort(),
      [
        ['ECS service ShopApiService', '2 tasks', 'infra/template.yaml', 89],
        ['compose service api', '1 container', 'docker-compose.yml', 1],
      ].sort(),
    );
    // Names of the variables it is given, never their values.
    assert.deepEqual(shop.runtimes.find((r) => r.kind === 'ecs')!.environment, ['NODE_ENV']);
    assert.ok(shop.backing.some((b) => b.name === 'ElastiCache Redis SessionCache'));

    const local = shop.lessons.find((l) => l.id === 'local-state');
    assert.equal(local?.status, 'broken');
    assert.deepEqual(
      local.findings.map((f) => [f.path, f.ruleId]),
      [['shop-api/server.js', 'local-state/in-memory-state-across-copies']],
    );
    const across = shop.acrossFiles.find((f) => f.ruleId === 'local-state/in-memory-state-across-copies');
    assert.deepEqual(across?.related, ['infra/template.yaml', 'docker-compose.yml']);
    // The findings of what runs it are its own: the task definition's, the compose service's.
    const all = shop.lessons.flatMap((l) => l.findings);
    assert.ok(
      all.some((f) => f.path === 'infra/template.yaml' && f.ruleId === 'auto-recovery/no-healthcheck'),
    );
    assert.ok(
      all.some(
        (f) => f.path === 'docker-compose.yml' && f.ruleId === 'secrets-management/hardcoded-credential',
      ),
    );
    // Not those of the database beside it, nor of the other application.
    assert.ok(!all.some((f) => f.ruleId === 'private-network/public-database'));
    assert.ok(!all.some((f) => f.path.startsWith('catalog-service/')));
    assert.ok(shop.lessons.some((l) => l.status === 'kept'));

    const markdown = formatMarkdown(report);
    const view = section(markdown, '## Applications');
    const shopView = section(view, '### shop-api');
    assert.match(
      shopView,
      /Code in `shop-api`, packaged by \[shop-api\/Dockerfile\]\(shop-api\/Dockerfile\)\./,
    );
    assert.match(
      shopView,
      /^- \[ECS service ShopApiService\]\(infra\/template\.yaml#L90\): 2 tasks; given `NODE_ENV`$/m,
    );
    assert.match(
      shopView,
      /^\| ✗ \| \[Keep state off the instance\]\(#keep-state-off-the-instance\) \| \[shop-api\/server\.js:14:3\]\(shop-api\/server\.js#L14\) `local-state\/in-memory-state-across-copies` \|$/m,
    );
    assert.match(shopView, /^Across files:$/m);
    assert.match(
      shopView,
      /\(with \[infra\/template\.yaml\]\(infra\/template\.yaml\), \[docker-compose\.yml\]\(docker-compose\.yml\)\)/,
    );
    assert.doesNotMatch(view, /production|Sh0pDbPassw0rd2024|postgres:\/\//, 'no value of the environment');

    const html = formatHtml(report);
    assert.match(html, /<h2>Applications<\/h2>/);
    assert.match(html, /<h3>shop-api<\/h3>/);
    assert.match(
      html,
      /<a href="infra\/template\.yaml#L90">ECS service ShopApiService<\/a>: 2 tasks; given <code>NODE_ENV<\/code>/,
    );
    assert.match(
      html,
      /<a href="#local-state">Keep state off the instance<\/a><\/td><td><a href="shop-api\/server\.js#L14">/,
    );
  });

  it('says briefly that there is no application when no code is linked to what runs it', async () => {
    const dir = workspace({ 'infra/template.yaml': publicDb, 'tools/run.py': 'print(1)\n' });
    const report = await lessonReportOf(dir);
    assert.deepEqual(report.applications, []);
    const markdown = formatMarkdown(report);
    assert.doesNotMatch(markdown, /## Applications/);
    assert.match(markdown, /^Applications: none linked\. /m);
    assert.doesNotMatch(formatHtml(report), /<h2>Applications/);
  });

  it('scores an application by the rules that judge its files and the resources that run it', () => {
    const sample = { language: 'text' as const, code: '' };
    const rule = (id: string, lesson: LessonId, checks: Rule['checks'], resourceTypes?: string[]) =>
      defineRule({
        id,
        lesson,
        title: id,
        severity: 'warning',
        equivalents: [],
        fix: 'no',
        messages: { found: 'Found.' },
        docs: { what: '', why: '', example: sample, useInstead: sample },
        ...(resourceTypes ? { resourceTypes } : {}),
        checks,
      });
    const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 9 } });
    const run: RunReport = {
      tool: { name: 'cloud-lessons', version: '0' },
      root: '/repo',
      rules: [
        rule('local-state/session', 'local-state', { js: () => {} }),
        rule('auto-recovery/ecs', 'auto-recovery', { cfn: () => {} }, ['AWS::ECS::TaskDefinition']),
        rule('private-network/db', 'private-network', { cfn: () => {} }, ['AWS::RDS::DBInstance']),
        rule('least-privilege/root', 'least-privilege', { docker: () => {} }),
        rule('secrets-management/key', 'secrets-management', { any: () => {} }),
      ],
      errors: [],
      files: [
        {
          path: 'api/server.js',
          kind: 'javascript',
          findings: [
            {
              ruleId: 'local-state/session',
              lesson: 'local-state',
              severity: 'warning',
              message: 'Sessions in memory.',
              range: at(3),
              related: [{ path: 'infra/t.yaml', range: at(12), message: 'two tasks' }],
            },
          ],
        },
        {
          path: 'infra/t.yaml',
          kind: 'cloudformation',
          findings: [
            {
              ruleId: 'auto-recovery/ecs',
              lesson: 'auto-recovery',
              severity: 'info',
              message: 'No check.',
              range: at(11),
            },
            {
              ruleId: 'private-network/db',
              lesson: 'private-network',
              severity: 'error',
              message: 'Public.',
              range: at(30),
            },
            {
              ruleId: 'secrets-management/key',
              lesson: 'secrets-management',
              severity: 'error',
              message: 'A key.',
              range: at(31),
            },
          ],
        },
      ],
    };
    const app: ApplicationFacts = {
      root: 'api',
      imageEnvironment: [],
      runtimes: [],
      backing: [],
      files: ['api/server.js'],
      regions: [
        {
          path: 'infra/t.yaml',
          range: { start: { line: 10, character: 2 }, end: { line: 20, character: 0 } },
          kind: 'cfn',
          resourceType: 'AWS::ECS::TaskDefinition',
        },
      ],
    };
    const [scored] = scoreLessons(run, { subject: 'repo', applications: [app] }).applications!;
    assert.deepEqual(
      scored.lessons.map((l) => [l.id, l.status, l.findings.length]),
      [
        ['local-state', 'broken', 1],
        ['auto-recovery', 'broken', 1],
        ['secrets-management', 'kept', 0],
      ],
      'broken elsewhere only, a rule for every file is kept here; the database rule judges no resource of it, the Dockerfile rule no file of it',
    );
    assert.deepEqual(
      scored.acrossFiles.map((f) => f.related),
      [['infra/t.yaml']],
    );
  });
});
