import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../server/src/engine/analyze';
import { fileSystemWorkspace, type WorkspaceView } from '../../server/src/engine/workspace';
import { ApplicationModel } from '../../server/src/project/apps/model';
import { allRules } from '../../server/src/rules';
import { checkFixAll, checkFixes } from './fix-safety';

/**
 * Every fix, applied alone, on the examples, the fixtures and a fixed sample of the corpus:
 * the text parses, its finding is gone, nothing new appears, and fix-all is idempotent.
 * scripts/fix-safety.ts runs the same over the whole corpus, with cfn-lint where installed.
 */

const repo = join(__dirname, '..', '..');
const corpus = join(repo, '..', 'shared', 'corpus');

function files(dir: string, every = 1): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (statSync(path).size < 300_000) found.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.filter((_, i) => i % every === 0);
}

function overlay(created: { path: string; text: string }[]): WorkspaceView {
  const extra = new Map(created.map((f) => [f.path, f.text]));
  return {
    exists: (path) => extra.has(path) || fileSystemWorkspace.exists(path),
    read: (path) => extra.get(path) ?? fileSystemWorkspace.read(path),
    list: fileSystemWorkspace.list,
  };
}

describe('fix safety', function () {
  this.timeout(600_000);
  const analyzer = new Analyzer({ rules: allRules });
  const targets = [
    ...files(join(repo, 'examples')),
    ...files(join(repo, 'test', 'fixtures')),
    ...files(corpus, 7),
  ];

  it(`every fix on ${targets.length} files parses, removes its finding and adds none`, async () => {
    const broken: string[] = [];
    let fixes = 0;
    let across = 0;
    for (const path of targets) {
      const outcomes = await checkFixes(
        analyzer,
        path,
        readFileSync(path, 'utf8'),
        overlay,
        (workspace) => new ApplicationModel(() => workspace),
      );
      fixes += outcomes.length;
      across += outcomes.filter((o) => o.otherFiles > 0).length;
      for (const o of outcomes)
        for (const problem of o.problems)
          broken.push(`${path.replace(repo + '/', '')}: ${o.ruleId} (${o.kind}) “${o.title}”: ${problem}`);
    }
    assert.ok(fixes > 100, `${fixes} fixes checked`);
    // The fixtures of applications hold fixes that edit the code and the files that run it.
    assert.ok(across >= 3, `${across} fixes that edit other files`);
    assert.deepEqual(broken, []);
  });

  it('fix-all twice gives what once gave, on the same files', async () => {
    const broken: string[] = [];
    for (const path of targets)
      for (const problem of await checkFixAll(analyzer, path, readFileSync(path, 'utf8')))
        broken.push(`${path.replace(repo + '/', '')}: ${problem}`);
    assert.deepEqual(broken, []);
  });
});
