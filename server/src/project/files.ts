import { readdirSync, readFileSync, readlinkSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { isComposeName, isDockerfileName } from '../engine/classify';
import { isWithin, realPathWithin } from '../engine/workspace';

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

export interface DiscoveryOptions {
  /**
   * The project's root: `.gitignore` files from here down apply (those above the walked folder
   * too), and `.git/info/exclude` of a repository here.
   */
  root: string;
  /** Globs of the editor's exclusions (`files.exclude`), relative to `excludeBase`. */
  exclude?: readonly string[];
  excludeBase?: string;
  /** The configuration's `ignore:` for a path (a folder when `folder` is true). */
  isIgnored?: (path: string, folder: boolean) => boolean;
  /** Stop early (the editor's cancel button). */
  isCancelled?: () => boolean;
  /** A folder that cannot be listed. */
  onError?: (path: string, message: string) => void;
}

interface IgnoreScope {
  dir: string;
  rules: Ignore;
}

/**
 * The analysable files under `folder`, honouring every `.gitignore` from the project's root down
 * (each relative to its own folder), `.git/info/exclude`, the editor's exclusions and the
 * configuration's `ignore:`, and skipping dependency and VCS folders. Sorted, absolute.
 */
export function discoverFiles(folder: string, options: DiscoveryOptions): string[] {
  const files: string[] = [];
  const scopes: IgnoreScope[] = [];
  const root = isWithin(options.root, folder) ? options.root : folder;
  const excludeBase = options.excludeBase ?? root;
  const excluded = options.exclude?.length ? picomatch([...options.exclude], { dot: true }) : undefined;

  const gitignoreIn = (dir: string) => {
    const rules = readIgnoreFile(join(dir, '.gitignore'));
    if (rules) scopes.push({ dir, rules });
    return !!rules;
  };
  // The repository's own exclusions, then every .gitignore between the root and the folder.
  const exclude = readIgnoreFile(join(root, '.git', 'info', 'exclude'));
  if (exclude) scopes.push({ dir: root, rules: exclude });
  const above: string[] = [];
  for (let dir = dirname(folder); isWithin(root, dir) && dir !== folder; dir = dirname(dir)) {
    above.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  for (const dir of above) gitignoreIn(dir);

  const ignoredByGit = (path: string, isDir: boolean) =>
    scopes.some(({ dir, rules }) => {
      const rel = relative(dir, path).split(sep).join('/');
      return rel !== '' && !rel.startsWith('../') && rel !== '..' && rules.ignores(isDir ? `${rel}/` : rel);
    });
  const skipped = (path: string, isDir: boolean) => {
    if (ignoredByGit(path, isDir)) return true;
    if (excluded && isWithin(excludeBase, path) && path !== excludeBase) {
      if (excluded(relative(excludeBase, path).split(sep).join('/'))) return true;
    }
    return options.isIgnored?.(path, isDir) ?? false;
  };

  // Every folder and file once, by its real path: a link into the project is followed the first
  // time it is met (sorted walk: the same one each run), a loop or a second way in is not.
  const seen = new Set<string>();
  const firstTime = (real: string) => !seen.has(real) && !!seen.add(real);

  /** `dir` is reached under its own name; `real` is where it really is (they differ below a link). */
  const visit = (dir: string, real: string) => {
    if (options.isCancelled?.()) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      options.onError?.(dir, `cannot list this folder: ${(error as Error).message}`);
      return;
    }
    const pushed = entries.some((e) => e.name === '.gitignore' && e.isFile()) && gitignoreIn(dir);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const inside = join(real, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name) && !skipped(path, true) && firstTime(inside)) visit(path, inside);
      } else if (entry.isFile()) {
        if (isAnalysedFile(path) && !skipped(path, false) && firstTime(inside)) files.push(path);
      } else if (entry.isSymbolicLink()) {
        followLink(path, entry.name);
      } else if (isAnalysedFile(path) && !skipped(path, false)) {
        options.onError?.(path, `not a regular file (${specialKind(entry)}): not read`);
      }
    }
    if (pushed) scopes.pop();
  };

  const followLink = (path: string, name: string) => {
    // Resolved without touching anything outside the project: a link out is reported, not followed.
    const real = realPathWithin(path, root);
    if (real === undefined) {
      if (!isAnalysedFile(path) || skipped(path, false)) return;
      options.onError?.(path, `a symbolic link to ${linkTarget(path)}, outside the project: not read`);
      return;
    }
    let stat;
    try {
      stat = statSync(real);
    } catch {
      stat = undefined;
    }
    const folder = !!stat?.isDirectory();
    if ((folder ? skippedFolders.has(name) : !isAnalysedFile(path)) || skipped(path, folder)) return;
    if (!stat) {
      options.onError?.(path, 'a symbolic link to nothing: not read');
    } else if (folder) {
      if (firstTime(real)) visit(path, real);
    } else if (!stat.isFile()) {
      options.onError?.(path, 'a symbolic link to something that is not a regular file: not read');
    } else if (firstTime(real)) files.push(path);
  };

  const realFolder = realPathWithin(folder, root) ?? folder;
  seen.add(realFolder);
  if (statSync(folder).isDirectory()) visit(folder, realFolder);
  return files;
}

function readIgnoreFile(path: string): Ignore | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > 1_000_000) return undefined;
    return ignore().add(readFileSync(path, 'utf8'));
  } catch {
    // An unreadable ignore file ignores nothing.
    return undefined;
  }
}

/** Where a link says it points, as written (for messages). */
function linkTarget(path: string): string {
  try {
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    return 'somewhere unreadable';
  }
}

function specialKind(entry: Dirent): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a file or a folder';
}
