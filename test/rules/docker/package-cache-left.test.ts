import rule from '../../../server/src/rules/docker/package-cache-left';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'pip without --no-cache-dir, through pip3 and python -m',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
COPY requirements.txt /srv/
RUN «pip3 install» -r /srv/requirements.txt && python3 -m «pip install» gunicorn==23.0.0
CMD ["gunicorn", "srv:app"]
`,
      messages: [
        '`pip3 install` without --no-cache-dir keeps every downloaded package in pip’s cache, in this layer.',
        /`pip install` without --no-cache-dir/,
      ],
      messageIds: ['pip', 'pip'],
      fixed: `FROM python:3.12-slim
COPY requirements.txt /srv/
RUN pip3 install --no-cache-dir -r /srv/requirements.txt && python3 -m pip install --no-cache-dir gunicorn==23.0.0
CMD ["gunicorn", "srv:app"]
`,
    },
    {
      name: 'apk add without --no-cache',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN «apk add» tini ca-certificates
ENTRYPOINT ["/sbin/tini", "--"]
`,
      messages: [
        '`apk add` without --no-cache keeps the package index it fetched in /var/cache/apk, in this layer.',
      ],
      messageIds: ['apk'],
      fixed: `FROM alpine:3.20
RUN apk add --no-cache tini ca-certificates
ENTRYPOINT ["/sbin/tini", "--"]
`,
    },
    {
      name: 'apk update then add: no fix, the index was fetched on purpose',
      path: 'Dockerfile',
      text: `FROM alpine:3.20\nRUN apk update && «apk add» curl\nCMD ["curl", "--version"]\n`,
    },
    {
      name: 'dnf and yum installs get one clean at the end of their RUN',
      path: 'Dockerfile',
      text: `FROM rockylinux:9.3
RUN «dnf install» -y python3.12 && dnf install -y git-core
RUN «yum install» -y tar \\
 && tar --version
CMD ["python3.12"]
`,
      messages: [
        '`dnf install` leaves its package cache and metadata in this layer: run `dnf clean all` at the end of the same RUN.',
        /`yum clean all`/,
      ],
      messageIds: ['cleanLater', 'cleanLater'],
      fixed: `FROM rockylinux:9.3
RUN dnf install -y python3.12 && dnf install -y git-core && dnf clean all
RUN yum install -y tar \\
 && tar --version && yum clean all
CMD ["python3.12"]
`,
    },
    {
      name: 'zypper',
      path: 'Dockerfile',
      text: `FROM opensuse/leap:15.6\nRUN «zypper install» -y curl\nCMD ["curl"]\n`,
      messages: [/run `zypper clean --all`/],
      fixed: `FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean --all\nCMD ["curl"]\n`,
    },
  ],
  clean: [
    {
      name: 'caches cleaned, switched off or on a cache mount',
      path: 'Dockerfile',
      text: `FROM python:3.12-alpine
ENV PIP_NO_CACHE_DIR=1
RUN apk add --no-cache libpq && pip install -r requirements.txt
RUN apk add build-base && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3
RUN uv pip install --system httpx==0.27.2
CMD ["python", "-m", "app"]
`,
    },
    {
      name: 'dnf with clean all, microdnf with rm of its cache, zypper cc',
      path: 'Dockerfile',
      text: `FROM fedora:41
RUN dnf install -y jq && dnf clean all
RUN microdnf install -y tar && rm -rf /var/cache/yum /var/cache/dnf
RUN zypper in -y curl && zypper cc -a
CMD ["jq"]
`,
    },
    {
      name: 'build stages that the final image does not build on',
      path: 'Dockerfile',
      text: `FROM python:3.12 AS wheels
RUN pip wheel -r requirements.txt -w /wheels && pip install build
FROM python:3.12-slim
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir /wheels/*
CMD ["python", "-m", "app"]
`,
    },
  ],
});
