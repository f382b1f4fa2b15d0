import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/compose/no-restart-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'extends a service that has none either (both flagged); four-space indent',
      path: 'docker-compose.yml',
      text: `services:
    base:
        image: example/base:2.0
        restart: always
    «worker»:
        extends:
            service: job
    «job»:
        image: example/job:2.0
        deploy:
            replicas: 2
`,
      messages: [
        'Service worker has no restart policy, unlike base: after a crash or a reboot it stays down until someone starts it.',
        /^Service job has no restart policy, unlike base/,
      ],
      messageIds: ['noPolicyUnlike', 'noPolicyUnlike'],
      fixed: `services:
    base:
        image: example/base:2.0
        restart: always
    worker:
        extends:
            service: job
        restart: unless-stopped
    job:
        image: example/job:2.0
        deploy:
            replicas: 2
        restart: unless-stopped
`,
    },
    {
      name: 'the override beside the file restarts one service, not the other',
      path: 'deploy/compose.yaml',
      files: {
        '/work/deploy/compose.override.yaml': 'services:\n  web:\n    restart: always\n',
      },
      text: `services:
  web:
    image: example/web:3.1
  «queue-worker»:
    image: example/worker:3.1
`,
      messageIds: ['noPolicyUnlike'],
      messages: [/^Service queue-worker has no restart policy, unlike web:/],
      fixed: `services:
  web:
    image: example/web:3.1
  queue-worker:
    image: example/worker:3.1
    restart: unless-stopped
`,
    },
    {
      name: 'a file named for production: every service needs a policy, even where none has one',
      path: 'docker-compose.prod.yml',
      text: `services:
  «api»:
    build: .
    ports: ["8080:8080"]
`,
      messageIds: ['noPolicyProduction'],
      messages: [
        'Service api has no restart policy, in a compose file named for production: after a crash or a reboot it stays down until someone starts it.',
      ],
      fixed: `services:
  api:
    build: .
    ports: ["8080:8080"]
    restart: unless-stopped
`,
    },
    {
      name: 'services built here, in a file that sets what only servers use (deploy.replicas)',
      path: 'compose.yaml',
      text: `services:
  db:
    image: postgres:16.4
    restart: always
  «api»:
    build: .
    deploy:
      replicas: 2
`,
      messageIds: ['noPolicyUnlike'],
      fixed: `services:
  db:
    image: postgres:16.4
    restart: always
  api:
    build: .
    deploy:
      replicas: 2
    restart: unless-stopped
`,
    },
    {
      name: 'first file of an include path list: the later file restarts one service only',
      path: 'ops/parts/services.yml',
      files: {
        '/work/ops/compose.yaml': 'include:\n  - path: [parts/services.yml, parts/restarts.yml]\n',
        '/work/ops/parts/restarts.yml': 'services:\n  billing:\n    restart: on-failure\n',
      },
      text: `services:
  billing:
    image: example/billing:5.0
  «mailer»:
    image: example/mailer:5.0
`,
      messageIds: ['noPolicyUnlike'],
      messages: [/^Service mailer has no restart policy, unlike billing:/],
      fixed: `services:
  billing:
    image: example/billing:5.0
  mailer:
    image: example/mailer:5.0
    restart: unless-stopped
`,
    },
  ],
  clean: [
    {
      name: 'a test stack, and a service whose only company says restart "no" or runs on demand',
      path: 'docker-compose.test.yml',
      text: `services:\n  sut:\n    build: .\n    command: ["npm", "test"]\n  api:\n    image: example/api:1.0\n    restart: always\n`,
    },
    {
      name: 'restart "no" on a seeding service is not a policy the others lack',
      path: 'compose.yaml',
      text: `services:\n  web:\n    build: .\n  seed:\n    build: seed\n    profiles: ["seed"]\n    restart: "no"\n`,
    },
    {
      name: 'no service restarts: left to no-restart-policy-at-all',
      path: 'compose.yaml',
      text: `services:\n  api:\n    image: example/api:1.0\n  cache:\n    image: redis:7.4\n`,
    },
    {
      name: 'compose.override.yaml beside the file sets the policy',
      path: 'shop/compose.yaml',
      files: {
        '/work/shop/compose.override.yaml': 'services:\n  api:\n    restart: unless-stopped\n',
      },
      text: `services:\n  api:\n    image: example/api:2.0\n`,
    },
    {
      name: 'a variant merged with -f sets deploy.restart_policy; the variant itself is read the other way round',
      path: 'shop/docker-compose.yml',
      files: {
        '/work/shop/docker-compose.prod.yml':
          'services:\n  api:\n    deploy:\n      restart_policy:\n        condition: on-failure\n',
      },
      text: `services:\n  api:\n    build: .\n`,
    },
    {
      name: 'a service defined in full in the variant, restarted by the base file',
      path: 'shop/docker-compose.prod.yml',
      files: {
        '/work/shop/docker-compose.yml':
          'services:\n  api:\n    image: example/api:2.0\n    restart: always\n',
      },
      text: `services:\n  api:\n    image: example/api:2.0\n    environment:\n      LOG_LEVEL: warn\n`,
    },
    {
      name: 'first file of an include path list: the file merged after it gives every service a policy',
      path: 'ops/parts/services.yml',
      files: {
        '/work/ops/compose.yaml':
          'include:\n  - path:\n      - ./parts/services.yml\n      - ./parts/restarts.yml\nservices:\n  gateway:\n    image: example/gateway:2.2\n    restart: always\n',
        '/work/ops/parts/restarts.yml':
          'services:\n  billing:\n    restart: on-failure\n  mailer:\n    deploy:\n      restart_policy:\n        condition: any\n',
      },
      text: `services:\n  billing:\n    image: example/billing:5.0\n    restart: always\n  mailer:\n    image: example/mailer:5.0\n`,
    },
    {
      name: 'path list reached with ../ from a sibling folder, beside project_directory and env_file',
      path: 'platform/billing/compose.yaml',
      files: {
        '/work/platform/deploy/compose.yaml':
          'include:\n  - path:\n      - ../billing/compose.yaml\n      - ./billing-restarts.yaml\n    project_directory: ../billing\n    env_file: ../billing/.env\n',
        '/work/platform/deploy/billing-restarts.yaml': 'services:\n  mailer:\n    restart: unless-stopped\n',
      },
      text: `services:\n  billing:\n    image: example/billing:5.0\n    restart: always\n  mailer:\n    image: example/mailer:5.0\n`,
    },
    {
      name: 'the including file, long form with ../, project_directory and env_file: the named files are read',
      path: 'platform/deploy/compose.yaml',
      files: {
        '/work/platform/billing/compose.yaml':
          'services:\n  billing:\n    image: example/billing:5.0\n    restart: always\n    depends_on:\n      schema:\n        condition: service_completed_successfully\n',
      },
      text: `include:\n  - path: ../billing/compose.yaml\n    project_directory: ../billing\n    env_file: ../billing/.env\nservices:\n  proxy:\n    image: example/proxy:1.0\n    restart: always\n  schema:\n    image: example/billing:5.0\n    command: ["migrate"]\n`,
    },
    {
      name: 'an included file waits for a one-shot service of this one',
      path: 'stack/compose.yaml',
      files: {
        '/work/stack/app/compose.yaml':
          'services:\n  app:\n    image: example/app:1.0\n    restart: always\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n',
      },
      text: `include:\n  - path: app/compose.yaml\nservices:\n  migrate:\n    image: example/app:1.0\n    command: ["migrate"]\n`,
    },
    {
      name: 'restart, deploy.restart_policy, inherited, through a merge key, explicit "no"',
      path: 'compose.yaml',
      text: `x-defaults: &defaults
  restart: unless-stopped
services:
  a:
    image: example/a:1
    restart: always
  b:
    image: example/b:1
    deploy:
      restart_policy:
        condition: on-failure
  c:
    extends: a
  d:
    <<: *defaults
    image: example/d:1
  e:
    image: example/e:1
    restart: "no"
`,
    },
    {
      name: 'one-shot, on-demand tools, another file, partial override',
      path: 'compose.override.yaml',
      text: `services:
  app:
    build: .
    restart: unless-stopped
    depends_on:
      migrate:
        condition: service_completed_successfully
  migrate:
    image: example/migrate:1
  shell:
    image: example/tools:1
    profiles: [tools]
  remote:
    extends:
      file: common.yaml
      service: base
  web:
    ports: ["8080:80"]
`,
    },
    {
      name: 'a sample stack: a service built on the spot beside an off-the-shelf database that restarts',
      path: 'spring-postgres/compose.yaml',
      text: `services:\n  backend:\n    build: backend\n    ports:\n      - 8080:8080\n  db:\n    image: postgres\n    restart: always\n`,
    },
    {
      name: 'a development stack: source mounted over the service it builds',
      path: 'compose.yaml',
      text: `services:\n  app:\n    build: .\n    volumes:\n      - .:/usr/src/app\n  proxy:\n    image: nginx:1.27\n  db:\n    image: mongo:7.0\n    restart: always\n`,
    },
    {
      name: 'named for development, or kept in an examples folder',
      path: 'examples/shop/docker-compose.dev.yml',
      text: `services:\n  api:\n    image: example/api:1.0\n  db:\n    image: postgres:16.4\n    restart: always\n`,
    },
    {
      name: 'ports published on localhost only',
      path: 'compose.yaml',
      text: `services:\n  api:\n    image: example/api:1.0\n    ports: ["127.0.0.1:8080:8080"]\n  db:\n    image: postgres:16.4\n    restart: always\n`,
    },
    {
      name: 'Kubernetes manifests beside the file run the stack for real',
      path: 'shop/compose.yaml',
      files: { '/work/shop/k8s/api.yaml': 'kind: Deployment\n' },
      text: `services:\n  api:\n    image: example/api:1.0\n  db:\n    image: postgres:16.4\n    restart: always\n`,
    },
  ],
});

describe(`${rule.id} severity`, () => {
  const severities = async (text: string) =>
    (await new Analyzer({ rules: [rule] }).analyze({ path: '/work/compose.yaml', text })).findings.map(
      (f) => `${String(f.range.start.line + 1)} ${f.severity}`,
    );

  it('is a warning beside services that restart, and says nothing of development services or where none restarts', async () => {
    const text = `services:
  db:
    image: postgres:16.4
    restart: always
  api:
    image: example/api:1.0
  worker:
    image: example/worker:1.0
    environment:
      NODE_ENV: development
`;
    assert.deepEqual(await severities(text), ['5 warning']);
    // Where no service restarts, the strict companion rule speaks.
    assert.deepEqual(await severities('services:\n  api:\n    image: example/api:1.0\n'), []);
  });
});
