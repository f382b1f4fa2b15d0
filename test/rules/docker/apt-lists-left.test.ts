import rule from '../../../server/src/rules/docker/apt-lists-left';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'the lists left over continuation lines',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN «apt-get update» \\
 && apt-get install -y --no-install-recommends \\
      curl \\
      ca-certificates
CMD ["curl", "--version"]
`,
      messages: [
        "This RUN downloads apt's package lists and leaves them in the layer: remove /var/lib/apt/lists/* in the same RUN.",
      ],
      messageIds: ['listsLeft'],
      fixed: `FROM debian:12-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends \\
      curl \\
      ca-certificates && rm -rf /var/lib/apt/lists/*
CMD ["curl", "--version"]
`,
    },
    {
      name: 'set -eux style with semicolons, apt, and a here-document script',
      path: 'Dockerfile',
      text: `# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN set -eux; «apt update»; apt install -y --no-install-recommends git;
RUN <<EOF
set -e
«apt-get update»
apt-get install -y --no-install-recommends make
EOF
`,
      fixed: `# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN set -eux; apt update; apt install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*;
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
EOF
`,
    },
    {
      name: 'an update on its own: the next RUN needs the lists, so no fix',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN «apt-get update»
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
`,
    },
    {
      name: 'a later RUN installs from the same lists: cleaning them would break it, so no fix',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN «apt-get update» && apt-get install -y --no-install-recommends curl
RUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
CMD ["git", "--version"]
`,
    },
    {
      name: 'a build stage built on this one installs from the lists: no fix',
      path: 'Dockerfile',
      text: `FROM debian:12-slim AS base
RUN «apt-get update» && apt-get install -y --no-install-recommends ca-certificates
FROM base AS build
RUN apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
FROM base
COPY --from=build /out /app
`,
    },
    {
      name: 'a later RUN that updates first does not need these lists',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN «apt-get update» && apt-get install -y --no-install-recommends curl
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
`,
      fixed: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
`,
    },
  ],
  clean: [
    {
      name: 'installing recommended packages is another rule’s concern',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
COPY bin/poller /usr/local/bin/poller
CMD ["poller"]
`,
    },
    {
      name: 'a debug image and a test image, which never ship',
      path: 'services/api/Dockerfile.debug',
      text: `FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gdb procps
COPY . /app
CMD ["python", "-m", "debugpy", "--listen", "0.0.0.0:5678", "/app/main.py"]
`,
    },
    {
      name: 'an image in a tests folder',
      path: 'api/tests/Dockerfile',
      text: `FROM node:22-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl jq
COPY . /tests
CMD ["npm", "test"]
`,
    },
    {
      name: 'cleaned in the same RUN, a cache mount, and apt configured without recommends',
      path: 'Dockerfile',
      text: `# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\
    --mount=type=cache,target=/var/cache/apt \\
    apt-get update && apt-get install -y git
`,
    },
    {
      name: 'a build stage that the final image does not include',
      path: 'Dockerfile',
      text: `FROM debian:12 AS build
RUN apt-get update && apt-get install -y build-essential
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/app /app
`,
    },
    {
      name: 'a hadolint ignore',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
# hadolint ignore=DL3009
RUN apt-get update && apt-get install -y curl
`,
    },
  ],
});
