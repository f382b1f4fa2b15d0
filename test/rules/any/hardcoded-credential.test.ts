import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule, { mask } from '../../../server/src/rules/any/hardcoded-credential';
import { ruleTester } from '../../rule-tester';

const accessKey = 'AKIA' + 'QWERTYUIOPASDFGH';
const githubToken = 'ghp_' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123';
// Key bodies and tokens made up for these tests, split so that no scanner takes the file for a leak.
const keyLine = 'MIIEow' + 'IBAAKCAQEAq8Lm2Zt5Rw9Yd3Hk7Jp0Vx4Nc6Bf1Gs8Qe2Ua5Ti9Oy3Wr7Mn0Lb4Kc6Hd8Jf1';
const slackUser = 'xox' + 's-40217731-58110294-77190351-3d9a1c7e5b2f4a6c8e0d2b4f6a8c0e1f';
const slackRotating = 'xox' + 'e.xoxp-1-Q2xvdWRMZXNzb25zVGVzdFRva2VuT25seUZvclRoaXNGaWxl';
const gitlabDeploy = 'gl' + 'dt-Rk3mQ8vN2pXw7LzT5aYc';

ruleTester(rule, {
  flagged: [
    {
      name: 'AWS access key in JavaScript: read from the environment',
      path: 'config.js',
      text: `const accessKeyId = '«${accessKey}»';\n`,
      messages: [/^An AWS access key id is written in this file \(AKIA\*{12}\)/],
      messageIds: ['written'],
      fixed: `const accessKeyId = process.env.ACCESS_KEY_ID;\n`,
    },
    {
      name: 'in TypeScript the read is non-null; a name of one letter says nothing, the credential names it',
      path: 'src/aws.ts',
      text: `export const k = '«${accessKey}»';\nexport const config = { githubToken: '«${githubToken}»' };\n`,
      fixed: `export const k = process.env.AWS_ACCESS_KEY_ID!;\nexport const config = { githubToken: process.env.GITHUB_TOKEN! };\n`,
    },
    {
      name: 'GitHub token in Python: os is imported',
      path: 'deploy.py',
      text: `import sys\n\ntoken = "«${githubToken}»"\n`,
      messages: [/^A GitHub token is written in this file \(ghp_\*{12}\)/],
      fixed: `import sys\nimport os\n\ntoken = os.environ["TOKEN"]\n`,
    },
    {
      name: 'Python with os imported already, in a keyword argument',
      path: 'deploy.py',
      text: `import os\nfrom github import Github\n\ngh = Github(login_or_token="«${githubToken}»")\n`,
      fixed: `import os\nfrom github import Github\n\ngh = Github(login_or_token=os.environ["LOGIN_OR_TOKEN"])\n`,
    },
    {
      name: 'password in a connection string in a compose file: masked, no fix',
      path: 'docker-compose.yml',
      text: `services:\n  app:\n    image: app:1.0\n    environment:\n      DATABASE_URL: «postgres://app:s3cretPassw0rd@db:5432/app»\n`,
      messages: [/postgres:\/\/app:\*\*\*\*@db:5432\/app/],
    },
    {
      name: 'a default user and password, but for a dotted host or with an application user of its own',
      path: 'db.js',
      text: `const reports = '«postgres://postgres:postgres@reports.db.example.net/reports»';
const orders = '«postgres://orders:postgres@orders-db/orders»';
`,
      messages: [/reports\.db\.example\.net/, /:\/\/orders:\*\*\*\*@orders-db\/orders/],
      fixed: `const reports = process.env.REPORTS;
const orders = process.env.ORDERS;
`,
    },
    {
      name: 'in a plain text file',
      path: '.env.production',
      text: `AWS_ACCESS_KEY_ID=«${accessKey}»\n`,
    },
    {
      name: 'a private key with escaped CRLF line ends in a JSON-style string',
      path: 'keys.js',
      text: `const signingKey = "«-----BEGIN RSA PRIVATE KEY-----\\r\\n${keyLine}\\r\\n${keyLine}\\r\\n-----END RSA PRIVATE KEY-----»";\n`,
      messages: [/^A private key is written in this file \(a PEM private key block\)/],
      fixed: `const signingKey = process.env.SIGNING_KEY;\n`,
    },
    {
      name: 'a private key without its END line, in a raw triple-quoted string',
      path: 'sign.py',
      text: `KEY = r"""«-----BEGIN EC PRIVATE KEY-----\n${keyLine}\n${keyLine}»\n"""\n`,
    },
    {
      name: 'a PGP private key block with an armour header',
      path: 'release/signing.asc',
      text: `«-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQVY${keyLine}\n${keyLine}\n=Xq3r\n-----END PGP PRIVATE KEY BLOCK-----»\n`,
      messages: [/a PGP private key block/],
    },
    {
      name: 'Slack user and rotating tokens, a workflow webhook, and a GitLab deploy token',
      path: 'notify.ts',
      text: `export const tokens = {
  user: '«${slackUser}»',
  rotating: '«${slackRotating}»',
  workflow: '«https://hooks.slack.com/workflows/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»',
  deploy: '«${gitlabDeploy}»',
};
`,
      messages: [/Slack token/, /Slack token/, /Slack token/, /^A GitLab token/],
      fixed: `export const tokens = {
  user: process.env.TOKENS_USER!,
  rotating: process.env.ROTATING!,
  workflow: process.env.WORKFLOW!,
  deploy: process.env.DEPLOY!,
};
`,
    },
    {
      name: 'registry credentials in .npmrc',
      path: '.npmrc',
      text: `registry=https://npm.example-corp.com/
//npm.example-corp.com/:_auth=«Y2k6dG90YWxseS1ub3QtaHVudGVyMg==»
//npm.example-corp.com:8443/:_password=«bm90LWEtcmVhbC1wYXNz»
always-auth=true
`,
      messages: [
        /^An npm registry credential is written in this file \(Y2k6\*+\)/,
        /^An npm registry credential/,
      ],
    },
    {
      name: 'passwords in URLs that hold @, ! and an escaped character; the mask hides all of it',
      path: 'db.py',
      text: `PRIMARY = "«postgresql://orders:Pa@ss!w0rd#7@orders-db.example-corp.com:5432/orders»"
MIRROR = "«https://ci-bot:t0k3n%21x@git.example-corp.com/mirror.git»"
`,
      messages: [
        /\(postgresql:\/\/orders:\*\*\*\*@orders-db\.example-corp\.com:5432\/orders\)/,
        /\(https:\/\/ci-bot:\*\*\*\*@git\.example-corp\.com\/mirror\.git\)/,
      ],
      fixed: `import os
PRIMARY = os.environ["PRIMARY"]
MIRROR = os.environ["MIRROR"]
`,
    },
  ],
  clean: [
    {
      name: 'documentation placeholders: sample AWS keys, the sample Slack webhook, repeated patterns',
      path: 'docs/setup.md',
      text: `aws_access_key_id = AKIAIOSFODNN7SAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY
SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
SLACK_BOT_TOKEN=xoxb-0000000000-0000000000000-000000000000000000000000
DATABASE_URL=postgres://user:password@db.example-corp.com/app
REDIS_URL=redis://:\${REDIS_PASSWORD}@cache.example-corp.com:6379
`,
    },
    {
      name: 'an .npmrc that reads its token from the environment',
      path: '.npmrc',
      text: `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`,
    },
    {
      name: 'a certificate and a public key are not secrets; a key placeholder is none',
      path: 'tls.js',
      text: `const cert = "-----BEGIN CERTIFICATE-----\\nMIIB...\\n-----END CERTIFICATE-----";
const example = "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----";
`,
    },
    {
      name: 'reading from the environment',
      path: 'config.js',
      text: `const accessKeyId = process.env.AWS_ACCESS_KEY_ID;\n`,
    },
    {
      name: 'an AWS account id is an identifier, not a credential',
      path: 'template.yaml',
      text: `Mappings:\n  Region2ELBAccountId:\n    us-east-1:\n      AccountId: "127311923021"\n`,
    },
    {
      name: "a database's documented default user and password, for a host only the local network resolves",
      path: 'server.js',
      text: `const { Pool } = require('pg');
const pool = new Pool({ connectionString: 'postgres://postgres:postgres@db/postgres' });
const broker = 'amqp://guest:guest@rabbitmq:5672';
const legacy = 'mysql://root:root@localhost:3306/test';
`,
    },
    {
      name: "in a compose file, a token under a secret-named variable is secret-in-compose's finding",
      path: 'compose.yaml',
      text: `services:\n  deployer:\n    image: example/deployer:1.0\n    environment:\n      GITHUB_TOKEN: ${githubToken}\n`,
    },
    {
      name: 'a connection string without a password',
      path: 'app.py',
      text: `DATABASE_URL = "postgres://db:5432/app"\n`,
    },
  ],
});

describe('secret masking', () => {
  it('never shows more than four characters of a secret', () => {
    assert.equal(mask('wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY', 'aws'), 'wJal************');
    assert.equal(mask('abc', 'x'), 'abc'.slice(0, 0) + '***');
    assert.equal(mask('-----BEGIN RSA PRIVATE KEY-----', 'privatekey'), 'a PEM private key block');
    assert.equal(mask('mysql://app:p@ss@w0rd@db.internal/x', 'basicauth'), 'mysql://app:****@db.internal/x');
    assert.equal(
      mask(`https://${githubToken}@github.com/org/repo.git`, 'github'),
      'https://****@github.com/org/repo.git',
    );
  });
});

describe('secrets-management/hardcoded-credential in compose files', () => {
  it('reports one credential written in several places once, the others as related locations', async () => {
    const url = 'amqp://orders:Wq3-tundra-65@mq.corp.example:5672';
    const text = `services:\n  orders:\n    image: example/orders:1.0\n    environment:\n      BROKER_URL: ${url}\n  billing:\n    image: example/billing:1.0\n    environment:\n      BROKER_URL: ${url}\n`;
    const { findings } = await new Analyzer({ rules: [rule] }).analyze({ path: '/work/compose.yaml', text });
    assert.deepEqual(
      findings.map((f) => f.range.start.line + 1),
      [5],
    );
    assert.deepEqual(
      findings[0].related?.map((r) => `${r.range.start.line + 1} ${r.message}`),
      ['9 the same password in a URL, written again'],
    );
  });
});
