import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../server/src/engine/analyze';
import type { Rule } from '../../server/src/engine/rule';
import { inMemoryWorkspace, type WorkspaceView } from '../../server/src/engine/workspace';
import { Project } from '../../server/src/project/project';

/**
 * What the tests of cross-file rules share: a project over a folder of several files, as the CLI
 * and the server build it, with only the rules under test and a log that fails the test.
 */
export function projectOver(root: string, rules: readonly Rule[], workspace?: WorkspaceView): Project {
  return new Project({
    rules,
    roots: [root],
    config: { kind: 'none' },
    ...(workspace ? { workspace } : {}),
    log: (message) => {
      throw new Error(message);
    },
  });
}

/** The file analysed in the project; no rule may fail on it. */
export async function analyse(project: Project, path: string, text: string): Promise<AnalysisResult> {
  const result = await project.analyze({ path, text });
  assert.deepEqual(result.failures, []);
  return result;
}

/** A workspace in memory, its files written under `root`. */
export function memory(root: string, files: Record<string, string>): WorkspaceView {
  return inMemoryWorkspace(
    Object.fromEntries(Object.entries(files).map(([path, text]) => [join(root, path), text])),
  );
}

export const read = (path: string) => readFileSync(path, 'utf8');
