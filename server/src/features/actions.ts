import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/analyze';
import { minimalEdit } from '../engine/fixes';
import type { Fix, SettledFix } from '../engine/rule';
import { suppressionEdit } from '../engine/suppress';
import type { FileEdits } from '../engine/applications';
import { LineIndex, type TextEdit } from '../engine/text';
import { mostSevereFirst } from './ranking';
import { isConfigDocument, pathOf, type Analysis, type Session } from './session';
import { unusedSuppressionActions } from './unused-suppressions';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.cloudLessons`;

function lspEdits(lines: LineIndex, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: lines.rangeOf(e), newText: e.text }));
}

/** A fix as a workspace edit; undefined when it creates files and the client cannot. */
function workspaceEdit(
  session: Session,
  uri: string,
  version: number,
  lines: LineIndex,
  fix: Pick<Fix, 'edits' | 'newFiles' | 'otherFiles'>,
): WorkspaceEdit | undefined {
  const edits = lspEdits(lines, fix.edits);
  const newFiles = fix.newFiles ?? [];
  const others = otherFileChanges(session, fix.otherFiles ?? []);
  if (!others) return undefined;
  if (newFiles.length === 0) return { changes: { [uri]: edits, ...others } };
  if (Object.keys(others).length > 0) return undefined;
  if (!session.client.createFiles || !uri.startsWith('file:')) return undefined;
  const dir = dirname(pathOf(uri));
  return {
    documentChanges: [
      ...newFiles.flatMap((file) => {
        const target = pathToFileURL(join(dir, file.path)).href;
        return [
          { kind: 'create' as const, uri: target, options: { ignoreIfExists: true } },
          {
            textDocument: { uri: target, version: null },
            edits: [
              {
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                newText: file.text,
              },
            ],
          },
        ];
      }),
      ...(edits.length > 0 ? [{ textDocument: { uri, version }, edits }] : []),
    ],
  };
}

/**
 * The edits of other files (a variable added to the compose file and the template) by URI;
 * undefined when one of those files is open with other text than the fix was made for.
 */
function otherFileChanges(
  session: Session,
  files: readonly FileEdits[],
): Record<string, LspTextEdit[]> | undefined {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const file of files) {
    const uri = pathToFileURL(file.path).href;
    const open = session.documents.all().find((d) => pathOf(d.uri) === file.path);
    if (open && open.getText() !== file.text) return undefined;
    changes[open?.uri ?? uri] = lspEdits(new LineIndex(file.text), file.edits);
  }
  return changes;
}

function sameSpan(finding: Finding, range: Diagnostic['range']): boolean {
  const r = finding.range;
  return (
    r.start.line === range.start.line &&
    r.start.character === range.start.character &&
    r.end.line === range.end.line &&
    r.end.character === range.end.character
  );
}

/** Run after a scaffold with needs is applied: the server shows what is left to do. */
export const scaffoldAppliedCommand = 'cloudLessons.scaffoldApplied';

/** A fix's title in the light bulb: a scaffold says that it is one and what it still needs. */
export function fixTitle(fix: Pick<SettledFix, 'title' | 'kind' | 'needs'>): string {
  if (fix.kind === 'safe') return fix.title;
  const needs = fix.needs?.length ? ` (then: ${fix.needs.map(lowerFirst).join('; ')})` : '';
  return `Scaffold: ${fix.title}${needs}`;
}

// `Install redis` reads as `install redis` inside the title; `AWS …` stays as written.
const lowerFirst = (text: string) =>
  /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;

/** The message for `cloudLessons.scaffoldApplied`: what the applied scaffold leaves to the user. */
export function scaffoldAppliedMessage(args: unknown[] | undefined): string | undefined {
  const [title, needs] = args ?? [];
  if (typeof title !== 'string' || !Array.isArray(needs) || needs.length === 0) return undefined;
  return `Cloud Lessons: "${title}" is in place. Still to do: ${needs.map(String).join('; ')}.`;
}

/**
 * Quick fixes for the diagnostics the editor sends, most severe finding first: only the safe fix
 * of that finding is preferred (the one Ctrl+. preselects and auto-fix applies), scaffolds say
 * what they are and what they need; then "disable for this line", and fix-all, which applies
 * safe fixes only.
 */
export async function codeActions(session: Session, params: CodeActionParams): Promise<CodeAction[]> {
  const document = session.documents.get(params.textDocument.uri);
  if (!document || !session.settings.enable || isConfigDocument(document.uri)) return [];
  const analysis = await session.analysisOf(document);
  if (!analysis) return [];
  const { parsed, result } = analysis;
  const uri = document.uri;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const diagnosticOf = new Map<Finding, Diagnostic>();
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'cloud-lessons') continue;
      const finding = result.findings.find(
        (f) => f.ruleId === diagnostic.code && sameSpan(f, diagnostic.range) && !diagnosticOf.has(f),
      );
      if (finding) diagnosticOf.set(finding, diagnostic);
    }
    const ranked = mostSevereFirst([...diagnosticOf.keys()]);
    const suppressions: CodeAction[] = [];
    ranked.forEach(({ finding, fix }, index) => {
      const diagnostic = diagnosticOf.get(finding)!;
      const edit = fix && workspaceEdit(session, uri, analysis.version, parsed.lines, fix);
      if (fix && edit) {
        const needs = fix.kind === 'scaffold' && fix.needs?.length ? fix.needs : undefined;
        actions.push({
          title: fixTitle(fix),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: index === 0 && fix.kind === 'safe',
          edit,
          ...(needs
            ? {
                command: {
                  title: 'Show what the scaffold needs',
                  command: scaffoldAppliedCommand,
                  arguments: [fix.title, needs],
                },
              }
            : {}),
        });
      }
      const suppression = suppressionEdit(parsed, finding.ruleId, finding.span);
      if (suppression) {
        const inMetadata = parsed.model?.kind === 'cloudformation' && parsed.model.template.format === 'json';
        suppressions.push({
          title: inMetadata
            ? `Disable ${finding.ruleId} for this resource (in its Metadata: JSON has no comments)`
            : `Disable ${finding.ruleId} for this line (with a reason)`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: lspEdits(parsed.lines, [suppression]) } },
        });
      }
    });
    actions.push(...suppressions);
    actions.push(...unusedSuppressionActions(analysis, uri, params.context.diagnostics));
    // Counted from the rules' kinds: computing every fix to count them would cost a keystroke's time.
    const safe = result.findings.filter((f) => f.fix && f.rule.fix === 'safe').length;
    if (safe > 1 && params.context.diagnostics.some((d) => d.source === 'cloud-lessons')) {
      const edit = await fixAllEdit(session, document, analysis);
      if (edit)
        actions.push({
          title: 'Fix all safely fixable Cloud Lessons findings in this file',
          kind: CodeActionKind.QuickFix,
          edit,
        });
    }
  }
  if (only && wants(fixAllKind)) {
    const edit = await fixAllEdit(session, document, analysis);
    if (edit) actions.push({ title: 'Fix all Cloud Lessons findings', kind: fixAllKind, edit });
  }
  return actions;
}

/** Every safe fix of the file as one minimal edit (so the cursor and undo history stay sensible). */
async function fixAllEdit(
  session: Session,
  document: TextDocument,
  analysis: Analysis,
): Promise<WorkspaceEdit | undefined> {
  const path = pathOf(document.uri);
  const text = analysis.parsed.text;
  const fixed = await session.project.fixAll({ path, text, languageId: document.languageId }, ['safe']);
  const change = minimalEdit(text, fixed.text);
  if (!change && fixed.newFiles.length === 0) return undefined;
  return workspaceEdit(session, document.uri, analysis.version, analysis.parsed.lines, {
    edits: change ? [change] : [],
    newFiles: fixed.newFiles,
  });
}
