import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import type { LineIndex, Span } from '../text';

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  from: From;
  /** The `AS name` of the stage, lower-cased as Docker compares it. */
  name: string | undefined;
  instructions: Instruction[];
}

export interface DockerfileModel {
  dockerfile: Dockerfile;
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[];
  stages: Stage[];
  /** The stage the image is built from when no --target is given: the last one. */
  finalStage: Stage | undefined;
  /** Converts a dockerfile-ast range (line/character) to offsets in the text. */
  span(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Span;
}

export function parseDockerfile(text: string, lines: LineIndex): DockerfileModel {
  const dockerfile = DockerfileParser.parse(text);
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({
        index: stages.length,
        from,
        name: from.getBuildStage()?.toLowerCase() ?? undefined,
        instructions: [],
      });
    } else if (stages.length === 0) {
      preamble.push(instruction);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return {
    dockerfile,
    preamble,
    stages,
    finalStage: stages[stages.length - 1],
    span: (range) => ({ start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) }),
  };
}
