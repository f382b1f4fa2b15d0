import rule from '../../../server/src/rules/docker/ssh-exposed';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'EXPOSE 22 among other ports, first and last',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
EXPOSE «22» 8080
EXPOSE 80 «22/tcp»
CMD ["/app"]
`,
      messages: [
        'The image exposes port 22: an SSH server in a container is a way in that bypasses your deployments.',
        /port 22/,
      ],
      messageIds: ['exposed', 'exposed'],
      fixed: `FROM ubuntu:24.04
EXPOSE 8080
EXPOSE 80
CMD ["/app"]
`,
    },
    {
      name: 'EXPOSE 22 alone: the instruction goes',
      path: 'Dockerfile',
      text: `FROM debian:12
EXPOSE «22»
CMD ["/app"]
`,
      fixed: `FROM debian:12
CMD ["/app"]
`,
    },
    {
      name: 'an SSH server package is reported without a fix',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends «openssh-server» curl
CMD ["/usr/sbin/sshd", "-D"]
`,
      messages: ['openssh-server puts an SSH server in the image: containers are replaced, not logged into.'],
      messageIds: ['server'],
    },
    {
      name: 'Alpine openssh, in a stage the final image is built on',
      path: 'Dockerfile',
      text: `FROM alpine:3.20 AS base
RUN apk add --no-cache «openssh=9.7_p1-r4»
FROM base
CMD ["/app"]
`,
    },
    {
      name: "Debian's ssh metapackage, which brings the server along with the client",
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends «ssh» rsync && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["rsync"]
`,
      messages: [
        'ssh is a metapackage that also installs openssh-server, an SSH server in the image: install openssh-client if only the client is needed.',
      ],
      messageIds: ['metapackage'],
    },
    {
      name: 'a login shell that is not confined: an SSH way into the container',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN apk add --no-cache «openssh» bash && adduser -D -s /bin/bash ops
CMD ["/usr/sbin/sshd", "-D"]
`,
      messageIds: ['server'],
    },
  ],
  clean: [
    {
      name: 'a git server whose only user has git-shell: SSH is the protocol it serves',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN apk add --no-cache git openssh \\
  && adduser -D -s /usr/bin/git-shell -h /srv/git git \\
  && sed -i 's/#PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D", "-e"]
`,
    },
    {
      name: 'an SFTP server chrooted to its upload folder',
      path: 'Dockerfile',
      text: `FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \\
  && printf 'Match User upload\\n  ForceCommand internal-sftp\\n  ChrootDirectory /srv/sftp\\n' >> /etc/ssh/sshd_config \\
  && rm -rf /var/lib/apt/lists/*
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
`,
    },
    {
      name: 'SSH clients, other ports, and a build stage that is not shipped',
      path: 'Dockerfile',
      text: `FROM alpine:3.20 AS fetch
RUN apk add --no-cache openssh-client git && git clone git@github.com:org/repo.git
EXPOSE 22
FROM alpine:3.20
RUN apk add --no-cache openssh-keygen
EXPOSE 2222 8022 443
`,
    },
    {
      name: 'checkov skip for CKV_DOCKER_1',
      path: 'Dockerfile',
      text: `FROM debian:12\n# checkov:skip=CKV_DOCKER_1: a bastion image on purpose\nEXPOSE 22\n`,
    },
  ],
});
