import { relative } from 'node:path';
import type { DeployableUnit, RelatedLocation, RuntimeKind, WrittenValue } from '../../engine/applications';
import { isNonSecretTemplateValue } from '../../engine/cfn/secrets';
import type { Node } from '../../engine/parse/syntax-tree';
import { afterImports, topLevelStatements } from '../../engine/code/edit';
import { ensurePythonImport, environmentReads } from '../../engine/code/env';
import { sourceOf } from '../../engine/code/syntax';
import { uniqueName, usesIdentifier } from '../../engine/names';
import type { CodeModel } from '../../engine/parse/code';
import { defineRule, type CheckContext, type Fix } from '../../engine/rule';
import { isNonSecretValue, isSecretName } from '../../engine/secret-names';
import type { LineIndex, TextEdit } from '../../engine/text';

/**
 * Values that stand in for a secret rather than being one: what samples and documentation write
 * until someone sets the real value (`changeme`, `password`, `secret`), with `my`/`some` before or
 * a number after.
 */
const standIns = new Set([
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'setme',
  'set-me',
  'password',
  'passw0rd',
  'pass',
  'secret',
  'supersecret',
  'secretpassword',
  'mysecretpassword',
  'example',
  'test',
  'testing',
  'admin',
  'root',
  'guest',
  'default',
  'letmein',
  'tbd',
  'todo',
  'none',
  'whatever',
  '123456',
  '12345678',
]);

/** Whether a written value is a stand-in, not a secret anyone could use: empty, a placeholder, a known default. */
export function isStandIn(written: WrittenValue): boolean {
  const value = written.value.trim();
  if (value.length < 4) return true;
  if (written.runtime.kind === 'compose' ? isNonSecretValue(value) : isNonSecretTemplateValue(value))
    return true;
  const lower = value.toLowerCase();
  const core = lower.replace(/^(my|some)[-_]?/, '').replace(/[-_]?\d{1,4}$/, '');
  // `DB_PASSWORD: db-password`: the name again; `POSTGRES_PASSWORD: gitea` beside `POSTGRES_USER: gitea`.
  const letters = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  const beside = new Set(written.beside);
  return (
    standIns.has(lower) ||
    standIns.has(core) ||
    beside.has(lower) ||
    beside.has(core) ||
    letters(value) === letters(written.variable)
  );
}

/** The runtime kind whose words the message uses: the platform that deploys before the laptop's. */
const leadOrder: RuntimeKind[] = ['ecs', 'lambda', 'compose'];

export default defineRule({
  id: 'secrets-management/secret-in-plain-environment',
  lesson: 'secrets-management',
  title: 'Secret the code reads, given to it in plain text',
  severity: 'warning',
  // No peer tool reads the code and the files that run it together.
  equivalents: [],
  fix: 'scaffold',
  messages: {
    ecs: '`{{name}}` holds a secret, and {{runtimes}} {{verb}} it to this code as a value written out in {{files}}: anyone who can read the repository, or describe the task definition, has it. Keep it in Secrets Manager and give it through the container’s `Secrets`.',
    lambda:
      '`{{name}}` holds a secret, and {{runtimes}} {{verb}} it to this code as a value written out in {{files}}: anyone who can read the repository, or the function’s configuration, has it. Keep it in Secrets Manager and have the code fetch it when it starts.',
    compose:
      '`{{name}}` holds a secret, and {{runtimes}} {{verb}} it to this code as a value written out in {{files}}: everyone with the repository has it. Set it in an untracked `.env` file or the environment, or give it as a compose secret.',
  },
  docs: {
    what:
      'A read of an environment variable whose name says it holds a secret (`DB_PASSWORD`, `API_KEY`, `JWT_SECRET`, `STRIPE_TOKEN`, …) in code that an ECS container, a Lambda function or a compose service of the workspace runs, when that runtime gives the variable a literal value written in its file: ' +
      'a `Value` of the container definition’s `Environment`, a function’s `Environment.Variables` (or SAM `Globals`), a compose service’s `environment:`. The finding is in the code, at the first read of the variable, and points at each place the value is written. ' +
      'Not flagged: a `!Ref` to a parameter (NoEcho or not: the value is not in the file; a parameter’s default is another rule’s concern), container `Secrets` (`ValueFrom`), `{{resolve:secretsmanager:…}}` and `{{resolve:ssm-secure:…}}` dynamic references (the value is not in the file, though CloudFormation writes it into the function’s or task definition’s configuration: a weaker exposure this rule leaves alone), ' +
      'compose interpolation (`${DB_PASSWORD}`, also with a default) and `env_file` values (kept out of the compose file, usually untracked), test stacks, and stand-ins (empty values, placeholders such as `changeme`, `xxx`, `<password>`, well-known defaults such as `password`, the name repeated). ' +
      'Messages never show the value. The template and compose rules (`secrets-management/hardcoded-secret`, `secrets-management/secret-in-compose`) report the same value where it is written; this rule tells the code’s reader, and offers the fix that spans both files.',
    why:
      'Configuration by environment does not make a secret safe: a password written into the task definition or the function’s `Environment` lives in the repository, in every clone, in the template CloudFormation keeps, and in the configuration anyone with `ecs:DescribeTaskDefinition` or `lambda:GetFunctionConfiguration` can read. ' +
      'The code cannot tell: it reads `DB_PASSWORD` the same way whether it came from Secrets Manager or from a line of YAML. Seeing the code and the file that runs it together shows where the value comes from. ' +
      'ECS can give a container a Secrets Manager secret under the same variable name (`Secrets` with `ValueFrom`), so the code need not change; Lambda cannot, so the code fetches the secret itself, once per execution environment.',
    example: {
      language: 'javascript',
      code: `// api/db.js — infra/template.yaml runs it as an ECS service whose container has
//   Environment: [{ Name: DB_PASSWORD, Value: Pr0d-pa55word }]
const pool = new Pool({ password: process.env.DB_PASSWORD });`,
    },
    useInstead: {
      language: 'yaml',
      code: `ApiTask:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ExecutionRoleArn: !GetAtt ApiExecutionRole.Arn
    ContainerDefinitions:
      - Name: api
        Image: example/api:1.0
        Secrets:
          - Name: DB_PASSWORD            # the code still reads process.env.DB_PASSWORD
            ValueFrom: !Ref ApiDbPasswordSecret
ApiDbPasswordSecret:
  Type: AWS::SecretsManager::Secret
  Properties:
    GenerateSecretString: { PasswordLength: 32 }`,
    },
    fix:
      'For ECS containers: adds an `AWS::SecretsManager::Secret` per container definition with a generated value (the written value is never copied into it), replaces the `Environment` entry with a `Secrets` entry whose `ValueFrom` is the secret, and adds an inline policy allowing `secretsmanager:GetSecretValue` on it to the task’s execution role when the template declares that role; the code keeps reading the same variable. ' +
      'For Lambda functions whose code is Python: adds the secret the same way, replaces the variable with `<NAME>_SECRET_ARN` holding the secret’s ARN, lets the function read it (SAM’s `AWSSecretsManagerGetSecretValuePolicy`, or an inline policy on its role in the template), and replaces every read of the variable in the file with a boto3 call cached once per execution environment. Not for a variable of SAM `Globals` (other functions share it), nor when another runtime of the code gives the variable itself. ' +
      'A scaffold: put the real value in the secret when another party issues it, rotate the one that was written, and make other files that read the variable fetch it too; what the files do not show (an execution role outside the template) is listed. JavaScript functions and compose services get no fix yet: JavaScript would have to await the secret before its first use, and compose secrets are files under `/run/secrets/`, not variables.',
    references: [
      {
        title: 'Amazon ECS: pass Secrets Manager secrets through environment variables',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html',
      },
      {
        title: 'Amazon ECS: task execution IAM role (permissions for secrets)',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
      },
      {
        title: 'AWS Lambda: use Secrets Manager secrets in functions',
        url: 'https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html',
      },
      { title: 'Docker Compose: secrets', url: 'https://docs.docker.com/compose/how-tos/use-secrets/' },
    ],
  },
  checks: {
    js: check,
    py: check,
  },
});

function check(context: CheckContext<CodeModel>): void {
  const { model, document, workspace, applications, report } = context;
  const python = model.grammar === 'python';
  const reads = environmentReads(model).filter((read) => isSecretName(read.name));
  if (reads.length === 0) return;
  const app = applications.of(document.path);
  if (!app?.writtenValues || app.runtimes.length === 0) return;
  const from = workspace.root ?? document.path;
  const shown = (path: string) => relative(from, path).split('\\').join('/') || path;
  const seen = new Set<string>();
  for (const read of reads) {
    if (seen.has(read.name)) continue;
    seen.add(read.name);
    const written = app.writtenValues(read.name).filter((w) => !isStandIn(w));
    if (written.length === 0) continue;
    const runtimes = [...new Set(written.map((w) => w.runtime.name))];
    const lead = leadOrder.find((kind) => written.some((w) => w.runtime.kind === kind))!;
    const related: RelatedLocation[] = written.map((w) => ({
      path: w.at.path,
      range: w.at.range,
      message: `${w.runtime.name} gives ${read.name} this value in plain text`,
    }));
    report({
      at: read.span,
      messageId: lead,
      data: {
        name: read.name,
        runtimes: words(runtimes),
        verb: runtimes.length === 1 ? 'gives' : 'give',
        files: words([...new Set(written.map((w) => shown(w.at.path)))]),
      },
      related,
      fix: written.some((w) => w.runtime.kind === 'ecs' || (python && w.runtime.kind === 'lambda'))
        ? () => moveFix(context, app, read.name, written, shown)
        : undefined,
    });
  }
}

function moveFix(
  context: CheckContext<CodeModel>,
  app: DeployableUnit,
  name: string,
  written: WrittenValue[],
  shown: (path: string) => string,
): Fix | undefined {
  const { model, document } = context;
  const python = model.grammar === 'python';
  const move = app.secretMove?.(written, { codeFetches: python });
  if (!move || move.edits.length === 0) return undefined;
  const unfinished = !move.granted;
  const left = move.left.map(
    (w) =>
      `Take ${name} out of ${w.runtime.name} too (${shown(w.at.path)}): the fix moves only ${move.arnVariable ? 'the functions' : 'ECS containers'}`,
  );
  if (!move.arnVariable)
    return {
      title: `Give ${name} from ${words(move.secrets)} (container Secrets)${unfinished ? ': the execution role still needs read access' : ''}`,
      edits: [],
      otherFiles: move.edits,
      needs: [...move.needs, ...left],
    };
  if (!python) return undefined;
  // A runtime the move does not know of (a Kubernetes or CDK one) that gives the variable would lose it.
  const moved = new Set(written.filter((w) => !move.left.includes(w)).map((w) => w.runtime));
  if (app.runtimes.some((r) => !moved.has(r) && r.environment.includes(name))) return undefined;
  return {
    title: `Fetch ${name} from ${words(move.secrets)} once per execution environment (boto3, ${move.arnVariable})${unfinished ? ': the function still needs read access' : ''}`,
    edits: pythonFetchEdits(model, document.lines, name, move.arnVariable),
    otherFiles: move.edits,
    needs: [
      ...move.needs,
      `Make other files that read ${name} fetch it the same way: the function is now given ${move.arnVariable} instead`,
      ...left,
    ],
  };
}

/** Imports and a module docstring, which come before the helper a fix adds (one predicate: `afterImports` caches by it). */
function isPreamble(statement: Node): boolean {
  if (['import_statement', 'import_from_statement', 'future_import_statement'].includes(statement.type))
    return true;
  if (statement.type !== 'expression_statement' || statement.namedChildren[0]?.type !== 'string')
    return false;
  const first = topLevelStatements(statement.tree.rootNode).find((c) => c.type !== 'comment');
  return first?.startIndex === statement.startIndex;
}

/**
 * Python code that fetches the secret whose ARN the variable holds, once per execution
 * environment (a cached function, after the imports), in place of every read of the variable.
 */
function pythonFetchEdits(
  model: CodeModel,
  lines: LineIndex,
  variable: string,
  arnVariable: string,
): TextEdit[] {
  const text = sourceOf(model);
  const eol = lines.eol;
  const helper = uniqueName('_secret_value', (n) => usesIdentifier(text, n));
  const reads = environmentReads(model)
    .filter((r) => r.name === variable)
    .map((r) => ({ ...r.span, text: `${helper}(${JSON.stringify(arnVariable)})` }));
  const at = afterImports(model.root, isPreamble);
  const imports = [
    ...ensurePythonImport(model, lines, 'functools'),
    ...ensurePythonImport(model, lines, 'os'),
    ...ensurePythonImport(model, lines, 'boto3'),
  ];
  const following = /^(\r?\n)*/.exec(text.slice(at))![0].split('\n').length - 1;
  const definition = [
    '@functools.lru_cache(maxsize=None)',
    `def ${helper}(variable):`,
    '    """The Secrets Manager secret whose ARN the variable holds, fetched once per environment."""',
    '    return boto3.client("secretsmanager").get_secret_value(SecretId=os.environ[variable])["SecretString"]',
  ].join(eol);
  const before = eol.repeat(at === 0 ? 2 : 3);
  const after = eol.repeat(Math.max(0, 3 - following));
  // The imports and the helper go at one place: one edit, in that order.
  const here = imports.filter((e) => e.start === at);
  return [
    ...imports.filter((e) => e.start !== at),
    { start: at, end: at, text: [...here.map((e) => e.text), `${before}${definition}${after}`].join('') },
    ...reads,
  ].sort((a, b) => a.start - b.start);
}

function words(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
