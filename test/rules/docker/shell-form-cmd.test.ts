import rule from '../../../server/src/rules/docker/shell-form-cmd';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'every argument kept, quotes resolved',
      path: 'Dockerfile',
      text: `FROM node:22-slim
CMD «node server.js --title "Orders API" --port 8080 'a b'»
`,
      messages: [
        'CMD in shell form runs under /bin/sh -c: the shell does not pass SIGTERM on, so the app cannot stop gracefully.',
      ],
      messageIds: ['shellForm'],
      fixed: `FROM node:22-slim
CMD ["node", "server.js", "--title", "Orders API", "--port", "8080", "a b"]
`,
    },
    {
      name: 'ENTRYPOINT over continuation lines; it resets the CMD of the stage it is built on',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim AS base
CMD python -V
FROM base
ENTRYPOINT «gunicorn \\
    --bind 0.0.0.0:8000 \\
    app:app»
`,
      messages: [/^ENTRYPOINT in shell form/],
      fixed: `FROM python:3.12-slim AS base
CMD python -V
FROM base
ENTRYPOINT ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`,
    },
    {
      name: 'variables, && and globs need a shell: flagged without a fix',
      path: 'Dockerfile',
      text: `FROM node:22-slim
ENTRYPOINT «node server.js --port $PORT»
CMD «npm run migrate && node server.js»
`,
    },
    {
      name: 'a shell builtin has no program to start',
      path: 'Dockerfile',
      text: `FROM debian:12-slim\nCMD «ulimit -n 65536»\n`,
    },
    {
      name: 'brace expansion and ~ need a shell too',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
ENTRYPOINT «/srv/run --config /etc/srv/{base,local}.conf»
CMD «/srv/run --home ~/srv»
`,
    },
    {
      name: 'a shell-form ENTRYPOINT with a CMD: the exec form would pass the CMD to it, so no fix',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
ENTRYPOINT «gunicorn app:app»
CMD ["--workers", "4"]
`,
    },
    {
      name: 'a CMD that an exec-form ENTRYPOINT receives: a scaffold',
      path: 'Dockerfile',
      fixKind: 'scaffold',
      text: `FROM python:3.12-slim
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD «gunicorn --bind 0.0.0.0:8000 app:app»
`,
      fixed: `FROM python:3.12-slim
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`,
    },
    {
      name: 'a CMD that the nginx entrypoint acts on: a scaffold',
      path: 'Dockerfile',
      fixKind: 'scaffold',
      text: `FROM nginx:1.27
COPY nginx.conf /etc/nginx/nginx.conf
CMD «nginx -g 'daemon off;'»
`,
      fixed: `FROM nginx:1.27
COPY nginx.conf /etc/nginx/nginx.conf
CMD ["nginx", "-g", "daemon off;"]
`,
    },
  ],
  clean: [
    {
      name: 'exec form, and only the last CMD counts',
      path: 'Dockerfile',
      text: `FROM node:22-slim
CMD node old.js
CMD ["node", "server.js"]
`,
    },
    {
      name: 'exec at the end of the shell form',
      path: 'Dockerfile',
      text: `FROM node:22-slim\nCMD cd /app && exec node server.js\n`,
    },
    {
      name: 'a build stage CMD is not what the image runs',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build
CMD go test ./...
FROM gcr.io/distroless/static-debian12:nonroot
ENTRYPOINT ["/app"]
`,
    },
    {
      name: 'Windows images use cmd or PowerShell',
      path: 'Dockerfile',
      text: `# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
CMD Start-Service W3SVC; ping -t localhost
`,
    },
  ],
});
