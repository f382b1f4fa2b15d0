import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { BoundedCache } from '../../engine/bounded-cache';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import type { Node } from '../../engine/parse/syntax-tree';
import { environmentEdits, environmentName } from '../../engine/code/env';
import { composeSecrets } from '../../engine/compose/secrets';
import type { Model } from '../../engine/document';
import { defineRule, type Fix } from '../../engine/rule';
import { isDefaultLocalCredential } from '../../engine/default-credentials';
import { isPlaceholder } from '../../engine/secret-names';
import type { LineIndex, Span } from '../../engine/text';

// secretlint records a performance mark per rule and file and never frees them: in a server that
// runs for days that is a leak, and it slows every later scan. Nothing here reads the profile.
secretLintProfiler.mark = () => {};

/**
 * What a text must contain before each scanner of the preset can report anything: a piece that
 * every match of its patterns includes (a prefix, or the fixed part of a token), by rule id.
 * A text with none of them gets no message from secretlint, so it is not given to it. Pieces
 * are regular expressions, case-sensitive unless listed in `anywhereCase` (the scanners whose
 * own patterns ignore case). The table must name every rule of the preset (a test checks it,
 * and that no message of the scanner is ever missed on the test texts and the corpus).
 */
export const scannerNeeds: Record<string, string[]> = {
  // Access key ids, secret access keys; the account ids it also reports are dropped below.
  aws: [
    '(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}',
    '(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)',
  ],
  // Reads service-account keys only from files whose extension secretlint is given (none here).
  gcp: [],
  privatekey: ['PRIVATE KEY'],
  npm: ['x-oauth-basic@github\\.com', '_authToken=', 'npm_[A-Za-z0-9_]{36}'],
  basicauth: [':\\/\\/[-a-zA-Z0-9_]{1,256}:[-a-zA-Z0-9_]{1,256}@'],
  slack: ['(?:xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-'],
  sendgrid: ['SG\\.\\w'],
  shopify: ['(?:shppa|shpca|shpat|shpss)_'],
  github: ['(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}', 'github_pat_'],
  gitlab: ['glpat-'],
  grafana: ['glc_', 'glsa_'],
  openai: ['T3BlbkFJ'],
  anthropic: ['sk-ant-api0\\d-'],
  groq: ['gsk_[a-zA-Z0-9]{52}'],
  huggingface: ['hf_[a-zA-Z]{34}'],
  linear: ['lin_api_'],
  notion: ['ntn_[0-9]{11}'],
  '1password': ['ops_ey'],
  'database-connection-string': [],
  'hashicorp-vault': ['hv[sbr]\\.'],
  vercel: ['(?:vcp|vci|vca|vcr|vck)_'],
  databricks: ['dapi[A-Fa-f0-9]{32}'],
  docker: ['dckr_pat_'],
  figma: ['figd_'],
  // Only turns messages off (`secretlint-disable` comments).
  'filter-comments': [],
};

/** The pieces of scanners whose patterns ignore case: Slack webhooks, connection strings. */
export const anywhereCase: Record<string, string[]> = {
  slack: ['https:\\/\\/hooks\\.slack\\.com\\/services\\/T'],
  'database-connection-string': ['(?:mongodb(?:\\+srv)?|mysqlx?|postgres(?:ql)?):\\/\\/'],
};

const exactCase = new RegExp(Object.values(scannerNeeds).flat().join('|'));
const eitherCase = new RegExp(Object.values(anywhereCase).flat().join('|'), 'i');

/** Whether secretlint's preset could report anything on `text` (false: it certainly would not). */
export function mayHoldScannerSecret(text: string): boolean {
  return exactCase.test(text) || eitherCase.test(text);
}

const scannerId = (name: string) => `@secretlint/secretlint-rule-${name}`;

/**
 * Scanners that run on every text given to secretlint: the one that reads `secretlint-disable`
 * comments, and the Google Cloud one, which has no piece (it reads only `.json` and `.p12`
 * files, and parses them first).
 */
const alwaysRun = ['filter-comments', 'gcp'];

/**
 * The scanners of the preset that could report anything on `text`: those with one of their
 * pieces in it (the others certainly report nothing, as for the whole preset above), and
 * `alwaysRun`. Some scanner besides those is chosen exactly when `mayHoldScannerSecret(text)`.
 * On a large file with one connection string, secretlint then runs the scanner of
 * connection strings, not all two dozen over the whole text.
 */
export function scannersFor(text: string): string[] {
  const found = new Set(alwaysRun);
  for (const [table, flags] of [
    [scannerNeeds, ''],
    [anywhereCase, 'i'],
  ] as const) {
    // The leftmost piece of any scanner still unfound names one scanner more; no piece of the
    // others starts before it, so the search for them goes on from there.
    let from = 0;
    for (;;) {
      const left = Object.keys(table).filter((name) => !found.has(name) && table[name].length > 0);
      if (left.length === 0) break;
      const pattern = piecesOf(table, left, flags);
      pattern.lastIndex = from;
      const match = pattern.exec(text);
      if (!match) break;
      found.add(left[match.slice(1).findIndex((group) => group !== undefined)]);
      from = match.index;
    }
  }
  return Object.keys(scannerNeeds).filter((name) => found.has(name));
}

/** By the scanners still looked for: the sets met in practice are few, but not bounded by the code. */
const piecePatterns = new BoundedCache<RegExp>(256, 1_000_000);

/** One pattern for the pieces of these scanners, a group per scanner (in the order given). */
function piecesOf(table: Record<string, string[]>, names: string[], flags: string): RegExp {
  const key = `${flags}:${names.join(',')}`;
  let pattern = piecePatterns.get(key);
  if (!pattern) {
    pattern = new RegExp(names.map((name) => `(${table[name].join('|')})`).join('|'), `g${flags}`);
    piecePatterns.set(key, pattern);
  }
  return pattern;
}

type ScannerConfig = Parameters<typeof lintSource>[0]['options']['config'];

const secretlintConfigs = new BoundedCache<ScannerConfig>(256, 1_000_000);
const presetScanners = new Map(presetRules.map((rule) => [rule.meta.id, rule]));

/**
 * secretlint's configuration with only these scanners of the preset (secretlint does not turn
 * off a scanner inside a preset): each given as a rule of its own, in the preset's order, with the
 * preset's options. Their messages are the preset's, but for `ruleParentId`.
 */
export function scannerConfig(scanners: string[]): ScannerConfig {
  const key = scanners.join(',');
  let config = secretlintConfigs.get(key);
  if (!config) {
    const on = new Set(scanners.map(scannerId));
    config = {
      rules: [...presetScanners.values()]
        .filter((rule) => on.has(rule.meta.id))
        .map((rule) => ({
          id: rule.meta.id,
          rule,
          ...(rule.meta.id === scannerId('aws') ? { options: { enableIDScanRule: true } } : {}),
        })),
    };
    secretlintConfigs.set(key, config);
  }
  return config;
}

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
  npmrc: 'npm registry credential',
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
      'Credentials in text files: those the secretlint scanner recognises (AWS access keys, private keys, GitHub, GitLab, Slack, npm and AI-provider tokens, passwords inside URLs and database connection strings), ' +
      'and shapes it misses: private keys without their END line, with escaped line ends (`\\n`, `\\r\\n`) or in raw strings, PGP private key blocks, Slack `xoxs-`, `xoxe-` and workflow webhooks, GitLab tokens of every prefix, `_auth`, `_password` and `_authToken` in `.npmrc`, and URL passwords that hold `@`, `!`, `#` or escapes. ' +
      "Documentation values are left alone: AWS keys ending in EXAMPLE, SAMPLE, TEST or FAKE, Slack's `T00000000/B00000000/XXXX` webhook, tokens whose body is one character or a short pattern repeated, URL passwords that name the field (`user:password@`, `:${DB_PASSWORD}@`), and a database’s documented default user and password (`postgres:postgres`, `root:root`, `guest:guest`, `root:password`, from the same list of well-known defaults as `secrets-management/secret-in-compose`) in a URL whose host is a single-label name (`db`, `redis`, `localhost`): anyone could guess that pair, and only the compose or cluster network that gives the name reaches the host. " +
      'In a compose file, a value under a secret-named variable, and the same value as the password of a URL elsewhere in the file, is reported once by `secrets-management/secret-in-compose` (or by `secrets-management/local-database-password`, in `strict`, for a database only the compose network reaches), not here; the same credential written in several other places of a compose file is one finding, the other places shown as related locations. ' +
      "Which files are read: any text file named on the command line or open in the editor. A folder walk (a folder given to the command line, the editor's scan of the workspace) reads fewer, to stay quick and quiet in large repositories: code (`.js`, `.mjs`, `.cjs`, `.jsx`, `.ts`, `.mts`, `.cts`, `.tsx`, `.py`; not `.min.js` or `.d.ts`), templates and data (`.yaml`, `.yml`, `.json`, `.template`; not lock files such as `package-lock.json` or `poetry.lock`), Dockerfiles and compose files by name, `.env` and `.env.*`, `.npmrc`, `.pypirc`, and files ending in `.properties`, `.ini`, `.cfg`, `.conf`, `.toml`, `.sh`, `.bash`, `.tf`, `.tfvars`, `.xml`, `.pem` or `.key`. It skips what `.gitignore` (and `.git/info/exclude`, the editor's `files.exclude`, the configuration's `ignore:`) leaves out, and `node_modules`, `.git`, `venv`, `.venv`, `__pycache__`, `.tox`, `cdk.out`, `.aws-sam`. So a key in `key.asc`, `secrets.txt`, `id_rsa` or an ignored `.env` is found only when that file is named or opened. " +
      'The value is masked in every message and output.',
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
    async any({ document, model, workspace, report }) {
      const { text } = document;
      // Most files hold nothing any scanner looks for: they skip secretlint, which builds its
      // rules and a line index for every text it is given. The others get the scanners that
      // could report on them.
      const scanners = scannersFor(text);
      const messages =
        scanners.length > alwaysRun.length
          ? ((
              await lintSource({
                source: { filePath: document.path, content: text, contentType: 'text' },
                options: { config: scannerConfig(scanners) },
              })
            ).messages as ScannerMessage[])
          : [];
      const found: Found[] = [];
      for (const message of messages) {
        if (notCredentials.has(message.messageId)) continue;
        const ruleName = message.ruleId.replace('@secretlint/secretlint-rule-', '');
        found.push({
          span: secretSpan(text, message),
          ruleName,
          label: labels[message.messageId] ?? ruleLabels[ruleName] ?? 'credential',
          envName: envNames[message.messageId] ?? envNameFor(ruleName),
        });
      }
      // Shapes the scanner misses, unless it found the same place.
      for (const extra of moreCredentials(text, document.path))
        if (!found.some((f) => f.span.start < extra.span.end && extra.span.start < f.span.end))
          found.push(extra);
      // In a compose file the secret-named variables, and the URL passwords with the same value,
      // are secret-in-compose's (or its strict companion's): one finding per value.
      const composed =
        model?.kind === 'compose' && found.length > 0
          ? composeSecrets(model.compose, document, workspace).flatMap((s) => s.places.map((p) => p.span))
          : [];
      const reported = new Set<string>();
      const kept: (Found & { value: string })[] = [];
      for (const item of found.sort((a, b) => a.span.start - b.span.start)) {
        const { span, ruleName } = item;
        const value = text.slice(span.start, span.end);
        const key = `${span.start}:${span.end}`;
        if (reported.has(key) || isDocumentationValue(value, ruleName)) continue;
        if (composed.some((c) => c.start < span.end && span.start < c.end)) continue;
        reported.add(key);
        kept.push({ ...item, value });
      }
      // A compose file that writes one credential in several places: one finding, the others related.
      const groups = new Map<string, (Found & { value: string })[]>();
      for (const item of kept) {
        const key = model?.kind === 'compose' ? credentialOf(item.value) : `${item.span.start}`;
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      for (const [{ span, ruleName, label, envName, value }, ...others] of groups.values()) {
        report({
          at: span,
          secret: span,
          messageId: 'written',
          data: { article: article(label), credential: label, masked: mask(value, ruleName) },
          related: others.map((other) => ({
            path: document.path,
            range: document.lines.rangeOf(other.span),
            message: `the same ${other.label}, written again`,
          })),
          fix: () => environmentFix(model, document.lines, span, envName),
        });
      }
    },
  },
});

interface Found {
  span: Span;
  /** The scanner's rule name (`aws`, `slack`, `privatekey`, …), or the shape found here. */
  ruleName: string;
  label: string;
  envName: string;
}

/** What makes two findings one credential: a URL's password, or the whole value. */
function credentialOf(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:(\S+)@[^@\s]*$/i.exec(value)?.[1] ?? value;
}

function article(label: string): string {
  return /^([aeiou]|npm\b|ssh\b)/i.test(label) ? 'An' : 'A';
}

/**
 * Values written for documentation, which grant nothing: AWS's sample keys and keys ending in
 * EXAMPLE, SAMPLE, TEST or FAKE, Slack's `T00000000/B00000000/XXXXXXXX` webhook, tokens whose
 * body is one character or a short pattern repeated (`ghp_xxxxxxxx…`, `xoxb-0000-0000…`), and
 * passwords in URLs that name the field (`user:password@`, `:<password>@`, `:${DB_PASSWORD}@`),
 * and a database's default user and password for a single-label host (`postgres:postgres@db`).
 */
export function isDocumentationValue(value: string, ruleName: string): boolean {
  if (
    /(EXAMPLE|SAMPLE|TEST|FAKE)(KEY)?$/i.test(value) &&
    /^(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)|aws/i.test(`${value} ${ruleName}`)
  )
    return true;
  if (/hooks\.slack\.com\/(services|workflows|triggers)\/T0+\/B0+\//i.test(value) || /\/X{6,}$/.test(value))
    return true;
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^:/@\s]*):(\S+)@([^@\s]*)$/i.exec(value);
  if (url) {
    // `postgres://postgres:postgres@db/…`: a database's own default user and password, for a
    // host only the local network resolves (a compose service, `localhost`).
    const host = /^[^/:?#]*/.exec(url[3])?.[0] ?? '';
    return isPlaceholderPassword(url[2]) || isDefaultLocalCredential(url[1], url[2], host);
  }
  if (ruleName === 'privatekey' || value.startsWith('-----BEGIN')) return false;
  // The part after a vendor prefix (`ghp_`, `xoxb-`, `glpat-`, `sk-`, `npm_`).
  const body = value.replace(/^[A-Za-z]{2,8}[_-](?:[A-Za-z]{2,8}[_-])?/, '').replace(/[-_.]/g, '');
  if (body.length >= 8 && (new Set(body).size <= 2 || /^(.{1,4})\1+$/.test(body))) return true;
  return (
    /x{8,}|X{8,}|0{12,}|your[-_]?(api[-_]?)?(key|token|secret)|placeholder/i.test(value) ||
    isPlaceholder(value)
  );
}

function isPlaceholderPassword(password: string): boolean {
  return (
    isPlaceholder(password) ||
    /^(password|passwd|pass|pwd|secret|changeme|\*+|x+|\.+)$/i.test(password) ||
    /^[$%]\{|^\{|^<|^%\(?\w*\)?s$/.test(password)
  );
}

const base64Run = /[A-Za-z0-9+/=]/;

/**
 * What the scanner does not recognise: private keys without their END line, PGP private key
 * blocks, keys in raw strings or with escaped line ends (`\n`, `\r\n`); Slack user, export and
 * rotating tokens (`xoxs-`, `xoxe-`, `xoxe.xoxp-`) and workflow webhooks; GitLab tokens of
 * every prefix; `_auth`, `_password` and `_authToken` in `.npmrc` and `npmAuthToken` in
 * `.yarnrc.yml`; passwords in URLs that hold characters the scanner stops at (`@`, `!`, `#`,
 * `%21`). Each pattern is linear: anchored on a literal, with bounded repetition.
 */
function moreCredentials(text: string, path: string): Found[] {
  const found: Found[] = [];
  const add = (start: number, end: number, ruleName: string, envName: string) =>
    found.push({ span: { start, end }, ruleName, label: ruleLabels[ruleName] ?? 'credential', envName });

  for (let at = text.indexOf('-----BEGIN'); at >= 0; at = text.indexOf('-----BEGIN', at + 10)) {
    const header = /^-----BEGIN ([A-Z0-9 ]{0,40}?)PRIVATE KEY( BLOCK)?-----/.exec(text.slice(at, at + 80));
    if (!header) continue;
    const end = privateKeyEnd(text, at + header[0].length);
    if (end !== undefined) add(at, end, 'privatekey', 'PRIVATE_KEY');
  }
  // Each pattern only where its fixed part is written: most files have none of them.
  if (text.includes('xox') || text.includes('hooks.slack.com'))
    for (const match of text.matchAll(slackToken))
      add(match.index, match.index + match[0].length, 'slack', 'SLACK_TOKEN');
  if (text.includes('gl') || text.includes('GR1348941'))
    for (const match of text.matchAll(gitlabToken))
      add(match.index, match.index + match[0].length, 'gitlab', 'GITLAB_TOKEN');
  const file = path.split(/[\\/]/).pop() ?? '';
  if (/^\.npmrc$|^\.yarnrc(\.yml)?$/.test(file)) {
    for (const match of text.matchAll(
      /^[ \t]*(?:\S*:)?(?:_auth|_password|_authToken|npmAuthToken|npmAuthIdent)[ \t]*[=:][ \t]*["']?([^\s"'$]{8,400})/gm,
    )) {
      const start = match.index + match[0].length - match[1].length;
      add(start, start + match[1].length, 'npmrc', 'NPM_TOKEN');
    }
  }
  if (text.includes('@'))
    for (const { start, end } of basicAuthUrls(text)) add(start, end, 'basicauth', 'DATABASE_URL');
  return found;
}

/**
 * URLs with a user and password (`scheme://user:pass@host`), as a scan of the whole text with
 * `basicAuthUrl` finds them, tried only where they can start: a scheme of 2 to 21 characters
 * that begins a word and ends at a `://`. Each such place is tried in text order; a match goes
 * on from its end, as the scan would.
 */
export function basicAuthUrls(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  let from = 0;
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 1)) {
    if (at < from) continue;
    let first = at;
    while (first > 0 && at - first < 21 && isSchemeCharacter(text.charCodeAt(first - 1))) first--;
    for (let start = Math.max(first, from); start <= at - 2; start++) {
      if (!isLetter(text.charCodeAt(start)) || (start > 0 && isWordCharacter(text.charCodeAt(start - 1))))
        continue;
      basicAuthUrl.lastIndex = start;
      const match = basicAuthUrl.exec(text);
      if (!match) continue;
      found.push({ start, end: start + match[0].length });
      from = start + Math.max(1, match[0].length);
      break;
    }
  }
  return found;
}

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isWordCharacter = (code: number) => isLetter(code) || (code >= 48 && code <= 57) || code === 95;
const isSchemeCharacter = (code: number) =>
  isLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 46 || code === 45;

const slackToken =
  /\bxox(?:[se]|e\.xox[bpa])-[0-9A-Za-z-]{10,250}|https:\/\/hooks\.slack\.com\/(?:workflows|triggers)\/T[0-9A-Z]{6,12}\/[0-9A-Za-z/]{10,120}/g;
const gitlabToken =
  /\b(?:gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|oas|agent)-[0-9A-Za-z_-]{20,80}|GR1348941[0-9A-Za-z_-]{20,80})/g;
/** Sticky: tried at one place at a time (`basicAuthUrls`). */
const basicAuthUrl =
  /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"`<>()]{0,128}:[^\s'"`<>]{1,256}@[A-Za-z0-9][A-Za-z0-9.-]{0,253}(?::\d{1,5})?(?:[/?#][^\s'"`<>]{0,2000})?/iy;

/**
 * Where a private key's body ends: at its END line, or where the base64 stops. Line ends may be
 * real or escaped (`\n`, `\r\n`, `\\n`); PGP armour headers (`Version: …`) may come first.
 * Undefined for a body too short to be a key (a placeholder such as `MIIE…`).
 */
function privateKeyEnd(text: string, from: number): number | undefined {
  let at = from;
  let body = 0;
  let lastBody = from;
  const limit = Math.min(text.length, from + 20_000);
  while (at < limit) {
    const c = text[at];
    if (c === '\\' && /[nr]/.test(text[at + 1] ?? '')) at += 2;
    else if (c === '\\' && text[at + 1] === '\\' && /[nr]/.test(text[at + 2] ?? '')) at += 3;
    else if (c === '\n' || c === '\r' || c === ' ' || c === '\t') at++;
    else if (base64Run.test(c)) {
      // An armour header line (`Version: GnuPG v2`, `Comment: …`) before the body.
      const line = /^[A-Za-z][\w-]{0,30}: [^\n\\]{0,200}/.exec(text.slice(at, at + 240));
      if (line && body === 0) {
        at += line[0].length;
        continue;
      }
      body++;
      at++;
      lastBody = at;
    } else break;
  }
  if (text.startsWith('-----END', at)) {
    const close = text.indexOf('-----', at + 8);
    if (close >= 0 && close - at < 80) return body >= 64 ? close + 5 : undefined;
  }
  return body >= 64 ? lastBody : undefined;
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
  if (/PGP PRIVATE KEY/.test(value.slice(0, 60))) return 'a PGP private key block';
  if (ruleName === 'privatekey' || value.startsWith('-----BEGIN')) return 'a PEM private key block';
  // The password runs to the last `@` before the host: it may hold `@` itself.
  const url = /^([a-z][a-z0-9+.-]*:\/\/)([^:/@\s]*):(\S+)@([^@\s]*)$/i.exec(value);
  if (url) return `${url[1]}${url[2]}:****@${url[4]}`;
  // A token as the user part (`https://ghp_…@github.com/…`).
  const user = /^([a-z][a-z0-9+.-]*:\/\/)(\S+)@([^@\s]*)$/i.exec(value);
  if (user) return `${user[1]}****@${user[3]}`;
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
    needs: [
      `Set ${name} wherever the code runs, from a secrets manager`,
      'Rotate the credential: the old value stays in the repository history',
    ],
  };
}
