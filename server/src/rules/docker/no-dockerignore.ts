import { basename, dirname, isAbsolute, join } from 'node:path';
import type { JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { packageCommand } from '../../engine/docker/packages';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { commandName, effectiveCommand } from '../../engine/parse/shell';
import { defineRule } from '../../engine/rule';
import type { WorkspaceView } from '../../engine/workspace';

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
  let current = folder;
  for (let level = 0; level < 4; level++) {
    if (workspace.exists(join(current, '.dockerignore'))) return true;
    // The repository's root is as far up as a build context goes.
    if (workspace.exists(join(current, '.git'))) return false;
    const parent = dirname(current);
    if (parent === current) return false;
    current = parent;
  }
  return false;
}

/** A .dockerignore suited to what the Dockerfile builds; it never hides what a RUN reads. */
function ignoreFileFor(model: DockerfileModel): string {
  const programs = new Set<string>();
  const managers = new Set<string>();
  for (const stage of model.stages) {
    for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      for (const { command } of model.commands(run)) {
        const name = commandName({ words: effectiveCommand(command).words });
        if (name) programs.add(name);
        const packages = packageCommand(command);
        if (packages) managers.add(packages.manager);
      }
    }
  }
  const lines = ['# Keep the build context small and secrets out of the image.'];
  // A build that runs git needs the repository.
  if (!programs.has('git')) lines.push('.git');
  lines.push('.env', '.env.*', '!.env.example', '*.log');
  if (managers.has('npm') || programs.has('yarn') || programs.has('pnpm')) {
    lines.push('', '# dependencies are installed by the build', 'node_modules', 'npm-debug.log*');
  }
  if (managers.has('pip') || programs.has('poetry') || programs.has('uv')) {
    lines.push('', '# Python caches and local environments', '__pycache__', '*.py[cod]', '.venv');
  }
  return lines.join('\n') + '\n';
}

export default defineRule({
  id: 'container-ready/no-dockerignore',
  lesson: 'container-ready',
  title: 'COPY . without a .dockerignore',
  severity: 'warning',
  equivalents: [],
  fix: 'yes',
  docs: {
    what:
      '`COPY . …` or `ADD . …` (the whole build context) when there is no `.dockerignore` beside the Dockerfile (nor `<name>.dockerignore`, nor one in a folder above it). ' +
      'The fix creates a `.dockerignore` that leaves out `.git`, `.env` files and logs, plus `node_modules` or Python caches when the build installs them itself.',
    why:
      'Without an ignore file the whole folder goes into the image: the git history, local `.env` files with real credentials, `node_modules` built for another platform, logs and caches. ' +
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
  },
  checks: {
    docker({ model, document, workspace, report }) {
      if (!isAbsolute(document.path)) return;
      let known: boolean | undefined;
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          const keyword = instruction.getKeyword();
          if (keyword !== 'COPY' && keyword !== 'ADD') continue;
          if (
            (instruction as ModifiableInstruction)
              .getFlags()
              .some((f) => f.getName().toLowerCase() === 'from')
          )
            continue;
          const json = (instruction as JSONInstruction).getJSONStrings();
          const args =
            json.length > 0
              ? json.map((a) => ({ value: a.getJSONValue(), range: a.getRange() }))
              : instruction.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
          const source = args.slice(0, -1).find((a) => wholeContext.test(a.value));
          if (!source) continue;
          known ??= ignoreFileNear(document.path, workspace);
          if (known) return;
          report({
            at: model.span(source.range),
            message: `${keyword} ${source.value} copies the whole build context and there is no .dockerignore: .git, .env files and local caches go into the image.`,
            fix: () => ({
              title: 'Create a .dockerignore',
              edits: [],
              newFiles: [{ path: '.dockerignore', text: ignoreFileFor(model) }],
            }),
          });
        }
      }
    },
  },
});
