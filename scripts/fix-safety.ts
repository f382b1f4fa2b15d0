// Every fix of every rule, applied alone, over a whole folder (the corpus by default): the text
// parses, its finding is gone, nothing new appears, fix-all is idempotent, and — where cfn-lint
// is installed — a fixed template has no cfn-lint error its original did not have. Prints the
// counts and every failure; exits 1 when there is one.
//   npx tsx scripts/fix-safety.ts [folder]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Analyzer } from '../server/src/engine/analyze';
import { ApplicationModel } from '../server/src/project/apps/model';
import { discoverFiles } from '../server/src/project/files';
import { fileSystemWorkspace, type WorkspaceView } from '../server/src/engine/workspace';
import { allRules } from '../server/src/rules';
import { checkFixAll, checkFixes, type FixOutcome } from '../test/fuzz/fix-safety';

const folder = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'corpus'));

function overlay(created: { path: string; text: string }[]): WorkspaceView {
  const extra = new Map(created.map((f) => [f.path, f.text]));
  return {
    exists: (path) => extra.has(path) || fileSystemWorkspace.exists(path),
    read: (path) => extra.get(path) ?? fileSystemWorkspace.read(path),
    list: fileSystemWorkspace.list,
  };
}

/** cfn-lint's error codes per file (E… only), run in batches; undefined when cfn-lint is missing. */
function cfnLintErrors(paths: string[]): Map<string, Set<string>> | undefined {
  if (spawnSync('cfn-lint', ['--version']).status !== 0) return undefined;
  const errors = new Map<string, Set<string>>();
  const lint = (batch: string[]): void => {
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...batch], {
      encoding: 'utf8',
      maxBuffer: 1e9,
    });
    // cfn-lint stops at the first template it crashes on: lint that batch file by file.
    if (batch.length > 1 && /Traceback/.test(run.stderr)) {
      for (const path of batch) lint([path]);
      return;
    }
    for (const line of run.stdout.split('\n')) {
      const match = /^(.*?):\d+:\d+:\d+:\d+:(E\d+):/.exec(line);
      if (!match) continue;
      if (!errors.has(match[1])) errors.set(match[1], new Set());
      errors.get(match[1])!.add(match[2]);
    }
  };
  for (let i = 0; i < paths.length; i += 100) lint(paths.slice(i, i + 100));
  return errors;
}

async function main() {
  const analyzer = new Analyzer({ rules: allRules });
  const outcomes: FixOutcome[] = [];
  const fixAllProblems: string[] = [];
  const files = discoverFiles(folder, { root: folder });
  for (const path of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    outcomes.push(
      ...(await checkFixes(
        analyzer,
        path,
        text,
        overlay,
        (workspace) => new ApplicationModel(() => workspace),
      )),
    );
    for (const problem of await checkFixAll(analyzer, path, text))
      fixAllProblems.push(`${relative(folder, path)}: ${problem}`);
  }

  // cfn-lint over the originals and over each fixed template (written under a temp folder).
  const templates = outcomes.filter(
    (o) => /\.(ya?ml|json|template)$/.test(o.path) && o.problems.length === 0,
  );
  const scratch = mkdtempSync(join(tmpdir(), 'cloud-lessons-fix-safety-'));
  const fixedPaths = templates.map((o, i) => {
    const path = join(scratch, String(i), relative(folder, o.path));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.text);
    return path;
  });
  const before = cfnLintErrors([...new Set(templates.map((o) => o.path))]);
  const after = before && cfnLintErrors(fixedPaths);
  if (before && after)
    templates.forEach((o, i) => {
      const added = [...(after.get(fixedPaths[i]) ?? [])].filter((code) => !before.get(o.path)?.has(code));
      if (added.length > 0) o.problems.push(`cfn-lint reports new errors ${added.join(', ')}`);
    });

  const byKind = { safe: 0, scaffold: 0 };
  for (const o of outcomes) byKind[o.kind]++;
  const across = outcomes.filter((o) => o.otherFiles > 0).length;
  const failed = outcomes.filter((o) => o.problems.length > 0);
  console.log(
    `${files.length} files, ${outcomes.length} fixes (${byKind.safe} safe, ${byKind.scaffold} scaffold; ${across} edit other files too)`,
  );
  console.log(`cfn-lint: ${before ? `${templates.length} fixed templates compared` : 'not installed'}`);
  console.log(`failures: ${failed.length} fixes, ${fixAllProblems.length} fix-all`);
  for (const o of failed)
    console.log(
      `  ${relative(folder, o.path)}: ${o.ruleId} (${o.kind}) “${o.title}”: ${o.problems.join('; ')}`,
    );
  for (const p of fixAllProblems) console.log(`  ${p}`);
  process.exitCode = failed.length + fixAllProblems.length > 0 ? 1 : 0;
}

void main();
