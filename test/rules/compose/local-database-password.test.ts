import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../../server/src/engine/workspace';
import hardcodedCredential from '../../../server/src/rules/any/hardcoded-credential';
import rule from '../../../server/src/rules/compose/local-database-password';
import secretInCompose from '../../../server/src/rules/compose/secret-in-compose';
import { ruleTester } from '../../rule-tester';

/** A demo stack: an app built on the spot, and a database only the compose network reaches. */
const demoStack = `services:
  backend:
    build: ./backend
    ports: ["8080:8080"]
    environment:
      DATABASE_URL: mysql://root:orca-tide-31@db:3306/app
  db:
    image: mariadb:11.4
    expose: ["3306"]
    environment:
      MYSQL_ROOT_PASSWORD: orca-tide-31
`;

ruleTester(rule, {
  flagged: [
    {
      name: 'a demo password of an unpublished database, given to the app in its URL too',
      path: 'compose.yaml',
      text: demoStack.replace('MYSQL_ROOT_PASSWORD: orca-tide-31', 'MYSQL_ROOT_PASSWORD: «orca-tide-31»'),
      messages: [
        'MYSQL_ROOT_PASSWORD of service db is written in the compose file. Only the compose network reaches service db, so on a developer’s machine this is a demo default; wherever this file is deployed, it is a password everyone with the repository has. The same value is written in DATABASE_URL of service backend.',
      ],
      fixed: demoStack.replaceAll(
        'orca-tide-31',
        '${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env or the environment}',
      ),
    },
    {
      name: 'a network alias, a fallback default and a client variable of its own',
      path: 'examples/shop/docker-compose.yml',
      text: `services:
  shop:
    image: example/shop:1.4
    environment:
      SHOP_DB_PASSWORD: kelp-drift-82
      SHOP_DB_URL: postgresql://shop:kelp-drift-82@orders-store/shop
  pg:
    image: postgres:16.4
    networks:
      back:
        aliases: [orders-store]
    environment:
      POSTGRES_PASSWORD: «\${PG_PASSWORD:-kelp-drift-82}»
networks:
  back: {}
`,
      messageIds: ['fallsBack'],
      fixed: `services:
  shop:
    image: example/shop:1.4
    environment:
      SHOP_DB_PASSWORD: \${PG_PASSWORD:?set PG_PASSWORD in .env or the environment}
      SHOP_DB_URL: postgresql://shop:\${PG_PASSWORD:?set PG_PASSWORD in .env or the environment}@orders-store/shop
  pg:
    image: postgres:16.4
    networks:
      back:
        aliases: [orders-store]
    environment:
      POSTGRES_PASSWORD: \${PG_PASSWORD:?set PG_PASSWORD in .env or the environment}
networks:
  back: {}
`,
    },
  ],
  clean: [
    {
      name: 'what secret-in-compose reports in every preset: a server stack, a published database, a token, an outside host',
      path: 'compose.yaml',
      text: `services:
  api:
    build: .
    environment:
      PAYMENTS_API_TOKEN: tok-51Hq-acme-8842
      REPORTS_URL: postgres://reports:Bn4-quarry-19@reports.corp.example:5432/reports
  db:
    image: mysql:8.4
    ports: ["3306:3306"]
    environment:
      MYSQL_ROOT_PASSWORD: Vx7-harbor-20
  cache-db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: Bn4-quarry-19
`,
    },
    {
      name: 'a stack that runs built images on a server',
      path: 'compose.yaml',
      text: `services:
  app:
    image: example/shop:2.3.1
  db:
    image: postgres:16.4
    environment:
      POSTGRES_PASSWORD: Tq9-lantern-44
`,
    },
    {
      name: 'a database published by the override file beside it',
      path: 'compose.yaml',
      text: demoStack,
      files: { '/work/compose.override.yaml': 'services:\n  db:\n    ports: ["3306:3306"]\n' },
    },
  ],
});

describe(`${rule.id} and the recommended rules`, () => {
  it('is strict only, and neither secret-in-compose nor hardcoded-credential reports the demo password', async () => {
    assert.equal(rule.strictOnly, true);
    const analyzer = new Analyzer({ rules: [secretInCompose, hardcodedCredential] });
    const { findings } = await analyzer.analyze({ path: '/work/compose.yaml', text: demoStack });
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [],
    );
  });
});

describe(`${rule.id} hands back to secret-in-compose`, () => {
  it('once an override publishes the database: one error, with the URL as a related location', async () => {
    const analyzer = new Analyzer({
      rules: [secretInCompose, hardcodedCredential],
      workspace: inMemoryWorkspace({
        '/work/compose.override.yaml': 'services:\n  db:\n    ports: ["3306:3306"]\n',
      }),
    });
    const { findings } = await analyzer.analyze({ path: '/work/compose.yaml', text: demoStack });
    assert.deepEqual(
      findings.map((f) => `${f.ruleId} ${f.severity} ${f.range.start.line + 1}`),
      ['secrets-management/secret-in-compose error 11'],
    );
    assert.deepEqual(
      findings[0].related?.map((r) => `${r.range.start.line + 1} ${r.message}`),
      ['6 the same value, in DATABASE_URL of service backend'],
    );
  });
});
