import { relative } from 'node:path';
import type { RelatedLocation, Runtime } from '../../engine/applications';
import { environmentReads } from '../../engine/code/env';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext } from '../../engine/rule';

/** Variables the platform or the operating system sets in every container and function. */
const platformName =
  /^(AWS_[A-Z0-9_]*|ECS_[A-Z0-9_]*|LAMBDA_[A-Z0-9_]*|_HANDLER|_X_AMZN_TRACE_ID|PATH|HOME|HOSTNAME|USER|PWD|SHELL|TERM|LANG|LC_[A-Z]+|TZ|TMPDIR|CI)$/;

/**
 * JavaScript reads `process.env.X` without failing when it is missing, so only names that say
 * the code cannot work without them count there: where to connect, what to use, a secret.
 */
const essentialName =
  /(^|_)(URL|URI|DSN|HOST|HOSTNAME|ENDPOINT|CONNECTION(_STRING)?|DATABASE|DB|TABLE|BUCKET|QUEUE|TOPIC|STREAM|ARN|SECRET|KEY|TOKEN|PASSWORD|PASS|PASSWD)(_|$)/;

export default defineRule({
  id: 'container-ready/unset-environment-variable',
  lesson: 'container-ready',
  title: 'Environment variable the code needs and what runs it does not give',
  severity: 'warning',
  // No peer tool reads the code and the files that run it together.
  equivalents: [],
  fix: 'no',
  messages: {
    missing:
      '`{{name}}` is read without a default, but {{runtimes}} {{verb}} not give it{{where}}: the code fails there when it reads it.{{given}}',
  },
  docs: {
    what:
      'A read of an environment variable without a default (`os.environ["X"]` outside a `try`, or in JavaScript `process.env.X` used as a value that the file never checks, for names that say where to connect, what to use or a secret: `…_URL`, `…_HOST`, `…_TABLE`, `…_BUCKET`, `…_QUEUE`, `…_SECRET`, `…_KEY`, `…_TOKEN`, `…_PASSWORD`) ' +
      'in code that a compose service, an ECS task definition or a Lambda function of the workspace runs, when that runtime gives no variable of that name: not in compose `environment` or a readable `env_file`, not in the container’s `Environment` or `Secrets`, not in the function’s `Environment` (or SAM `Globals`), not in the image’s `ENV`. ' +
      'Runtimes whose environment the files do not fully show (an env file that cannot be read, ECS `EnvironmentFiles`) are not judged, and neither are the variables AWS and the operating system set (`AWS_REGION`, `HOSTNAME`, …). Names are compared, values never read.',
    why:
      'Configuration by environment only works when what runs the code gives it its configuration. A variable the code needs and the task definition forgets is found at the worst moment: the new tasks crash on start, or the first request that needs the database fails, while the old version is being replaced. ' +
      'Often the variable is given in one place and not another: compose has `DATABASE_URL` for laptops and the template never got it. Seeing both files at once is the only way to catch it before deployment.',
    example: {
      language: 'python',
      code: `# app.py — template.yaml runs it as function Api with Environment: {TABLE_NAME: !Ref Orders}
import os
bucket = os.environ["RECEIPTS_BUCKET"]   # nothing gives RECEIPTS_BUCKET to the function`,
    },
    useInstead: {
      language: 'yaml',
      code: `Api:
  Type: AWS::Serverless::Function
  Properties:
    Environment:
      Variables:
        TABLE_NAME: !Ref Orders
        RECEIPTS_BUCKET: !Ref Receipts`,
    },
    references: [
      { title: 'The Twelve-Factor App: store config in the environment', url: 'https://12factor.net/config' },
      {
        title: 'Amazon ECS: passing environment variables to a container',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html',
      },
      {
        title: 'Docker Compose: set environment variables within a container',
        url: 'https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/',
      },
    ],
  },
  checks: {
    js: (context) => check(context, false),
    py: (context) => check(context, true),
  },
});

function check(context: CheckContext<CodeModel>, python: boolean): void {
  const { model, document, workspace, applications, report } = context;
  const reads = environmentReads(model).filter(
    (read) => read.required && !platformName.test(read.name) && (python || essentialName.test(read.name)),
  );
  if (reads.length === 0) return;
  const app = applications.of(document.path);
  if (!app || app.runtimes.length === 0) return;
  const judged = app.runtimes.filter((r) => r.environmentKnown);
  if (judged.length === 0) return;
  const from = workspace.root ?? document.path;
  const shown = (path: string) => relative(from, path).split('\\').join('/') || path;
  const image = new Set(app.imageEnvironment);
  const seen = new Set<string>();
  for (const read of reads) {
    if (seen.has(read.name)) continue;
    seen.add(read.name);
    if (image.has(read.name)) continue;
    const missing = judged.filter((r) => !r.environment.includes(read.name));
    if (missing.length === 0) continue;
    const given = app.runtimes.filter((r) => r.environment.includes(read.name));
    const files = [...new Set(missing.map((r) => shown(r.at.path)))];
    const related: RelatedLocation[] = [
      ...missing.map((r) => place(r, `${r.name} gives this code no ${read.name}`)),
      ...given.map((r) => place(r, `${r.name} gives ${read.name}`)),
    ];
    report({
      at: read.span,
      messageId: 'missing',
      data: {
        name: read.name,
        runtimes: words(missing.map((r) => r.name)),
        verb: missing.length === 1 ? 'does' : 'do',
        where: ` (${files.join(', ')})`,
        given:
          given.length > 0
            ? ` ${words(given.map((r) => r.name))} ${given.length === 1 ? 'gives' : 'give'} it.`
            : '',
      },
      related,
    });
  }
}

function place(runtime: Runtime, message: string): RelatedLocation {
  return { path: runtime.environmentAt.path, range: runtime.environmentAt.range, message };
}

function words(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
