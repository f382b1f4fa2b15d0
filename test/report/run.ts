import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Project } from '../../server/src/project/project';
import { checkFile, runReport, type CheckOptions } from '../../server/src/project/run';
import type { RunReport } from '../../server/src/report/model';
import { allRules } from '../../server/src/rules';

/** A folder with these files (paths relative to it). */
export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-lessons-report-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** The run report of a folder as the CLI builds it, from `root` (paths relative to it). */
export async function reportOf(
  folder: string,
  options: Partial<CheckOptions> & { root?: string; sourceRoot?: string } = {},
): Promise<RunReport> {
  const root = options.root ?? folder;
  const project = new Project({ rules: allRules, roots: [options.sourceRoot ?? folder] });
  const outcomes = [];
  for (const file of project.files(folder))
    outcomes.push(
      await checkFile(project, file, relative(root, file).split(sep).join('/'), {
        withFixes: true,
        fingerprints: true,
        suppressed: true,
        ...options,
      }),
    );
  return runReport(project, root, outcomes, options.sourceRoot ?? root);
}

export const publicDb = `AWSTemplateFormatVersion: '2010-09-09'
Description: A database for the test
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      PubliclyAccessible: true
`;
