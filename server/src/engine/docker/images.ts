import type { ImageReference } from '../parse/dockerfile';

/**
 * What the project knows about well-known container images, by reference: which ones are
 * databases and caches, which ones carry a compiler toolchain, which ones have no shell.
 */

/** Databases, caches and search engines, by repository name (the last path component). */
const databaseRepositories: Record<string, { noun: string; ports: number[] }> = {
  postgres: { noun: 'PostgreSQL', ports: [5432] },
  postgresql: { noun: 'PostgreSQL', ports: [5432] },
  postgis: { noun: 'PostGIS', ports: [5432] },
  timescaledb: { noun: 'TimescaleDB', ports: [5432] },
  'timescaledb-ha': { noun: 'TimescaleDB', ports: [5432] },
  mysql: { noun: 'MySQL', ports: [3306, 33060] },
  'mysql-server': { noun: 'MySQL', ports: [3306, 33060] },
  mariadb: { noun: 'MariaDB', ports: [3306] },
  percona: { noun: 'Percona Server', ports: [3306] },
  'percona-server': { noun: 'Percona Server', ports: [3306] },
  mongo: { noun: 'MongoDB', ports: [27017] },
  mongodb: { noun: 'MongoDB', ports: [27017] },
  'mongodb-community-server': { noun: 'MongoDB', ports: [27017] },
  redis: { noun: 'Redis', ports: [6379] },
  'redis-stack': { noun: 'Redis', ports: [6379] },
  'redis-stack-server': { noun: 'Redis', ports: [6379] },
  redismod: { noun: 'Redis', ports: [6379] },
  valkey: { noun: 'Valkey', ports: [6379] },
  keydb: { noun: 'KeyDB', ports: [6379] },
  dragonfly: { noun: 'Dragonfly', ports: [6379] },
  memcached: { noun: 'Memcached', ports: [11211] },
  elasticsearch: { noun: 'Elasticsearch', ports: [9200, 9300] },
  opensearch: { noun: 'OpenSearch', ports: [9200, 9600] },
  cassandra: { noun: 'Cassandra', ports: [9042] },
  scylla: { noun: 'ScyllaDB', ports: [9042] },
  couchdb: { noun: 'CouchDB', ports: [5984] },
  couchbase: { noun: 'Couchbase', ports: [8091] },
  neo4j: { noun: 'Neo4j', ports: [7474, 7687] },
  influxdb: { noun: 'InfluxDB', ports: [8086] },
  'clickhouse-server': { noun: 'ClickHouse', ports: [8123, 9000] },
  clickhouse: { noun: 'ClickHouse', ports: [8123, 9000] },
  cockroach: { noun: 'CockroachDB', ports: [26257] },
  arangodb: { noun: 'ArangoDB', ports: [8529] },
  rethinkdb: { noun: 'RethinkDB', ports: [28015] },
  'oracle-free': { noun: 'Oracle Database', ports: [1521] },
  'oracle-xe': { noun: 'Oracle Database', ports: [1521] },
  questdb: { noun: 'QuestDB', ports: [9000, 8812] },
  etcd: { noun: 'etcd', ports: [2379] },
};

/** Images whose repository name is too generic to go by alone (`mcr.microsoft.com/mssql/server`). */
const databaseNames: Record<string, { noun: string; ports: number[] }> = {
  'mcr.microsoft.com/mssql/server': { noun: 'SQL Server', ports: [1433] },
  'mcr.microsoft.com/azure-sql-edge': { noun: 'Azure SQL Edge', ports: [1433] },
  'gvenzl/oracle-xe': { noun: 'Oracle Database', ports: [1521] },
  'gvenzl/oracle-free': { noun: 'Oracle Database', ports: [1521] },
  'docker.dragonflydb.io/dragonflydb/dragonfly': { noun: 'Dragonfly', ports: [6379] },
  'eqalpha/keydb': { noun: 'KeyDB', ports: [6379] },
};

/** The database or cache an image runs, if it is a well-known one. */
export function databaseOf(
  reference: ImageReference | undefined,
): { noun: string; ports: number[] } | undefined {
  if (!reference) return undefined;
  return databaseNames[reference.name] ?? databaseRepositories[reference.repository];
}

/**
 * Images that carry a compiler toolchain and exist to build software: shipping one as the
 * final image ships the compiler too.
 */
export function isBuildToolchainImage(reference: ImageReference | undefined): boolean {
  if (!reference) return false;
  const { name, repository } = reference;
  const tag = reference.tag ?? '';
  if (
    [
      'golang',
      'rust',
      'maven',
      'gradle',
      'gcc',
      'buildpack-deps',
      'sbt',
      'clojure',
      'haskell',
      'swift',
    ].includes(repository)
  )
    return true;
  if (name === 'mcr.microsoft.com/dotnet/sdk') return true;
  if (
    /(^|[-.])jdk($|[-.])/.test(tag) &&
    ['openjdk', 'eclipse-temurin', 'amazoncorretto', 'ibm-semeru-runtimes', 'sapmachine'].includes(repository)
  )
    return true;
  // openjdk images are JDKs unless tagged jre.
  if (repository === 'openjdk' && !/jre/.test(tag)) return true;
  return false;
}

/**
 * The default ("full") variant of a language image: Debian with build tools, hundreds of MB
 * larger than its `-slim` or `-alpine` sibling.
 */
export function isFullLanguageImage(reference: ImageReference | undefined): boolean {
  if (!reference) return false;
  if (!['node', 'python', 'ruby', 'perl', 'php', 'elixir', 'erlang'].includes(reference.name)) return false;
  const tag = reference.tag ?? 'latest';
  return !/slim|alpine|distroless|windowsservercore|nanoserver|-fpm-alpine/.test(tag);
}

/** Images without a shell or package manager: nothing can be installed or probed with curl. */
export function isShellless(reference: ImageReference | undefined, written: string): boolean {
  if (written.toLowerCase() === 'scratch') return true;
  if (!reference) return false;
  return reference.name.includes('distroless') || reference.name.startsWith('cgr.dev/chainguard/static');
}

/** Alpine-based images (apk, BusyBox tools). */
export function isAlpineImage(reference: ImageReference | undefined): boolean {
  if (!reference) return false;
  return reference.repository === 'alpine' || /alpine/.test(reference.tag ?? '');
}

/** Images whose own Dockerfile already switches to an unprivileged user. */
const unprivilegedPrefixes = [
  'cgr.dev/chainguard/',
  'bitnami/',
  'grafana/',
  'prom/',
  'quay.io/prometheus/',
  'jenkins/jenkins',
  'docker.elastic.co/',
  'quay.io/keycloak/keycloak',
  'sonarqube',
  'nodered/node-red',
  'n8nio/n8n',
  'memcached',
  'nginxinc/nginx-unprivileged',
];

export function runsUnprivilegedByDefault(image: string, reference: ImageReference | undefined): boolean {
  if (/[:-]nonroot\b|:rootless\b|-rootless\b|-unprivileged\b/.test(image)) return true;
  const name = reference?.name ?? image;
  return unprivilegedPrefixes.some((prefix) => name === prefix || name.startsWith(prefix));
}

/**
 * Official images that start as root only to hand over to their own user: databases whose
 * entrypoint switches user (postgres, mysql, redis, …) and web servers whose workers do (nginx,
 * httpd). A `USER` line in front of them usually breaks them; the entrypoint is the right place.
 */
export function dropsPrivilegesItself(reference: ImageReference | undefined): boolean {
  if (!reference) return false;
  return (
    [
      'postgres',
      'postgis',
      'mysql',
      'mariadb',
      'percona',
      'mongo',
      'redis',
      'valkey',
      'rabbitmq',
      'couchdb',
      'cassandra',
      'elasticsearch',
      'eclipse-mosquitto',
      'nginx',
      'httpd',
      'wordpress',
      'nextcloud',
      'drupal',
      'joomla',
      'haproxy',
    ].includes(reference.name) ||
    (reference.name === 'php' && /apache|fpm/.test(reference.tag ?? ''))
  );
}

/** Images whose own Dockerfile declares a HEALTHCHECK, which containers built on them inherit. */
const imagesWithHealthcheck = new Set([
  'pihole/pihole',
  'itzg/minecraft-server',
  'gitlab/gitlab-ce',
  'gitlab/gitlab-ee',
  'vaultwarden/server',
  'louislam/uptime-kuma',
  'jc21/nginx-proxy-manager',
  'syncthing/syncthing',
  'containrrr/watchtower',
  'linuxserver/healthchecks',
  'visibilityspots/cloudflared',
]);

export function shipsHealthcheck(reference: ImageReference | undefined): boolean {
  return !!reference && imagesWithHealthcheck.has(reference.name);
}
