import type { Analyzer, Finding } from '../../server/src/engine/analyze';
import type { ApplicationIndex } from '../../server/src/engine/applications';
import { fixAll } from '../../server/src/engine/fix-all';
import { applyEdits } from '../../server/src/engine/fixes';
import type { FixKind } from '../../server/src/engine/rule';
import type { WorkspaceView } from '../../server/src/engine/workspace';
import { dirname, join } from 'node:path';

/**
 * The properties every fix must have, checked one fix at a time on a real file: the result
 * parses as the same kind, its finding is gone, no finding appears that was not there, and
 * fix-all is idempotent. Shared by the test suite (fixtures and a corpus sample) and
 * scripts/fix-safety.ts (the whole corpus, with cfn-lint where it is installed).
 */

export interface FixOutcome {
  path: string;
  ruleId: string;
  kind: FixKind;
  title: string;
  /** The fixed text, for a caller that validates it further (cfn-lint). */
  text: string;
  /** How many other files the fix edits. */
  otherFiles: number;
  /** What went wrong; empty when the fix has every property. */
  problems: string[];
}

function counts(findings: readonly Finding[], key: (f: Finding) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (const f of findings) map.set(key(f), (map.get(key(f)) ?? 0) + 1);
  return map;
}

/**
 * `workspaceWith` gives the view in which the fixed file is analysed again, with the files a fix
 * creates beside it (a `.dockerignore`).
 */
export async function checkFixes(
  analyzer: Analyzer,
  path: string,
  text: string,
  workspaceWith: (created: { path: string; text: string }[]) => WorkspaceView,
  /**
   * The application model over a workspace, for the cross-file rules: their fixes also edit
   * other files (a template, a compose file), which must then still parse as what they were.
   */
  applicationsOver?: (workspace: WorkspaceView) => ApplicationIndex,
): Promise<FixOutcome[]> {
  const analyse = (input: { path: string; text: string }, workspace: WorkspaceView) =>
    analyzer.analyze(input, undefined, workspace, applicationsOver?.(workspace));
  const before = await analyse({ path, text }, workspaceWith([]));
  if (before.problems.some((p) => p.fatal)) return [];
  const outcomes: FixOutcome[] = [];
  // Findings move and change words as a file is edited (a sibling's fix makes another service's
  // message stricter); what must not happen is more findings of a rule than before, unless the
  // lesson has no more findings than before (a rule of it took over a sibling's: once one compose
  // service restarts, the others are reported as unlike it rather than as a file where none does).
  const beforeByRule = counts(before.findings, (f) => f.ruleId);
  const beforeByLesson = counts(before.findings, (f) => f.rule.lesson);
  for (const finding of before.findings) {
    const fix = finding.fix?.();
    if (!fix) continue;
    const problems: string[] = [];
    let fixed = text;
    try {
      fixed = applyEdits(text, fix.edits);
    } catch (error) {
      problems.push(`the edits do not apply: ${(error as Error).message}`);
    }
    // The other files the fix edits, as it leaves them.
    const others: { path: string; text: string }[] = [];
    for (const other of fix.otherFiles ?? [])
      try {
        others.push({ path: other.path, text: applyEdits(other.text, other.edits) });
      } catch (error) {
        problems.push(`the edits of ${other.path} do not apply: ${(error as Error).message}`);
      }
    if (problems.length === 0) {
      const created = (fix.newFiles ?? []).map((f) => ({ path: join(dirname(path), f.path), text: f.text }));
      const workspace = workspaceWith([...created, ...others]);
      for (const other of others) {
        const was = await analyse(
          { path: other.path, text: workspaceWith([]).read(other.path) ?? '' },
          workspace,
        );
        const now = await analyse(other, workspace);
        const fatal = now.problems.find((p) => p.fatal);
        if (fatal) problems.push(`${other.path} no longer parses: ${fatal.message}`);
        else if (now.kind !== was.kind)
          problems.push(`${other.path} is no longer ${was.kind} but ${now.kind}`);
      }
      const after = await analyse({ path, text: fixed }, workspace);
      const fatal = after.problems.find((p) => p.fatal);
      if (fatal) problems.push(`the fixed text no longer parses: ${fatal.message}`);
      else if (after.kind !== before.kind)
        problems.push(`the file is no longer ${before.kind} but ${after.kind}`);
      else {
        const left = after.findings.filter((f) => f.ruleId === finding.ruleId).length;
        if (left >= (beforeByRule.get(finding.ruleId) ?? 0)) problems.push('its finding is still there');
        const afterByLesson = counts(after.findings, (f) => f.rule.lesson);
        for (const [ruleId, count] of counts(after.findings, (f) => f.ruleId)) {
          if (count > (beforeByRule.get(ruleId) ?? 0)) {
            const added = after.findings.find((f) => f.ruleId === ruleId)!;
            const lesson = added.rule.lesson;
            if ((afterByLesson.get(lesson) ?? 0) < (beforeByLesson.get(lesson) ?? 0)) continue;
            // A scaffold that says what is left to do (set the variable it now reads) may leave
            // the finding that says the same.
            const named = added.data?.name;
            if (
              fix.kind === 'scaffold' &&
              typeof named === 'string' &&
              fix.needs?.some((n) => n.includes(named))
            )
              continue;
            problems.push(
              `a new finding: ${ruleId} (${added.messageId}${added.resource ? ` on ${added.resource}` : ''})`,
            );
          }
        }
      }
    }
    outcomes.push({
      path,
      ruleId: finding.ruleId,
      kind: fix.kind,
      title: fix.title,
      text: fixed,
      otherFiles: fix.otherFiles?.length ?? 0,
      problems,
    });
  }
  return outcomes;
}

/** Fix-all (safe fixes) twice gives what once gave, and what it gives still parses. */
export async function checkFixAll(analyzer: Analyzer, path: string, text: string): Promise<string[]> {
  const once = await fixAll(analyzer, { path, text });
  if (once.applied === 0) return [];
  const problems: string[] = [];
  const parsed = await analyzer.analyze({ path, text: once.text });
  const fatal = parsed.problems.find((p) => p.fatal);
  if (fatal) problems.push(`fix-all leaves text that does not parse: ${fatal.message}`);
  const twice = await fixAll(analyzer, { path, text: once.text });
  if (twice.text !== once.text) problems.push('a second fix-all changes the text again');
  return problems;
}
