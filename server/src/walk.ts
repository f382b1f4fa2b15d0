import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isComposeName, isDockerfileName } from './engine/classify';

/** Folders never worth walking into. */
const skippedFolders = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  'cdk.out',
  '.aws-sam',
]);

const analysedExtensions = new Set([
  '.yaml',
  '.yml',
  '.json',
  '.template',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.ts',
  '.mts',
  '.cts',
  '.tsx',
  '.py',
  // Text files that often carry credentials, for the secret scanner.
  '.env',
  '.properties',
  '.ini',
  '.cfg',
  '.conf',
  '.toml',
  '.sh',
  '.bash',
  '.tf',
  '.tfvars',
  '.xml',
  '.pem',
  '.key',
]);

const skippedNames = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'composer.lock',
  'Pipfile.lock',
  'poetry.lock',
]);

/** Whether a file found while walking a folder is one the analyser reads. */
export function isAnalysedFile(path: string): boolean {
  const name = basename(path);
  if (skippedNames.has(name) || /\.min\.js$|\.d\.ts$/.test(name)) return false;
  if (isDockerfileName(name) || isComposeName(name)) return true;
  if (name === '.env' || name.startsWith('.env.') || name === '.npmrc' || name === '.pypirc') return true;
  return analysedExtensions.has(extname(name).toLowerCase());
}

export interface WalkOptions {
  /** Extra gitignore-style patterns relative to `root` (config `ignore:`, `files.exclude`). */
  exclude?: string[];
  /** Stop early (the editor's cancel button). */
  isCancelled?: () => boolean;
}

interface IgnoreScope {
  dir: string;
  rules: Ignore;
}

/**
 * The analysable files under `root`, honouring every `.gitignore` on the way down (each
 * relative to its own folder) and skipping dependency and VCS folders. Sorted, absolute.
 */
export function walkFiles(root: string, options: WalkOptions = {}): string[] {
  const files: string[] = [];
  const scopes: IgnoreScope[] = [];
  if (options.exclude?.length) scopes.push({ dir: root, rules: ignore().add(options.exclude) });

  const ignored = (path: string, isDir: boolean) =>
    scopes.some(({ dir, rules }) => {
      const rel = relative(dir, path).split(sep).join('/');
      return rel !== '' && !rel.startsWith('..') && rules.ignores(isDir ? `${rel}/` : rel);
    });

  const visit = (dir: string) => {
    if (options.isCancelled?.()) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    let pushed = false;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        scopes.push({ dir, rules: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) });
        pushed = true;
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name) && !ignored(path, true)) visit(path);
      } else if (entry.isFile() && isAnalysedFile(path) && !ignored(path, false)) {
        files.push(path);
      }
    }
    if (pushed) scopes.pop();
  };

  if (statSync(root).isDirectory()) visit(root);
  return files;
}
