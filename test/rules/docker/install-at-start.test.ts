import rule from '../../../server/src/rules/docker/install-at-start';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'shell form with && and pip',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
COPY . /app
CMD «pip install» -r /app/requirements.txt && python /app/main.py
`,
      messages: [
        'CMD installs dependencies each time a container starts: install them at build time in a RUN.',
      ],
      messageIds: ['installAtStart'],
    },
    {
      name: 'inside sh -c of an exec form, and an exec form that is the installer',
      path: 'Dockerfile',
      text: `FROM node:22-slim
ENTRYPOINT ["sh", "-c", "«npm ci» && exec node server.js"]
CMD [«"yarn"»]
`,
      messages: [/^ENTRYPOINT installs/, /^CMD installs/],
    },
    {
      name: 'system packages and bundler',
      path: 'Dockerfile',
      text: `FROM ruby:3.3-slim
CMD «apt-get install» -y nodejs; «bundle install»; exec rails server
`,
    },
  ],
  clean: [
    {
      name: 'installed at build time, started plainly',
      path: 'Dockerfile',
      text: `FROM node:22-slim
RUN npm ci --omit=dev
CMD ["node", "server.js"]
`,
    },
    {
      name: 'only the final image counts, and words are not commands',
      path: 'Dockerfile',
      text: `FROM node:22 AS dev
CMD npm install && npm run dev
FROM node:22-slim
CMD ["node", "-e", "console.log('npm install')"]
`,
    },
  ],
});
