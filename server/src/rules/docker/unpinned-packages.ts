import {
  hasOption,
  installedPackages,
  packageCommand,
  packagePin,
  type PackageManager,
} from '../../engine/docker/packages';
import { defineRule } from '../../engine/rule';

const pinnable = new Set<PackageManager>(['apt', 'apk', 'pip', 'npm']);

const howToPin: Record<string, string> = {
  apt: '`name=version`',
  apk: '`name=version`',
  pip: '`name==version` (or a requirements file with pins)',
  npm: '`name@version` (or a lockfile with `npm ci`)',
};

export default defineRule({
  id: 'immutable-infrastructure/unpinned-packages',
  lesson: 'immutable-infrastructure',
  title: 'Packages installed without versions',
  severity: 'info',
  equivalents: ['DL3008', 'DL3018', 'DL3013', 'DL3016'],
  fix: 'no',
  messages: {
    onePackage:
      '`{{command}}` installs a package without a version ({{names}}): pin {{how}} so that rebuilds install the same thing.',
    packages:
      '`{{command}}` installs {{count}} packages without a version ({{names}}): pin {{how}} so that rebuilds install the same thing.',
  },
  docs: {
    what:
      '`apt-get install`, `apk add`, `pip install` and `npm install` commands in a `RUN` that name packages without a version. ' +
      'Requirements files, constraint files, lockfiles (`npm ci`, `npm install` without names), local paths, archives and URLs are not flagged, nor are packages whose version comes from a build argument (`curl=${CURL_VERSION}`).',
    why:
      'A package name alone means "whatever is newest when this layer is built". ' +
      'The same Dockerfile then produces different images on different days, a rebuild to fix one thing silently upgrades another, and a library that broke production cannot be told apart from one that did not. ' +
      'Pinning versions (or pinning the base image by digest, which fixes the distribution snapshot) makes a build repeatable, and an upgrade a reviewed change.',
    example: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
RUN pip install --no-cache-dir flask gunicorn`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM python:3.12-slim
COPY requirements.txt .
# requirements.txt pins every version (pip-compile, uv lock or pip freeze)
RUN pip install --no-cache-dir -r requirements.txt`,
    },
    references: [
      {
        title: 'Docker build best practices: apt-get and version pinning',
        url: 'https://docs.docker.com/build/building/best-practices/#apt-get',
      },
      { title: 'pip: repeatable installs', url: 'https://pip.pypa.io/en/stable/topics/repeatable-installs/' },
    ],
  },
  checks: {
    docker({ model, report }) {
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'RUN') continue;
          for (const { command } of model.commands(instruction)) {
            const packages = packageCommand(command);
            if (!packages || !pinnable.has(packages.manager)) continue;
            const installed = installedPackages(packages);
            if (!installed || !packages.subcommand) continue;
            // Constraint files pin what the command line leaves open.
            if (packages.manager === 'pip' && hasOption(packages, '-c', '--constraint')) continue;
            const loose = installed.filter((word) => packagePin(packages.manager, word) === 'unpinned');
            if (loose.length === 0) continue;
            const names = loose.map((w) => w.value).join(', ');
            report({
              at: { start: packages.program.span.start, end: packages.subcommand.span.end },
              messageId: loose.length === 1 ? 'onePackage' : 'packages',
              data: {
                command: `${packages.program.value} ${packages.subcommand.value}`,
                count: loose.length,
                names,
                how: howToPin[packages.manager],
              },
            });
          }
        }
      }
    },
  },
});
