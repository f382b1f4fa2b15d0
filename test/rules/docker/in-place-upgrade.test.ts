import rule from '../../../server/src/rules/docker/in-place-upgrade';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'in the middle of an && chain over continuation lines',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN apt-get update \\
 && «apt-get upgrade» -y \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
`,
      messages: [
        '`apt-get upgrade` upgrades every package in place: the image changes with the day it is built.',
      ],
      messageIds: ['upgrade'],
      fixed: `FROM debian:12
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
`,
    },
    {
      name: 'first and last in the chain, with options before the subcommand',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
RUN «apt-get -y dist-upgrade» && apt-get install -y git
RUN apk update && «apk upgrade»
`,
      fixed: `FROM ubuntu:24.04
RUN apt-get install -y git
RUN apk update
`,
    },
    {
      name: 'alone in its RUN: the instruction goes',
      path: 'Dockerfile',
      text: `FROM rockylinux:9
RUN «yum update» -y
RUN «dnf -y upgrade»
RUN yum install -y httpd
`,
      fixed: `FROM rockylinux:9
RUN yum install -y httpd
`,
    },
    {
      name: 'semicolons, sudo, and a here-document script',
      path: 'Dockerfile',
      text: `# syntax=docker/dockerfile:1
FROM debian:12
RUN set -eux; apt-get update; sudo «apt-get full-upgrade» -y; apt-get install -y curl
RUN <<EOF
set -e
apt-get update
«apt-get upgrade» -y
EOF
`,
      fixed: `# syntax=docker/dockerfile:1
FROM debian:12
RUN set -eux; apt-get update; apt-get install -y curl
RUN <<EOF
set -e
apt-get update
EOF
`,
    },
    {
      name: 'inside if or after ||: flagged, not removed',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN if [ "$UPGRADE" = 1 ]; then «apk upgrade» --no-cache; fi
RUN «apk upgrade» || true
`,
    },
    {
      name: 'unattended-upgrade after installing it',
      path: 'Dockerfile',
      text: `FROM debian:12
RUN apt-get update && apt-get install -y unattended-upgrades && «unattended-upgrade» -d -v
`,
      fixed: `FROM debian:12
RUN apt-get update && apt-get install -y unattended-upgrades
`,
    },
    {
      name: 'zypper and pacman',
      path: 'Dockerfile',
      text: `FROM opensuse/leap:15.6
RUN «zypper --non-interactive update» && zypper install -y git
FROM archlinux:base
RUN «pacman -Syu» --noconfirm
`,
      fixed: `FROM opensuse/leap:15.6
RUN zypper install -y git
FROM archlinux:base
`,
    },
    {
      name: 'an upgrade that also refreshes the index a later install reads: no fix',
      path: 'Dockerfile',
      text: `FROM archlinux:base
RUN «pacman -Syu» --noconfirm
RUN pacman -S --noconfirm --needed git
FROM alpine:3.20
RUN «apk upgrade» -U && apk add curl
`,
    },
  ],
  clean: [
    {
      name: 'named packages, index refreshes, and words that only mention upgrade',
      path: 'Dockerfile',
      text: `FROM alpine:3.20
RUN apk add --no-cache --upgrade curl && apk update
RUN yum update -y openssl && echo "apt-get upgrade" > /notes
RUN pip install --upgrade pip==24.2
RUN pacman -S --noconfirm git
`,
    },
    {
      name: 'exec form without a shell',
      path: 'Dockerfile',
      text: `FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]\n`,
    },
    {
      name: 'a Windows shell is not read as POSIX',
      path: 'Dockerfile',
      text: `FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN apt-get upgrade\n`,
    },
    {
      name: 'suppressed with hadolint on a multi-line instruction',
      path: 'Dockerfile',
      text: `FROM debian:12
# hadolint ignore=DL3005
RUN apt-get update && \\
    apt-get upgrade -y
`,
    },
  ],
});
