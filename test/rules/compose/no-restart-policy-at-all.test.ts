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
  ],
  clean: [
    {
      name: "some services restart: the oversight is no-restart-policy's",
      path: 'compose.yaml',
      text: `services:\n  db:\n    image: postgres:16.4\n    restart: always\n  api:\n    image: example/api:1.0\n`,
    },
    {
      name: 'the override restarts the service',
      path: 'app/compose.yaml',
      files: { '/work/app/compose.override.yaml': 'services:\n  api:\n    restart: always\n' },
      text: `services:\n  api:\n    image: example/api:1.0\n`,
    },
  ],
});
