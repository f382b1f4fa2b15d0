import rule from '../../../server/src/rules/docker/no-dockerignore';
import { ruleTester, type CleanCase, type FlaggedCase } from '../../rule-tester';

// The fix leaves the Dockerfile as it is and creates the .dockerignore beside it.

const flagged: FlaggedCase[] = [
  {
    name: 'node build: node_modules is ignored because npm ci recreates it',
    path: 'api/Dockerfile',
    files: { '/work/api/package.json': '{"name": "api"}\n', '/work/api/server.js': '' },
    text: `FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY «.» .
CMD ["node", "server.js"]
`,
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log

# dependencies are installed by the build
node_modules
npm-debug.log*
`,
    },
  },
  {
    name: 'python build that runs git keeps .git; JSON form and ADD',
    path: 'svc/Containerfile',
    files: { '/work/svc/pyproject.toml': '[project]\nname = "svc"\n', '/work/svc/.env.example': '' },
    text: `FROM python:3.12-slim
ADD [«"."», "/src"]
RUN pip install --no-cache-dir /src && git -C /src rev-parse HEAD > /src/VERSION
`,
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.env
.env.*
!.env.example
*.log

# Python caches and local environments
__pycache__
*.py[cod]
.venv
`,
    },
  },
  {
    name: 'an ignore file above the repository root does not count; the message names the .git beside',
    path: 'repo/Dockerfile',
    files: { '/work/repo/.git': '', '/work/.dockerignore': '*\n' },
    text: `FROM alpine:3.20\nCOPY «./» /srv\n`,
    messages: [
      'COPY ./ copies the whole build context and there is no .dockerignore: the git history (.git), beside the Dockerfile, would go into the image with everything else.',
    ],
    messageIds: ['wholeContextWith'],
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log
`,
    },
  },
  {
    name: 'what the build reads stays in: a version from git tags and a named .env file',
    path: 'tool/Dockerfile',
    files: {
      '/work/tool/pyproject.toml': '[build-system]\nrequires = ["setuptools>=64", "setuptools-scm>=8"]\n',
      '/work/tool/.env.defaults': 'LOG_LEVEL=info\n',
    },
    text: `FROM python:3.12-slim
WORKDIR /src
COPY «.» .
RUN pip install --no-cache-dir .
ENV TOOL_DEFAULTS=/src/.env.defaults
CMD ["tool"]
`,
    messages: [/no \.dockerignore: \.env\.defaults, beside the Dockerfile, would go into the image/],
    messageIds: ['wholeContextWith'],
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.env
*.log

# Python caches and local environments
__pycache__
*.py[cod]
.venv
`,
    },
  },
  {
    name: 'a folder with a .env file: a scaffold, since the build or the app may read it',
    path: 'web/Dockerfile',
    files: { '/work/web/package.json': '{"name": "web"}\n', '/work/web/.env': 'VITE_API_URL=/api\n' },
    fixKind: 'scaffold',
    text: `FROM node:22-slim
WORKDIR /app
COPY «.» .
RUN npm ci && npm run build
CMD ["npx", "vite", "preview"]
`,
    messages: [
      'COPY . copies the whole build context and there is no .dockerignore: .env, beside the Dockerfile, would go into the image with everything else.',
    ],
    messageIds: ['wholeContextWith'],
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log

# dependencies are installed by the build
node_modules
npm-debug.log*
`,
    },
  },
  {
    name: 'a build stage whose whole working folder is copied into the image',
    path: 'svc/Dockerfile',
    files: { '/work/svc/build.gradle': '' },
    text: `FROM eclipse-temurin:21-jdk AS builder
WORKDIR /app
COPY «.» .
RUN ./gradlew installDist
FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=builder /app .
ENTRYPOINT ["/app/build/install/svc/bin/svc"]
`,
    newFiles: {
      '.dockerignore': `# Keep the build context small and secrets out of the image.
.git
.env
.env.*
!.env.example
*.log
`,
    },
  },
];

const clean: CleanCase[] = [
  {
    name: 'only a build stage takes the context, and the image takes only its output',
    path: 'worker/Dockerfile',
    files: { '/work/worker/Worker.csproj': '' },
    text: `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish -c Release -o /out
FROM mcr.microsoft.com/dotnet/runtime:8.0
WORKDIR /app
COPY --from=build /out .
ENTRYPOINT ["dotnet", "Worker.dll"]
`,
  },
  {
    name: 'a .dockerignore beside it',
    path: 'a/Dockerfile',
    files: { '/work/a/.dockerignore': '.git\n' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'a per-Dockerfile ignore file',
    path: 'b/app.Dockerfile',
    files: { '/work/b/app.Dockerfile.dockerignore': '.git\n' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'a context above the Dockerfile with its own ignore file',
    path: 'mono/services/api/Dockerfile',
    files: { '/work/mono/.dockerignore': '.git\n', '/work/mono/.git': '' },
    text: `FROM alpine:3.20\nCOPY . /srv\n`,
  },
  {
    name: 'named sources and copies from other stages',
    path: 'c/Dockerfile',
    text: `FROM node:22 AS build\nCOPY package.json src/ ./\nFROM node:22-slim\nCOPY --from=build /app .\n`,
  },
];

ruleTester(rule, {
  flagged: flagged.map((c) => ({
    ...c,
    fixed: c.text,
    messages: c.messages ?? [
      /copies the whole build context and there is no \.dockerignore: whatever lies in it/,
    ],
    messageIds: c.messageIds ?? ['wholeContext'],
  })),
  clean,
});
