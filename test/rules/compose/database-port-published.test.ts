import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/compose/database-port-published';
import withoutAuth from '../../../server/src/rules/compose/database-without-auth';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'one finding per service: the query port, with the Performance Analyzer and transport ports named beside it',
      path: 'compose.yaml',
      text: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    ports:
      - «"9200:9200"»
      - "9300:9300"
      - "9600:9600"
`,
      messages: [
        'Service search (OpenSearch) publishes port 9200 on every host interface: anyone who can reach this machine can try to log in. Ports 9300 (its transport port, which cluster nodes join through) and 9600 (its Performance Analyzer API) are published the same way.',
      ],
      messageIds: ['published'],
      fixed: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    ports:
      - "127.0.0.1:9200:9200"
      - "127.0.0.1:9300:9300"
      - "127.0.0.1:9600:9600"
`,
    },
    {
      name: 'a service that publishes only a side port is told what that port gives away',
      path: 'compose.yaml',
      text: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    ports:
      - «"9600:9600"»
`,
      messages: [
        'Service search (OpenSearch) publishes port 9600, its Performance Analyzer API, on every host interface: anyone who can reach this machine can read the metrics of the cluster and its nodes.',
      ],
      messageIds: ['sidePort'],
      fixed: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    ports:
      - "127.0.0.1:9600:9600"
`,
    },
    {
      name: 'search engines whose security is off ask for no password',
      path: 'compose.yaml',
      text: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    environment:
      - plugins.security.disabled=true
    ports:
      - «9200:9200»
      - 9600:9600
  legacy:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.16.2
    ports:
      - «9201:9200»
  modern:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    environment:
      xpack.security.enabled: 'false'
    ports:
      - «9202:9200»
`,
      messages: [
        'Service search (OpenSearch) publishes port 9200 on every host interface and sets plugins.security.disabled=true: anyone who can reach this machine can read and change its data without a password. Port 9600 (its Performance Analyzer API) is published the same way.',
        /legacy \(Elasticsearch\) publishes port 9200 on every host interface and asks for no password/,
        /modern \(Elasticsearch\) publishes port 9200 on every host interface and sets xpack\.security\.enabled=false/,
      ],
      messageIds: ['publishedAuthOff', 'publishedNoPassword', 'publishedAuthOff'],
      fixed: `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    environment:
      - plugins.security.disabled=true
    ports:
      - 127.0.0.1:9200:9200
      - 127.0.0.1:9600:9600
  legacy:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.16.2
    ports:
      - 127.0.0.1:9201:9200
  modern:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    environment:
      xpack.security.enabled: 'false'
    ports:
      - 127.0.0.1:9202:9200
`,
    },
    {
      name: 'short syntax: quoted, plain, container only, explicit 0.0.0.0, interpolated host port',
      path: 'compose.yaml',
      text: `services:
  db:
    image: postgres:16
    ports:
      - «"5432:5432"»
  cache:
    image: redis:7.4-alpine
    ports:
      - «6379»
      - 0.0.0.0:16379:6379
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    ports:
      - «'\${ES_PORT:-9200}:9200'»
`,
      messages: [
        'Service db (PostgreSQL) publishes port 5432 on every host interface: anyone who can reach this machine can try to log in.',
        'Service cache (Redis) publishes port 6379 on every host interface and asks for no password: anyone who can reach this machine can read and change its data. Port 16379 (to container port 6379) is published the same way.',
        /search \(Elasticsearch\) publishes port 9200/,
      ],
      messageIds: ['published', 'publishedNoPassword', 'published'],
      fixed: `services:
  db:
    image: postgres:16
    ports:
      - "127.0.0.1:5432:5432"
  cache:
    image: redis:7.4-alpine
    ports:
      - "127.0.0.1::6379"
      - 127.0.0.1:16379:6379
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    ports:
      - '127.0.0.1:\${ES_PORT:-9200}:9200'
`,
    },
    {
      name: 'long syntax, with and without host_ip',
      path: 'docker-compose.yml',
      text: `services:
  mongo:
    image: mongo:7.0
    ports:
      - target: 27017
        published: «27017»
      - target: 27018
        published: "27018"
        host_ip: 0.0.0.0
`,
      fixed: `services:
  mongo:
    image: mongo:7.0
    ports:
      - target: 27017
        published: 27017
        host_ip: '127.0.0.1'
      - target: 27018
        published: "27018"
        host_ip: '127.0.0.1'
`,
    },
    {
      name: 'host networking: flagged without a fix',
      path: 'compose.yaml',
      text: `services:\n  db:\n    image: mariadb:11.4\n    network_mode: «host»\n`,
      messages: [
        "Service db (MariaDB) shares the host's network: every port it opens listens on every host interface.",
      ],
      messageIds: ['hostNetwork'],
    },
  ],
  clean: [
    {
      name: 'loopback, expose only, app services, unknown addresses, built images',
      path: 'compose.yaml',
      text: `services:
  db:
    image: postgres:16
    expose: ["5432"]
  cache:
    image: redis:7.4
    ports:
      - "127.0.0.1:6379:6379"
      - "[::1]:6380:6379"
  mysql:
    image: mysql:8.4
    ports:
      - "\${BIND_ADDRESS}:3306:3306"
      - target: 3306
        host_ip: '127.0.0.1'
        published: 3307
  api:
    image: example/api:1.0
    ports: ["8080:8080"]
  custom-db:
    build: ./db
    ports: ["5433:5432"]
`,
    },
  ],
});

describe(`${rule.id} per service`, () => {
  it('shows the other ports and the setting that switches authentication off as related locations', async () => {
    const text = `services:
  search:
    image: opensearchproject/opensearch:2.17.0
    environment:
      - plugins.security.disabled=true
    ports:
      - "9200:9200"
      - "9600:9600"
`;
    const { findings } = await new Analyzer({ rules: [rule, withoutAuth] }).analyze({
      path: '/work/compose.yaml',
      text,
    });
    assert.deepEqual(
      findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}`),
      ['private-network/database-port-published 7'],
    );
    assert.deepEqual(
      findings[0].related?.map((r) => `${r.range.start.line + 1} ${r.message}`),
      [
        '8 port 9600 (its Performance Analyzer API) is published on every host interface too',
        '5 plugins.security.disabled=true switches authentication off',
      ],
    );
  });
});
