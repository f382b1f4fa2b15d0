import rule from '../../../server/src/rules/docker/remote-add';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a URL without checksum: no fix',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
ADD «https://github.com/krallin/tini/releases/download/v0.19.0/tini» /tini
ADD --chmod=755 «https://example.com/install.sh» «https://example.com/b.sh» /opt/
`,
      messages: [
        'ADD downloads https://github.com/krallin/tini/releases/download/v0.19.0/tini without --checksum: whatever the server sends becomes part of the image.',
        /install\.sh/,
      ],
      messageIds: ['download', 'download', 'download'],
    },
    {
      name: 'a URL whose version comes from a build argument',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
ARG TOOL_VERSION=0.7.0
ADD «https://github.com/example/tool/releases/download/\${TOOL_VERSION}/tool_linux_amd64» /usr/local/bin/tool
`,
    },
    {
      name: 'a git source on a branch',
      path: 'Dockerfile',
      text: `FROM alpine:3.20\nADD «https://github.com/moby/buildkit.git#master» /src\n`,
    },
    {
      name: 'a git remote over ssh, next to a local folder that is left alone',
      path: 'Dockerfile',
      text: `FROM alpine:3.20\nADD fixtures/ /fixtures/\nADD «git@github.com:example/tool.git» /src\n`,
      messageIds: ['download'],
    },
  ],
  clean: [
    {
      name: 'checksums, pinned git commits, archives and COPY',
      path: 'Dockerfile',
      text: `# syntax=docker/dockerfile:1
FROM debian:12-slim
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD https://github.com/moby/buildkit.git#8b4c2c5b9d3bd35e5a8c7a1f2f28b9e6a2b1c0d3 /src
ADD rootfs.tar.xz /
ADD vendor.tgz app.conf /opt/
ADD data.json.gz /srv/
COPY . /app
ADD \${SOURCE} /data
`,
    },
    {
      name: 'local files and folders: nothing is downloaded',
      path: 'test/Dockerfile',
      text: `FROM node:22-slim
WORKDIR /app
ADD --chown=node:node package.json package-lock.json ./
ADD specs/ /specs
ADD ["config dir/", "/etc/app/"]
add ./run-tests.sh /usr/local/bin/
`,
    },
    {
      name: 'a local tar archive without an extension, which ADD unpacks by its content',
      path: 'Dockerfile',
      files: { '/work/rootfs': 'rootfs/'.padEnd(257, '\u0000') + 'ustar\u000000' },
      text: `FROM scratch\nADD rootfs /\n`,
    },
    {
      name: 'checkov skip comment',
      path: 'Dockerfile',
      text: `#checkov:skip=CKV_DOCKER_4:the download is verified in the next step\nFROM debian:12\nADD https://example.com/a.sh /a.sh\n`,
    },
  ],
});
