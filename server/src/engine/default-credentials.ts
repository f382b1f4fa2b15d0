/**
 * Passwords that documentation and sample stacks use as defaults: anyone could guess them, so
 * writing one down leaks nothing (that a stack runs with one is another matter). Shared by the
 * compose rule (`POSTGRES_PASSWORD: example`) and the URL check of `hardcoded-credential`.
 */
export const wellKnownDefaultPasswords: ReadonlySet<string> = new Set([
  'password',
  'passw0rd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'change_me',
  'changeit',
  'example',
  'test',
  'admin',
  'root',
  'guest',
  'default',
  'letmein',
  'mysecretpassword',
  'supersecret',
  'secretpassword',
  'postgres',
  'mysql',
  '123456',
  '12345678',
]);

/**
 * Users that database, cache and broker images create by default, or that their documentation
 * writes in every example: PostgreSQL's `postgres`, MySQL's and MariaDB's `root`, RabbitMQ's
 * `guest`, MongoDB's and others' `admin`, SQL Server's `sa`, Redis 6's `default`, ClickHouse's
 * `default`. Kept short on purpose: an application's own user is no default.
 */
const defaultUsers = new Set(['postgres', 'root', 'guest', 'admin', 'sa', 'default', 'mysql']);

/**
 * Whether a URL's user and password are a database's documented defaults (`postgres:postgres`,
 * `root:root`, `guest:guest`, `root:password`), and its host one that only a local network
 * resolves: a single-label name (a compose or Kubernetes service, `localhost`). Such a URL
 * grants nothing to anyone who reads it: they could have guessed it, and they cannot reach the
 * host from outside the network the stack runs on.
 */
export function isDefaultLocalCredential(user: string, password: string, host: string): boolean {
  const u = user.toLowerCase();
  const p = password.toLowerCase();
  if (!defaultUsers.has(u) || !wellKnownDefaultPasswords.has(p)) return false;
  return /^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(host);
}
