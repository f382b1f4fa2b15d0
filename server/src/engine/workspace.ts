import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * What one file's rules may know about the files around it (a `.dockerignore` beside a
 * Dockerfile, the app's package.json). Paths are absolute. Reading never executes anything.
 */
export interface WorkspaceView {
  exists(path: string): boolean;
  read(path: string): string | undefined;
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
};

/** A workspace made of the given files only: for tests and untitled documents. */
export function inMemoryWorkspace(files: Record<string, string> = {}): WorkspaceView {
  return {
    exists: (path) => path in files,
    read: (path) => files[path],
  };
}
