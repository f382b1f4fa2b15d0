import rule from '../../../server/src/rules/docker/sudo';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'as root: sudo and its options go',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN «sudo» apt-get update && «sudo» -E apt-get install -y --no-install-recommends curl
`,
      messages: [
        'sudo in a build step: steps run as root already, and sudo left in the image lets the app regain root.',
      ],
      messageIds: ['sudo', 'sudo'],
      fixed: `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
`,
    },
    {
      name: 'after USER app: the step runs as root and switches back',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
RUN useradd --create-home app
USER app
RUN «sudo» apt-get update && \\
    «sudo» apt-get install -y git
CMD ["bash"]
`,
      fixed: `FROM ubuntu:24.04
RUN useradd --create-home app
USER app
USER root
RUN apt-get update && \\
    apt-get install -y git
USER app
CMD ["bash"]
`,
    },
    {
      name: 'as another user with commands that do not use sudo: no fix',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
USER app
RUN «sudo» apt-get install -y git && make install
`,
    },
    {
      name: 'sudo -u switches to another user: no fix',
      path: 'Dockerfile',
      text: `FROM postgres:16
RUN «sudo» -u postgres initdb -D /data
`,
    },
  ],
  clean: [
    {
      name: 'installing sudo, or the word in a string, is not running it',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN apt-get install -y sudo && echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app
CMD sudo -v
`,
    },
    {
      name: 'hadolint ignore',
      path: 'Dockerfile',
      text: `FROM debian:12\n# hadolint ignore=DL3004\nRUN sudo apt-get update\n`,
    },
  ],
});
