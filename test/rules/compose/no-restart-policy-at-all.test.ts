import rule from '../../../server/src/rules/compose/no-restart-policy-at-all';
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
      name: 'a sample stack (a service built on the spot) where the database restarts and the app does not',
      path: 'compose.yaml',
      text: `services:
  «backend»:
    build: backend
    ports: ["8080:8080"]
  db:
    image: mariadb:10.9
    restart: always
`,
      messageIds: ['noPolicyUnlike'],
      messages: [
        'Service backend has no restart policy, unlike db: after a crash or a reboot it stays down until someone starts it.',
      ],
      fixed: `services:
  backend:
    build: backend
    ports: ["8080:8080"]
    restart: unless-stopped
  db:
    image: mariadb:10.9
    restart: always
`,
    },
  ],
  clean: [
    {
      name: "a production stack (built images only) where some services restart: the oversight is no-restart-policy's",
      path: 'compose.yaml',
      text: `services:\n  db:\n    image: postgres:16.4\n    restart: always\n  api:\n    image: example/api:1.0\n`,
    },
    {
      name: 'the override restarts the service',
      path: 'app/compose.yaml',
      files: { '/work/app/compose.override.yaml': 'services:\n  api:\n    restart: always\n' },
      text: `services:\n  api:\n    image: example/api:1.0\n`,
    },
    {
      name: 'a file named for production: no-restart-policy reports it in every preset',
      path: 'docker-compose.prod.yml',
      text: `services:\n  api:\n    image: example/api:1.0\n`,
    },
    {
      name: 'a development service beside services that restart',
      path: 'compose.yaml',
      text: `services:\n  db:\n    image: postgres:16.4\n    restart: always\n  web:\n    build:\n      context: web\n      target: development\n`,
    },
  ],
});
