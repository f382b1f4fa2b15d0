import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../parse/dockerfile';
import { isOnlyCommand, removeCommandEdit, type ShellCommand, type ShellScript } from '../parse/shell';
import type { TextEdit } from '../rule';
import type { LineIndex } from '../text';

/** Remove an instruction with its lines (continuations and here-documents included). */
export function removeInstructionEdit(
  model: DockerfileModel,
  instruction: Instruction,
  lines: LineIndex,
): TextEdit {
  const span = model.span(instruction.getRange());
  const first = lines.lineOf(span.start);
  const last = lines.lineOf(span.end);
  const start = lines.lineStart(first);
  const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : lines.text.length;
  return { start, end, text: '' };
}

/**
 * Remove one command from a RUN: from its `&&` chain when it has company, or the whole
 * instruction when it is the only command of its command line. Undefined when neither is safe
 * (inside `if`, a pipeline, `||`, or alone in a here-document script).
 */
export function removeRunCommandEdit(
  model: DockerfileModel,
  instruction: Instruction,
  script: ShellScript,
  command: ShellCommand,
  lines: LineIndex,
): TextEdit | undefined {
  const chained = removeCommandEdit(script, command);
  if (chained) return chained;
  const scripts = model.scripts(instruction);
  if (scripts.length === 1 && scripts[0] === script && isOnlyCommand(script, command)) {
    return removeInstructionEdit(model, instruction, lines);
  }
  return undefined;
}
