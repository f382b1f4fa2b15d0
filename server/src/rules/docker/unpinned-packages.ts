import {
  hasOption,
  installedPackages,
  packageCommand,
  packagePin,
  type PackageManager,
} from '../../engine/docker/packages';
import { isBaseImage } from '../../engine/docker/purpose';
import { defineRule } from '../../engine/rule';

const pinnable = new Set<PackageManager>(['apt', 'apk', 'pip', 'npm', 'yum', 'zypper', 'gem']);

const howToPin: Record<string, string> = {
  apt: '`name=version`',
  apk: '`name=version`',
  pip: '`name==version` (or a requirements file with pins)',
  npm: '`name@version` (or a lockfile with `npm ci`)',
  yum: '`name-version`',
  zypper: '`name=version`',
  gem: '`-v version` (or a Gemfile.lock with `bundle install`)',
};

export default defineRule({
  id: 'immutable-infrastructure/unpinned-packages',
  lesson: 'immutable-infrastructure',
  title: 'Packages installed without versions',
  severity: 'info',
  equivalents: ['DL3008', 'DL3018', 'DL3013', 'DL3016', 'DL3028', 'DL3033', 'DL3037', 'DL3041'],
  fix: 'no',
  strictOnly: true,
  messages: {
    onePackage:
      '`{{command}}` installs a package without a version ({{names}}): pin {{how}} so that rebuilds install the same thing.',
    packages:
      '`{{command}}` installs {{count}} packages without a version ({{names}}): pin {{how}} so that rebuilds install the same thing.',
  },
  docs: {
    what:
      '`apt-get install`, `apk add`, `yum`/`dnf`/`microdnf install`, `zypper install`, `pip install`, `npm install` and `gem install` commands in a `RUN` that name packages without a version. ' +
      'Requirements files, constraint files, lockfiles (`npm ci`, `npm install` without names), local paths, archives and URLs are not flagged, nor are packages whose version comes from a build argument (`curl=${CURL_VERSION}`), nor images built as a base for others (they copy no application and start at most a shell or a language prompt). ' +
      'In the `strict` preset only: on real images no reviewer asked for every distribution package to be pinned. ' +
      "A distribution archive keeps only its current versions, so an `apt-get install curl=7.88.1-10+deb12u5` breaks the build on the day a security update replaces it; the repeatable build comes from a base image pinned by digest (which fixes the distribution's snapshot) and from lockfiles for the language's packages. " +
      'Teams that rebuild from a snapshot mirror, or must prove what each layer holds, turn it on with `strict`.',
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
      if (isBaseImage(model)) return;
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
            if (packages.manager === 'gem' && hasOption(packages, '-v', '--version')) continue;
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
