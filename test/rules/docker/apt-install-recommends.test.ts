import rule from '../../../server/src/rules/docker/apt-install-recommends';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'recommended packages: --no-install-recommends is a scaffold',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update \\
 && «apt-get install» -y \\
      curl \\
      ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
COPY bin/poller /usr/local/bin/poller
CMD ["poller"]
`,
      messages: [
        '`apt-get install` without --no-install-recommends also installs every package the named ones recommend.',
      ],
      messageIds: ['recommends'],
      fixed: `FROM debian:12-slim
RUN apt-get update \\
 && apt-get install --no-install-recommends -y \\
      curl \\
      ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
COPY bin/poller /usr/local/bin/poller
CMD ["poller"]
`,
    },
  ],
  clean: [
    {
      name: 'a desktop program keeps what apt recommends (fonts, themes): no advice there',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y inkscape && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["inkscape"]
`,
    },
    {
      name: 'apt configured without recommends',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99norecommends
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
COPY bin/poller /usr/local/bin/poller
CMD ["poller"]
`,
    },
    {
      name: 'a debug image',
      path: 'Dockerfile.debug',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y gdb && rm -rf /var/lib/apt/lists/*
COPY bin/poller /usr/local/bin/poller
CMD ["poller"]
`,
    },
    {
      name: 'a hadolint ignore',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
COPY bin/poller /usr/local/bin/poller
# hadolint ignore=DL3015
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
CMD ["poller"]
`,
    },
  ],
});
