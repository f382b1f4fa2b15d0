import { basename, dirname, isAbsolute, join, posix } from 'node:path';
import type { Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { packageCommand } from '../../engine/docker/packages';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand } from '../../engine/parse/shell';
import { defineRule, type Fix } from '../../engine/rule';
import { foldersUp, type WorkspaceView } from '../../engine/workspace';

/** Sources that send the whole build context. */
const wholeContext = /^(\.|\.\/|\*|\.\/\*|\.\/\.)$/;

/**
 * Whether an ignore file may apply: `.dockerignore` or `<Dockerfile>.dockerignore` beside the
 * Dockerfile, or a `.dockerignore` in a folder above it, which is the context when the
 * Dockerfile is built with `-f` from there.
 */
function ignoreFileNear(path: string, workspace: WorkspaceView): boolean {
  const folder = dirname(path);
  if (workspace.exists(join(folder, `${basename(path)}.dockerignore`))) return true;
  for (const current of foldersUp(workspace, folder, 4)) {
    if (workspace.exists(join(current, '.dockerignore'))) return true;
    // The repository's root is as far up as a build context goes.
    if (workspace.exists(join(current, '.git'))) return false;
  }
  return false;
}

/**
 * What lies beside the Dockerfile that an ignore file would keep out, in words (`the git history
 * (.git), .env and node_modules`): only what is there, so that a Dockerfile in a sub-folder of the
 * repository is not told its `.git` goes in. Undefined when nothing such is there or the folder
 * cannot be listed.
 */
function presentBeside(folder: string, workspace: WorkspaceView): string | undefined {
  const entries = workspace.list?.(folder);
  if (!entries) return undefined;
  const found: string[] = [];
  if (entries.includes('.git/') || entries.includes('.git')) found.push('the git history (.git)');
  const envs = entries.filter(
    (e) => /^\.env(\..+)?$/.test(e) && !/^\.env\.(example|sample|template|dist)$/.test(e),
  );
  if (envs.length > 0)
    found.push(envs.slice(0, 2).join(', ') + (envs.length > 2 ? ' and other .env files' : ''));
  for (const folder of ['node_modules/', '.venv/', 'venv/', '__pycache__/'])
    if (entries.includes(folder)) found.push(folder.slice(0, -1));
  if (found.length === 0) return undefined;
  return found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} and ${found[found.length - 1]}`;
}

/** Tools that read the repository's git metadata while building (versions from tags, commit ids). */
const gitMetadataTools =
  /setuptools[-_]scm|hatch-vcs|versioningit|dunamai|poetry-dynamic-versioning|git-commit-id|gradle-git-properties|palantir\.git-version|git (describe|rev-parse)/;

/** Build manifests beside the Dockerfile that may name such a tool. */
const manifests = [
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'package.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
];

/** What the build does, as far as the ignore file is concerned. */
interface Build {
  runsGit: boolean;
  /** It installs the project's own dependencies (`npm ci`, `yarn`, `pnpm install`). */
  installsNodeModules: boolean;
  usesPython: boolean;
  /** The instructions that may read the context, as written (not `COPY --from`). */
  text: string;
  /** The sources of COPY and ADD from the context. */
  copied: string;
}

function isCopyFromStage(instruction: Instruction): boolean {
  return (
    ['COPY', 'ADD'].includes(instruction.getKeyword()) &&
    (instruction as ModifiableInstruction).getFlags().some((f) => f.getName().toLowerCase() === 'from')
  );
}

/** The folder a stage's WORKDIR points at just before `before` (`/` when none is set). */
function workdirBefore(model: DockerfileModel, stage: Stage, before: Instruction): string {
  let folder = '/';
  for (const s of [...model.chainOf(stage)].reverse()) {
    for (const instruction of s.instructions) {
      if (s === stage && model.positionOf(instruction) >= model.positionOf(before)) break;
      if (instruction.getKeyword() !== 'WORKDIR') continue;
      folder = posix.resolve(folder, (instruction.getArgumentsContent() ?? '').trim() || '.');
    }
  }
  return folder;
}

/**
 * Whether what a stage received from the build context (at `folder`) can reach the final image:
 * the stage is one the final image is built on, or a COPY --from of it takes that folder, one of
 * its parents, or a path it cannot read (a variable). A build stage whose results alone are
 * copied out leaves the context behind.
 */
function contextReachesImage(model: DockerfileModel, stage: Stage, folder: string): boolean {
  if (model.finalChain.includes(stage)) return true;
  for (const other of model.stages) {
    for (const instruction of other.instructions) {
      if (!isCopyFromStage(instruction)) continue;
      const from = (instruction as ModifiableInstruction)
        .getFlags()
        .find((f) => f.getName().toLowerCase() === 'from')
        ?.getValue()
        ?.toLowerCase();
      if (from !== stage.name && from !== String(stage.index)) continue;
      const words = instruction
        .getArguments()
        .map((a) => a.getValue().replace(/^\[?"?|"?,?\]?$/g, ''))
        .filter((w) => !w.startsWith('--'));
      for (const source of words.slice(0, -1)) {
        if (source.includes('$') || /[*?[]/.test(source)) return true;
        const path = posix.resolve('/', source);
        if (path === '/' || folder === path || folder.startsWith(`${path}/`)) return true;
      }
    }
  }
  return false;
}

function buildOf(model: DockerfileModel): Build {
  const build: Build = {
    runsGit: false,
    installsNodeModules: false,
    usesPython: false,
    text: '',
    copied: '',
  };
  const texts: string[] = [];
  const copied: string[] = [];
  for (const instruction of model.stages.flatMap((s) => s.instructions)) {
    if (isCopyFromStage(instruction)) continue;
    texts.push(instruction.getTextContent());
    const keyword = instruction.getKeyword();
    if (keyword === 'COPY' || keyword === 'ADD') copied.push(instruction.getArgumentsContent() ?? '');
    if (keyword !== 'RUN') continue;
    for (const { command } of model.commands(instruction)) {
      const words = effectiveCommand(command).words;
      const name = commandName({ words });
      if (!name) continue;
      if (name === 'git') build.runsGit = true;
      const values = words.slice(1).map((w) => w.value ?? '');
      const sub = values.find((v) => !v.startsWith('-')) ?? '';
      const global = values.some((v) => v === '-g' || v === '--global') || sub === 'global';
      if (packageCommand(command)?.manager === 'pip' || ['poetry', 'uv', 'pipenv'].includes(name))
        build.usesPython = true;
      if (
        !global &&
        ((name === 'npm' && ['ci', 'install', 'i', 'add', 'in', 'isntall'].includes(sub)) ||
          (name === 'yarn' && ['', 'install'].includes(sub)) ||
          (['pnpm', 'bun'].includes(name) && ['install', 'i'].includes(sub)))
      )
        build.installsNodeModules = true;
    }
  }
  build.text = texts.join('\n');
  build.copied = copied.join('\n');
  return build;
}

/**
 * A .dockerignore suited to what the Dockerfile builds. It never hides what the build reads: a
 * path the Dockerfile names stays in, `.git` stays when the build reads git metadata, and
 * `node_modules` is left out only when the build installs it.
 */
function ignoreFileFor(model: DockerfileModel, folder: string, workspace: WorkspaceView): Fix {
  const build = buildOf(model);
  const named = (path: RegExp) => path.test(build.text);
  const readsGit =
    build.runsGit ||
    named(/(?<![\w.-])\.git(?![\w.-])/) ||
    manifests.some((name) => gitMetadataTools.test(workspace.read(join(folder, name)) ?? ''));
  const hidesEnv = !named(/(?<![\w.-])\.env(?![\w.-])/);
  const hidesEnvVariants = !named(/(?<![\w.-])\.env\.(?!example(?![\w.-]))[\w.-]+/);
  const lines = ['# Keep the build context small and secrets out of the image.'];
  if (!readsGit) lines.push('.git');
  if (hidesEnv) lines.push('.env');
  if (hidesEnvVariants) lines.push('.env.*', '!.env.example');
  if (!/\.log\b/.test(build.copied)) lines.push('*.log');
  if (build.installsNodeModules && !named(/(?<![\w.-])node_modules(?![\w.-])/)) {
    lines.push('', '# dependencies are installed by the build', 'node_modules', 'npm-debug.log*');
  }
  if (build.usesPython) {
    lines.push('', '# Python caches and local environments', '__pycache__', '*.py[cod]');
    if (!named(/(?<![\w.-])\.venv(?![\w.-])/)) lines.push('.venv');
  }
  const fix: Fix = {
    title: 'Create a .dockerignore',
    edits: [],
    newFiles: [{ path: '.dockerignore', text: lines.join('\n') + '\n' }],
  };
  // A front-end build (Vite, Next.js) or dotenv at start-up may read the `.env` files it hides;
  // a folder that cannot be listed may hold some.
  const entries = workspace.list?.(folder);
  const hidden = (entry: string) =>
    (hidesEnv && entry === '.env') ||
    (hidesEnvVariants && /^\.env\./.test(entry) && entry !== '.env.example');
  if (!entries || entries.some(hidden)) fix.kind = 'scaffold';
  return fix;
}

export default defineRule({
  id: 'container-ready/no-dockerignore',
  lesson: 'container-ready',
  title: 'COPY . without a .dockerignore',
  severity: 'warning',
  equivalents: [],
  fix: 'safe',
  messages: {
    wholeContext:
      '{{instruction}} {{source}} copies the whole build context and there is no .dockerignore: whatever lies in it goes into the image, the .env files, logs and caches of whoever builds it included.',
    wholeContextWith:
      '{{instruction}} {{source}} copies the whole build context and there is no .dockerignore: {{present}}, beside the Dockerfile, would go into the image with everything else.',
  },
  docs: {
    what:
      '`COPY . …` or `ADD . …` (the whole build context) when there is no `.dockerignore` beside the Dockerfile (nor `<name>.dockerignore`, nor one in a folder above it). ' +
      'A build stage that copies the context is not flagged when the image takes only its results (`COPY --from=build /out/app /app`, not the folder the context went into, nor one above it): the context then never reaches the image, and the cost left (a larger upload to the builder, a cache that any edit invalidates) is the builder’s, not a leak.',
    why:
      'Without an ignore file the whole build context goes into the image: local `.env` files with real credentials, `node_modules` built for another platform, logs and caches, and the git history when the context is the top of the repository. ' +
      'The message names what lies beside the Dockerfile now (`.git`, `.env` files, `node_modules`, a virtual environment) and nothing it cannot see: a Dockerfile in a sub-folder of the repository is not told its `.git` goes in. ' +
      'Secrets leak to everyone who can pull the image, the image grows, and any changed file in the folder invalidates the build cache, so every build reinstalls everything. ' +
      'An image should contain what the app needs to run and nothing of the machine it was built on.',
    example: {
      language: 'dockerfile',
      code: `# no .dockerignore next to this Dockerfile
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci --omit=dev`,
    },
    useInstead: {
      language: 'text',
      code: `# .dockerignore
.git
.env
.env.*
*.log
node_modules
npm-debug.log*`,
    },
    references: [
      {
        title: 'Docker: .dockerignore files',
        url: 'https://docs.docker.com/build/concepts/context/#dockerignore-files',
      },
    ],
    fix:
      'Creates a `.dockerignore` beside the Dockerfile that leaves out `.git`, `.env` files and logs, plus `node_modules` or Python caches when the build installs them itself, but nothing the Dockerfile names, nor `.git` when the build reads git metadata. ' +
      'A scaffold when the folder holds `.env` files it would hide (or cannot be listed): check that neither the build (Vite, Next.js) nor the app at start-up (dotenv) reads them.',
  },
  checks: {
    docker({ model, document, workspace, report }) {
      if (!isAbsolute(document.path)) return;
      let known: boolean | undefined;
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          const keyword = instruction.getKeyword();
          if (keyword !== 'COPY' && keyword !== 'ADD') continue;
          if (isCopyFromStage(instruction)) continue;
          const json = (instruction as JSONInstruction).getJSONStrings();
          const args =
            json.length > 0
              ? json.map((a) => ({ value: a.getJSONValue(), range: a.getRange() }))
              : instruction.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
          const source = args.slice(0, -1).find((a) => wholeContext.test(a.value));
          if (!source) continue;
          // Copied into a build stage whose results alone reach the image: the context stays behind.
          const destination = args[args.length - 1]?.value ?? '.';
          const folder = posix.resolve(workdirBefore(model, stage, instruction), destination);
          if (!contextReachesImage(model, stage, folder)) continue;
          known ??= ignoreFileNear(document.path, workspace);
          if (known) return;
          const present = presentBeside(dirname(document.path), workspace);
          report({
            at: model.span(source.range),
            messageId: present ? 'wholeContextWith' : 'wholeContext',
            data: { instruction: keyword, source: source.value, present: present ?? '' },
            fix: () => ignoreFileFor(model, dirname(document.path), workspace),
          });
        }
      }
    },
  },
});
