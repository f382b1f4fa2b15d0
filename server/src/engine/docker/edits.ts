import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../parse/dockerfile';
import { isOnlyCommand, removeCommandEdit, type ShellCommand, type ShellScript } from '../parse/shell';
import type { LineIndex, TextEdit } from '../text';

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

/**
 * The commands that run on top of what `instruction` leaves behind, one list per way the build
 * goes on: the rest of `instruction` after `after` (when given), the later RUNs of its stage,
 * then those of each stage built on it. A fix that removes or cleans something in this RUN
 * must leave them working.
 */
export function commandsAfter(
  model: DockerfileModel,
  stage: Stage,
  instruction: Instruction,
  after?: ShellCommand,
): ShellCommand[][] {
  const commandsOf = (run: Instruction) => model.commands(run).map(({ command }) => command);
  const own = commandsOf(instruction);
  const rest = [
    ...(after ? own.slice(own.indexOf(after) + 1) : []),
    ...stage.instructions
      .slice(stage.instructions.indexOf(instruction) + 1)
      .filter((i) => i.getKeyword() === 'RUN')
      .flatMap(commandsOf),
  ];
  const paths = [rest];
  for (const other of model.stages) {
    const chain = model.chainOf(other);
    const at = chain.indexOf(stage);
    if (other === stage || at < 0) continue;
    // The stages from the one built on `stage` down to `other`, in build order.
    const between = chain.slice(0, at).reverse();
    paths.push([
      ...rest,
      ...between.flatMap((s) => s.instructions.filter((i) => i.getKeyword() === 'RUN').flatMap(commandsOf)),
    ]);
  }
  return paths;
}
