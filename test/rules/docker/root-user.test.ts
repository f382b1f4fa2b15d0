import rule from '../../../server/src/rules/docker/root-user';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'node image without USER gets USER node before CMD',
      path: 'Dockerfile',
      text: `FROM «node:22-slim»
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
`,
      messages: ['The image runs as root: its final stage (FROM node:22-slim) never sets a non-root USER.'],
      messageIds: ['noUser'],
      fixed: `FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]
`,
    },
    {
      name: 'Debian-based image: creates a system user',
      path: 'Dockerfile',
      text: `FROM «python:3.12-slim»
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
EXPOSE 8000
CMD ["gunicorn", "app:app"]
`,
      fixed: `FROM python:3.12-slim
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 8000
CMD ["gunicorn", "app:app"]
`,
    },
    {
      name: 'Alpine image without CMD: appended at the end',
      path: 'worker/Dockerfile',
      text: `FROM «alpine:3.20»
RUN apk add --no-cache curl`,
      fixed: `FROM alpine:3.20
RUN apk add --no-cache curl
RUN addgroup -S app && adduser -S -G app -H app
USER app
`,
    },
    {
      name: 'last USER is root: reuses the user the Dockerfile creates',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
RUN useradd --create-home svc
USER svc
COPY . /srv
USER «root»
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
ENTRYPOINT ["/srv/run"]
`,
      messages: ['The image runs as root: the last USER of the final stage is root.'],
      messageIds: ['lastUserRoot'],
      fixed: `FROM ubuntu:24.04
RUN useradd --create-home svc
USER svc
COPY . /srv
USER root
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
USER svc
ENTRYPOINT ["/srv/run"]
`,
    },
    {
      name: 'a database image whose entrypoint is replaced no longer switches user',
      path: 'Dockerfile',
      text: `FROM «redis:7.4»\nENTRYPOINT ["redis-server", "/etc/redis.conf"]\n`,
      fixed: `FROM redis:7.4\nRUN groupadd --system app && useradd --system --gid app --no-create-home app\nUSER app\nENTRYPOINT ["redis-server", "/etc/redis.conf"]\n`,
    },
    {
      name: 'multi-stage: only the final stage matters, and it inherits from a root stage',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build
USER nobody
RUN go build -o /out/app ./cmd/app

FROM debian:bookworm-slim AS base
RUN apt-get update

FROM «base»
COPY --from=build /out/app /app
CMD ["/app"]
`,
      fixed: `FROM golang:1.23 AS build
USER nobody
RUN go build -o /out/app ./cmd/app

FROM debian:bookworm-slim AS base
RUN apt-get update

FROM base
COPY --from=build /out/app /app
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD ["/app"]
`,
    },
    {
      name: 'scratch final stage: a numeric user',
      path: 'Containerfile',
      text: `FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM «scratch»
COPY --from=build /app /app
ENTRYPOINT ["/app"]
`,
      fixed: `FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM scratch
COPY --from=build /app /app
USER 65532:65532
ENTRYPOINT ["/app"]
`,
    },
    {
      name: 'compose: user root overrides the image',
      path: 'compose.yaml',
      text: `services:
  web:
    image: nginxinc/nginx-unprivileged:1.27
    user: «root»
  worker:
    image: example/worker:1.2
    user: «"0:0"»
  tool:
    image: example/tool:1.0
    user: «\${TOOL_UID:-0}»
`,
      messages: [
        "Service web runs as root: `user: root` overrides the image's own user.",
        /Service worker/,
        /Service tool/,
      ],
      messageIds: ['composeRoot', 'composeRoot', 'composeRoot'],
    },
  ],
  clean: [
    {
      name: 'USER node',
      path: 'Dockerfile',
      text: `FROM node:22-slim\nUSER node\nCMD ["node", "server.js"]\n`,
    },
    {
      name: 'final stage inherits a non-root user from an earlier stage',
      path: 'Dockerfile',
      text: `FROM node:22-slim AS base\nUSER node\nFROM base\nCMD ["node", "server.js"]\n`,
    },
    {
      name: 'distroless nonroot base',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n`,
    },
    {
      name: 'user from a build argument is unknowable',
      path: 'Dockerfile',
      text: `FROM debian:12\nARG APP_USER\nUSER \${APP_USER}\n`,
    },
    {
      name: 'hadolint suppression for DL3002',
      path: 'Dockerfile',
      text: `FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n`,
    },
    {
      name: 'whole-file suppression with a reason',
      path: 'Dockerfile',
      text: `# cloud-lessons-disable least-privilege/root-user -- CI tool image, never deployed\nFROM debian:12\n`,
    },
    {
      name: 'compose: an unprivileged uid, a variable without default, no user at all',
      path: 'docker-compose.yml',
      text: `services:
  web:
    image: nginx:1.27
    user: "101:101"
  app:
    build: .
    user: \${APP_UID}
  db:
    image: postgres:16
`,
    },
    {
      name: 'images that switch user themselves: database entrypoints, web server workers, images with their own USER',
      path: 'Dockerfile',
      text: `FROM postgres:16.4\nCOPY init.sql /docker-entrypoint-initdb.d/\nFROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\nFROM grafana/grafana:11.2.0\nCOPY dashboards /etc/grafana/dashboards\n`,
    },
    {
      name: 'Windows images have no root user to switch from',
      path: 'Dockerfile',
      text: `# escape=\`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command Write-Host hi\n`,
    },
    {
      name: 'base named by an ARG without default',
      path: 'Dockerfile',
      text: `ARG BASE\nFROM \${BASE}\nCMD ["/app"]\n`,
    },
  ],
});
