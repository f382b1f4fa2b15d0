import {
  DockerfileParser,
  Instruction as InstructionClass,
  type Arg,
  type Dockerfile,
  type From,
  type Healthcheck,
  type Instruction,
  type JSONInstruction,
  type Run,
} from 'dockerfile-ast';
import type { LineIndex, Span } from '../text';
import { BoundedCache } from '../bounded-cache';
import { movedScript, parseShell, ShellSource, type ShellCommand, type ShellScript } from './shell';

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  from: From;
  /** The `AS name` of the stage, lower-cased as Docker compares it. */
  name: string | undefined;
  instructions: Instruction[];
  /** The earlier stage this one is built on (`FROM build`), if its image names one. */
  parent: Stage | undefined;
  /** The image this stage starts from, when it is not an earlier stage. */
  base: BaseImage | undefined;
  /**
   * A file without FROM (a part being written, or one included into others): its instructions
   * make one stage whose `from` is a stand-in with no image and whose base is unknown, so that
   * the checks of single instructions still run and those of the whole image have nothing to say.
   */
  fragment: boolean;
}

/** An image reference: `[registry/]path[:tag][@digest]`. */
export interface ImageReference {
  /** Registry and path, lower-cased, without tag or digest: `docker.io/library/node` stays `node`. */
  name: string;
  /** The last path component: `node`, `distroless/static` → `static`. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

export interface BaseImage {
  /** As written after FROM, with any `${ARG}` references. */
  written: string;
  /** With build arguments replaced by their defaults; undefined when one has no default. */
  resolved: string | undefined;
  /** The build arguments the reference reads. */
  args: string[];
  reference: ImageReference | undefined;
}

/** A word of an exec-form (JSON array) instruction, with the span of its JSON string. */
export interface ExecArgument {
  value: string;
  span: Span;
}

/** A shell command of an instruction and the script it belongs to (for edits). */
export interface InstructionCommand {
  command: ShellCommand;
  script: ShellScript;
}

export interface DockerfileModel {
  dockerfile: Dockerfile;
  /** Instructions before the first FROM (global ARGs); empty for a fragment. */
  preamble: Instruction[];
  stages: Stage[];
  /** The stage the image is built from when no --target is given: the last one. */
  finalStage: Stage | undefined;
  /** The final stage and the stages it is built on, final first: what ends up in the image. */
  finalChain: Stage[];
  /** The escape character (`\` unless `# escape=` says otherwise). */
  escape: string;
  /** Converts a dockerfile-ast range (line/character) to offsets in the text. */
  span(range: { start: { line: number; character: number }; end: { line: number; character: number } }): Span;
  /** A stage and the stages it is built on, nearest first. */
  chainOf(stage: Stage): Stage[];
  /** The image at the root of a stage's chain (undefined for `FROM scratch` chains too). */
  rootImage(stage: Stage): BaseImage | undefined;
  stageOf(instruction: Instruction): Stage | undefined;
  /** The position of an instruction in its stage's `instructions` (-1 for FROM and the preamble). */
  positionOf(instruction: Instruction): number;
  /** Whether shell-form commands of this instruction run in a POSIX shell (not cmd or PowerShell). */
  runsPosixShell(instruction: Instruction): boolean;
  /** The arguments of RUN/CMD/ENTRYPOINT/SHELL (or HEALTHCHECK CMD) in exec form; undefined in shell form. */
  execForm(instruction: Instruction): ExecArgument[] | undefined;
  /**
   * The shell scripts an instruction runs, parsed once: RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD
   * in shell form, here-documents that are scripts, and `sh -c '…'` strings of the exec form.
   * Empty for other instructions and for non-POSIX shells.
   */
  scripts(instruction: Instruction): ShellScript[];
  /** Every command of `scripts(instruction)`. */
  commands(instruction: Instruction): InstructionCommand[];
  /** Instructions of the stage's chain with this keyword, root stage first, in order. */
  chainInstructions(stage: Stage, keyword: string): Instruction[];
  /** The value of a global build argument's default (`ARG NODE_VERSION=22` before FROM). */
  argDefault(name: string): string | undefined;
}

const shellNames = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

/**
 * dockerfile-ast splits an instruction's arguments anew on every `getArguments()` (a walk of the
 * instruction's text that maps each word to a line and column), and its own constructors ask
 * four or five times per RUN, CMD or ENTRYPOINT: that was most of the parse of a large
 * Dockerfile. While `parseDockerfile` runs the library's parser, each instruction keeps its
 * split (the instruction and its text cannot change meanwhile); afterwards the splits are
 * dropped, so that a large file's words are not held twice for as long as its model lives.
 * Callers get a copy of the list: some of them (the library's flag handling among them) shift
 * words off it.
 */
const split = Symbol('cloud-lessons: the words of an instruction while it is parsed');
type Splitting = { [split]?: unknown[] };
let keepSplits = false;
{
  const prototype = InstructionClass.prototype as unknown as { getRawArguments(): unknown[] };
  const read = prototype.getRawArguments;
  prototype.getRawArguments = function (this: Splitting): unknown[] {
    if (!keepSplits) return read.call(this);
    const found = (this[split] ??= read.call(this));
    return found.slice();
  };
}

function parseInstructions(text: string): Dockerfile {
  keepSplits = true;
  let dockerfile: Dockerfile;
  try {
    dockerfile = DockerfileParser.parse(text);
  } finally {
    keepSplits = false;
  }
  for (const instruction of dockerfile.getInstructions()) (instruction as Splitting)[split] = undefined;
  return dockerfile;
}

const scriptKeywords = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);
/** The scripts of instructions read so far, by escape character and text, and where they were. */
const scriptsByText = new BoundedCache<{ start: number; scripts: ShellScript[] }>(4000, 4_000_000);

/** @internal for tests: forget the scripts of every instruction read so far. */
export function forgetInstructionScripts(): void {
  scriptsByText.clear();
}

/** The FROM of a fragment: no image, no stage name, no flags. */
let standInFrom: From | undefined;

export function parseDockerfile(text: string, lines: LineIndex): DockerfileModel {
  const dockerfile = parseInstructions(text);
  const escape = dockerfile.getEscapeCharacter() || '\\';
  let preamble: Instruction[] = [];
  const stages: Stage[] = [];
  const stageOfLine = new Map<Instruction, Stage>();
  const position = new Map<Instruction, number>();
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({
        index: stages.length,
        from,
        name: from.getBuildStage()?.toLowerCase() ?? undefined,
        instructions: [],
        parent: undefined,
        base: undefined,
        fragment: false,
      });
      stageOfLine.set(instruction, stages[stages.length - 1]);
    } else if (stages.length === 0) {
      preamble.push(instruction);
    } else {
      const stage = stages[stages.length - 1];
      position.set(instruction, stage.instructions.length);
      stage.instructions.push(instruction);
      stageOfLine.set(instruction, stage);
    }
  }

  const globalArgs = new Map<string, string | undefined>();
  for (const instruction of preamble) {
    if (instruction.getKeyword() !== 'ARG') continue;
    for (const property of (instruction as Arg).getProperties()) {
      globalArgs.set(property.getName(), property.getValue() ?? undefined);
    }
  }

  if (stages.length === 0 && preamble.some((i) => i.getKeyword() !== 'ARG')) {
    standInFrom ??= DockerfileParser.parse('FROM').getInstructions()[0] as From;
    const fragment: Stage = {
      index: 0,
      from: standInFrom,
      name: undefined,
      instructions: preamble,
      parent: undefined,
      base: undefined,
      fragment: true,
    };
    preamble.forEach((instruction, i) => {
      position.set(instruction, i);
      stageOfLine.set(instruction, fragment);
    });
    stages.push(fragment);
    preamble = [];
  }

  // Stage names as Docker resolves them: the nearest earlier stage of that name.
  const named = new Map<string, Stage>();
  for (const stage of stages) {
    if (stage.fragment) continue;
    const written = stage.from.getImage() ?? '';
    const parent = named.get(written.toLowerCase());
    if (stage.name !== undefined) named.set(stage.name, stage);
    if (parent) {
      stage.parent = parent;
      continue;
    }
    const { value, args } = substituteArgs(written, globalArgs);
    stage.base = {
      written,
      resolved: value,
      args,
      reference: value !== undefined ? parseImageReference(value) : undefined,
    };
  }

  const span = (range: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  }): Span => ({ start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) });

  const chainOf = (stage: Stage): Stage[] => {
    const chain: Stage[] = [];
    for (let s: Stage | undefined = stage; s && !chain.includes(s); s = s.parent) chain.push(s);
    return chain;
  };
  const rootImage = (stage: Stage): BaseImage | undefined => {
    const chain = chainOf(stage);
    return chain[chain.length - 1].base;
  };
  const finalStage = stages[stages.length - 1];

  // Where each instruction's command starts: dockerfile-ast splits the arguments anew on every call.
  const starts = new Map<Instruction, number | undefined>();
  const startOf = (instruction: Instruction): number | undefined => {
    if (starts.has(instruction)) return starts.get(instruction);
    const start = commandStart(instruction, span);
    starts.set(instruction, start);
    return start;
  };

  const execForms = new Map<Instruction, ExecArgument[] | undefined>();
  const execForm = (instruction: Instruction): ExecArgument[] | undefined => {
    if (!execForms.has(instruction)) execForms.set(instruction, readExecForm(instruction));
    return execForms.get(instruction);
  };
  const readExecForm = (instruction: Instruction): ExecArgument[] | undefined => {
    const keyword = instruction.getKeyword();
    if (!['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'HEALTHCHECK'].includes(keyword)) return undefined;
    // Most instructions are in shell form: without a `[` they cannot be anything else.
    const whole = span(instruction.getRange());
    if (!text.slice(whole.start, whole.end).includes('[')) return undefined;
    const start = startOf(instruction);
    if (start === undefined) return undefined;
    const { source } = logicalLine(text, start, whole.end, escape);
    const written = source.text.trim();
    if (!written.startsWith('[')) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(written);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) return undefined;
    const strings = keyword === 'HEALTHCHECK' ? jsonStringsAfter(text, start, parsed.length) : undefined;
    if (strings) return strings.map((s, i) => ({ value: parsed[i] as string, span: s }));
    const json = (instruction as JSONInstruction).getJSONStrings?.() ?? [];
    if (json.length !== parsed.length) return undefined;
    return json.map((argument, i) => ({ value: parsed[i] as string, span: span(argument.getRange()) }));
  };

  const shellCache = new Map<Instruction, boolean>();
  const runsPosixShell = (instruction: Instruction): boolean => {
    const cached = shellCache.get(instruction);
    if (cached !== undefined) return cached;
    const stage = stageOfLine.get(instruction);
    let result = true;
    if (stage) {
      const shell = shellBefore(stage, instruction);
      if (shell)
        result = shellNames.has(
          shell
            .replace(/^.*[\\/]/, '')
            .replace(/\.exe$/i, '')
            .toLowerCase(),
        );
      else result = !isWindowsImage(rootImage(stage)) && escape !== '`';
    }
    shellCache.set(instruction, result);
    return result;
  };
  /** The SHELL in effect for `instruction`: the last SHELL before it in its chain. */
  // The SHELL instructions of each stage, in order, found once.
  const shellsOf = new Map<Stage, Instruction[]>();
  for (const stage of stages)
    shellsOf.set(
      stage,
      stage.instructions.filter((i) => i.getKeyword() === 'SHELL'),
    );
  const shellBefore = (stage: Stage, instruction: Instruction | undefined): string | undefined => {
    for (const s of chainOf(stage)) {
      const limit = s === stage && instruction ? (position.get(instruction) ?? -1) : Infinity;
      const shells = shellsOf.get(s) ?? [];
      for (let i = shells.length - 1; i >= 0; i--) {
        if ((position.get(shells[i]) ?? -1) >= limit) continue;
        const form = execForm(shells[i]);
        if (form && form[0]) return form[0].value;
      }
    }
    return undefined;
  };

  const scriptCache = new Map<Instruction, ShellScript[]>();
  const scripts = (instruction: Instruction): ShellScript[] => {
    const cached = scriptCache.get(instruction);
    if (cached) return cached;
    let found: ShellScript[] = [];
    const keyword = instruction.getKeyword();
    if (scriptKeywords.has(keyword) && runsPosixShell(instruction)) {
      // What an instruction's scripts are depends on its text (here-documents included) and the
      // escape character alone: an edit elsewhere reuses them, moved by the edit's length.
      const whole = span(instruction.getRange());
      const key = `${escape}\u0000${text.slice(whole.start, whole.end)}`;
      const known = scriptsByText.get(key);
      if (known && known.start === whole.start) found = known.scripts;
      else {
        found = known
          ? known.scripts.map((script) => movedScript(script, whole.start - known.start))
          : readScripts(instruction, keyword);
        scriptsByText.set(key, { start: whole.start, scripts: found });
      }
    }
    scriptCache.set(instruction, found);
    return found;
  };
  const readScripts = (instruction: Instruction, keyword: string): ShellScript[] => {
    const exec = execForm(instruction);
    if (exec) {
      // `["sh", "-c", "npm install && node server.js"]`: the string is a script.
      const name = exec[0]?.value.replace(/^.*\//, '');
      const flag = exec.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a.value));
      const body = flag > 0 ? exec[flag + 1] : undefined;
      if (!name || !shellNames.has(name) || !body) return [];
      const raw = text.slice(body.span.start + 1, body.span.end - 1);
      if (raw !== body.value) return [];
      return [parseShell(ShellSource.of(raw, body.span.start + 1))];
    }
    const start = startOf(instruction);
    if (start === undefined) return [];
    const end = span(instruction.getRange()).end;
    const { source, end: lineEnd } = logicalLine(text, start, end, escape);
    const heredocs = keyword === 'RUN' ? (instruction as Run).getHeredocs() : [];
    if (heredocs.length === 0) return [parseShell(source)];
    // The shell sees the command line and then the here-document bodies, as written.
    source.append(text.slice(lineEnd, end), lineEnd);
    const main = parseShell(source);
    const found = [main];
    const line = text.slice(start, lineEnd);
    for (const heredoc of heredocs) {
      const content = heredoc.getContentRange();
      if (!content) continue;
      if (!heredocIsScript(line, heredoc.getName(), text.slice(span(content).start, span(content).end)))
        continue;
      const body = span(content);
      found.push(parseShell(ShellSource.of(text.slice(body.start, body.end), body.start)));
    }
    return found;
  };

  // Rules ask for the commands of every instruction, many rules each: listed once per instruction.
  const commandCache = new Map<Instruction, InstructionCommand[]>();
  const commands = (instruction: Instruction): InstructionCommand[] => {
    let found = commandCache.get(instruction);
    if (!found) {
      found = scripts(instruction).flatMap((script) =>
        script.commands.map((command) => ({ command, script })),
      );
      commandCache.set(instruction, found);
    }
    return found;
  };

  const chainInstructions = (stage: Stage, keyword: string): Instruction[] =>
    chainOf(stage)
      .reverse()
      .flatMap((s) => s.instructions.filter((i) => i.getKeyword() === keyword));

  return {
    dockerfile,
    preamble,
    stages,
    finalStage,
    finalChain: finalStage ? chainOf(finalStage) : [],
    escape,
    span,
    chainOf,
    rootImage,
    stageOf: (instruction) => stageOfLine.get(instruction),
    positionOf: (instruction) => position.get(instruction) ?? -1,
    runsPosixShell,
    execForm,
    scripts,
    commands,
    chainInstructions,
    argDefault: (name) => globalArgs.get(name),
  };
}

/** Where an instruction's command starts: after its flags (and HEALTHCHECK's `CMD`). */
function commandStart(
  instruction: Instruction,
  span: (range: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  }) => Span,
): number | undefined {
  if (instruction.getKeyword() === 'HEALTHCHECK') {
    const subcommand = (instruction as Healthcheck).getSubcommand();
    if (!subcommand || subcommand.getValue().toUpperCase() !== 'CMD') return undefined;
    const after = (instruction as Healthcheck)
      .getArguments()
      .find((a) => a.isAfter(subcommand.getRange().end));
    return after ? span(after.getRange()).start : undefined;
  }
  const range = instruction.getArgumentsRange();
  return range ? span(range).start : undefined;
}

const backslashContinuation = /\\[ \t]*$/;
const backtickContinuation = /`[ \t]*$/;

/**
 * The text Docker passes to the shell for an instruction's first line and its continuations:
 * an escape character at the end of a line joins the next one, comment lines and blank lines
 * inside the instruction are dropped.
 */
export function logicalLine(
  text: string,
  start: number,
  limit: number,
  escape: string,
): { source: ShellSource; end: number } {
  const source = new ShellSource();
  const continuation = escape === '`' ? backtickContinuation : backslashContinuation;
  let position = start;
  let first = true;
  while (position <= limit && position <= text.length) {
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd < 0 || lineEnd > limit) lineEnd = Math.min(limit, text.length);
    let line = text.slice(position, lineEnd);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!first && (/^\s*#/.test(line) || line.trim() === '')) {
      if (lineEnd >= limit) break;
      position = lineEnd + 1;
      continue;
    }
    first = false;
    const match = continuation.exec(line);
    if (!match || lineEnd >= limit) {
      source.append(match ? line.slice(0, match.index) : line, position);
      return { source, end: position + line.length };
    }
    source.append(line.slice(0, match.index), position);
    position = lineEnd + 1;
  }
  return { source, end: Math.min(limit, text.length) };
}

/**
 * Whether a here-document's body runs as a shell script: `RUN <<EOF` alone (unless a shebang
 * names another interpreter), or a shell reading it (`RUN <<EOF bash -ex`, `RUN bash <<EOF`).
 */
function heredocIsScript(commandLine: string, name: string, body: string): boolean {
  const operator = new RegExp(`<<-?\\s*(["']?)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);
  const rest = commandLine.replace(operator, ' ').trim();
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body.trimStart());
  if (rest === '') {
    if (!shebang) return true;
    const program = shebang[1].endsWith('/env') ? (shebang[2] ?? '') : shebang[1];
    return shellNames.has(program.replace(/^.*\//, ''));
  }
  const words = rest.split(/\s+/);
  const program = words[0].replace(/^.*\//, '');
  return (
    shellNames.has(program) && !words.slice(1).some((w) => /^-[a-z]*c[a-z]*$/.test(w) || !w.startsWith('-'))
  );
}

/** The spans of the first `count` JSON strings after `start` (HEALTHCHECK CMD ["…", …]). */
function jsonStringsAfter(text: string, start: number, count: number): Span[] | undefined {
  const spans: Span[] = [];
  const pattern = /"(?:[^"\\]|\\.)*"/g;
  pattern.lastIndex = start;
  for (let match = pattern.exec(text); match && spans.length < count; match = pattern.exec(text)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans.length === count ? spans : undefined;
}

/**
 * Replace `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` by build-argument defaults.
 * The value is undefined when a referenced argument has no default (it comes from the command line).
 */
export function substituteArgs(
  written: string,
  args: Map<string, string | undefined>,
): { value: string | undefined; args: string[] } {
  const used: string[] = [];
  let unknown = false;
  const value = written.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _,
      braced: string | undefined,
      operator: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const name = (braced ?? bare) as string;
      used.push(name);
      const known = args.get(name);
      const set = known !== undefined && (known !== '' || !operator?.startsWith(':'));
      if (operator?.endsWith('-')) return set ? known : (word ?? '');
      if (operator?.endsWith('+')) {
        if (!args.has(name)) return '';
        unknown ||= known === undefined;
        return set ? (word ?? '') : '';
      }
      if (known === undefined) unknown = true;
      return known ?? '';
    },
  );
  return { value: unknown ? undefined : value, args: used };
}

export function parseImageReference(image: string): ImageReference | undefined {
  const trimmed = image.trim();
  if (!trimmed || /\s/.test(trimmed)) return undefined;
  let rest = trimmed;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const name = rest.toLowerCase().replace(/^(docker\.io\/|index\.docker\.io\/)(library\/)?/, '');
  return { name, repository: name.slice(name.lastIndexOf('/') + 1), tag, digest };
}

/** Windows base images run `cmd` by default: shell rules do not apply to them. */
export function isWindowsImage(base: BaseImage | undefined): boolean {
  const name = base?.reference?.name ?? '';
  const tag = base?.reference?.tag ?? '';
  return (
    /^mcr\.microsoft\.com\/windows(\/|$)|(^|\/)(nanoserver|servercore|windowsservercore)$/.test(name) ||
    /nanoserver|servercore|windowsservercore|ltsc20\d\d/.test(tag)
  );
}
