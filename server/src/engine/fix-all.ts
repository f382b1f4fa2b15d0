import type { Analyzer } from './analyze';
import type { ApplicationIndex, FileEdits } from './applications';
import type { RuleConfig } from './config';
import type { DocumentInput } from './document';
import { applyEdits } from './fixes';
import type { FixKind } from './rule';
import type { TextEdit } from './text';
import type { WorkspaceView } from './workspace';

export interface FixAllResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** Files created by fixes, relative to the document's folder. */
  newFiles: { path: string; text: string }[];
  /**
   * Edits of other files that applied fixes carry (a variable added to the compose file), at most
   * one fix's per file; empty unless `otherFiles` was asked for, when such fixes are left out.
   */
  otherFiles: FileEdits[];
}

export interface FixAllOptions {
  config?: RuleConfig;
  workspace?: WorkspaceView;
  applications?: ApplicationIndex;
  /** Apply fixes that also edit other files, and return those edits (the CLI writes them). */
  otherFiles?: boolean;
  /** The kinds of fix to apply: `safe` only unless the user asked for scaffolds too. */
  kinds?: readonly FixKind[];
  maxPasses?: number;
}

/**
 * Apply every fix of the given kinds, re-analysing between passes because one fix can move or
 * remove another's finding. Stops when a pass changes nothing; the result is idempotent.
 */
export async function fixAll(
  analyzer: Analyzer,
  input: DocumentInput,
  options: FixAllOptions = {},
): Promise<FixAllResult> {
  const kinds = options.kinds ?? ['safe'];
  const maxPasses = options.maxPasses ?? 10;
  let text = input.text;
  let applied = 0;
  const newFiles = new Map<string, string>();
  const otherFiles = new Map<string, FileEdits>();
  for (let pass = 0; pass < maxPasses; pass++) {
    const result = await analyzer.analyze(
      { ...input, text },
      options.config,
      options.workspace,
      options.applications,
    );
    if (result.problems.some((p) => p.fatal)) break;
    const chosen = new EditSet();
    let count = 0;
    for (const finding of result.findings) {
      const fix = finding.fix?.();
      if (!fix || !kinds.includes(fix.kind)) continue;
      const others = fix.otherFiles ?? [];
      if (others.length > 0 && (!options.otherFiles || others.some((o) => otherFiles.has(o.path)))) continue;
      if (!chosen.addAll(fix.edits)) continue;
      for (const other of others) otherFiles.set(other.path, other);
      for (const file of fix.newFiles ?? []) if (!newFiles.has(file.path)) newFiles.set(file.path, file.text);
      count++;
    }
    if (count === 0) break;
    applied += count;
    const next = applyEdits(text, chosen.edits);
    if (next === text) break;
    text = next;
  }
  return {
    text,
    applied,
    newFiles: [...newFiles].map(([path, body]) => ({ path, text: body })),
    otherFiles: [...otherFiles.values()],
  };
}

/**
 * The edits chosen in one pass, kept sorted and disjoint. A fix joins only when none of its
 * edits touches a chosen one (or inserts where one starts); otherwise it waits for the next pass.
 */
class EditSet {
  readonly edits: TextEdit[] = [];

  addAll(edits: readonly TextEdit[]): boolean {
    if (edits.some((edit) => this.clashes(edit))) return false;
    for (const edit of edits) this.edits.splice(this.firstAfter(edit.start), 0, edit);
    return true;
  }

  /** The index of the first chosen edit that starts after `offset`. */
  private firstAfter(offset: number): number {
    let low = 0;
    let high = this.edits.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.edits[mid].start <= offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private clashes(edit: TextEdit): boolean {
    const next = this.firstAfter(edit.start);
    const before = this.edits[next - 1];
    if (before && (before.start === edit.start || edit.start < before.end)) return true;
    const after = this.edits[next];
    return !!after && after.start < edit.end;
  }
}
