import { nameWords, ownString } from './names';

/**
 * Which names hold a secret value, the one judgement for all of them: template properties,
 * parameters and environment variables, Dockerfile ENV and ARG, compose environment keys, code
 * variables, attributes, object keys and arguments. The last word decides (`DB_PASSWORD`,
 * `apiKey`, `CLIENT_SECRET`), so that a name about a secret (`PASSWORD_FILE`, `tokenService`,
 * `SecretArn`, `isPasswordMatch`) is not one. A false alarm costs more trust than a miss: words
 * that are secrets only in company (`key`, `pwd`, `pw`, `pass` after another word) need the
 * right word before them.
 *
 * Also the values that are no secret whatever the name says, in every kind of file; each kind
 * adds its own beside its parser (dynamic references in templates, messages and patterns in code).
 */

/** Words that are a secret on their own, as the last word of a name. */
const secretWords = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'apitoken',
  'secretkey',
  'privatekey',
  'authtoken',
  'accesstoken',
  'clientsecret',
]);

/** Words before `key` that make it a secret key (`API_KEY`, `privateKey`), not a map key or a key's id. */
const keyQualifiers = new Set([
  'api',
  'secret',
  'private',
  'signing',
  'encryption',
  'master',
  'auth',
  'access',
  'session',
  'jwt',
  'hmac',
  'app',
  'client',
  // A product's licence key (`NEW_RELIC_LICENSE_KEY`, MaxMind's `LICENSE_KEY`) lets its holder
  // use the account it was issued to.
  'license',
  'licence',
]);

/**
 * Words before `token` that make it a lexer's, a UI's, a page's or a request's token, or
 * CloudFormation's `ServiceToken` (the ARN of a custom resource's function), not a credential.
 */
const notCredentialTokens = new Set([
  'last',
  'next',
  'prev',
  'previous',
  'current',
  'first',
  'significant',
  'start',
  'end',
  'open',
  'close',
  'special',
  'eof',
  'sentinel',
  'type',
  'kind',
  'design',
  'cancel',
  'cancellation',
  'page',
  'pagination',
  'continuation',
  'request',
  'idempotency',
  'service',
  'task',
]);

/**
 * Accounts and services whose `pass` or `pw` is a password (`DB_PASS`, `SMTP_PASS`,
 * `RABBITMQ_DEFAULT_PASS`, `LDAP_ROOTPASS`); `pass` after other words is a test passing, a pass
 * of a compiler, a role to pass.
 */
const passOwners = new Set([
  'db',
  'database',
  'smtp',
  'mail',
  'email',
  'user',
  'redis',
  'admin',
  'root',
  'ftp',
  'sftp',
  'ldap',
  'proxy',
  'basic',
  'auth',
  'mysql',
  'pg',
  'postgres',
  'mongo',
  'rabbit',
  'rabbitmq',
  'amqp',
  'api',
  'account',
  'login',
  'wifi',
  'default',
  'master',
  'sa',
  'vnc',
]);

/** Words before `pwd` that make it a working directory (`OLDPWD`, `current_pwd`), not a password. */
const directoryWords = new Set([
  'old',
  'cur',
  'current',
  'work',
  'working',
  'orig',
  'original',
  'initial',
  'saved',
  'start',
  'prev',
  'previous',
  'base',
]);

/**
 * Words anywhere before the last that make the name a switch or an action about a secret:
 * `ManageMasterUserPassword`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `GenerateSecret`, `IsValueSecret`,
 * `forgotPassword`, `withCredentials`.
 */
const switchWords = new Set([
  'is',
  'has',
  'allow',
  'enable',
  'enabled',
  'disable',
  'disabled',
  'require',
  'required',
  'skip',
  'empty',
  'generate',
  'manage',
  'use',
  'with',
  'without',
  'show',
  'hide',
  'no',
  'forgot',
  'remember',
]);

/** Last words that say the name holds the secret itself in a form: `SecretString`, `ApiKeyValue`, `SECRET_KEY_BASE`. */
const formWords = new Set(['value', 'string', 'binary', 'plaintext', 'base']);

/**
 * Last words that say a name holds a setting or a pointer about a secret, not the secret:
 * `TokenValidityUnits`, `PasswordPolicy`, `PASSWORD_FILE`, `SecretArn`. Templates do not look
 * for secrets inside such settings.
 */
const describingWords = new Set([
  'arn',
  'arns',
  'name',
  'names',
  'id',
  'ids',
  'length',
  'len',
  'min',
  'max',
  'type',
  'path',
  'file',
  'files',
  'dir',
  'directory',
  'parameter',
  'param',
  'ref',
  'version',
  'rotation',
  'policy',
  'validity',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'timeout',
  'lifetime',
  'units',
  'enabled',
  'required',
  'strategy',
  'prefix',
  'endpoint',
  'url',
  'uri',
  'host',
  'port',
  'location',
  'kms',
  'template',
  'count',
  'table',
  'bucket',
  'queue',
  'topic',
  'field',
  'attribute',
  'header',
  'duration',
  'minutes',
  'seconds',
  'days',
  'hours',
  'manager',
  'store',
  'source',
  'backend',
  'provider',
  'mode',
  'method',
  'format',
  'algorithm',
  'algo',
  'hash',
  'selection',
  'schedule',
  'lambda',
  'function',
  'role',
  'usage',
  'limit',
  'config',
  'configuration',
  'settings',
  'option',
  'options',
  'reset',
  'update',
  'generation',
  'target',
  'attachment',
  'region',
]);

/**
 * Words after a secret word that only say whose it is or where it is used (`PASSWORD_ADMIN`,
 * `secretKeyProd`, `TOKEN_GITHUB`, `password_v2`): the name still holds the secret.
 */
const trailingQualifiers = new Set([
  'prod',
  'production',
  'dev',
  'development',
  'staging',
  'stage',
  'qa',
  'uat',
  'local',
  'live',
  'sandbox',
  'preprod',
  'demo',
  'new',
  'old',
  'admin',
  'root',
  'mysql',
  'postgres',
  'pg',
  'redis',
  'mongo',
  'mongodb',
  'smtp',
  'ldap',
  'jwt',
  'aws',
  'github',
  'gitlab',
  'slack',
  'stripe',
  'twilio',
  'sendgrid',
  'master',
  'default',
]);

/** Names repeat across resources, files and calls: judge each one once. */
function remembered(judge: (name: string) => boolean): (name: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return (name) => {
    let verdict = verdicts.get(name);
    if (verdict === undefined) {
      verdict = judge(name);
      if (verdicts.size > 20_000) verdicts.clear();
      verdicts.set(ownString(name), verdict);
    }
    return verdict;
  };
}

/** `rootpass`, `dbpw`, `adminpwd`: an owner and a password word written as one. */
function isOwnedPassCompound(word: string): boolean {
  const match = /^([a-z]+?)(pass|pw|pwd)$/.exec(word);
  return !!match && passOwners.has(match[1]);
}

/** `rootpassword`, `dbpasswd`: one word that ends in a password word (but not sudo's `nopasswd`). */
function endsInPasswordWord(word: string): boolean {
  return /(password|passwd|passphrase)$/.test(word) && !/^no(password|passwd)$/.test(word);
}

/** Whether one word, with the word before it, is a secret: the heart of `isSecretName`. */
function isSecretWord(word: string, before: string | undefined): boolean {
  if (secretWords.has(word) || endsInPasswordWord(word) || isOwnedPassCompound(word)) {
    return !(word === 'token' && before !== undefined && notCredentialTokens.has(before));
  }
  if (word === 'pass') return before === undefined || passOwners.has(before);
  if (word === 'pw') return before !== undefined && passOwners.has(before);
  // `PWD` alone is the shell's working directory; `MYSQL_PWD`, `DB_PWD` are passwords.
  if (word === 'pwd') return before !== undefined && !directoryWords.has(before);
  return word === 'key' && before !== undefined && keyQualifiers.has(before);
}

/** Whether a name says it holds a secret value (and not a secret's name, id, file, length, a switch about it, …). */
export const isSecretName = remembered((name) => {
  const words = [...nameWords(name)];
  // `password2`, `DB_PASSWORD_2`, `token_v2`: a numbered secret is still one.
  while (words.length > 1 && /^v?\d+$/.test(words[words.length - 1])) words.pop();
  if (words.length > 0) words[words.length - 1] = words[words.length - 1].replace(/(\D)\d+$/, '$1');
  if (words.length > 1 && formWords.has(words[words.length - 1])) words.pop();
  // `PASSWORD_ADMIN`, `SECRET_KEY_PROD`, `DB_PASS_STAGING`: owners and environments after a
  // secret word (a bare `pass` or `pwd` needs an owner before it: `PASS_PROD` says too little).
  let end = words.length;
  while (end > 1 && trailingQualifiers.has(words[end - 1])) end--;
  if (end < words.length) {
    const word = words[end - 1];
    const before = end > 1 ? words[end - 2] : undefined;
    const strong = isSecretWord(word, before) && !(/^(pass|pw|pwd)$/.test(word) && before === undefined);
    if (strong) words.length = end;
  }
  // `secretKeyForApp`, `password_of_admin`: the secret word, then whose or what it is for. A
  // setting about it keeps its describing word last (`TOKEN_FOR_SERVICE_URL`) and is no secret.
  const connective = words.findIndex((w, i) => i > 0 && (w === 'for' || w === 'of'));
  if (connective > 0 && !describingWords.has(words[words.length - 1])) {
    const word = words[connective - 1];
    const before = connective > 1 ? words[connective - 2] : undefined;
    if (isSecretWord(word, before) && !(/^(pass|pw|pwd)$/.test(word) && before === undefined))
      words.length = connective;
  }
  const last = words.length - 1;
  if (last < 0 || !isSecretWord(words[last], words[last - 1])) return false;
  return !words.slice(0, last).some((w) => switchWords.has(w));
});

/**
 * Whether a name is a setting or a pointer about a secret (`TokenValidityUnits`,
 * `PasswordPolicy`, `SecretArn`): it mentions a secret and ends in a describing word, and what
 * is inside it describes the secret and holds none. Containers such as `Credentials` or
 * `ApiKeyAuthParameters` are not: the secret is inside.
 */
export const describesSecret = remembered((name) => {
  const words = nameWords(name);
  if (words.length < 2 || !describingWords.has(words[words.length - 1])) return false;
  return words.some(
    (w, i) =>
      secretWords.has(w) ||
      endsInPasswordWord(w) ||
      w === 'pass' ||
      w === 'pwd' ||
      (w === 'key' && i > 0 && keyQualifiers.has(words[i - 1])),
  );
});

/**
 * Values that are no secret in any kind of file, whatever the name says: nothing, a switch, a
 * path to where the secret lives (a file, a secret mount), an ARN or KMS alias, a placeholder.
 */
export function isNonSecretValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(true|false|yes|no|on|off|y|n|0|1|none|null|nil|undefined|enabled|disabled|random)$/i.test(v))
    return true;
  if (/^arn:/.test(v) || /^alias\/[\w/-]+$/.test(v)) return true;
  if (/^\/[\w.\-/]+$/.test(v)) return true;
  return isPlaceholder(v);
}

/**
 * A value that asks the reader to fill one in (`<password>`, `your-api-key`, `yourpassword`,
 * `REPLACE_ME`, `changeme`, `change-this`, `set-me`, `{{token}}`, `{password}`, `****`, `xxxx`,
 * `token-goes-here`), or says it is
 * none (`dummy`, `fake-token`, `example-key`, `redacted`, `not-a-real-secret`), or one
 * character or a short pattern repeated (`aaaaaaaa`, `abcabcabcabc`).
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    /^<[^<>]*>$|^\{\{[^{}]*\}\}$|^(\*+|x{3,}|X{3,}|\.{3,}|•+)$/.test(v) ||
    /^\{[A-Za-z_][\w.-]*\}$|^\[[A-Z][A-Z0-9_ -]*\]$/.test(v) ||
    /replace[-_ ]?(me|with|this)|your[-_ ]|placeholder|\bTODO\b|\bFIXME\b|redacted|notasecret/i.test(v) ||
    // `changeme`, `CHANGE_ME_IN_PROD`, `please-change-this`, `set-me`, `yourSecretKey`; not
    // `changeit`, the password Java's trust stores really have, nor `offset-me`.
    /(^|[^a-z0-9])(change|set|fill)[-_ ]?(me|this)(?![a-z])|^your(api)?(password|passwd|secret|key|token|pass)/i.test(
      v,
    ) ||
    /not[-_ ]?a[-_ ]?(real[-_ ]?)?(secret|password|key|token)|(^|[-_ .])(goes[-_ ])?here$/i.test(v) ||
    /^(dummy|fake|mock)(?![a-z])/i.test(v) ||
    // `example-key`, `key-sample`; `example` alone is the password of many a compose file.
    /^(example|sample)[-_ .]|[-_ .](example|sample)$/i.test(v) ||
    /^(.{1,4})\1{3,}$/.test(v)
  );
}
