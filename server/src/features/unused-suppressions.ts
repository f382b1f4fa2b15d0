import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver';
import { unusedSuppressionText, type UnusedSuppression } from '../engine/suppress';
import { unusedSuppressionRule } from '../report/model';
import { unusedSuppressionsOf } from '../project/run';
import type { Analysis } from './session';

/**
 * Suppressions that silence nothing, in the editor: faded hints (as editors show unused code)
 * with a quick fix that removes the id, or the whole directive when it was its only one. The CLI
 * reports the same with `--report-unused-suppressions`.
 */

const found = new WeakMap<Analysis['result'], UnusedSuppression[]>();

function unusedOf(analysis: Pick<Analysis, 'parsed' | 'result'>): UnusedSuppression[] {
  let unused = found.get(analysis.result);
  if (!unused) found.set(analysis.result, (unused = unusedSuppressionsOf(analysis.parsed, analysis.result)));
  return unused;
}

export function unusedSuppressionDiagnostics(analysis: Pick<Analysis, 'parsed' | 'result'>): Diagnostic[] {
  return unusedOf(analysis).map((unused) => ({
    range: analysis.parsed.lines.rangeOf(unused.span),
    severity: DiagnosticSeverity.Hint,
    tags: [DiagnosticTag.Unnecessary],
    code: unusedSuppressionRule.id,
    source: 'cloud-lessons',
    message: unusedSuppressionText(unused).message,
  }));
}

/** The removal of each unused suppression among the diagnostics the editor asks about. */
export function unusedSuppressionActions(
  analysis: Pick<Analysis, 'parsed' | 'result'>,
  uri: string,
  diagnostics: readonly Diagnostic[],
): CodeAction[] {
  const lines = analysis.parsed.lines;
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'cloud-lessons' || diagnostic.code !== unusedSuppressionRule.id) continue;
    const unused = unusedOf(analysis).find((u) => {
      const range = lines.rangeOf(u.span);
      return (
        range.start.line === diagnostic.range.start.line &&
        range.start.character === diagnostic.range.start.character &&
        range.end.line === diagnostic.range.end.line &&
        range.end.character === diagnostic.range.end.character
      );
    });
    if (!unused || unused.edits.length === 0) continue;
    actions.push({
      title: unusedSuppressionText(unused).fixTitle,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: {
        changes: { [uri]: unused.edits.map((e) => ({ range: lines.rangeOf(e), newText: e.text })) },
      },
    });
  }
  return actions;
}
