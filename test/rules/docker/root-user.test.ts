import rule from '../../../server/src/rules/docker/root-user';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a program started by its bare name, copied into a folder on PATH',
      path: 'orders/Dockerfile',
      text: `FROM «alpine:3.20»
COPY dist/ /usr/local/bin/
ENTRYPOINT ["orders"]
`,
      messageIds: ['noUser'],
      fixed: `FROM alpine:3.20
COPY dist/ /usr/local/bin/
RUN addgroup -S app && adduser -S -G app -H app
USER app
ENTRYPOINT ["orders"]
`,
    },
    {
      name: 'an intention in a comment is no hand-over: the unread start script may still run as root',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
# TODO: start the daemon as an unprivileged user
COPY launch.sh /launch.sh
EXPOSE 9000
CMD ["/launch.sh"]
`,
      messageIds: ['noUser'],
    },
    {
      name: 'a readable start script that runs the directory daemon without its user flag',
      path: 'ldap/Dockerfile',
      files: { '/work/ldap/boot.sh': '#!/bin/sh\nset -e\nexec /usr/sbin/slapd -h "ldap:///" -d 0\n' },
      text: `FROM «debian:12-slim»
RUN apt-get update && apt-get install -y --no-install-recommends slapd && rm -rf /var/lib/apt/lists/*
COPY boot.sh /boot.sh
ENTRYPOINT ["/boot.sh"]
`,
      fixed: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends slapd && rm -rf /var/lib/apt/lists/*
COPY boot.sh /boot.sh
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
ENTRYPOINT ["/boot.sh"]
`,
    },
    {
      name: 'dnsmasq installed as a helper of another daemon is no sign of a hand-over',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
RUN install-packages dnsmasq libvirt-daemon-system
COPY ./boot.sh /boot.sh
ENTRYPOINT ["/boot.sh"]
CMD ["libvirtd"]
`,
      messageIds: ['noUser'],
    },
    {
      name: 'a comment that edits /etc/shadow, rather than mounting the host’s, says nothing about root',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
# lock the root account in /etc/shadow
RUN passwd -l root
COPY bin/relay /usr/local/bin/relay
ENTRYPOINT ["relay"]
`,
    },
    {
      name: 'a downloaded program whose name and arguments say it serves',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/java:21»
RUN curl -fsSL https://example.com/dl/tracker-server.jar -o /opt/tracker-server.jar
ENTRYPOINT ["java", "-jar", "/opt/tracker-server.jar", "--port", "8080"]
`,
    },
    {
      name: 'a console name in an image that opens a port is taken to serve',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
COPY pop /usr/local/bin/pop
EXPOSE 110
CMD ["/usr/local/bin/pop"]
`,
    },
    {
      name: 'a downloaded jar in an image that exposes a port',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/java:21»
RUN curl -fsSL https://example.com/dl/ledger.jar -o /ledger.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/ledger.jar"]
`,
    },
    {
      name: 'sendmail is a mail server, not a one-task tool',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
COPY sendmail /usr/sbin/sendmail
ENTRYPOINT ["sendmail", "-bD"]
`,
    },
    {
      name: 'an entrypoint script that can be read and never hands over',
      path: 'svc/Dockerfile',
      files: { '/work/svc/entrypoint.sh': '#!/bin/sh\nset -e\nchown -R app /data\nexec "$@"\n' },
      text: `FROM «debian:12-slim»
RUN useradd -r app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
EXPOSE 8080
ENTRYPOINT ["entrypoint.sh"]
CMD ["/usr/local/bin/svc"]
`,
      messageIds: ['noUser'],
      fixed: `FROM debian:12-slim
RUN useradd -r app
COPY entrypoint.sh /usr/local/bin/entrypoint.sh
USER app
EXPOSE 8080
ENTRYPOINT ["entrypoint.sh"]
CMD ["/usr/local/bin/svc"]
`,
    },
    {
      name: 'one documented run that grants privileges and one that does not: the image may still run as root',
      path: 'Dockerfile',
      text: `# docker run -d --privileged example/hyper
# docker run -d -p 8080:8080 example/hyper
FROM «debian:12-slim»
COPY hyper /usr/bin/hyper
EXPOSE 8080
ENTRYPOINT ["hyper"]
`,
      messageIds: ['noUser'],
      fixed: `# docker run -d --privileged example/hyper
# docker run -d -p 8080:8080 example/hyper
FROM debian:12-slim
COPY hyper /usr/bin/hyper
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
EXPOSE 8080
ENTRYPOINT ["hyper"]
`,
    },
    {
      name: 'a compiled tool documented as run detached is a service',
      path: 'Dockerfile',
      text: `# docker run -d --restart always example/relay
FROM golang:1.23-alpine AS build
RUN go build -o /out/relay .
FROM «alpine:3.20»
COPY --from=build /out/relay /usr/bin/relay
ENTRYPOINT ["relay"]
`,
      messageIds: ['noUser'],
      fixed: `# docker run -d --restart always example/relay
FROM golang:1.23-alpine AS build
RUN go build -o /out/relay .
FROM alpine:3.20
COPY --from=build /out/relay /usr/bin/relay
RUN addgroup -S app && adduser -S -G app -H app
USER app
ENTRYPOINT ["relay"]
`,
    },
    {
      name: 'Kubernetes runs another image as non-root, or this one with runAsUser 0',
      path: 'bank/src/ledger/Dockerfile',
      files: {
        '/work/bank/k8s/ledger.yaml': `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
        runAsUser: 0
      containers:
        - image: gcr.io/example/ledger:2.3.1
---
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - image: gcr.io/example/ledger-export:2.3.1
`,
      },
      text: `FROM golang:1.23 AS build
RUN go build -o /ledger .
FROM «gcr.io/distroless/static-debian12»
COPY --from=build /ledger /ledger
EXPOSE 8080
ENTRYPOINT ["/ledger"]
`,
      messageIds: ['noUser'],
      fixed: `FROM golang:1.23 AS build
RUN go build -o /ledger .
FROM gcr.io/distroless/static-debian12
COPY --from=build /ledger /ledger
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/ledger"]
`,
    },
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
      name: 'Alpine image whose start command is in an earlier stage: appended at the end',
      path: 'worker/Dockerfile',
      text: `FROM alpine:3.20 AS base
ENTRYPOINT ["/usr/local/bin/worker"]
FROM «base»
RUN apk add --no-cache curl
COPY bin/worker /usr/local/bin/worker`,
      fixed: `FROM alpine:3.20 AS base
ENTRYPOINT ["/usr/local/bin/worker"]
FROM base
RUN apk add --no-cache curl
COPY bin/worker /usr/local/bin/worker
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
      fixed: `FROM redis:7.4\nUSER redis\nENTRYPOINT ["redis-server", "/etc/redis.conf"]\n`,
    },
    {
      name: 'Amazon Linux minimal has no useradd: a bare uid',
      path: 'Dockerfile',
      text: `FROM «public.ecr.aws/amazonlinux/amazonlinux:2023-minimal»
RUN dnf install -y nodejs20 && dnf clean all
COPY dist /opt/load
CMD ["node20", "/opt/load/run.js"]
`,
      fixed: `FROM public.ecr.aws/amazonlinux/amazonlinux:2023-minimal
RUN dnf install -y nodejs20 && dnf clean all
COPY dist /opt/load
USER 65532:65532
CMD ["node20", "/opt/load/run.js"]
`,
    },
    {
      name: 'a minimal image that installs shadow-utils gets useradd',
      path: 'Dockerfile',
      text: `FROM «registry.access.redhat.com/ubi9/ubi-minimal:9.5»
RUN microdnf install -y shadow-utils java-21-openjdk-headless && microdnf clean all
COPY target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
`,
      fixed: `FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5
RUN microdnf install -y shadow-utils java-21-openjdk-headless && microdnf clean all
COPY target/app.jar /app.jar
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
CMD ["java", "-jar", "/app.jar"]
`,
    },
    {
      name: 'an unknown base gets a Debian user when its RUNs use apt',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY build/api /srv/api
ENTRYPOINT ["/srv/api"]
`,
      fixed: `FROM registry.example.com/platform/base:4.2
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY build/api /srv/api
RUN groupadd --system app && useradd --system --gid app --no-create-home app
USER app
ENTRYPOINT ["/srv/api"]
`,
    },
    {
      name: 'unknown base without package manager: reported, no fix',
      path: 'Dockerfile',
      text: `FROM «registry.example.com/platform/base:4.2»
COPY build/api /srv/api
ENTRYPOINT ["/srv/api"]
`,
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
    {
      name: 'a tool-shaped image that serves: a server program, or a port',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim AS api\nRUN pip install --no-cache-dir httpbin==0.10.2 gunicorn==23.0.0\nCMD ["gunicorn", "-b", "0.0.0.0:8080", "httpbin:app"]\nFROM «alpine:3.20»\nRUN apk add --no-cache coredns\nEXPOSE 53/udp\nENTRYPOINT ["coredns", "-conf", "/etc/Corefile"]\n`,
      fixed: `FROM python:3.12-slim AS api\nRUN pip install --no-cache-dir httpbin==0.10.2 gunicorn==23.0.0\nCMD ["gunicorn", "-b", "0.0.0.0:8080", "httpbin:app"]\nFROM alpine:3.20\nRUN apk add --no-cache coredns\nRUN addgroup -S app && adduser -S -G app -H app\nUSER app\nEXPOSE 53/udp\nENTRYPOINT ["coredns", "-conf", "/etc/Corefile"]\n`,
    },
  ],
  clean: [
    {
      name: 'a desktop program built in the image, with data files copied beside it',
      path: 'emulator/Dockerfile',
      text: `FROM alpine:3.20
RUN apk add --no-cache sdl2 && wget -qO- https://example.org/emu-1.4.tar.gz | tar -xz -C /usr/local/bin
COPY disks/adventure.dsk /usr/share/games/
ENTRYPOINT ["emu"]
CMD ["-1", "/usr/share/games/adventure.dsk"]
`,
    },
    {
      name: 'a virtual machine host documented as run with --privileged: only root can use those privileges',
      path: 'Dockerfile',
      text: `# Runs the hypervisor daemon:
# docker run -d \\
#   --privileged \\
#   -v /var/run/hv:/var/run/hv \\
#   example/hv
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends qemu-system-x86 && rm -rf /var/lib/apt/lists/*
COPY ./boot.sh /boot.sh
EXPOSE 5900
ENTRYPOINT ["/boot.sh"]
`,
    },
    {
      name: 'the documented run chooses the user',
      path: 'Dockerfile',
      text: `# docker run -d --user 1000:1000 -p 9090:9090 example/board
FROM alpine:3.20
COPY board /usr/bin/board
EXPOSE 9090
CMD ["board"]
`,
    },
    {
      name: 'the compile daemon switches to its own user when started as root, also through a script named after it',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends distcc gcc && rm -rf /var/lib/apt/lists/*
COPY distccd-start /usr/local/bin/distccd-start
EXPOSE 3632
ENTRYPOINT ["distccd-start"]
`,
    },
    {
      name: 'an unread start script that the comments say starts the program as the user it creates',
      path: 'notes/Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends zim && rm -rf /var/lib/apt/lists/*
# The program must not write as root into the mounted notebook.
# So launch.sh creates a user named after $HOST_USER and starts Zim as that user.
COPY launch.sh /launch.sh
CMD ["/launch.sh"]
`,
    },
    {
      name: 'a readable start script that hands over with sudo -u, or starts slapd with its user flag',
      path: 'dir/Dockerfile',
      files: {
        '/work/dir/run-app.sh': '#!/bin/sh\nexec sudo -u app /usr/local/bin/app "$@"\n',
        '/work/dir/boot.sh': '#!/bin/sh\nexec /usr/sbin/slapd -h "ldap:///" -u openldap -g openldap -d 0\n',
      },
      text: `FROM debian:12-slim AS app
COPY run-app.sh /run-app.sh
EXPOSE 8080
ENTRYPOINT ["/run-app.sh"]
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends slapd && rm -rf /var/lib/apt/lists/*
COPY boot.sh /boot.sh
EXPOSE 389
ENTRYPOINT ["/boot.sh"]
`,
    },
    {
      name: 'an unread start script in an image that installs the LDAP daemon, which its scripts start as openldap',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends slapd ldap-utils && rm -rf /var/lib/apt/lists/*
COPY boot.sh /boot.sh
ENTRYPOINT ["/boot.sh"]
`,
    },
    {
      name: 'its comments say it is given the host’s /etc/shadow, which only root can read',
      path: 'Dockerfile',
      text: `# Checks the user's password before it unlocks the session.
# Start it with these bind-mounts (read-only):
#   /etc/passwd and /etc/shadow
FROM alpine:3.20
RUN apk add --no-cache py3-pam
COPY unlock.py /unlock.py
CMD ["/unlock.py"]
`,
    },
    {
      name: 'a ready-made jar downloaded and started by java, with nothing of its own copied in',
      path: 'Dockerfile',
      text: `FROM eclipse-temurin:21-jre-alpine
RUN apk add --no-cache curl && curl -fsSL https://example.com/dl/circuit-sim.jar -o /opt/circuit-sim.jar
ENTRYPOINT ["java", "-jar", "/opt/circuit-sim.jar", "batch"]
`,
    },
    {
      name: 'a one-task program whose name joins a verb and its object',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN apk add --no-cache curl
COPY backupdb /usr/bin/backupdb
ENTRYPOINT ["backupdb"]
`,
    },
    {
      name: 'a console client copied in, in an image that opens no port',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
COPY gitui /usr/local/bin/gitui
CMD ["/usr/local/bin/gitui"]
`,
    },
    {
      name: 'an editor built in a stage and started in the terminal',
      path: 'Dockerfile',
      text: `FROM golang:1.23-alpine AS build
RUN go install example.com/editor/cmd/micro@v2.0.14
FROM alpine:3.20
COPY --from=build /go/bin/micro /usr/bin/micro
ENTRYPOINT ["micro"]
`,
    },
    {
      name: 'a tool whose comments document docker run -it',
      path: 'Dockerfile',
      text: `# Run it with:
#   docker run --rm -it \\
#     -v $HOME/.tickerrc:/root/.tickerrc \\
#     example/ticker
FROM golang:1.23-alpine AS build
RUN go install example.com/ticker@v1.2.0
FROM alpine:3.20
COPY --from=build /go/bin/ticker /usr/bin/ticker
ENTRYPOINT ["ticker"]
`,
    },
    {
      name: 'a one-task script run by its interpreter',
      path: 'Dockerfile',
      text: `FROM python:3.12-alpine
RUN pip install --no-cache-dir boto3==1.35.0
COPY ./purge-cdn.py /usr/local/bin/purge-cdn.py
CMD ["python3", "/usr/local/bin/purge-cdn.py"]
`,
    },
    {
      name: 'an entrypoint that drops privileges with gosu, setpriv or chpst',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN useradd -r app
COPY bin/svc /usr/local/bin/svc
EXPOSE 8080
ENTRYPOINT ["setpriv", "--reuid=app", "--regid=app", "--init-groups", "/usr/local/bin/svc"]
`,
    },
    {
      name: 'an entrypoint script that can be read and hands over with su-exec',
      path: 'svc/Dockerfile',
      files: { '/work/svc/docker-entrypoint.sh': '#!/bin/sh\nchown -R app /data\nexec su-exec app "$@"\n' },
      text: `FROM alpine:3.20
RUN adduser -S app
COPY docker-entrypoint.sh /usr/local/bin/
EXPOSE 8080
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["/usr/local/bin/svc"]
`,
    },
    {
      name: 'an entrypoint script that cannot be read, in an image that installs gosu',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/*
COPY start.sh /start.sh
EXPOSE 8080
ENTRYPOINT ["/start.sh"]
`,
    },
    {
      name: 'the compose service that builds it runs it as a non-root user',
      path: 'shop/api/Dockerfile',
      files: {
        '/work/shop/compose.yaml': `services:
  api:
    build: { context: api, dockerfile: Dockerfile }
    user: "1000:1000"
`,
      },
      text: `FROM node:22-slim
COPY . /app
EXPOSE 3000
CMD ["node", "/app/server.js"]
`,
    },
    {
      name: 'a test image, and one named Dockerfile.test',
      path: 'shop/result/tests/Dockerfile',
      text: `FROM node:22-slim
COPY . /app
EXPOSE 3000
CMD ["node", "/app/server.js"]
`,
    },
    {
      name: 'Dockerfile.test',
      path: 'shop/Dockerfile.test',
      text: `FROM node:22-slim
COPY . /app
EXPOSE 3000
CMD ["node", "/app/server.js"]
`,
    },
    {
      name: 'the Kubernetes manifests beside the sources run the image as a non-root user',
      path: 'bank/src/ledger/Dockerfile',
      files: {
        '/work/bank/k8s/ledger.yaml': `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      containers:
        - name: server
          image: gcr.io/example/ledger:2.3.1
`,
      },
      text: `FROM golang:1.23 AS build
RUN go build -o /ledger .
FROM gcr.io/distroless/static-debian12
COPY --from=build /ledger /ledger
EXPOSE 8080
ENTRYPOINT ["/ledger"]
`,
    },
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
      name: 'an official-style runtime image: copies no application, starts a prompt',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
ENV NODE_VERSION=22.11.0
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl xz-utils && rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
`,
    },
    {
      name: 'a base with ONBUILD triggers',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim\nONBUILD COPY . /app\nONBUILD RUN pip install -r /app/requirements.txt\nCMD ["python", "/app/main.py"]\n`,
    },
    {
      name: 'servers that start as root and hand over by themselves, even with their entrypoint replaced',
      path: 'Dockerfile',
      text: `FROM nginx:1.27\nCOPY site /usr/share/nginx/html\nEXPOSE 80\nENTRYPOINT ["nginx", "-g", "daemon off;"]\n`,
    },
    {
      name: 'a process supervisor that runs each service under the user its definition names',
      path: 'mail/Dockerfile',
      text: `FROM alpine:3.20\nRUN apk add --no-cache postfix runit\nCOPY service /etc/service\nCOPY runit_bootstrap /usr/sbin/runit_bootstrap\nEXPOSE 25\nENTRYPOINT ["/usr/sbin/runit_bootstrap"]\n`,
    },
    {
      name: 'supervisord started directly',
      path: 'web/Dockerfile',
      text: `FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends supervisor && rm -rf /var/lib/apt/lists/*\nCOPY supervisord.conf /etc/supervisor/conf.d/app.conf\nEXPOSE 8080\nCMD ["supervisord", "-n"]\n`,
    },
    {
      name: 'a desktop program and a one-off job show no sign of a service',
      path: 'Dockerfile',
      text: `FROM debian:12-slim AS viewer\nRUN apt-get update && apt-get install -y --no-install-recommends evince && rm -rf /var/lib/apt/lists/*\nENTRYPOINT ["evince"]\nFROM alpine:3.20\nRUN apk add --no-cache gnuplot\nCMD ["gnuplot", "--version"]\n`,
    },
    {
      name: 'a tool built in an earlier stage whose default command prints its usage',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build\nRUN go build -o /out/deployer ./cmd/deployer\nFROM alpine:3.20\nCOPY --from=build /out/deployer /usr/bin/deployer\nENTRYPOINT ["deployer"]\nCMD ["--help"]\n`,
    },
    {
      name: 'a command-line tool image: an installed program as entry point, no port, no application',
      path: 'Dockerfile',
      text: `FROM alpine:3.20\nRUN apk add --no-cache aws-cli jq\nENTRYPOINT ["aws"]\nCMD ["--help"]\n`,
    },
    {
      name: 'AWS Lambda base images run the function as their own user',
      path: 'Dockerfile',
      text: `FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py \${LAMBDA_TASK_ROOT}\nCMD ["app.handler"]\n`,
    },
    {
      name: 'a Lambda image on another base, through the runtime interface client',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim\nRUN pip install --no-cache-dir awslambdaric==3.0.0\nCOPY app.py /function/\nWORKDIR /function\nENTRYPOINT ["/usr/local/bin/python", "-m", "awslambdaric"]\nCMD ["app.handler"]\n`,
    },
    {
      name: 'a WebAssembly image',
      path: 'Dockerfile',
      text: `FROM --platform=wasi/wasm scratch\nCOPY target/wasm32-wasip1/release/hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n`,
    },
    {
      name: 'a fragment without FROM says nothing about the image',
      path: 'Dockerfile.part',
      text: `RUN apt-get install -y --no-install-recommends curl\nCOPY . /app\nCMD ["/app/run"]\n`,
    },
    {
      name: 'base named by an ARG without default',
      path: 'Dockerfile',
      text: `ARG BASE\nFROM \${BASE}\nCMD ["/app"]\n`,
    },
  ],
});
