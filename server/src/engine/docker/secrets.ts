/**
 * Which environment-variable and build-argument names hold secrets (`DB_PASSWORD`, `NPM_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`), and which values are plainly not secrets whatever the name says.
 */

/** Words that make a name a secret on their own. */
const secretWords = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
]);
/** Pairs of words that do (`API_KEY`, `PRIVATE_KEY`, `CLIENT_SECRET` is caught by `secret`). */
const secretPairs = new Set([
  'api key',
  'private key',
  'access key',
  'secret key',
  'auth key',
  'master key',
  'encryption key',
  'signing key',
  'db pwd',
  'mysql pwd',
  'root pwd',
  'admin pwd',
]);
/**
 * Last words that say the variable holds something about a secret, not the secret itself:
 * `PASSWORD_FILE`, `TOKEN_URL`, `AWS_ACCESS_KEY_ID`, `PASSWORD_MIN_LENGTH`.
 */
const describingWords = new Set([
  'file',
  'files',
  'path',
  'dir',
  'directory',
  'url',
  'uri',
  'endpoint',
  'host',
  'port',
  'name',
  'names',
  'user',
  'username',
  'id',
  'length',
  'len',
  'min',
  'max',
  'enabled',
  'enable',
  'disabled',
  'required',
  'header',
  'type',
  'algorithm',
  'algo',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'timeout',
  'lifetime',
  'policy',
  'hash',
  'prefix',
  'format',
  'rotation',
  'version',
  'mode',
  'method',
  'provider',
  'location',
  'arn',
  'ref',
  'source',
  'store',
  'backend',
  'manager',
  'env',
]);

/** The words of a name: `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password` → db, password. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether a variable name says it holds a secret value. */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0) return false;
  if (describingWords.has(words[words.length - 1])) return false;
  for (let i = 0; i < words.length; i++) {
    if (secretWords.has(words[i])) return true;
    if (i > 0 && secretPairs.has(`${words[i - 1]} ${words[i]}`)) return true;
  }
  // `PWD` alone is the shell's working directory; `MYSQL_PWD`, `DB_PWD` are passwords.
  return words.length > 1 && words[words.length - 1] === 'pwd';
}

/** Values that are not secrets whatever the name: empty, switches, and paths to a secret file. */
export function isHarmlessValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(true|false|yes|no|on|off|0|1|y|n|none|null|nil|random)$/i.test(v)) return true;
  return /^\/(run|var\/run)\/secrets\//.test(v) || /^\/[\w./-]+$/.test(v);
}

/** Files whose name says they hold keys or credentials, when copied into an image. */
export function secretFileKind(path: string): 'key' | 'config' | undefined {
  const base = path.replace(/\/+$/, '').replace(/^.*\//, '');
  if (/^id_(rsa|dsa|ecdsa|ed25519)$/.test(base)) return 'key';
  if (/\.(p12|pfx|jks|keystore)$/i.test(base)) return 'key';
  if (/\.key$/i.test(base) && !/(gpg|pgp|pub|public|asc)/i.test(base)) return 'key';
  if (/(^|\/)\.aws\/credentials$|(^|\/)\.docker\/config\.json$/.test(path) || base === '.git-credentials')
    return 'key';
  if (/^\.env(\.(?!example$|sample$|template$|dist$|defaults?$|schema$)[\w.-]+)?$/.test(base))
    return 'config';
  if (['.npmrc', '.pypirc', '.netrc', '.dockercfg', '.yarnrc.yml'].includes(base)) return 'config';
  return undefined;
}

/** Whether the text of a copied config file holds a credential (a token, a password, a secret=value). */
export function configHoldsCredential(text: string): boolean {
  if (
    /_authToken\s*=|_auth\s*=|_password\s*=|npmAuthToken\s*:|^\s*password\s*[=:]|^\s*machine\s+\S+.*\bpassword\b/im.test(
      text,
    )
  )
    return true;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (m && isSecretName(m[1]) && !isHarmlessValue(m[2].replace(/^["']|["']$/g, ''))) return true;
  }
  return false;
}
