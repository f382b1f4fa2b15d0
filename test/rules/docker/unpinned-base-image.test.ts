import rule from '../../../server/src/rules/docker/unpinned-base-image';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a namespaced image the repository does not build',
      path: 'images/mailer/Dockerfile',
      files: {
        '/work/images/fetch/Dockerfile':
          'FROM alpine:3.20\nLABEL registry_image="registry.example.org/fetch"\n',
      },
      text: `FROM «quay.io/other-org/fetch-tools»\nFROM «alpine»\n`,
      messageIds: ['baseNoTag', 'baseNoTag'],
    },
    {
      name: 'no tag, and latest',
      path: 'Dockerfile',
      text: `FROM «ubuntu» AS tools
RUN apt-get update
FROM «node:latest»
CMD ["node", "server.js"]
`,
      messages: [
        'The base image ubuntu has no tag, so it means `latest`: every build can start from a different image.',
        'The base image node:latest uses the `latest` tag: every build can start from a different image.',
      ],
      messageIds: ['baseNoTag', 'baseLatest'],
    },
    {
      name: 'registry with a port and no tag',
      path: 'Dockerfile',
      text: `FROM «registry.example.com:5000/team/base»\nCMD ["/run"]\n`,
    },
    {
      name: 'an ARG whose default is unpinned',
      path: 'Dockerfile',
      text: `ARG BASE=python
FROM «\${BASE}»
CMD ["python"]
`,
      messages: [
        'The base image python (${BASE} with the default of ARG BASE) has no tag, so it means `latest`: every build can start from a different image.',
      ],
    },
    {
      name: 'compose: no tag, latest, and an interpolated default',
      path: 'compose.yaml',
      text: `services:
  db:
    image: «postgres»
  cache:
    image: «"redis:latest"»
  app:
    image: «example/app:\${TAG:-latest}»
`,
      messages: [
        'Service db runs postgres, which has no tag, so it means `latest`: each pull can bring a different version.',
        'Service cache runs redis:latest, which uses the `latest` tag: each pull can bring a different version.',
        /Service app runs example\/app:latest/,
      ],
      messageIds: ['serviceNoTag', 'serviceLatest', 'serviceLatest'],
    },
    {
      name: 'floating release channels: lts, stable, current, latest-*',
      path: 'Dockerfile',
      text: `FROM «node:lts-alpine» AS web
RUN npm ci
FROM «debian:stable-slim» AS tools
FROM «nginx:mainline»
COPY --from=web /src/dist /usr/share/nginx/html
`,
      messages: [
        'The base image node:lts-alpine uses the floating tag `lts-alpine`, which moves to each new release: every build can start from a different image.',
        /debian:stable-slim uses the floating tag `stable-slim`/,
        /nginx:mainline/,
      ],
      messageIds: ['baseFloating', 'baseFloating', 'baseFloating'],
    },
    {
      name: 'COPY --from an image without a fixed version; stages, indexes and pinned images are fine',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=«tianon/gosu» /gosu /usr/local/bin/gosu
COPY --from=«ghcr.io/astral-sh/uv:latest» /uv /bin/uv
COPY --from=«example/assets:current-web» /assets /srv/assets
COPY --from=build /out/app /app
COPY --from=0 /out/app /app2
COPY --from=busybox:1.36.1 /bin/busybox /bin/busybox
CMD ["/app"]
`,
      messages: [
        'COPY --from=tianon/gosu copies from an image with no tag: every build can copy different files.',
        'COPY --from=ghcr.io/astral-sh/uv:latest copies from an image with the `latest` tag: every build can copy different files.',
        /with a floating tag/,
      ],
      messageIds: ['copyFrom', 'copyFrom', 'copyFrom'],
    },
    {
      name: 'compose: a floating channel',
      path: 'compose.yaml',
      text: `services:\n  proxy:\n    image: «nginx:stable-alpine»\n`,
      messages: [
        'Service proxy runs nginx:stable-alpine, whose tag `stable-alpine` moves to each new release: each pull can bring a different version.',
      ],
      messageIds: ['serviceFloating'],
    },
    {
      name: 'tags without a version number, and a development release of Debian',
      path: 'Dockerfile',
      text: `FROM «golang:alpine» AS build
RUN go build -o /tool .
FROM «debian:sid-slim»
COPY --from=build /tool /usr/local/bin/tool
`,
      messages: [
        'The base image golang:alpine uses the floating tag `alpine`, which moves to each new release: every build can start from a different image.',
        /debian:sid-slim uses the floating tag `sid-slim`/,
      ],
      messageIds: ['baseFloating', 'baseFloating'],
    },
    {
      name: 'compose: a variant file beside it builds other services only',
      path: 'docker-compose.images.yml',
      files: { '/work/docker-compose.yml': 'services:\n  worker:\n    build: ./worker\n' },
      text: `services:\n  storefront:\n    image: «example-org/shop_storefront»\n`,
      messageIds: ['serviceNoTag'],
    },
    {
      name: 'compose: a variant without a version',
      path: 'compose.yaml',
      text: `services:\n  cache:\n    image: «redis:alpine»\n  web:\n    image: «nextcloud:apache»\n`,
      messageIds: ['serviceFloating', 'serviceFloating'],
    },
  ],
  clean: [
    {
      name: 'compose: the prebuilt images of services that the compose file beside it builds',
      path: 'docker-compose.images.yml',
      files: {
        '/work/docker-compose.yml':
          'services:\n  storefront:\n    build: ./storefront\n  cache:\n    image: valkey/valkey:8.0\n',
      },
      text: `services:\n  storefront:\n    image: example-org/shop_storefront\n  cache:\n    image: valkey/valkey:8.0\n`,
    },
    {
      name: 'release codenames of distributions, and distroless variants',
      path: 'Dockerfile',
      text: `FROM debian:bookworm-slim AS base\nFROM ubuntu:noble\nFROM buildpack-deps:bookworm-curl\nFROM gcr.io/distroless/static-debian12:nonroot\n`,
    },
    {
      name: 'an image the repository builds in a folder per tag',
      path: 'wireguard/tools/Dockerfile',
      files: { '/work/wireguard/install/Dockerfile': 'FROM debian:12.7-slim\nRUN make install\n' },
      text: `FROM debian:12.7-slim\nCOPY --from=registry.example.org/wireguard:install /usr/bin/wg /usr/bin/wg\n`,
    },
    {
      name: 'a base the same repository builds in a sibling folder',
      path: 'images/mailer/Dockerfile',
      files: { '/work/images/fetch/Dockerfile': 'FROM alpine:3.20\nRUN apk add --no-cache curl\n' },
      text: `FROM registry.example.org/fetch\nCOPY send /usr/bin/send\nENTRYPOINT ["send"]\n`,
    },
    {
      name: 'a base under the namespace that sibling Dockerfiles name their own images with',
      path: 'images/tracer/Dockerfile',
      files: {
        '/work/images/notes/Dockerfile':
          'FROM alpine:3.20\nLABEL registry_image="registry.example.org/notes"\n',
      },
      text: `FROM registry.example.org/kernel-tools\nENTRYPOINT ["trace"]\n`,
    },
    {
      name: 'a base under the namespace the repository’s Makefile pushes to',
      path: 'tools/lint/Dockerfile',
      files: {
        '/work/Makefile': 'REGISTRY := ghcr.io/example-org\npush:\n\tdocker push $(REGISTRY)/$(IMAGE)\n',
      },
      text: `FROM ghcr.io/example-org/toolbox:latest\nCOPY --from=ghcr.io/example-org/assets /srv /srv\n`,
    },
    {
      name: 'versions that merely contain a channel word',
      path: 'Dockerfile',
      text: `FROM eclipse-temurin:21-jre-jammy\nFROM example/tool:2.1-stable\nFROM node:22.11-bookworm-slim\nCMD ["node"]\n`,
    },
    {
      name: 'tags, digests, stages and scratch',
      path: 'Dockerfile',
      text: `FROM golang:1.23-bookworm AS build
RUN go build -o /app .
FROM build AS test
RUN go test ./...
FROM gcr.io/distroless/static-debian12@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02
COPY --from=build /app /app
FROM scratch
COPY --from=build /app /app
`,
    },
    {
      name: 'ARG-pinned base, and a base only known at build time',
      path: 'Dockerfile',
      text: `ARG NODE_VERSION=22.11
ARG RUNTIME
FROM node:\${NODE_VERSION}-slim AS deps
FROM \${RUNTIME}
FROM --platform=$BUILDPLATFORM node:\${NODE_VERSION}
`,
    },
    {
      name: 'a stage name is matched whatever its case',
      path: 'Dockerfile',
      text: `FROM node:22 AS Builder\nFROM builder\n`,
    },
    {
      name: 'compose: pinned, built, interpolated without default, and a partial override',
      path: 'docker-compose.override.yml',
      text: `services:
  db:
    image: postgres:16.4
  app:
    build: .
    image: example/app
  worker:
    image: \${WORKER_IMAGE}
  web:
    ports:
      - "8080:80"
`,
    },
    {
      name: 'hadolint ignore for DL3007',
      path: 'Dockerfile',
      text: `# hadolint ignore=DL3007\nFROM node:latest\n`,
    },
  ],
});
