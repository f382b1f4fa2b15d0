import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { Node } from 'web-tree-sitter';
import { environmentEdits, environmentName } from '../../engine/code/env';
import type { Model } from '../../engine/document';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex, Span } from '../../engine/text';

// secretlint records a performance mark per rule and file and never frees them: in a server that
// runs for days that is a leak, and it slows every later scan. Nothing here reads the profile.
secretLintProfiler.mark = () => {};

const secretlintConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** What each scanner message found, in words a reader recognises. */
const labels: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key id',
  AWSSecretAccessKey: 'AWS secret access key',
};

/**
 * The AWS scanner's id option also reports account ids. Those identify an account and grant
 * nothing (templates name AWS's own ELB log-delivery accounts, for one), so they are not
 * credentials; hard-wired account ids belong to infrastructure-as-code rules.
 */
const notCredentials = new Set(['AWSAccountID']);
const ruleLabels: Record<string, string> = {
  aws: 'AWS credential',
  gcp: 'Google Cloud service account key',
  privatekey: 'private key',
  basicauth: 'password in a URL',
  'database-connection-string': 'database connection string with a password',
  github: 'GitHub token',
  gitlab: 'GitLab token',
  slack: 'Slack token or webhook',
  sendgrid: 'SendGrid API key',
  shopify: 'Shopify token',
  npm: 'npm token',
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  '1password': '1Password service account token',
  docker: 'Docker registry credential',
  'hashicorp-vault': 'HashiCorp Vault token',
};

/** Environment variable names for the fix, by what was found. */
const envNames: Record<string, string> = {
  AWSAccessKeyID: 'AWS_ACCESS_KEY_ID',
  AWSSecretAccessKey: 'AWS_SECRET_ACCESS_KEY',
};

interface ScannerMessage {
  ruleId: string;
  messageId: string;
  range: readonly [number, number];
  data?: Record<string, unknown>;
}

export default defineRule({
  id: 'secrets-management/hardcoded-credential',
  lesson: 'secrets-management',
  title: 'Credential written in a file',
  severity: 'error',
  equivalents: ['CKV_SECRET_*'],
  fix: 'scaffold',
  messages: {
    written:
      '{{article}} {{credential}} is written in this file ({{masked}}). Anyone who can read the repository or the image can use it: rotate it and read it from the environment or a secrets manager.',
  },
  docs: {
    what:
      'Credentials recognised by the secretlint scanner in any text file: AWS access keys, private keys, GitHub, GitLab, Slack, npm and AI-provider tokens, ' +
      'and passwords inside URLs and database connection strings. The value is masked in every message and output.',
    why:
      'A credential in a file is shared with everyone who can read the repository, every clone and fork, every CI log and every image built from it. ' +
      'Deleting it later does not remove it from the history. Treat it as leaked: rotate it, and read the replacement from the environment or a secrets manager at run time. ' +
      'In JavaScript and Python the fix replaces the literal with an environment variable.',
    example: {
      language: 'python',
      code: `import boto3

s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIA…",            # a real key, committed
    aws_secret_access_key="wJalr…",
)`,
    },
    useInstead: {
      language: 'python',
      code: `import boto3

# No keys in code: boto3 finds the role of the instance, task or function,
# or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment.
s3 = boto3.client("s3")`,
    },
    references: [
      { title: 'secretlint', url: 'https://github.com/secretlint/secretlint' },
      {
        title: 'GitHub: removing sensitive data from a repository',
        url: 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository',
      },
      {
        title: 'AWS: what to do if you expose an access key',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
      },
    ],
    fix:
      'In JavaScript, TypeScript and Python, replaces a string literal that is exactly the credential with a read of the environment (`process.env.NAME`, `os.environ["NAME"]`, adding `import os`). ' +
      'A scaffold: the variable must be provided wherever the code runs, and the credential must still be rotated, since it stays in the history.',
  },
  checks: {
    async any({ document, model, report }) {
      const { text } = document;
      const result = await lintSource({
        source: { filePath: document.path, content: text, contentType: 'text' },
        options: { config: secretlintConfig },
      });
      for (const message of result.messages as ScannerMessage[]) {
        if (notCredentials.has(message.messageId)) continue;
        const ruleName = message.ruleId.replace('@secretlint/secretlint-rule-', '');
        const label = labels[message.messageId] ?? ruleLabels[ruleName] ?? 'credential';
        const span = secretSpan(text, message);
        const value = text.slice(span.start, span.end);
        report({
          at: span,
          messageId: 'written',
          data: { article: article(label), credential: label, masked: mask(value, ruleName) },
          fix: () =>
            environmentFix(model, document.lines, span, envNames[message.messageId] ?? envNameFor(ruleName)),
        });
      }
    },
  },
});

function article(label: string): string {
  return /^[aeiou]/i.test(label) ? 'An' : 'A';
}

/**
 * Where exactly the secret is. The scanner's range can start at the variable name (AWS secret
 * keys) or run past the closing quote (connection strings): anchor on the value it reports.
 */
function secretSpan(text: string, message: ScannerMessage): Span {
  let [start, end] = message.range;
  for (const value of Object.values(message.data ?? {})) {
    if (typeof value !== 'string' || value.length < 8) continue;
    const at = text.indexOf(value, start);
    if (at >= 0 && at <= end) {
      start = at;
      end = at + value.length;
      break;
    }
  }
  while (end > start && /["'`;,)\s]/.test(text[end - 1])) end--;
  return { start, end };
}

/** Enough to recognise the value, never enough to use it. */
export function mask(value: string, ruleName: string): string {
  if (ruleName === 'privatekey' || value.startsWith('-----BEGIN')) return 'a PEM private key block';
  const url = /^([a-z][a-z0-9+.-]*:\/\/)([^:/@\s]*):([^@\s]+)@(.*)$/i.exec(value);
  if (url) return `${url[1]}${url[2]}:****@${url[4]}`;
  const visible = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, visible)}${'*'.repeat(Math.min(12, value.length - visible))}`;
}

function envNameFor(ruleName: string): string {
  if (ruleName === 'database-connection-string') return 'DATABASE_URL';
  return `${ruleName.replace(/[^a-z0-9]+/gi, '_').toUpperCase()}_TOKEN`;
}

/** In JS/TS and Python, a string literal that is exactly the secret becomes an environment read. */
function environmentFix(
  model: Model | undefined,
  lines: LineIndex,
  span: Span,
  envName: string,
): Fix | undefined {
  if (!model || !('code' in model)) return undefined;
  const code = model.code;
  let node: Node | null = code.root.descendantForIndex(span.start, span.end);
  while (node && !['string', 'template_string'].includes(node.type)) node = node.parent;
  if (!node) return undefined;
  // Only when the literal is the secret itself (quotes aside): a URL around it needs a person.
  const inner = lines.text.slice(node.startIndex, node.endIndex).replace(/^[a-z]*["'`]+|["'`]+$/gi, '');
  if (inner !== lines.text.slice(span.start, span.end)) return undefined;
  const name = environmentName(code, node, envName);
  return {
    title: `Read ${name} from the environment`,
    edits: environmentEdits(code, lines, node, name, { keepDefault: false }),
  };
}
