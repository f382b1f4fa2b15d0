import rule from '../../../server/src/rules/docker/unpinned-packages';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'apt-get with options before and after the subcommand, some pinned',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN apt-get update && «apt-get -o Dpkg::Options::=--force-confnew install» -y --no-install-recommends \\
      curl=7.88.1-10+deb12u8 \\
      git \\
      ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
COPY bin/report /usr/local/bin/report
CMD ["report"]
`,
      messages: [
        '`apt-get install` installs 2 packages without a version (git, ca-certificates): pin `name=version` so that rebuilds install the same thing.',
      ],
      messageIds: ['packages'],
    },
    {
      name: 'apk add with a virtual package name that is not a package',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN «apk add» --no-cache --virtual .build-deps gcc musl-dev=1.2.5-r0 && «apk add» curl
COPY poller /poller
ENTRYPOINT ["/poller"]
`,
      messages: [
        '`apk add` installs a package without a version (gcc): pin `name=version` so that rebuilds install the same thing.',
        /\(curl\)/,
      ],
      messageIds: ['onePackage', 'onePackage'],
    },
    {
      name: 'pip through python -m, sudo and an sh -c string',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
RUN python3 -m «pip install» --upgrade pip && sudo «pip3 install» "django>=4,<5" flask==3.0.3
RUN sh -c '«pip install» requests'
COPY . /srv
CMD ["gunicorn", "srv.wsgi"]
`,
      messages: [/\(pip\)/, /\(django>=4,<5\)/, /\(requests\)/],
    },
    {
      name: 'npm global installs',
      path: 'Dockerfile',
      text: `FROM node:22-slim
RUN «npm install» -g pnpm @angular/cli@18.2.1 typescript@latest
EXPOSE 4200
`,
      messages: [/2 packages without a version \(pnpm, typescript@latest\)/],
    },
    {
      name: 'dnf, microdnf and zypper name packages without versions; dnf --nodocs takes no value',
      path: 'Dockerfile',
      text: `FROM fedora:41
RUN «dnf install» -y --nodocs jq httpd-2.4.62 && «microdnf install» -y tar
RUN «zypper install» -y --no-recommends git-core curl=8.6.0
COPY site /var/www/html
CMD ["httpd", "-DFOREGROUND"]
`,
      messages: [
        '`dnf install` installs a package without a version (jq): pin `name-version` so that rebuilds install the same thing.',
        /\(tar\)/,
        '`zypper install` installs a package without a version (git-core): pin `name=version` so that rebuilds install the same thing.',
      ],
    },
    {
      name: 'gem install without -v, and with a version after a colon',
      path: 'Dockerfile',
      text: `FROM ruby:3.3-slim
RUN «gem install» bundler rake:13.2.1 --no-document
COPY . /app
CMD ["ruby", "/app/main.rb"]
`,
      messages: [
        '`gem install` installs a package without a version (bundler): pin `-v version` (or a Gemfile.lock with `bundle install`) so that rebuilds install the same thing.',
      ],
    },
  ],
  clean: [
    {
      name: 'pinned versions, files, lockfiles and build arguments',
      path: 'Dockerfile',
      text: `FROM node:22-slim
ARG CURL_VERSION
RUN apt-get install -y curl=\${CURL_VERSION} ./local.deb
RUN npm ci && npm install && npm install ./packages/shared
RUN pip install -r requirements.txt -e . /wheels/app-1.0-py3-none-any.whl git+https://github.com/org/repo@v1
RUN pip install -c constraints.txt flask
RUN apk add --no-cache tini=0.19.0-r3 && apk add --no-cache ./pkg.apk
RUN apt-get update && apt-get upgrade -y && apt-get remove -y curl
RUN echo "apt-get install curl" && yum install -y httpd-2.4.62-1.amzn2023 @development ./local.rpm
RUN gem install rails -v 7.2.1 && gem install ./vendor/tool-1.0.gem
RUN npm install github:org/repo user/repo#main
COPY . /srv
CMD ["node", "/srv/index.js"]
`,
    },
    {
      name: 'package lists in variables cannot be judged',
      path: 'Dockerfile',
      text: `FROM debian:12\nARG PACKAGES="curl git"\nRUN apt-get install -y $PACKAGES\nCOPY app /app\nCMD ["/app/run"]\n`,
    },
    {
      name: 'a runtime image built as a base for others: installs, copies no application, starts a prompt',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
ENV PYTHON_VERSION=3.12.7
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 && rm -rf /var/lib/apt/lists/*
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["python3"]
`,
    },
    {
      name: 'a tool image with no command of its own',
      path: 'Dockerfile',
      text: `FROM alpine:3.20\nRUN apk add --no-cache jq curl\n`,
    },
    {
      name: 'hadolint DL3008 on the instruction',
      path: 'Dockerfile',
      text: `FROM debian:12\n# hadolint ignore=DL3008,DL3015\nRUN apt-get update && \\\n    apt-get install -y curl\nCOPY app /app\nCMD ["/app/run"]\n`,
    },
  ],
});
