import type * as Sh from 'mvdan-sh';
import { checkBudget } from '../budget';
import { BoundedCache } from '../bounded-cache';
import type { Span, TextEdit } from '../text';

/**
 * Shell commands read with a real parser (mvdan-sh: mvdan.cc/sh compiled to JavaScript), so that
 * `&&`, `;`, `|`, quoting, command substitution and heredocs cannot fool a rule. Used for
 * Dockerfile RUN/CMD/ENTRYPOINT/HEALTHCHECK and for any other place a script is embedded.
 *
 * Usage: build a `ShellSource` from the pieces of a document that make up the script (a
 * Dockerfile instruction spread over continuation lines is several pieces), `parseShell` it,
 * then read `commands`: every simple command, nested ones included, with its words' values and
 * exact document spans. `removeCommandEdit` and `appendCommandEdit` write fixes that keep the
 * `&&` chain intact.
 */

/** The text of a script and where each of its characters sits in the document. */
export class ShellSource {
  private readonly segments: { at: number; doc: number }[] = [];
  private textSoFar = '';

  /** A script that is one contiguous piece of a document starting at `docStart`. */
  static of(text: string, docStart = 0): ShellSource {
    return new ShellSource().append(text, docStart);
  }

  /** Append `text`, which sits in the document at `docStart`. */
  append(text: string, docStart: number): this {
    if (text.length === 0) return this;
    const last = this.segments[this.segments.length - 1];
    const contiguous = last && last.doc + (this.textSoFar.length - last.at) === docStart;
    if (!contiguous) this.segments.push({ at: this.textSoFar.length, doc: docStart });
    this.textSoFar += text;
    return this;
  }

  get text(): string {
    return this.textSoFar;
  }

  /** The document offset of the character at `offset` (a start position). */
  start(offset: number): number {
    const segment = this.segmentAt(offset, false);
    return segment ? segment.doc + (offset - segment.at) : offset;
  }

  /** The document offset just after the character before `offset` (an end position). */
  end(offset: number): number {
    const segment = this.segmentAt(offset, true);
    return segment ? segment.doc + (offset - segment.at) : offset;
  }

  span(start: number, end: number): Span {
    return { start: this.start(start), end: Math.max(this.start(start), this.end(end)) };
  }

  /** The same text, every character `delta` further into the document. */
  moved(delta: number): ShellSource {
    const copy = new ShellSource();
    copy.textSoFar = this.textSoFar;
    for (const { at, doc } of this.segments) copy.segments.push({ at, doc: doc + delta });
    return copy;
  }

  private segmentAt(offset: number, isEnd: boolean): { at: number; doc: number } | undefined {
    let found: { at: number; doc: number } | undefined;
    for (const segment of this.segments) {
      if (isEnd ? segment.at < offset : segment.at <= offset) found = segment;
      else break;
    }
    return found ?? this.segments[0];
  }
}

export interface ShellWord {
  /** The word as written, quotes included. */
  raw: string;
  /**
   * The word after quote removal, or undefined when it depends on an expansion (`$VAR`, `$(…)`,
   * `$((…))`). Glob characters stay as written (`*.txt`).
   */
  value: string | undefined;
  span: Span;
}

/** `NAME=value` before a command (`DEBIAN_FRONTEND=noninteractive apt-get …`). */
export interface ShellAssignment {
  name: string;
  value: ShellWord | undefined;
  span: Span;
}

export interface ShellRedirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>`, … */
  operator: string;
  /** The file or descriptor redirected to (for `<<`, the delimiter). */
  target: ShellWord | undefined;
  /** The body of a here-document. */
  heredoc: ShellWord | undefined;
}

export interface ShellCommand {
  /** The command name first, then its arguments. Empty for a bare assignment (`A=1`). */
  words: ShellWord[];
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  /** The whole statement: assignments, words and redirections, without a trailing `;`. */
  span: Span;
  /** Inside a substitution, a condition, a loop, a pipeline or an `sh -c '…'` string. */
  nested: boolean;
}

export interface ShellScript {
  source: ShellSource;
  /** Every simple command, outer and nested, in order of position. */
  commands: ShellCommand[];
  /** Why the script could not be read, when it could not; `commands` is then empty. */
  error?: { message: string; span: Span };
  /** @internal the top-level `&&`/`;`/newline sequence, for edits */
  sequence: SequenceLink[];
}

/** One statement of the top-level sequence and the operator that joins it to the next. */
interface SequenceLink {
  span: Span;
  command: ShellCommand | undefined;
  /** `&&`, `;` (also a newline) or undefined for the last one, or `|`/`||` when not separable. */
  next: '&&' | ';' | 'other' | undefined;
  separable: boolean;
  /** The statement feeds a here-document: nothing can follow it on its last line. */
  heredoc: boolean;
}

const shells = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

let syntaxModule: (typeof Sh)['syntax'] | undefined;
/** Loaded on first use: the parser is about 1 MB of JavaScript that only Dockerfiles need. */
function shellSyntax(): (typeof Sh)['syntax'] {
  syntaxModule ??= (require('mvdan-sh') as typeof Sh).syntax;
  return syntaxModule;
}

/**
 * The parser's own Go structures, read directly. mvdan-sh also offers JavaScript wrappers
 * (`syntax.Walk`, `NodeType`, field getters), but they build a new object on every access and
 * cost ten times the parse itself; the structures below are what GopherJS keeps in memory.
 */
interface RawPos {
  offs: number;
  IsValid(): boolean;
}
interface RawSlice<T> {
  $array: T[];
  $offset: number;
  $length: number;
}
interface RawNode {
  constructor: { string?: string };
  Pos(): RawPos;
  End(): RawPos;
  [field: string]: unknown;
}
interface RawStmt extends RawNode {
  Cmd: RawNode | null;
  Negated: boolean;
  Background: boolean;
  Semicolon: RawPos;
  Redirs: RawSlice<RawRedirect>;
}
interface RawRedirect extends RawNode {
  Op: number;
  Word: RawWord | null;
  Hdoc: RawWord | null;
}
interface RawWord extends RawNode {
  Parts: RawSlice<RawNode>;
}
interface RawCall extends RawNode {
  Assigns: RawSlice<RawNode & { Name: { Value: string } | null; Value: RawWord | null }>;
  Args: RawSlice<RawWord>;
}
interface RawBinary extends RawNode {
  Op: number;
  X: RawStmt;
  Y: RawStmt;
}

/** A Go nil pointer is an object of its own in GopherJS, not JavaScript's null. */
function present<T>(value: T | null | undefined): value is T {
  if (value === null || value === undefined) return false;
  const type = (value as { constructor?: { nil?: unknown } }).constructor;
  return !type || type.nil !== value;
}

/** `CallExpr` for a `*syntax.CallExpr`; undefined for anything that is not a syntax node. */
function nodeType(value: unknown): string | undefined {
  if (!present(value)) return undefined;
  const name = (value as RawNode).constructor?.string;
  return typeof name === 'string' && name.startsWith('*syntax.') ? name.slice(8) : undefined;
}

function itemsOf<T>(slice: RawSlice<T> | null | undefined): T[] {
  if (!slice || slice.$array === undefined) return [];
  return slice.$array.slice(slice.$offset, slice.$offset + slice.$length);
}

function isSlice(value: unknown): value is RawSlice<unknown> {
  return typeof value === 'object' && value !== null && '$array' in value && '$length' in value;
}

/** mvdan-sh's binary operators (BinCmdOperator) and redirections (RedirOperator). */
const andOperator = 10;
const orOperator = 11;
const redirectOperators: Record<number, string> = {
  54: '>',
  55: '>>',
  56: '<',
  57: '<>',
  58: '<&',
  59: '>&',
  60: '>|',
  61: '<<',
  62: '<<-',
  63: '<<<',
  64: '&>',
  65: '&>>',
};

/**
 * Scripts already read, by text and depth, with spans relative to the text: a Dockerfile is
 * parsed again on every edit and its RUNs repeat, so each distinct text is parsed once. Bounded
 * by count and by characters; the least recently used go first.
 */
const parsed = new BoundedCache<LocalScript>(4000, 4_000_000);

/** @internal for tests: forget every script read so far, so that the next reads parse anew. */
export function forgetParsedScripts(): void {
  parsed.clear();
}

/** A script read against its own text (offsets relative to it), as kept in the cache. */
export interface LocalScript {
  commands: ShellCommand[];
  error?: { message: string; span: Span };
  sequence: SequenceLink[];
  /** Commands of `sh -c '…'` strings, with the span of the string they were read from. */
  origins: Map<ShellCommand, Span>;
}

/**
 * Parse a script. Never throws: a script the parser rejects gets `error` and no commands.
 * The cost is one parse per distinct text (see `parsed`); spans are mapped to `source`.
 */
export function parseShell(source: ShellSource, maxDepth = 3): ShellScript {
  checkBudget();
  const text = source.text;
  const key = `${maxDepth}\u0000${text}`;
  let local = parsed.get(key);
  if (!local) {
    local = parseLocal(text, maxDepth);
    parsed.set(key, local);
  }
  return placed(local, source);
}

/** A cached script with its spans mapped into the document through `source` (new objects). */
function placed(local: LocalScript, source: ShellSource): ShellScript {
  return mapped(
    local,
    source,
    (s) => source.span(s.start, s.end),
    (command) => {
      // A `sh -c` string that spans a removed line continuation is not one piece of the
      // document: its commands have no exact spans there.
      const origin = local.origins.get(command);
      return !origin || source.end(origin.end) - source.start(origin.start) === origin.end - origin.start;
    },
  );
}

/** `script` with every span `delta` further into the document (new objects). */
export function movedScript(script: ShellScript, delta: number): ShellScript {
  return mapped(script, script.source.moved(delta), (s) => ({ start: s.start + delta, end: s.end + delta }));
}

function mapped(
  script: Omit<ShellScript, 'source'>,
  source: ShellSource,
  span: (s: Span) => Span,
  keep: (command: ShellCommand) => boolean = () => true,
): ShellScript {
  const word = (w: ShellWord): ShellWord => ({ raw: w.raw, value: w.value, span: span(w.span) });
  const commands = new Map<ShellCommand, ShellCommand>();
  for (const command of script.commands) {
    if (!keep(command)) continue;
    commands.set(command, {
      words: command.words.map(word),
      assignments: command.assignments.map((a) => ({
        name: a.name,
        value: a.value && word(a.value),
        span: span(a.span),
      })),
      redirects: command.redirects.map((r) => ({
        operator: r.operator,
        target: r.target && word(r.target),
        heredoc: r.heredoc && word(r.heredoc),
      })),
      span: span(command.span),
      nested: command.nested,
    });
  }
  return {
    source,
    commands: [...commands.values()],
    error: script.error && { message: script.error.message, span: span(script.error.span) },
    sequence: script.sequence.map((link) => ({
      ...link,
      span: span(link.span),
      command: link.command && commands.get(link.command),
    })),
  };
}

let parser: ReturnType<(typeof Sh)['syntax']['NewParser']> | undefined;

function parseLocal(text: string, maxDepth: number): LocalScript {
  return readSimple(text) ?? parseFull(text, maxDepth);
}

/** Characters that a simple script may hold: words of literal characters, blanks, `&&` and `;`. */
const simpleScript = /^[A-Za-z0-9_\-./=:+,@%*?~^ \t;&]+$/;
/** Words that open a compound command (or negate one) where a command name is expected. */
const reservedWords = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'in',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'function',
  'select',
  'export',
  'declare',
  'local',
  'readonly',
  'typeset',
  'nameref',
  'let',
  'time',
  'coproc',
  '{',
  '}',
  '!',
  '[[',
  ']]',
]);
const assignmentWord = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/**
 * The most common RUN line (`apt-get install -y curl && rm -rf /tmp/x`) read without the full
 * parser, which costs a fraction of a millisecond per script: literal words separated by blanks,
 * statements joined by `&&` or `;`. Anything else (quotes, expansions, redirections, pipes, `||`,
 * compound commands, a shell reading a string) returns undefined and goes to mvdan-sh; the
 * result is the same as the parser's (a test compares them).
 */
export function readSimple(text: string): LocalScript | undefined {
  if (!simpleScript.test(text)) return undefined;
  const statements: { words: Span[]; next: '&&' | ';' | undefined }[] = [];
  let words: Span[] = [];
  let i = 0;
  const end = (next: '&&' | ';' | undefined): boolean => {
    if (words.length === 0) return false;
    statements.push({ words, next });
    words = [];
    return true;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '&') {
      if (text[i + 1] !== '&' || !end('&&')) return undefined;
      i += 2;
    } else if (c === ';') {
      if (!end(';')) return undefined;
      i++;
    } else {
      const start = i;
      while (i < text.length && !' \t;&'.includes(text[i])) i++;
      words.push({ start, end: i });
    }
  }
  const last = statements[statements.length - 1];
  if (words.length > 0) statements.push({ words, next: undefined });
  else if (last?.next === ';') last.next = undefined;
  else return undefined;
  const script: LocalScript = { commands: [], sequence: [], origins: new Map() };
  for (const statement of statements) {
    const assignments: ShellAssignment[] = [];
    let w = 0;
    for (; w < statement.words.length; w++) {
      const span = statement.words[w];
      const match = assignmentWord.exec(text.slice(span.start, span.end));
      if (!match) break;
      const valueStart = span.start + match[0].length;
      const raw = text.slice(valueStart, span.end);
      assignments.push({
        name: match[1],
        value: raw === '' ? undefined : { raw, value: raw, span: { start: valueStart, end: span.end } },
        span,
      });
    }
    const commandWords = statement.words.slice(w).map((span) => {
      const raw = text.slice(span.start, span.end);
      return { raw, value: raw, span };
    });
    const name = commandWords[0]?.raw;
    if (name !== undefined && (reservedWords.has(name) || shells.has(name.slice(name.lastIndexOf('/') + 1))))
      return undefined;
    const first = statement.words[0];
    const span = { start: first.start, end: statement.words[statement.words.length - 1].end };
    const command: ShellCommand = { words: commandWords, assignments, redirects: [], span, nested: false };
    script.commands.push(command);
    script.sequence.push({ span, command, next: statement.next, separable: true, heredoc: false });
  }
  return script;
}

/** @internal the full parser, also for scripts that `readSimple` reads (to compare them) */
export function parseFull(text: string, maxDepth: number): LocalScript {
  const source = ShellSource.of(text, 0);
  const script: LocalScript = { commands: [], sequence: [], origins: new Map() };
  const offsets = new ByteOffsets(text);
  let file: RawNode;
  try {
    // One parser for every script: building one costs more than parsing a short command, and
    // each parse allocates a new tree.
    parser ??= shellSyntax().NewParser();
    file = parser.Parse(text, '').__internal_object__ as RawNode;
  } catch (error) {
    const parseError = error as Partial<Sh.ParseError>;
    const at = typeof parseError.Pos?.Offset === 'function' ? offsets.char(parseError.Pos.Offset()) : 0;
    const message =
      typeof parseError.Text === 'string'
        ? parseError.Text
        : error instanceof Error
          ? error.message
          : 'the shell parser failed';
    script.error = { message, span: source.span(at, Math.min(text.length, at + 1)) };
    return script;
  }
  const reader = new ScriptReader(source, offsets, maxDepth, script.origins);
  const statements = itemsOf(file.Stmts as RawSlice<RawStmt>);
  statements.forEach((stmt, i) => reader.sequence(stmt, script.sequence, i === statements.length - 1));
  reader.collect(file, script.commands);
  script.commands.sort((a, b) => a.span.start - b.span.start);
  return script;
}

/** UTF-8 byte offsets (what the parser reports) to string offsets. */
class ByteOffsets {
  private readonly table: Uint32Array | undefined;

  constructor(text: string) {
    // eslint-disable-next-line no-control-regex
    if (!/[^\u0000-\u007f]/.test(text)) return;
    const table = new Uint32Array(Buffer.byteLength(text, 'utf8') + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) ?? 0;
      const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < size; k++) table[byte + k] = i;
      byte += size;
      if (code >= 0x10000) i++;
    }
    table[byte] = text.length;
    this.table = table;
  }

  char(byte: number): number {
    if (!this.table) return byte;
    return this.table[Math.min(byte, this.table.length - 1)];
  }
}

class ScriptReader {
  /** The sequence link of each top-level statement, filled in by `sequence`, read by `collect`. */
  private readonly linkOf = new Map<RawStmt, SequenceLink>();

  constructor(
    private readonly source: ShellSource,
    private readonly offsets: ByteOffsets,
    private readonly depth: number,
    private readonly origins: Map<ShellCommand, Span>,
  ) {}

  private local(pos: RawPos): number {
    return this.offsets.char(pos.offs);
  }

  private span(node: RawNode): Span {
    return this.source.span(this.local(node.Pos()), this.local(node.End()));
  }

  /** A statement's span without the `;` or `&` that ends it. */
  private statementSpan(stmt: RawStmt): Span {
    const start = this.local(stmt.Pos());
    let end = this.local(stmt.End());
    const text = this.source.text;
    if (stmt.Semicolon.IsValid() && this.local(stmt.Semicolon) === end - 1) end--;
    else if (stmt.Background && text[end - 1] === '&') end--;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return this.source.span(start, end);
  }

  /** Flatten the top level into links joined by `&&` or `;`; anything else is not separable. */
  sequence(stmt: RawStmt, links: SequenceLink[], lastOfFile: boolean): void {
    const flatten = (s: RawStmt, next: SequenceLink['next'], separable: boolean) => {
      const type = nodeType(s.Cmd);
      const redirects = itemsOf(s.Redirs);
      if (type === 'BinaryCmd' && !s.Negated && !s.Background && redirects.length === 0) {
        const binary = s.Cmd as RawBinary;
        if (binary.Op === andOperator) {
          flatten(binary.X, '&&', separable);
          flatten(binary.Y, next, separable);
          return;
        }
        if (binary.Op === orOperator) {
          flatten(binary.X, 'other', false);
          flatten(binary.Y, next, false);
          return;
        }
      }
      // A here-document's body follows the statement's line: the link runs to its delimiter.
      const span = this.statementSpan(s);
      let heredoc = false;
      for (const redirect of redirects) {
        if (!present(redirect.Hdoc)) continue;
        heredoc = true;
        span.end = Math.max(span.end, this.source.end(this.local(redirect.Hdoc.End())));
      }
      const link: SequenceLink = {
        span,
        command: undefined,
        next,
        separable: separable && !s.Negated && !s.Background && type === 'CallExpr',
        heredoc,
      };
      links.push(link);
      // The command object is filled in by `collect`, which reads every CallExpr once.
      this.linkOf.set(s, link);
    };
    flatten(stmt, lastOfFile ? undefined : ';', true);
  }

  /** Every simple command under `root`, including those of `sh -c '…'` strings. */
  collect(root: RawNode, out: ShellCommand[]): void {
    const statementOf = new Map<RawNode, RawStmt>();
    const visit = (node: RawNode, level: number): void => {
      if (level > 200) return;
      const type = nodeType(node);
      if (type === 'Stmt') {
        const stmt = node as RawStmt;
        if (present(stmt.Cmd)) statementOf.set(stmt.Cmd, stmt);
      } else if (type === 'CallExpr') {
        const stmt = statementOf.get(node);
        const link = stmt ? this.linkOf.get(stmt) : undefined;
        const command = this.command(node as RawCall, stmt, !link);
        if (link) link.command = command;
        out.push(command);
        if (this.depth > 0) this.nestedScript(command, out);
      }
      // Every field that holds syntax nodes, whatever the node type: conditions, loop bodies,
      // substitutions inside words, here-documents.
      for (const key of Object.keys(node)) {
        if (key === '$val') continue;
        const value = node[key];
        if (isSlice(value)) {
          for (const item of itemsOf(value)) if (nodeType(item)) visit(item as RawNode, level + 1);
        } else if (nodeType(value)) {
          visit(value as RawNode, level + 1);
        }
      }
    };
    visit(root, 0);
  }

  private command(call: RawCall, stmt: RawStmt | undefined, nested: boolean): ShellCommand {
    const words = itemsOf(call.Args).map((w) => this.word(w));
    const assignments = itemsOf(call.Assigns).map((a) => ({
      name: present(a.Name) ? a.Name.Value : '',
      value: present(a.Value) ? this.word(a.Value) : undefined,
      span: this.span(a),
    }));
    const redirects = itemsOf(stmt?.Redirs).map((r) => ({
      operator: redirectOperators[r.Op] ?? '?',
      target: present(r.Word) ? this.word(r.Word) : undefined,
      heredoc: present(r.Hdoc) ? this.word(r.Hdoc) : undefined,
    }));
    return {
      words,
      assignments,
      redirects,
      span: stmt ? this.statementSpan(stmt) : this.span(call),
      nested,
    };
  }

  private word(word: RawWord): ShellWord {
    const start = this.local(word.Pos());
    const end = this.local(word.End());
    return {
      raw: this.source.text.slice(start, end),
      value: this.wordValue(itemsOf(word.Parts)),
      span: this.source.span(start, end),
    };
  }

  private wordValue(parts: RawNode[], quoted = false): string | undefined {
    let value = '';
    for (const part of parts) {
      const type = nodeType(part);
      if (type === 'Lit') {
        value += unescapeLiteral(part.Value as string, quoted);
      } else if (type === 'SglQuoted') {
        value += part.Dollar ? unescapeAnsiC(part.Value as string) : (part.Value as string);
      } else if (type === 'DblQuoted') {
        const inner = this.wordValue(itemsOf(part.Parts as RawSlice<RawNode>), true);
        if (inner === undefined) return undefined;
        value += inner;
      } else {
        return undefined;
      }
    }
    return value;
  }

  /** `sh -c 'apt-get install …'`: the string is a script too, when its text maps one to one. */
  private nestedScript(command: ShellCommand, out: ShellCommand[]): void {
    const name = commandName(command);
    if (!name || !shells.has(name)) return;
    const flagIndex = command.words.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.value ?? ''));
    const body = flagIndex > 0 ? command.words[flagIndex + 1] : undefined;
    if (!body || body.value === undefined) return;
    const raw = body.raw;
    let inner: string;
    let shift: number;
    if (/^'[^']*'$/.test(raw)) {
      inner = raw.slice(1, -1);
      shift = 1;
    } else if (/^"[^"\\$`]*"$/.test(raw)) {
      inner = raw.slice(1, -1);
      shift = 1;
    } else if (/^[^'"\\$`\s]+$/.test(raw)) {
      inner = raw;
      shift = 0;
    } else {
      return;
    }
    // Where the string sits in this script: `placed` checks that it is one piece of the document.
    const origin = { start: body.span.start + shift, end: body.span.start + shift + inner.length };
    const script = parseShell(ShellSource.of(inner, origin.start), this.depth - 1);
    for (const nested of script.commands) {
      const command = { ...nested, nested: true };
      this.origins.set(command, origin);
      out.push(command);
    }
  }
}

function unescapeLiteral(text: string, quoted: boolean): string {
  if (!text.includes('\\')) return text;
  if (quoted) return text.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c));
  return text.replace(/\\(.|\n)/g, (_, c: string) => (c === '\n' ? '' : c));
}

function unescapeAnsiC(text: string): string {
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '\\': '\\',
    "'": "'",
    '"': '"',
    e: '\u001b',
  };
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|.)/g, (_, c: string) =>
    c.startsWith('x') && c.length > 1
      ? String.fromCharCode(parseInt(c.slice(1), 16))
      : (simple[c] ?? `\\${c}`),
  );
}

/** The program a command runs, without its directory: `/usr/bin/apt-get` → `apt-get`. */
export function commandName(command: Pick<ShellCommand, 'words'>): string | undefined {
  const value = command.words[0]?.value;
  if (value === undefined) return undefined;
  return value.slice(value.lastIndexOf('/') + 1);
}

/** Options of the wrappers that `effectiveCommand` looks through, which take a value. */
const wrapperOptionsWithValue: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U']),
  env: new Set(['-u', '-C', '-S', '--unset', '--chdir']),
  nice: new Set(['-n']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  stdbuf: new Set(['-i', '-o', '-e']),
  xargs: new Set(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s', '--arg-file', '--delimiter', '--max-args']),
};
const wrappersWithoutValues = new Set(['exec', 'command', 'nohup', 'time', 'builtin']);
/** Wrappers whose first operand is a user, not the command: `gosu app npm start`. */
const userSwitchers = new Set(['gosu', 'su-exec', 'chroot']);

/**
 * The command a wrapper runs: `sudo -E apt-get install x`, `env A=1 pip install y`,
 * `nice -n 5 make`, `timeout 10 curl …`, `gosu app node server.js` read as the inner command.
 * `wrappers` lists the words that were looked through.
 */
export function effectiveCommand(command: ShellCommand): { words: ShellWord[]; wrappers: ShellWord[] } {
  let words = command.words;
  const wrappers: ShellWord[] = [];
  for (let guard = 0; guard < 5 && words.length > 1; guard++) {
    const name = commandName({ words });
    if (!name) break;
    let i = 1;
    if (name in wrapperOptionsWithValue) {
      const withValue = wrapperOptionsWithValue[name];
      while (i < words.length) {
        const w = words[i].value ?? '';
        if (w === '--') {
          i++;
          break;
        }
        if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
        else if (w.startsWith('-')) i += withValue.has(w) ? 2 : 1;
        else break;
      }
      if (name === 'timeout') i++;
    } else if (wrappersWithoutValues.has(name)) {
      while (i < words.length && (words[i].value ?? '').startsWith('-')) i++;
    } else if (userSwitchers.has(name)) {
      i = 2;
    } else {
      break;
    }
    if (i >= words.length) break;
    wrappers.push(words[0]);
    words = words.slice(i);
  }
  return { words, wrappers };
}

/**
 * The edit that removes `command` from its script's top-level `&&`/`;` sequence and keeps the
 * rest of the chain working: `a && b && c` → `a && c`. Undefined when the command is not a
 * link of that sequence (inside `if`, a pipeline, `||`, a subshell) or is the only one; the
 * caller then removes the whole instruction or offers no fix.
 */
export function removeCommandEdit(script: ShellScript, command: ShellCommand): TextEdit | undefined {
  const links = script.sequence;
  const index = links.findIndex((l) => l.command === command);
  if (index < 0 || links.length < 2) return undefined;
  const link = links[index];
  if (!link.separable) return undefined;
  const previous = links[index - 1];
  const next = links[index + 1];
  if (previous && previous.next === 'other') return undefined;
  if (link.next === 'other') return undefined;
  // Keep the weaker joint: `a ; b && c` without b is `a ; c`, `a && b ; c` is `a ; c`.
  if (previous && (previous.next === '&&' || !next)) {
    return { start: previous.span.end, end: link.span.end, text: '' };
  }
  if (next) return { start: link.span.start, end: next.span.start, text: '' };
  return undefined;
}

/**
 * The edit that runs `commandText` after everything else in the script, joined with `&&`:
 * `apt-get install -y x` → `apt-get install -y x && rm -rf /var/lib/apt/lists/*`. Undefined
 * when the script ends in a background job or could not be read.
 */
export function appendCommandEdit(script: ShellScript, commandText: string): TextEdit | undefined {
  const last = script.sequence[script.sequence.length - 1];
  if (!last || script.error) return undefined;
  const tail = script.source.text.trimEnd();
  if (tail.endsWith('&') && !tail.endsWith('&&')) return undefined;
  const joint = last.heredoc ? '\n' : ' && ';
  return { start: last.span.end, end: last.span.end, text: `${joint}${commandText}` };
}

/** Whether the script is just one statement (the caller may then remove a whole instruction). */
export function isOnlyCommand(script: ShellScript, command: ShellCommand): boolean {
  return script.sequence.length === 1 && script.sequence[0].command === command;
}

/** The command that runs last at the top level of a script (`cd /app && exec node x` → `exec node x`). */
export function lastTopLevelCommand(script: ShellScript): ShellCommand | undefined {
  return script.sequence[script.sequence.length - 1]?.command;
}
