import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/compose/no-restart-policy';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'block style with comments and a flow-style service',
      path: 'compose.yaml',
      text: `services:
  «api»:
    image: example/api:1.4.2 # the API
    ports:
      - "8080:8080"
  «cache»: {image: "redis:7.4"}
`,
      messages: [
        'Service api has no restart policy: after a crash or a reboot it stays down until someone starts it.',
        /cache/,
      ],
      messageIds: ['noPolicy', 'noPolicy'],
      fixed: `services:
  api:
    image: example/api:1.4.2 # the API
    ports:
      - "8080:8080"
    restart: unless-stopped
  cache: {image: "redis:7.4", restart: unless-stopped}
`,
    },
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
  ],
  clean: [
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
  ],
});

describe(`${rule.id} severity`, () => {
  const severities = async (text: string) =>
    (await new Analyzer({ rules: [rule] }).analyze({ path: '/work/compose.yaml', text })).findings.map(
      (f) => `${String(f.range.start.line + 1)} ${f.severity}`,
    );

  it('is a warning beside services that restart, advice in a development set-up or when none does', async () => {
    const text = `services:
  db:
    image: postgres:16.4
    restart: always
  api:
    image: example/api:1.0
  web:
    build:
      context: web
      target: development
  worker:
    image: example/worker:1.0
    environment:
      NODE_ENV: development
`;
    assert.deepEqual(await severities(text), ['5 warning', '7 info', '11 info']);
    assert.deepEqual(await severities('services:\n  api:\n    image: example/api:1.0\n'), ['2 info']);
  });
});
