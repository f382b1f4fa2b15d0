import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import type { AnalysisResult } from '../../../server/src/engine/analyze';
import { applyEdits } from '../../../server/src/engine/fixes';
import type { Fix } from '../../../server/src/engine/rule';
import { parseTemplate } from '../../../server/src/project/apps/template';
import plainSecret from '../../../server/src/rules/code/secret-in-plain-environment';
import hardcodedSecret from '../../../server/src/rules/cfn/hardcoded-secret';
import { analyse, memory, projectOver, read } from '../cross-file';

const repo = join(__dirname, '..', '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'applications');
const rules = [plainSecret];

/** Each finding as `line:column «text»`, so that a failure shows what was found where. */
function found(result: AnalysisResult, text: string): string[] {
  return result.findings.map(
    (f) =>
      `${f.range.start.line + 1}:${f.range.start.character + 1} «${text.slice(f.span.start, f.span.end)}»`,
  );
}

/** The files a fix edits, relative to `root`, with their text once it is applied. */
function applied(fix: Fix, root: string): [string, string][] {
  return (fix.otherFiles ?? []).map((f) => [relative(root, f.path), applyEdits(f.text, f.edits)]);
}

/** The findings of the rule on one file of a workspace in memory. */
async function inMemory(files: Record<string, string>, path: string) {
  const result = await analyse(projectOver('/ws', rules, memory('/ws', files)), `/ws/${path}`, files[path]);
  return { result, found: found(result, files[path]) };
}

describe('secrets-management/secret-in-plain-environment', () => {
  it('has complete metadata, and says it has no equivalents', () => {
    const rule = plainSecret;
    assert.ok(rule.id.startsWith(`${rule.lesson}/`));
    assert.equal(rule.lesson, hardcodedSecret.lesson);
    for (const field of ['what', 'why', 'fix'] as const)
      assert.ok((rule.docs[field] ?? '').length > 40, field);
    assert.ok(rule.docs.example.code.trim() && rule.docs.useInstead.code.trim());
    assert.ok((rule.docs.references ?? []).length > 0, 'references');
    assert.deepEqual(rule.equivalents, []);
    assert.equal(rule.fix, 'scaffold');
    assert.deepEqual([...rule.kinds].sort(), ['js', 'py']);
  });

  describe('Express on ECS (YAML) and compose', () => {
    const root = join(fixtures, 'ecs-plain-secret');
    const server = join(root, 'api', 'server.js');
    const template = join(root, 'infra', 'template.yaml');

    it('flags the reads of secrets written in the task definition and in compose, and nothing else', async () => {
      const text = read(server);
      const result = await analyse(projectOver(root, rules), server, text);
      // Not API_TOKEN (a NoEcho parameter), SESSION_SECRET (`changeme`), JWT_SECRET (container
      // Secrets; empty in compose), AUDIT_WEBHOOK_SECRET (written, but the code does not read it).
      assert.deepEqual(found(result, text), [
        '4:62 «process.env.DB_PASSWORD»',
        '6:21 «process.env.PAYMENTS_API_KEY»',
      ]);
      const [db, payments] = result.findings;
      assert.equal(
        db.message,
        '`DB_PASSWORD` holds a secret, and ECS service ApiService gives it to this code as a value written out in infra/template.yaml: anyone who can read the repository, or describe the task definition, has it. Keep it in Secrets Manager and give it through the container’s `Secrets`.',
      );
      assert.deepEqual(
        db.related?.map(
          (r) =>
            `${relative(root, r.path)}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`,
        ),
        ['infra/template.yaml:45:22 ECS service ApiService gives DB_PASSWORD this value in plain text'],
      );
      assert.match(
        payments.message,
        /compose service api gives it to this code as a value written out in docker-compose\.yml/,
      );
      assert.equal(payments.fix, undefined, 'compose gets no fix');
      // No message shows a value.
      for (const f of result.findings) assert.doesNotMatch(f.message, /Xk82|pk-local/);
    });

    it('moves the value into a new secret given through Secrets, readable by the execution role', async () => {
      const text = read(server);
      const result = await analyse(projectOver(root, rules), server, text);
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(fix.kind, 'scaffold');
      assert.equal(
        fix.title,
        'Give DB_PASSWORD from Secrets Manager secret ApiDbPasswordSecret (container Secrets)',
      );
      assert.deepEqual(fix.edits, [], 'the code keeps reading DB_PASSWORD');
      assert.deepEqual(fix.needs, [
        "Put the real value in ApiDbPasswordSecret if another party issues it (the template generates a new one), and rotate the value that was written: it stays in the repository's history",
      ]);
      const before = read(template);
      const after = before
        .replace(
          '        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\n',
          '        - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\n' +
            '      Policies:\n' +
            '        - PolicyName: ReadApiDbPasswordSecret\n' +
            '          PolicyDocument:\n' +
            "            Version: '2012-10-17'\n" +
            '            Statement:\n' +
            '              - Effect: Allow\n' +
            '                Action: secretsmanager:GetSecretValue\n' +
            '                Resource: !Ref ApiDbPasswordSecret\n',
        )
        .replace('            - Name: DB_PASSWORD\n              Value: Xk82-prod-Pw-7731\n', '')
        .replace(
          '              ValueFrom: !Ref JwtSigningKey\n',
          '              ValueFrom: !Ref JwtSigningKey\n' +
            '            - Name: DB_PASSWORD\n' +
            '              ValueFrom: !Ref ApiDbPasswordSecret\n',
        )
        .replace(
          '      DesiredCount: 2\n',
          '      DesiredCount: 2\n' +
            '  ApiDbPasswordSecret:\n' +
            '    Type: AWS::SecretsManager::Secret\n' +
            '    Properties:\n' +
            '      Description: !Sub DB_PASSWORD of container api (${AWS::StackName})\n' +
            '      GenerateSecretString:\n' +
            '        PasswordLength: 32\n' +
            `        ExcludeCharacters: '"@/\\'''\n`,
        );
      assert.notEqual(after, before);
      assert.deepEqual(applied(fix, root), [['infra/template.yaml', after]]);
      assert.doesNotMatch(after, /Xk82/, 'the written value is not copied');
      const parsed = parseTemplate(after);
      assert.ok(parsed?.resourceById.get('ApiDbPasswordSecret'));
    });

    it('finds nothing more once the fix is applied, and the template rule agrees', async () => {
      const text = read(server);
      const first = await analyse(projectOver(root, rules), server, text);
      const [[, fixed]] = applied(first.findings[0].fix!()!, root);
      const files = {
        'infra/template.yaml': fixed,
        'docker-compose.yml': read(join(root, 'docker-compose.yml')),
        'api/server.js': text,
        'api/package.json': read(join(root, 'api', 'package.json')),
        'api/Dockerfile': read(join(root, 'api', 'Dockerfile')),
      };
      const { found: after } = await inMemory(files, 'api/server.js');
      assert.deepEqual(after, ['6:21 «process.env.PAYMENTS_API_KEY»']);
      const project = projectOver('/ws', [hardcodedSecret], memory('/ws', files));
      const before = await analyse(projectOver(root, [hardcodedSecret]), template, read(template));
      const fixedResult = await analyse(project, '/ws/infra/template.yaml', fixed);
      assert.equal(fixedResult.findings.length, before.findings.length - 1);
    });

    it('renames a lone Environment entry into Secrets, and says what the missing execution role leaves to do', async () => {
      const files = {
        'infra/template.yaml': [
          'Resources:',
          '  Task:',
          '    Type: AWS::ECS::TaskDefinition',
          '    Properties:',
          '      ContainerDefinitions:',
          '        - Name: billing-api',
          '          Image: example/billing-api:1.4',
          '          Environment:',
          '            - Name: DB_PASSWORD',
          '              Value: "Xk82-prod-Pw-7731"',
          '          Essential: true',
          '  Service:',
          '    Type: AWS::ECS::Service',
          '    Properties:',
          '      TaskDefinition: !Ref Task',
          '',
        ].join('\n'),
        'api/server.js': read(server),
        'api/package.json': read(join(root, 'api', 'package.json')),
        'api/Dockerfile': read(join(root, 'api', 'Dockerfile')),
      };
      const { result, found: flagged } = await inMemory(files, 'api/server.js');
      assert.deepEqual(flagged, ['4:62 «process.env.DB_PASSWORD»']);
      const fix = result.findings[0].fix!()!;
      assert.equal(
        fix.title,
        'Give DB_PASSWORD from Secrets Manager secret BillingApiDbPasswordSecret (container Secrets): the execution role still needs read access',
      );
      assert.equal(
        fix.needs?.[0],
        'Give task definition Task an execution role (ExecutionRoleArn) that may read BillingApiDbPasswordSecret',
      );
      const after = files['infra/template.yaml']
        .replace(
          '          Environment:\n            - Name: DB_PASSWORD\n              Value: "Xk82-prod-Pw-7731"\n',
          '          Secrets:\n            - Name: DB_PASSWORD\n              ValueFrom: !Ref BillingApiDbPasswordSecret\n',
        )
        .replace(
          '      TaskDefinition: !Ref Task\n',
          '      TaskDefinition: !Ref Task\n' +
            '  BillingApiDbPasswordSecret:\n' +
            '    Type: AWS::SecretsManager::Secret\n' +
            '    Properties:\n' +
            '      Description: !Sub DB_PASSWORD of container billing-api (${AWS::StackName})\n' +
            '      GenerateSecretString:\n' +
            '        PasswordLength: 32\n' +
            `        ExcludeCharacters: '"@/\\'''\n`,
        );
      assert.deepEqual(applied(fix, '/ws'), [['infra/template.yaml', after]]);
      assert.ok(parseTemplate(after));
    });

    it('adds Secrets after an Environment list that ends the definition, and names a role it cannot edit', async () => {
      const files = {
        'infra/template.yaml': [
          'Parameters:',
          '  ExecutionRole:',
          '    Type: String',
          'Resources:',
          '  Task:',
          '    Type: AWS::ECS::TaskDefinition',
          '    Properties:',
          '      ExecutionRoleArn: !Ref ExecutionRole',
          '      ContainerDefinitions:',
          '        - Name: billing-api',
          '          Image: example/billing-api:1.4',
          '          Environment:',
          '            - Name: LOG_LEVEL',
          '              Value: info',
          '            - Name: DB_PASSWORD',
          '              Value: Xk82-prod-Pw-7731',
          '  Service:',
          '    Type: AWS::ECS::Service',
          '    Properties:',
          '      TaskDefinition: !Ref Task',
          '  Canary:',
          '    Type: AWS::ECS::Service',
          '    Properties:',
          '      TaskDefinition: !Ref Task',
          '',
        ].join('\n'),
        'api/server.js': read(server),
        'api/package.json': read(join(root, 'api', 'package.json')),
        'api/Dockerfile': read(join(root, 'api', 'Dockerfile')),
      };
      const { result } = await inMemory(files, 'api/server.js');
      assert.equal(result.findings.length, 1);
      // Two services of one task definition: one place, one secret.
      assert.equal(result.findings[0].related?.length, 1);
      const fix = result.findings[0].fix!()!;
      assert.equal(
        fix.needs?.[0],
        'Allow the execution role of task definition Task secretsmanager:GetSecretValue on BillingApiDbPasswordSecret',
      );
      const [[, after]] = applied(fix, '/ws');
      assert.ok(
        after.includes(
          '            - Name: LOG_LEVEL\n' +
            '              Value: info\n' +
            '          Secrets:\n' +
            '            - Name: DB_PASSWORD\n' +
            '              ValueFrom: !Ref BillingApiDbPasswordSecret\n' +
            '  Service:\n',
        ),
        after,
      );
      assert.doesNotMatch(after, /Xk82/);
      const parsed = parseTemplate(after);
      assert.ok(parsed?.resourceById.get('BillingApiDbPasswordSecret'));
    });

    it('leaves values compose interpolates, reads from env files, or a test stack writes', async () => {
      const base = {
        'api/server.js': read(server),
        'api/package.json': read(join(root, 'api', 'package.json')),
      };
      const compose = (environment: string, extra = '') =>
        `services:\n  api:\n    build: ./api\n${extra}    environment:\n${environment}`;
      const cases: Record<string, string>[] = [
        { 'docker-compose.yml': compose('      PAYMENTS_API_KEY: ${PAYMENTS_API_KEY:-pk-local-3a9f18c2}\n') },
        {
          'docker-compose.yml': compose('      - PAYMENTS_API_KEY\n', '    env_file: .env\n'),
          '.env': 'PAYMENTS_API_KEY=pk-local-3a9f18c2\n',
        },
        { 'docker-compose.test.yml': compose('      PAYMENTS_API_KEY: pk-local-3a9f18c2\n') },
        {
          'docker-compose.yml': compose(
            '      PAYMENTS_API_KEY: your-api-key-here\n      DB_PASSWORD: password\n',
          ),
        },
      ];
      for (const files of cases) {
        const { found: flagged } = await inMemory({ ...base, ...files }, 'api/server.js');
        assert.deepEqual(flagged, [], JSON.stringify(files));
      }
      const { found: flagged } = await inMemory(
        { ...base, 'docker-compose.yml': compose('      - PAYMENTS_API_KEY=pk-local-3a9f18c2\n') },
        'api/server.js',
      );
      assert.deepEqual(flagged, ['6:21 «process.env.PAYMENTS_API_KEY»']);
    });
  });

  describe('a Python worker on ECS (JSON)', () => {
    const root = join(fixtures, 'ecs-plain-secret-json');
    const main = join(root, 'worker', 'main.py');
    const stack = join(root, 'deploy', 'stack.json');

    it('flags the written password, not the dynamic reference, and fixes the JSON template', async () => {
      const text = read(main);
      const result = await analyse(projectOver(root, rules), main, text);
      assert.deepEqual(found(result, text), ['12:18 «os.environ["LEDGER_DB_PASSWORD"]»']);
      const fix = result.findings[0].fix!()!;
      assert.equal(
        fix.title,
        'Give LEDGER_DB_PASSWORD from Secrets Manager secret LedgerDbPasswordSecret (container Secrets)',
      );
      const before = read(stack);
      const after = before
        .replace(
          '              ]\n            }\n          }\n        ]\n',
          '              ]\n            }\n          },\n' +
            '          {\n' +
            '            "PolicyName": "ReadLedgerDbPasswordSecret",\n' +
            '            "PolicyDocument": {\n' +
            '              "Version": "2012-10-17",\n' +
            '              "Statement": [\n' +
            '                {\n' +
            '                  "Effect": "Allow",\n' +
            '                  "Action": "secretsmanager:GetSecretValue",\n' +
            '                  "Resource": { "Ref": "LedgerDbPasswordSecret" }\n' +
            '                }\n' +
            '              ]\n' +
            '            }\n' +
            '          }\n' +
            '        ]\n',
        )
        .replace('              { "Name": "LEDGER_DB_PASSWORD", "Value": "q9-Ledger-2291-zz" },\n', '')
        .replace(
          '{{resolve:secretsmanager:ledger/slack-token}}" }\n            ]\n',
          '{{resolve:secretsmanager:ledger/slack-token}}" }\n            ],\n' +
            '            "Secrets": [\n' +
            '              {\n' +
            '                "Name": "LEDGER_DB_PASSWORD",\n' +
            '                "ValueFrom": { "Ref": "LedgerDbPasswordSecret" }\n' +
            '              }\n' +
            '            ]\n',
        )
        .replace(
          '        "DesiredCount": 1\n      }\n    }\n',
          '        "DesiredCount": 1\n      }\n    },\n' +
            '    "LedgerDbPasswordSecret": {\n' +
            '      "Type": "AWS::SecretsManager::Secret",\n' +
            '      "Properties": {\n' +
            '        "Description": { "Fn::Sub": "LEDGER_DB_PASSWORD of container ledger-worker (${AWS::StackName})" },\n' +
            '        "GenerateSecretString": {\n' +
            '          "PasswordLength": 32,\n' +
            '          "ExcludeCharacters": "\\"@/\\\\\'"\n' +
            '        }\n' +
            '      }\n' +
            '    }\n',
        );
      assert.deepEqual(applied(fix, root), [['deploy/stack.json', after]]);
      const json = JSON.parse(after) as {
        Resources: Record<string, { Properties: { ContainerDefinitions?: { Secrets?: unknown[] }[] } }>;
      };
      assert.deepEqual(json.Resources.WorkerTask.Properties.ContainerDefinitions?.[0].Secrets, [
        { Name: 'LEDGER_DB_PASSWORD', ValueFrom: { Ref: 'LedgerDbPasswordSecret' } },
      ]);
      // The fixed stack gives the code nothing in plain text any more.
      const workspace = (stackText: string) => ({
        'deploy/stack.json': stackText,
        'worker/main.py': text,
        'worker/pyproject.toml': read(join(root, 'worker', 'pyproject.toml')),
        'worker/Dockerfile': read(join(root, 'worker', 'Dockerfile')),
      });
      assert.equal((await inMemory(workspace(before), 'worker/main.py')).found.length, 1);
      assert.deepEqual((await inMemory(workspace(after), 'worker/main.py')).found, []);
    });
  });

  describe('a Python function on Lambda (SAM)', () => {
    const root = join(fixtures, 'sam-plain-secret');
    const app = join(root, 'reports', 'app.py');

    it('flags written values of the function and of Globals, and never shows them', async () => {
      const text = read(app);
      const result = await analyse(projectOver(root, rules), app, text);
      // Not DB_PASSWORD (a NoEcho parameter), MAPS_API_KEY (a dynamic reference), MAIL_TOKEN (`xxxxxxxx`).
      assert.deepEqual(found(result, text), [
        '8:16 «os.environ["SMTP_PASSWORD"]»',
        '12:14 «os.getenv("SENTRY_AUTH_TOKEN")»',
      ]);
      assert.match(
        result.findings[0].message,
        /Lambda function ReportsFunction gives it to this code as a value written out in template\.yaml: .*have the code fetch it when it starts\./,
      );
      assert.deepEqual(
        result.findings.map((f) =>
          f.related?.map((r) => `${relative(root, r.path)}:${r.range.start.line + 1}`),
        ),
        [['template.yaml:26'], ['template.yaml:16']],
      );
      for (const f of result.findings) assert.doesNotMatch(f.message, /m41l|sntrys/);
      // A variable of Globals serves every function: it is not renamed for one.
      assert.equal(result.findings[1].fix?.(), undefined);
    });

    it('gives the function the secret’s ARN and a SAM policy to read it, and makes the code fetch it once', async () => {
      const text = read(app);
      const result = await analyse(projectOver(root, rules), app, text);
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(fix.kind, 'scaffold');
      assert.equal(
        fix.title,
        'Fetch SMTP_PASSWORD from Secrets Manager secret ReportsFunctionSmtpPasswordSecret once per execution environment (boto3, SMTP_PASSWORD_SECRET_ARN)',
      );
      assert.deepEqual(fix.needs, [
        "Put the real value in ReportsFunctionSmtpPasswordSecret if another party issues it (the template generates a new one), and rotate the value that was written: it stays in the repository's history",
        'Make other files that read SMTP_PASSWORD fetch it the same way: the function is now given SMTP_PASSWORD_SECRET_ARN instead',
      ]);
      assert.equal(
        applyEdits(text, fix.edits),
        text
          .replace(
            'import smtplib\n',
            'import smtplib\n' +
              'import functools\n' +
              'import boto3\n\n\n' +
              '@functools.lru_cache(maxsize=None)\n' +
              'def _secret_value(variable):\n' +
              '    """The Secrets Manager secret whose ARN the variable holds, fetched once per environment."""\n' +
              '    return boto3.client("secretsmanager").get_secret_value(SecretId=os.environ[variable])["SecretString"]\n\n',
          )
          .replace('os.environ["SMTP_PASSWORD"]', '_secret_value("SMTP_PASSWORD_SECRET_ARN")'),
      );
      const before = read(join(root, 'template.yaml'));
      const after = before
        .replace(
          "          SMTP_PASSWORD: 'm41l-Relay-Pw!'\n",
          '          SMTP_PASSWORD_SECRET_ARN: !Ref ReportsFunctionSmtpPasswordSecret\n',
        )
        .replace(
          '          LOG_LEVEL: INFO\n',
          '          LOG_LEVEL: INFO\n' +
            '      Policies:\n' +
            '        - AWSSecretsManagerGetSecretValuePolicy:\n' +
            '            SecretArn: !Ref ReportsFunctionSmtpPasswordSecret\n' +
            '  ReportsFunctionSmtpPasswordSecret:\n' +
            '    Type: AWS::SecretsManager::Secret\n' +
            '    Properties:\n' +
            '      Description: !Sub SMTP_PASSWORD of function ReportsFunction (${AWS::StackName})\n' +
            '      GenerateSecretString:\n' +
            '        PasswordLength: 32\n' +
            `        ExcludeCharacters: '"@/\\'''\n`,
        );
      assert.deepEqual(applied(fix, root), [['template.yaml', after]]);
      assert.doesNotMatch(after, /m41l/);
      assert.ok(parseTemplate(after)?.resourceById.get('ReportsFunctionSmtpPasswordSecret'));
    });

    const feedTemplate = [
      'Resources:',
      '  FeedRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument: {}',
      '  Feed:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: feed.handler',
      '      Code: feed/',
      '      Role: !GetAtt FeedRole.Arn',
      '      Environment:',
      '        Variables: { GITHUB_TOKEN: ghp-not-really-0123456789, LOG_LEVEL: info }',
      '',
    ].join('\n');
    const feed = [
      '"""Feed of releases."""',
      '',
      'HEADER = "Authorization"',
      '',
      '',
      'def handler(event, context):',
      '    import os',
      '    return {"token": os.environ["GITHUB_TOKEN"]}',
      '',
    ].join('\n');

    it('grants the function’s own role, and imports what the helper needs after a docstring', async () => {
      const { result } = await inMemory(
        { 'template.yaml': feedTemplate, 'feed/feed.py': feed },
        'feed/feed.py',
      );
      const fix = result.findings[0].fix?.();
      assert.ok(fix);
      assert.equal(
        applyEdits(feed, fix.edits),
        '"""Feed of releases."""\n' +
          'import functools\nimport os\nimport boto3\n\n\n' +
          '@functools.lru_cache(maxsize=None)\n' +
          'def _secret_value(variable):\n' +
          '    """The Secrets Manager secret whose ARN the variable holds, fetched once per environment."""\n' +
          '    return boto3.client("secretsmanager").get_secret_value(SecretId=os.environ[variable])["SecretString"]\n\n\n' +
          'HEADER = "Authorization"\n\n\n' +
          'def handler(event, context):\n' +
          '    import os\n' +
          '    return {"token": _secret_value("GITHUB_TOKEN_SECRET_ARN")}\n',
      );
      const [[, after]] = applied(fix, '/ws');
      assert.ok(
        after.includes(
          '      AssumeRolePolicyDocument: {}\n' +
            '      Policies:\n' +
            '        - PolicyName: ReadFeedGithubTokenSecret\n' +
            '          PolicyDocument:\n' +
            "            Version: '2012-10-17'\n" +
            '            Statement:\n' +
            '              - Effect: Allow\n' +
            '                Action: secretsmanager:GetSecretValue\n' +
            '                Resource: !Ref FeedGithubTokenSecret\n',
        ),
        after,
      );
      assert.ok(
        after.includes('Variables: { GITHUB_TOKEN_SECRET_ARN: !Ref FeedGithubTokenSecret, LOG_LEVEL: info }'),
      );
      assert.ok(parseTemplate(after)?.resourceById.get('FeedGithubTokenSecret'));
    });

    it('offers no fix where the code cannot fetch the secret the same way', async () => {
      // JavaScript would have to await the secret: no fix yet.
      const js = 'exports.handler = async () => ({ token: process.env.GITHUB_TOKEN });\n';
      const javascript = await inMemory(
        { 'template.yaml': feedTemplate, 'feed/feed.js': js },
        'feed/feed.js',
      );
      assert.deepEqual(javascript.found, ['1:41 «process.env.GITHUB_TOKEN»']);
      assert.equal(javascript.result.findings[0].fix, undefined);
      // Another runtime of the same code gives the variable itself: renaming it would break that one.
      const python = await inMemory(
        {
          'template.yaml': feedTemplate,
          'feed/feed.py': feed,
          'feed/Dockerfile': 'FROM python:3.12-slim\n',
          'docker-compose.yml':
            'services:\n  feed:\n    build: ./feed\n    environment:\n      GITHUB_TOKEN: ${GITHUB_TOKEN}\n',
        },
        'feed/feed.py',
      );
      assert.equal(python.result.findings.length, 1);
      assert.equal(python.result.findings[0].fix?.(), undefined);
    });

    it('says nothing for code no runtime runs', async () => {
      const files = { 'template.yaml': read(join(root, 'template.yaml')), 'scripts/app.py': read(app) };
      const { found: flagged } = await inMemory(files, 'scripts/app.py');
      assert.deepEqual(flagged, []);
    });
  });
});
