import type { Instruction } from 'dockerfile-ast';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand, type ShellCommand, type ShellWord } from '../../engine/parse/shell';
import { defineRule } from '../../engine/rule';
import type { Span } from '../../engine/text';

/** Installers that read a manifest rather than package names: `bundle install`, `yarn`, … */
const manifestInstallers: Record<string, string[]> = {
  npm: ['ci'],
  yarn: ['', 'install', 'add'],
  pnpm: ['install', 'i', 'add'],
  bundle: ['install'],
  composer: ['install', 'require', 'update'],
  poetry: ['install', 'add'],
  pipenv: ['install', 'sync'],
  uv: ['sync'],
  gem: ['install'],
  go: ['get', 'install'],
};

/** The words of an install command and the span to report, or undefined. */
function installIn(command: ShellCommand): Span | undefined {
  const packages = packageCommand(command);
  if (packages && installedPackages(packages) !== undefined) {
    const end = packages.subcommand ?? packages.program;
    return { start: packages.program.span.start, end: end.span.end };
  }
  const words = effectiveCommand(command).words;
  const name = commandName({ words });
  const subcommands = name ? manifestInstallers[name] : undefined;
  if (!subcommands) return undefined;
  const sub = words.slice(1).find((w) => !(w.value ?? '').startsWith('-'));
  if (!subcommands.includes(sub?.value ?? '')) return undefined;
  if (name === 'go' && !words.some((w) => w.value === 'mod' || w.value === 'get' || w.value === 'install'))
    return undefined;
  return { start: words[0].span.start, end: (sub ?? words[0]).span.end };
}

/** Exec-form arguments read as the words of one command (`["npm", "install"]`). */
function execCommand(model: DockerfileModel, instruction: Instruction): ShellCommand | undefined {
  const exec = model.execForm(instruction);
  if (!exec || exec.length === 0) return undefined;
  const words: ShellWord[] = exec.map((a) => ({ raw: a.value, value: a.value, span: a.span }));
  return {
    words,
    assignments: [],
    redirects: [],
    span: { start: words[0].span.start, end: words[words.length - 1].span.end },
    nested: false,
  };
}

export default defineRule({
  id: 'container-ready/install-at-start',
  lesson: 'container-ready',
  title: 'Dependencies installed when the container starts',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  messages: {
    installAtStart:
      '{{instruction}} installs dependencies each time a container starts: install them at build time in a RUN.',
  },
  docs: {
    what: 'A `CMD` or `ENTRYPOINT` of the final image that installs packages or dependencies before starting the app: `npm install`/`npm ci`, `pip install`, `yarn`, `bundle install`, `composer install`, `apt-get install`, `apk add` and the like, in shell form, in exec form or inside `sh -c "…"`.',
    why:
      'An install at start-up runs on every start of every container: a new task waits minutes before it can serve, so scaling out is slow exactly when load is high. ' +
      'Each start can also resolve different versions, or fail outright when the registry is slow or down, so the container that passed tests is not the one that runs. ' +
      'Install at build time, in a layer, and start with the app alone: the image is then complete, identical everywhere, and ready in seconds.',
    example: {
      language: 'dockerfile',
      code: `FROM node:22-slim
WORKDIR /app
COPY . .
CMD npm install && node server.js`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]`,
    },
    references: [
      { title: 'The Twelve-Factor App: build, release, run', url: 'https://12factor.net/build-release-run' },
    ],
  },
  checks: {
    docker({ model, report }) {
      const final = model.finalStage;
      if (!final) return;
      for (const keyword of ['ENTRYPOINT', 'CMD']) {
        const instruction = model.chainInstructions(final, keyword).at(-1);
        if (!instruction) continue;
        const commands = model.commands(instruction).map(({ command }) => command);
        const direct = commands.length === 0 ? execCommand(model, instruction) : undefined;
        for (const command of direct ? [direct] : commands) {
          const at = installIn(command);
          if (!at) continue;
          report({ at, messageId: 'installAtStart', data: { instruction: keyword } });
        }
      }
    },
  },
});
