import rule from '../../../server/src/rules/compose/database-without-auth';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'authentication switched off in map and list environments',
      path: 'compose.yaml',
      text: `services:
  orders-db:
    image: postgres:16.4
    environment:
      POSTGRES_HOST_AUTH_METHOD: «trust»
  legacy-db:
    image: mysql:8.4
    environment:
      - MYSQL_ALLOW_EMPTY_PASSWORD=«yes»
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.1
    environment:
      - xpack.security.enabled=«false»
`,
      messages: [
        'Service orders-db (PostgreSQL) sets POSTGRES_HOST_AUTH_METHOD=trust: anyone who reaches it logs in without a password.',
        /Service legacy-db \(MySQL\) sets MYSQL_ALLOW_EMPTY_PASSWORD=yes/,
        /Service search \(Elasticsearch\) sets xpack\.security\.enabled=false/,
      ],
      messageIds: ['authOff', 'authOff', 'authOff'],
    },
    {
      name: 'security switched off, its port bound to loopback or only a side port published: the setting is the finding',
      path: 'compose.yaml',
      text: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    environment:
      - plugins.security.disabled=«true»
    ports:
      - "127.0.0.1:9200:9200"
  metrics-only:
    image: opensearchproject/opensearch:2.17.0
    environment:
      DISABLE_SECURITY_PLUGIN: "«true»"
    ports:
      - "9600:9600"
`,
      messageIds: ['authOff', 'authOff'],
    },
    {
      name: 'Redis and MongoDB published on a LAN address without a password',
      path: 'docker-compose.yml',
      text: `services:
  sessions:
    image: redis:7.4-alpine
    ports:
      - «"192.168.10.5:6379:6379"»
  catalogue:
    image: mongo:7.0
    ports:
      - «10.0.0.8:27017:27017»
`,
      messages: [
        'Service sessions (Redis) publishes port 6379 on 192.168.10.5 and has no password: anyone who reaches that address can read and change its data.',
        /Service catalogue \(MongoDB\) publishes port 27017 on 10\.0\.0\.8/,
      ],
      messageIds: ['published', 'published'],
    },
    {
      name: 'an empty root password allowed beside a root password that is only a variable',
      path: 'compose.yaml',
      text: `services:
  catalog-db:
    image: mariadb:11.4
    environment:
      - MARIADB_ROOT_PASSWORD=\${CATALOG_DB_PASSWORD}
      - MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=«1»
    ports:
      - "127.0.0.1:3306:3306"
`,
      messages: [
        'Service catalog-db (MariaDB) sets MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1: should MARIADB_ROOT_PASSWORD come out empty (its variable unset), root logs in without a password.',
      ],
      messageIds: ['emptyRootFallback'],
    },
  ],
  clean: [
    {
      name: 'an empty root password allowed beside a variable, in a database only the stack reaches',
      path: 'compose.yaml',
      text: `services:
  catalog:
    build: .
    depends_on: [catalog-db]
  catalog-db:
    image: mariadb:11.4
    environment:
      - MARIADB_ROOT_PASSWORD=\${CATALOG_DB_PASSWORD}
      - MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1
`,
    },
    {
      name: 'published on every interface: the port rule reports it once, saying there is no password',
      path: 'compose.yaml',
      text: `services:
  sessions:
    image: redis:7.4-alpine
    ports: ["6379:6379"]
`,
    },
    {
      name: 'security switched off and the query port published on every interface: the port rule names the setting, once',
      path: 'compose.yaml',
      text: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    environment:
      - plugins.security.disabled=true
    ports:
      - "9200:9200"
      - "9600:9600"
  orders-db:
    image: postgres:16.4
    environment:
      POSTGRES_HOST_AUTH_METHOD: trust
    ports: ["5432:5432"]
`,
    },
    {
      name: 'an empty root password allowed, but a root password or its file is given',
      path: 'compose.yaml',
      text: `services:
  legacy-db:
    image: mysql:8.4
    environment:
      MYSQL_ROOT_PASSWORD: \${DB_ROOT_PASSWORD:-local-only}
      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"
  orders-db:
    image: mariadb:11.4
    environment:
      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/root
      MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: "true"
`,
    },
    {
      name: 'passwords set, loopback only, the compose network only, a config file mounted',
      path: 'compose.yaml',
      text: `services:
  cache:
    image: redis:7.4
    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD}"]
    ports: ["6379:6379"]
  local-cache:
    image: valkey/valkey:8.0
    ports: ["127.0.0.1:6380:6379"]
  internal-cache:
    image: redis:7.4
  tuned-cache:
    image: redis:7.4
    command: redis-server /usr/local/etc/redis/redis.conf
    ports: ["6381:6379"]
  docs:
    image: mongo:7.0
    environment:
      MONGO_INITDB_ROOT_USERNAME: admin
      MONGO_INITDB_ROOT_PASSWORD_FILE: /run/secrets/mongo
    ports: ["27017:27017"]
  db:
    image: postgres:16.4
    environment:
      POSTGRES_HOST_AUTH_METHOD: scram-sha-256
      POSTGRES_PASSWORD_FILE: /run/secrets/db
`,
    },
  ],
});
