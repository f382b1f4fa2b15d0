import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * What one file's rules may know about the files around it (a `.dockerignore` beside a
 * Dockerfile, the app's package.json). Paths are absolute. Reading never executes anything.
 */
export interface WorkspaceView {
  /**
   * The folder no lookup goes above (the workspace or repository root): an app's manifests, a
   * `.dockerignore`, compose overlays are looked for up to here. Unset: the file system's root.
   */
  readonly root?: string;
  exists(path: string): boolean;
  read(path: string): string | undefined;
  /**
   * The entries of a folder, sub-folders with a trailing `/` (e.g. an app's other source files);
   * undefined when it cannot be listed. Optional: rules treat a view without it as knowing nothing.
   */
  list?(folder: string): string[] | undefined;
}

/** The real file system, read-only, with reads capped so a huge file cannot stall a rule. */
export const fileSystemWorkspace: WorkspaceView = {
  exists: (path) => existsSync(path),
  read(path) {
    try {
      if (statSync(path).size > 1_000_000) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  list(folder) {
    try {
      return readdirSync(folder, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? `${e.name}/` : e.name,
      );
    } catch {
      return undefined;
    }
  },
};

/** A view that can be told a file changed under it. */
export interface RememberingWorkspace extends WorkspaceView {
  /** The run wrote this file: read it again. */
  forget(path: string): void;
}

/**
 * The same view, remembering what it answered, for a run in which the files do not change
 * under it (the CLI): the neighbours many files look for (a compose file, the manifests and
 * build files near each Dockerfile, a folder's listing) are read once, not once per file.
 * Bounded: the texts kept add up to `maxChars` at most, the answers to `maxEntries`; the oldest
 * unused go first. The run calls `forget` for each file it writes.
 */
export function rememberingWorkspace(
  view: WorkspaceView,
  { maxChars = 16_000_000, maxEntries = 20_000 } = {},
): RememberingWorkspace {
  const texts = new Map<string, string | undefined>();
  const lists = new Map<string, string[] | undefined>();
  const exists = new Map<string, boolean>();
  let chars = 0;
  const size = (text: string | undefined) => text?.length ?? 0;
  /** Kept most recently used last: a hit moves the entry to the end. */
  function recall<T>(cache: Map<string, T>, key: string, compute: () => T): T {
    if (cache.has(key)) {
      const value = cache.get(key) as T;
      cache.delete(key);
      cache.set(key, value);
      return value;
    }
    const value = compute();
    cache.set(key, value);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return value;
  }
  return {
    ...(view.root !== undefined ? { root: view.root } : {}),
    exists: (path) => recall(exists, path, () => view.exists(path)),
    read(path) {
      const known = texts.has(path);
      const text = recall(texts, path, () => view.read(path));
      if (!known) {
        chars += size(text);
        for (const [oldest, old] of texts) {
          if (chars <= maxChars || oldest === path) break;
          texts.delete(oldest);
          chars -= size(old);
        }
      }
      return text;
    },
    ...(view.list ? { list: (folder: string) => recall(lists, folder, () => view.list!(folder)) } : {}),
    forget(path) {
      if (texts.has(path)) chars -= size(texts.get(path));
      texts.delete(path);
      exists.delete(path);
      lists.delete(dirname(path));
    },
  };
}

/** A workspace made of the given files only: for tests and untitled documents. */
export function inMemoryWorkspace(files: Record<string, string> = {}): WorkspaceView {
  return {
    exists: (path) => path in files,
    read: (path) => files[path],
    list(folder) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      const entries = new Set<string>();
      for (const path of Object.keys(files)) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.add(slash === -1 ? rest : rest.slice(0, slash + 1));
      }
      return entries.size > 0 ? [...entries] : undefined;
    },
  };
}

/** Whether `path` is `root` or below it. */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/**
 * Where `path` really is, found by following symbolic links from `root` down without ever
 * touching a path outside `root`: undefined when a link leads outside (or links loop). A path
 * that does not exist resolves to itself, as far as it goes.
 */
export function realPathWithin(path: string, root: string): string | undefined {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    if (!isWithin(root, current)) return undefined;
    const parts = relative(root, current).split(sep).filter(Boolean);
    let prefix = root;
    let followed = false;
    for (let i = 0; i < parts.length; i++) {
      prefix = join(prefix, parts[i]);
      let link: string | undefined;
      try {
        link = lstatSync(prefix).isSymbolicLink() ? readlinkSync(prefix) : undefined;
      } catch {
        return current;
      }
      if (link !== undefined) {
        current = join(resolve(dirname(prefix), link), ...parts.slice(i + 1));
        followed = true;
        break;
      }
    }
    if (!followed) return current;
  }
  return undefined;
}

/**
 * The same view, answering nothing about paths outside `root`, and nothing through a symbolic
 * link that leads outside it (a manifest linked from elsewhere stays unread).
 */
export function boundedWorkspace(view: WorkspaceView, root: string): WorkspaceView {
  // Over a view that remembers (the files stay put), where each path really is is found once.
  const real = 'forget' in view ? new Map<string, string | undefined>() : undefined;
  const resolveWithin = (path: string) => {
    if (!real) return realPathWithin(path, root);
    if (real.has(path)) return real.get(path);
    if (real.size > 50_000) real.clear();
    const found = realPathWithin(path, root);
    real.set(path, found);
    return found;
  };
  const inside = (path: string) => (isWithin(root, path) ? resolveWithin(path) : undefined);
  return {
    root,
    exists: (path) => {
      const real = inside(path);
      return real !== undefined && view.exists(real);
    },
    read: (path) => {
      const real = inside(path);
      return real === undefined ? undefined : view.read(real);
    },
    list:
      view.list &&
      ((folder) => {
        const real = inside(folder);
        return real === undefined ? undefined : view.list!(real);
      }),
  };
}

/**
 * The folders from `start` up to the view's root (or the file system's root), nearest first:
 * every upward lookup walks these and no further.
 */
export function foldersUp(view: WorkspaceView, start: string, maxLevels = Infinity): string[] {
  const folders: string[] = [];
  let folder = start;
  for (let level = 0; level < maxLevels; level++) {
    if (view.root !== undefined && !isWithin(view.root, folder)) break;
    folders.push(folder);
    if (view.root !== undefined && folder === view.root) break;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return folders;
}
