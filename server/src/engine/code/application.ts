import { dirname, join } from 'node:path';
import { foldersUp, type WorkspaceView } from '../workspace';

/**
 * The app a source file belongs to: the folder of its nearest manifest (package.json,
 * requirements.txt, pyproject.toml, Pipfile, setup.py), the dependencies those manifests
 * declare, and the app's other source files. Rules that judge the app as a whole (is it
 * measured anywhere? does it stop gracefully anywhere?) look here, not only at one file.
 */
export interface Application {
  /** The folder of the nearest manifest, or the file's own folder when there is none. */
  root: string;
  /** Manifests found, nearest first. */
  manifests: string[];
  /** Declared dependency names: npm names as written, Python names lower-cased with `-` for `_`. */
  dependencies: Set<string>;
  /** The app's other source files of the same language (bounded), read lazily. */
  otherSources(): { path: string; text: string }[];
}

export type AppLanguage = 'js' | 'py';

const maxLevels = 6;
const maxSources = 400;
/** Characters of other sources read at most per app (a monorepo's worth is not needed to decide). */
const maxSourceChars = 8_000_000;
const skippedFolders = new Set([
  'node_modules/',
  '.git/',
  '.hg/',
  'venv/',
  '.venv/',
  'env/',
  '__pycache__/',
  'dist/',
  'build/',
  '.next/',
  'coverage/',
  'site-packages/',
  '.tox/',
  '.aws-sam/',
  'cdk.out/',
]);
const sourceExtensions: Record<AppLanguage, RegExp> = {
  js: /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx)$/,
  py: /\.py$/,
};

/** Reads are remembered briefly per workspace view, so that an editor typing in one file does not rescan its app on every keystroke. */
const memory = new WeakMap<WorkspaceView, Map<string, { at: number; value: unknown }>>();
const memoryMs = 5_000;

function remembered<T>(workspace: WorkspaceView, key: string, compute: () => T): T {
  let entries = memory.get(workspace);
  if (!entries) memory.set(workspace, (entries = new Map()));
  const now = Date.now();
  // Forget what is stale, so that an editor session does not keep every app's sources in memory.
  for (const [old, entry] of entries) if (now - entry.at >= memoryMs) entries.delete(old);
  const hit = entries.get(key);
  if (hit && now - hit.at < memoryMs) return hit.value as T;
  const value = compute();
  entries.set(key, { at: now, value });
  return value;
}

export function applicationOf(path: string, workspace: WorkspaceView, language: AppLanguage): Application {
  const start = dirname(path);
  const { root, manifests, dependencies } = remembered(
    workspace,
    `manifests\u0000${language}\u0000${start}`,
    () => findManifests(start, workspace, language),
  );
  return {
    root,
    manifests,
    dependencies,
    otherSources: () =>
      remembered(workspace, `sources\u0000${language}\u0000${root}`, () =>
        listSources(root, workspace, language),
      ).filter((s) => s.path !== path),
  };
}

function findManifests(
  start: string,
  workspace: WorkspaceView,
  language: AppLanguage,
): { root: string; manifests: string[]; dependencies: Set<string> } {
  const manifests: string[] = [];
  const dependencies = new Set<string>();
  let root: string | undefined;
  for (const folder of foldersUp(workspace, start, maxLevels)) {
    const found = manifestsIn(folder, workspace, language);
    for (const manifest of found) {
      const text = workspace.read(manifest);
      if (text === undefined) continue;
      manifests.push(manifest);
      for (const name of dependenciesOf(manifest, text, workspace)) dependencies.add(name);
    }
    if (found.length > 0) root ??= folder;
    // A repository's top is as far as an app reaches.
    if (workspace.exists(join(folder, '.git'))) break;
  }
  return { root: root ?? start, manifests, dependencies };
}

function manifestsIn(folder: string, workspace: WorkspaceView, language: AppLanguage): string[] {
  if (language === 'js') {
    const manifest = join(folder, 'package.json');
    return workspace.exists(manifest) ? [manifest] : [];
  }
  const found = ['pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', 'requirements.txt']
    .map((name) => join(folder, name))
    .filter((p) => workspace.exists(p));
  for (const entry of workspace.list?.(folder) ?? []) {
    if (/^requirements.+\.(txt|in)$/i.test(entry)) found.push(join(folder, entry));
  }
  for (const entry of workspace.list?.(join(folder, 'requirements')) ?? []) {
    if (/\.(txt|in)$/i.test(entry)) found.push(join(folder, 'requirements', entry));
  }
  return found;
}

/** Normalised Python distribution name (PEP 503, with `-`). */
export function pythonPackageName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[-_.]+/g, '-');
}

function dependenciesOf(manifest: string, text: string, workspace: WorkspaceView, depth = 0): string[] {
  const name = manifest.split(/[\\/]/).pop() ?? '';
  if (name === 'package.json') {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const names: string[] = [];
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        const deps = json[field];
        if (deps && typeof deps === 'object') names.push(...Object.keys(deps));
      }
      return names;
    } catch {
      return [];
    }
  }
  if (/\.(txt|in)$/.test(name)) {
    const names: string[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = withoutComment(raw).trim();
      const include = /^-[rc]\s+(\S+)/.exec(line) ?? /^--requirement[=\s]+(\S+)/.exec(line);
      if (include && depth < 3) {
        const included = join(dirname(manifest), include[1]);
        const body = workspace.read(included);
        if (body !== undefined) names.push(...dependenciesOf(included, body, workspace, depth + 1));
        continue;
      }
      const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
      if (match && !line.startsWith('-')) names.push(pythonPackageName(match[1]));
    }
    return names;
  }
  // pyproject.toml, Pipfile, setup.py, setup.cfg: every quoted requirement and every table key
  // under a dependency table. Loose on purpose: a manifest only ever adds names.
  const names: string[] = [];
  for (const match of text.matchAll(
    /["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:[<>=!~;@][^"']*)?["']/g,
  ))
    names.push(pythonPackageName(match[1]));
  let inTable = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inTable = /dependencies|packages|requires/i.test(line);
      continue;
    }
    const key = inTable && /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=/.exec(line);
    if (key) names.push(pythonPackageName(key[1]));
    const listed = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*([<>=!~][^#]*)?$/.exec(raw);
    if (inTable === false && listed && /install_requires|^\s{2,}/.test(raw))
      names.push(pythonPackageName(listed[1]));
  }
  return names;
}

/** A requirements line without its comment (`#` at the start or after a blank), in one pass. */
function withoutComment(line: string): string {
  for (let at = line.indexOf('#'); at >= 0; at = line.indexOf('#', at + 1))
    if (at === 0 || line[at - 1] === ' ' || line[at - 1] === '\t') return line.slice(0, at);
  return line;
}

function listSources(
  root: string,
  workspace: WorkspaceView,
  language: AppLanguage,
): { path: string; text: string }[] {
  const sources: { path: string; text: string }[] = [];
  if (!workspace.list) return sources;
  const queue: { folder: string; depth: number }[] = [{ folder: root, depth: 0 }];
  let chars = 0;
  while (queue.length > 0 && sources.length < maxSources && chars < maxSourceChars) {
    const { folder, depth } = queue.shift()!;
    for (const entry of (workspace.list(folder) ?? []).sort()) {
      if (entry.endsWith('/')) {
        if (depth < 6 && !skippedFolders.has(entry) && !entry.startsWith('.'))
          queue.push({ folder: join(folder, entry), depth: depth + 1 });
        continue;
      }
      if (!sourceExtensions[language].test(entry) || entry.endsWith('.d.ts')) continue;
      const path = join(folder, entry);
      const text = workspace.read(path);
      if (text !== undefined) {
        sources.push({ path, text });
        chars += text.length;
      }
      if (sources.length >= maxSources) break;
    }
  }
  return sources;
}
