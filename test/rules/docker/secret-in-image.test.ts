import rule from '../../../server/src/rules/docker/secret-in-image';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a licence key in ENV',
      path: 'Dockerfile',
      text: `FROM debian:12.7-slim
ENV GEOIP_LICENSE_KEY «Qx7tR2mVb9LcW4pZ»
CMD ["geo-lookup"]
`,
      messages: [
        'ENV GEOIP_LICENSE_KEY bakes a secret into the image: anyone who pulls it can read it with docker inspect.',
      ],
      fixed: `FROM debian:12.7-slim
CMD ["geo-lookup"]
`,
    },
    {
      name: 'ENV among others, alone, and continued over lines',
      path: 'Dockerfile',
      text: `FROM node:22-slim
ENV NODE_ENV=production DB_PASSWORD=«s3cr3t» PORT=3000
ENV API_KEY «abc123def456»
ENV LOG_LEVEL=info \\
    JWT_SECRET=«"sign me 4471"»
CMD ["node", "server.js"]
`,
      messages: [
        'ENV DB_PASSWORD bakes a secret into the image: anyone who pulls it can read it with docker inspect.',
        /ENV API_KEY/,
        /ENV JWT_SECRET/,
      ],
      messageIds: ['envSecret', 'envSecret', 'envSecret'],
      fixed: `FROM node:22-slim
ENV NODE_ENV=production PORT=3000
ENV LOG_LEVEL=info
CMD ["node", "server.js"]
`,
    },
    {
      name: 'ARG defaults in the preamble and a stage; ENV copying a build argument',
      path: 'Dockerfile',
      text: `ARG GITHUB_TOKEN=«ghp_exampletoken000000000000000000000000»
FROM python:3.12-slim
ARG PIP_PASSWORD=«hunter2»
ARG NPM_TOKEN
ENV NPM_TOKEN=«\${NPM_TOKEN}»
`,
      messages: [
        'Build argument GITHUB_TOKEN has a secret as its default: it is written in the Dockerfile and recorded in the image history.',
        /PIP_PASSWORD/,
        'ENV NPM_TOKEN copies NPM_TOKEN into the image: anyone who pulls it can read the value with docker inspect.',
      ],
      messageIds: ['argDefault', 'argDefault', 'envCopiesVariable'],
      fixed: `ARG GITHUB_TOKEN
FROM python:3.12-slim
ARG PIP_PASSWORD
ARG NPM_TOKEN
`,
    },
    {
      name: 'key files, .env and an .npmrc holding a token',
      path: 'app/Dockerfile',
      files: {
        '/work/app/.npmrc': '//registry.npmjs.org/:_authToken=npm_exampletoken\n',
      },
      text: `FROM node:22-slim
COPY «id_rsa» /root/.ssh/id_rsa
COPY «.env» «.npmrc» package.json ./
ADD «certs/server.key» /etc/ssl/private/
`,
      messages: [/^COPY puts id_rsa into the image/, /\.env/, /\.npmrc/, /^ADD puts certs\/server\.key/],
      messageIds: ['secretFile', 'secretFile', 'secretFile', 'secretFile'],
    },
    {
      name: 'passwords named the way images read them: an owner glued to pass, a short pass',
      path: 'Dockerfile',
      text: `FROM debian:bookworm-slim
ENV LDAP_ROOTPASS=«fsociety» LDAP_DOMAIN=mr.robot.com
ENV SMTP_PASS=«mailpass99»
`,
      messages: [/^ENV LDAP_ROOTPASS bakes a secret/, /^ENV SMTP_PASS bakes a secret/],
      messageIds: ['envSecret', 'envSecret'],
      fixed: `FROM debian:bookworm-slim
ENV LDAP_DOMAIN=mr.robot.com
`,
    },
  ],
  clean: [
    {
      name: 'names that describe secrets, harmless values, public keys',
      path: 'Dockerfile',
      text: `FROM python:3.12-slim
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
ENV DB_PASSWORD_FILE=/run/secrets/db_password PASSWORD_MIN_LENGTH=12 AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes TOKEN_URL=https://auth.example.com/token PWD=/app SECRET_KEY=""
ARG NPM_TOKEN
ARG SECRET_VALUE=\${SECRET_VALUE}
ENV AWS_SECRET_ACCESS_KEY=dummy API_KEY=<your-api-key> DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
ENV EVENT_TEST_PASS=passed PASS_ROLE=deployer
COPY id_rsa.pub nodesource.gpg.key .env.example ./
`,
    },
    {
      name: 'secrets in a build stage that is not shipped, and an .npmrc without credentials',
      path: 'Dockerfile',
      files: { '/work/.npmrc': 'registry=https://registry.npmjs.org/\n' },
      text: `FROM node:22 AS build
ENV NPM_TOKEN=example-build-only
COPY .env .
FROM node:22-slim
COPY .npmrc .
COPY --from=build /app/.env.production ./
`,
    },
  ],
});
