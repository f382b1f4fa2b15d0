import assert from 'node:assert/strict';
import rule, { mask } from '../../../server/src/rules/any/hardcoded-credential';
import { ruleTester } from '../../rule-tester';

const accessKey = 'AKIA' + 'QWERTYUIOPASDFGH';
const githubToken = 'ghp_' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123';

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
      name: 'in a plain text file',
      path: '.env.production',
      text: `AWS_ACCESS_KEY_ID=«${accessKey}»\n`,
    },
  ],
  clean: [
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
  });
});
