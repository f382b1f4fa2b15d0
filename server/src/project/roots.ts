import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isWithin } from '../engine/workspace';

/**
 * Where a file's project ends: no lookup (configuration files, an app's manifests, a
 * `.dockerignore`) goes above it. The editor passes its workspace folders; the CLI passes the
 * repository it runs in (or the current folder).
 */
export class ProjectRoots {
  private readonly folders: string[];
  private readonly repositoryOf = new Map<string, string | null>();

  constructor(
    folders: readonly string[],
    private readonly exists: (path: string) => boolean = existsSync,
  ) {
    // Deepest first, so that the first folder holding a path is the nearest.
    this.folders = [...new Set(folders)].sort((a, b) => b.length - a.length);
  }

  get all(): readonly string[] {
    return this.folders;
  }

  /** The folder (workspace folder or run root) that holds `path`, if any. */
  folderOf(path: string): string | undefined {
    return this.folders.find((folder) => isWithin(folder, path));
  }

  /**
   * The boundary for `path`: the nearest repository top (a folder with `.git`) inside its
   * folder, else the folder itself. A path outside every folder is bounded by its repository,
   * else by its own folder.
   */
  rootOf(path: string): string {
    const folder = this.folderOf(path);
    const repository = this.repositoryAbove(dirname(path), folder);
    return repository ?? folder ?? dirname(path);
  }

  /** The nearest folder from `start` upward that holds `.git`, not above `limit` when given. */
  private repositoryAbove(start: string, limit: string | undefined): string | undefined {
    const visited: string[] = [];
    let found: string | undefined;
    let dir = start;
    for (;;) {
      const known = this.repositoryOf.get(dir);
      if (known !== undefined) {
        found = known ?? undefined;
        break;
      }
      visited.push(dir);
      if (this.exists(join(dir, '.git'))) {
        found = dir;
        break;
      }
      const parent = dirname(dir);
      if (dir === limit || parent === dir || (limit !== undefined && !isWithin(limit, parent))) break;
      dir = parent;
    }
    for (const dir of visited) this.repositoryOf.set(dir, found ?? null);
    return found;
  }
}

/** The repository top at or above `start` (for the CLI's own root), else undefined. */
export function repositoryTop(
  start: string,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
