import type { DataNode, MapNode, Pair, ScalarNode, SeqNode } from './tree';
import type { ParseProblem } from './problems';

// A hand-written parser for the YAML that templates and compose files actually use: block maps
// and sequences, plain/quoted/block scalars, flow collections over one or several lines, `!Tag`
// short forms, comments and one document. It exists for speed (the `yaml` package needs 35 ms
// and more for a 3,000-line template, this under 2 ms) and must give exactly the tree and
// problems that the reference path in `yaml.ts` gives. Whenever the text uses something it does
// not reproduce exactly (anchors, aliases, merge keys, complex keys, directives, several
// documents, tabs, `!!` tags, anything that could be a syntax error) it answers `undefined` and
// the caller takes the reference path. `test/engine/yaml-fast.test.ts` holds the proof: the
// corpus, mutations of it, generated documents and one case per construct, all compared with
// the reference.

/** The tree and the problems (duplicate keys) of a document the fast path could read. */
export interface FastYamlResult {
  root: DataNode;
  problems: ParseProblem[];
}

/** Thrown inside the parser to give up; never escapes `parseYamlFast`. */
class NotSure extends Error {}
const notSure = new NotSure('the fast YAML path is not sure about this text');

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BANG = 33; // !
const DQUOTE = 34; // "
const HASH = 35; // #
const PERCENT = 37; // %
const AMP = 38; // &
const SQUOTE = 39; // '
const STAR = 42; // *
const PLUS = 43; // +
const COMMA = 44; // ,
const DASH = 45; // -
const DOT = 46; // .
const COLON = 58; // :
const GT = 62; // >
const QUESTION = 63; // ?
const AT = 64; // @
const LBRACKET = 91; // [
const BACKSLASH = 92; // \
const RBRACKET = 93; // ]
const BACKTICK = 96; // `
const LBRACE = 123; // {
const PIPE = 124; // |
const RBRACE = 125; // }

/** Deeper documents go to the reference path, which reports them. */
const maxDepth = 100;
/** YAML limits implicit keys to 1,024 characters; stay well clear of the limit. */
const maxKeyLength = 1000;

/** How a plain scalar's line ended. */
const enum LineStop {
  /** At the end of the line (or of the text). */
  End,
  /** At `: ` (or `:` before a flow indicator inside flow collections). */
  Colon,
  /** At ` #`. */
  Comment,
  /** At a flow indicator `,[]{}` inside a flow collection. */
  Flow,
}

/**
 * Parse `text` if it stays within the supported subset, else `undefined`. `shortForms` maps
 * each CloudFormation short-form tag (`!Ref`) to its long-form key (`Ref`).
 */
export function parseYamlFast(text: string, shortForms: Record<string, string>): FastYamlResult | undefined {
  const tabs = plainCharacters(text);
  if (!tabs) return undefined;
  try {
    const parser = new FastParser(text, shortForms, tabs.length > 0);
    const result = parser.document();
    // A tab is taken only where it is plain text to every reading: inside a comment, or after
    // the first character of a block scalar's line. Anywhere else (indentation, separation, a
    // plain or quoted scalar) the reference path decides.
    return parser.onlyOpaque(tabs) ? result : undefined;
  } catch {
    // NotSure, or anything unexpected (deep recursion): the reference path decides.
    return undefined;
  }
}

/**
 * The offsets of the text's tabs, or undefined when it has characters the fast path never takes:
 * control characters, a byte-order mark, a CR that is not part of CRLF.
 */
function plainCharacters(text: string): number[] | undefined {
  const tabs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= SPACE) {
      if (c < 0x7f) continue;
      if (c <= 0x9f || c === 0xfeff) return undefined;
    } else if (c === CR) {
      if (text.charCodeAt(i + 1) !== LF) return undefined;
    } else if (c === TAB) {
      tabs.push(i);
    } else if (c !== LF) {
      return undefined;
    }
  }
  return tabs;
}

const tagStartSpace = /\s/;

/** Characters allowed in a `!Tag` here: letters, digits and `:._-` (YAML allows more; we bail). */
function isTagChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === COLON ||
    c === DOT ||
    c === DASH ||
    c === 95
  );
}

/** Characters that cannot start a plain scalar here (YAML indicators and reserved characters). */
function isIndicator(c: number): boolean {
  switch (c) {
    case DASH:
    case QUESTION:
    case COLON:
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case AMP:
    case STAR:
    case BANG:
    case PIPE:
    case GT:
    case SQUOTE:
    case DQUOTE:
    case PERCENT:
    case AT:
    case BACKTICK:
      return true;
    default:
      return false;
  }
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

const simpleEscapes: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

// The YAML 1.2 core schema: which plain scalars are null, booleans, integers and floats.
const coreNull = /^(?:~|null|Null|NULL)$/;
const coreBool = /^(?:true|True|TRUE|false|False|FALSE)$/;
const coreOctal = /^0o[0-7]+$/;
const coreDecimal = /^[-+]?\d+$/;
const coreHex = /^0x[\dA-Fa-f]+$/;
const coreInfNan = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const coreExponent = /^[-+]?(?:\.\d+|\d+(?:\.\d*)?)[eE][-+]?\d+$/;
const coreFloat = /^[-+]?(?:\.\d+|\d+\.\d*)$/;

/** A plain scalar's value under the core schema, tested in the order the `yaml` package tests. */
function resolvePlain(raw: string): string | number | boolean | null {
  const c = raw.charCodeAt(0);
  // Most scalars start with a letter that no null/bool/number can start with.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (c !== 110 && c !== 78 && c !== 116 && c !== 84 && c !== 102 && c !== 70) return raw; // n N t T f F
  } else if (!((c >= 48 && c <= 57) || c === 43 || c === DASH || c === DOT || c === 126)) {
    return raw; // not a digit, + - . ~
  }
  if (coreNull.test(raw)) return null;
  if (coreBool.test(raw)) return raw.charCodeAt(0) === 116 || raw.charCodeAt(0) === 84;
  if (coreOctal.test(raw)) return parseInt(raw.slice(2), 8);
  if (coreDecimal.test(raw)) return parseInt(raw, 10);
  if (coreHex.test(raw)) return parseInt(raw.slice(2), 16);
  if (coreInfNan.test(raw)) {
    if (raw.slice(-3).toLowerCase() === 'nan') return NaN;
    return raw.charCodeAt(0) === DASH ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (coreExponent.test(raw) || coreFloat.test(raw)) return parseFloat(raw);
  return raw;
}

interface KeyFound {
  node: ScalarNode;
  /** Just after the `:`. */
  after: number;
}

class FastParser {
  private readonly length: number;
  /** The cursor. Between nodes it is on the first character of a content line. */
  private pos = 0;
  /** Start of the line that holds `pos`. */
  private lineStart = 0;
  /** Indentation of the content line at `pos`; -1 at the end of the text or at `---`/`...`. */
  private indent = 0;
  private depth = 0;
  /**
   * The least indentation, since the last `:` or `- `, of the blank or comment lines that
   * lower the reference lexer's continuation indentation: an empty line followed by a line
   * starting in column 0, or a `#comment` without a space after the `#`. A plain or block
   * scalar that starts after such lines may continue onto lines we would read as the next key
   * or item.
   */
  private loweredIndent = Infinity;
  /** Set by `plainLine`: where the scalar's line stopped and where its content ends. */
  private stop = 0;
  private contentEnd = 0;
  private readonly problems: ParseProblem[] = [];
  /** Where text is only ever text (comments, block scalar lines after their first character): start, end pairs. */
  private readonly opaque: number[] = [];

  constructor(
    private readonly text: string,
    private readonly shortForms: Record<string, string>,
    /** Whether the text has tabs: then the opaque stretches are recorded. */
    private readonly tracksOpaque = false,
  ) {
    this.length = text.length;
  }

  private opaqueStretch(start: number, end: number): void {
    if (this.tracksOpaque) this.opaque.push(start, end);
  }

  /** Whether every one of these offsets (ascending) lies in an opaque stretch. */
  onlyOpaque(offsets: readonly number[]): boolean {
    if (offsets.length === 0) return true;
    const stretches: [number, number][] = [];
    for (let i = 0; i < this.opaque.length; i += 2) stretches.push([this.opaque[i], this.opaque[i + 1]]);
    stretches.sort((a, b) => a[0] - b[0]);
    let k = 0;
    let reach = -1;
    for (const offset of offsets) {
      while (k < stretches.length && stretches[k][0] <= offset) reach = Math.max(reach, stretches[k++][1]);
      if (offset >= reach) return false;
    }
    return true;
  }

  document(): FastYamlResult {
    const text = this.text;
    this.skipToContent(0);
    if (this.indent < 0) {
      if (!text.startsWith('---', this.pos)) throw notSure;
      this.skipToContent(this.finishLine(this.pos + 3));
      if (this.indent < 0) throw notSure; // empty document, or several
    }
    const first = text.charCodeAt(this.pos);
    if (first === BANG || first === AMP || first === PERCENT) throw notSure;
    const root = this.blockNode(-1, false);
    if (root.type !== 'map' && root.type !== 'seq') throw notSure;
    if (this.indent >= 0) throw notSure; // something after the root that belongs to no node
    if (this.pos < this.length) {
      if (!text.startsWith('...', this.pos)) throw notSure;
      this.skipToContent(this.finishLine(this.pos + 3));
      if (this.pos < this.length) throw notSure;
    }
    return { root, problems: this.problems };
  }

  // ---- lines ----

  private code(p: number): number {
    return p < this.length ? this.text.charCodeAt(p) : -1;
  }

  /** Whether `p` is at a space, a line break or the end of the text. */
  private blankAt(p: number): boolean {
    const c = this.code(p);
    return c === SPACE || c === LF || c === CR || c === -1;
  }

  private lineBreakAt(p: number): boolean {
    const c = this.code(p);
    return c === LF || c === CR || c === -1;
  }

  private nextLine(p: number): number {
    const nl = this.text.indexOf('\n', p);
    return nl < 0 ? this.length : nl + 1;
  }

  /** `---` or `...` at `p` (a line start) followed by white space. */
  private documentMarkerAt(p: number): boolean {
    const c = this.code(p);
    if (c !== DASH && c !== DOT) return false;
    if (this.code(p + 1) !== c || this.code(p + 2) !== c) return false;
    return this.blankAt(p + 3);
  }

  /** From a line start, skip blank and comment lines; stop at content, a document marker or the end. */
  private skipToContent(from: number): void {
    const text = this.text;
    const length = this.length;
    let p = from;
    while (p < length) {
      let q = p;
      while (q < length && text.charCodeAt(q) === SPACE) q++;
      if (q >= length) break;
      const c = text.charCodeAt(q);
      if (c === LF || c === CR || c === HASH) {
        if (q - p < this.loweredIndent && !this.blankAt(q + 1)) this.loweredIndent = q - p;
        p = this.nextLine(q);
        if (c === HASH) this.opaqueStretch(q, p);
        continue;
      }
      this.lineStart = p;
      this.pos = q;
      this.indent = q === p && this.documentMarkerAt(p) ? -1 : q - p;
      return;
    }
    this.lineStart = length;
    this.pos = length;
    this.indent = -1;
  }

  /** After a node: only spaces and a comment may follow on its line. Returns the next line's start. */
  private finishLine(p: number): number {
    const start = p;
    while (this.code(p) === SPACE) p++;
    const c = this.code(p);
    if (c === LF || c === CR || c === -1) return this.nextLine(p);
    if (c === HASH && (p > start || this.code(p - 1) === SPACE)) {
      const next = this.nextLine(p);
      this.opaqueStretch(p, next);
      return next;
    }
    throw notSure;
  }

  // ---- block structure ----

  /** A node starting at `pos`, which may be a block map or sequence starting on this line. */
  private blockNode(parentIndent: number, tagged: boolean): DataNode {
    if (++this.depth > maxDepth) throw notSure;
    const column = this.pos - this.lineStart;
    let node: DataNode;
    if (this.code(this.pos) === DASH && this.blankAt(this.pos + 1)) {
      node = this.blockSeq(column);
    } else {
      const key = this.implicitKey();
      node = key ? this.blockMap(column, key) : this.inlineValue(parentIndent, false, tagged);
    }
    this.depth--;
    return node;
  }

  private blockMap(column: number, firstKey: KeyFound): MapNode {
    const pairs: Pair[] = [];
    const seen = new Set<unknown>();
    let key = firstKey;
    let end = key.node.span.start;
    for (;;) {
      const keyNode = key.node;
      if (keyNode.value === '<<') throw notSure; // a merge key in other YAML versions
      if (seen.has(keyNode.value)) {
        this.problems.push({
          message: `Duplicate key "${keyNode.value}": most tools keep only one of them.`,
          span: keyNode.span,
          severity: 'warning',
          fatal: false,
        });
      }
      seen.add(keyNode.value);
      const value = this.mapValue(column, key.after);
      pairs.push({ key: keyNode, value, span: { start: keyNode.span.start, end: value.span.end } });
      if (value.span.end > end) end = value.span.end;
      if (this.indent !== column) break;
      const next = this.implicitKey();
      if (!next) throw notSure;
      key = next;
    }
    if (this.indent > column) throw notSure;
    return { type: 'map', pairs, flow: false, span: { start: firstKey.node.span.start, end } };
  }

  /** The value after `key:`, on the same line or on the lines below. */
  private mapValue(mapIndent: number, after: number): DataNode {
    this.loweredIndent = Infinity; // the `:` sets the continuation indentation afresh
    let q = after;
    while (this.code(q) === SPACE) q++;
    const c = this.code(q);
    if (c === LF || c === CR || c === -1 || c === HASH) {
      this.skipToContent(this.nextLine(q));
      if (this.indent > mapIndent) return this.blockNode(mapIndent, false);
      if (this.indent === mapIndent && this.seqIndicatorAt(this.pos)) return this.blockSeqAt(mapIndent);
      return emptyScalar(q, false);
    }
    this.pos = q;
    return this.inlineValue(mapIndent, true, false);
  }

  private seqIndicatorAt(p: number): boolean {
    return this.code(p) === DASH && this.blankAt(p + 1);
  }

  private blockSeqAt(column: number): SeqNode {
    if (++this.depth > maxDepth) throw notSure;
    const seq = this.blockSeq(column);
    this.depth--;
    return seq;
  }

  private blockSeq(column: number): SeqNode {
    const items: DataNode[] = [];
    const start = this.pos;
    let end = start;
    for (;;) {
      this.loweredIndent = Infinity; // the `- ` sets the continuation indentation afresh
      let q = this.pos + 1;
      while (this.code(q) === SPACE) q++;
      const c = this.code(q);
      let item: DataNode;
      if (c === LF || c === CR || c === -1 || c === HASH) {
        this.skipToContent(this.nextLine(q));
        item = this.indent > column ? this.blockNode(column, false) : emptyScalar(q, false);
      } else {
        this.pos = q;
        item = this.blockNode(column, false);
      }
      items.push(item);
      if (item.span.end > end) end = item.span.end;
      if (this.indent === column && this.seqIndicatorAt(this.pos)) continue;
      if (this.indent > column) throw notSure;
      break;
    }
    return { type: 'seq', items, flow: false, span: { start, end } };
  }

  /** `key:` at `pos` (plain or quoted, on one line), or undefined when the line holds no key. */
  private implicitKey(): KeyFound | undefined {
    const text = this.text;
    const start = this.pos;
    const c = this.code(start);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quoteCloseOnLine(start);
      if (close < 0) return undefined;
      let q = close + 1;
      while (this.code(q) === SPACE) q++;
      if (this.code(q) !== COLON || !this.blankAt(q + 1)) return undefined;
      if (q - start > maxKeyLength) throw notSure;
      return { node: this.quotedScalar(start, close, c === DQUOTE), after: q + 1 };
    }
    if (isIndicator(c)) return undefined;
    const stop = this.plainLine(start, false);
    if (stop !== LineStop.Colon) return undefined;
    if (this.stop - start > maxKeyLength) throw notSure;
    const end = this.contentEnd;
    const raw = text.slice(start, end);
    return {
      node: { type: 'scalar', value: resolvePlain(raw), style: 'plain', span: { start, end } },
      after: this.stop + 1,
    };
  }

  /**
   * A node that starts on the current line and is not a block collection: a scalar, a flow
   * collection, a block scalar or a tagged node. Leaves the cursor at the next content line.
   */
  private inlineValue(parentIndent: number, inMap: boolean, tagged: boolean): DataNode {
    const c = this.code(this.pos);
    let node: DataNode;
    switch (c) {
      case BANG:
        if (tagged) throw notSure;
        return this.taggedValue(parentIndent, inMap);
      case PIPE:
      case GT:
        node = this.blockScalar(parentIndent);
        this.skipToContent(node.span.end);
        return node;
      case LBRACKET:
      case LBRACE:
        node = this.flowCollection(parentIndent, 1);
        break;
      case DQUOTE:
      case SQUOTE:
        node = this.quoted(parentIndent);
        break;
      case DASH:
      case COLON:
        // `-1`, `:iam::aws` are plain scalars; `- ` and `: ` here would be errors.
        if (this.blankAt(this.pos + 1)) throw notSure;
        node = this.plainScalar(parentIndent, tagged);
        break;
      default:
        if (isIndicator(c)) throw notSure;
        node = this.plainScalar(parentIndent, tagged);
    }
    this.skipToContent(this.finishLine(this.pos));
    return node;
  }

  private taggedValue(parentIndent: number, inMap: boolean): DataNode {
    const tag = this.tagAt(this.pos);
    let q = this.pos + tag.length;
    if (!this.blankAt(q)) throw notSure;
    while (this.code(q) === SPACE) q++;
    const c = this.code(q);
    let node: DataNode;
    if (c === LF || c === CR || c === -1 || c === HASH) {
      this.skipToContent(this.nextLine(q));
      if (this.indent > parentIndent) node = this.blockNode(parentIndent, true);
      else if (inMap && this.indent === parentIndent && this.seqIndicatorAt(this.pos))
        node = this.blockSeqAt(parentIndent);
      else node = emptyScalar(q, true);
    } else {
      this.pos = q;
      node = this.inlineValue(parentIndent, inMap, true);
    }
    return this.applyTag(node, tag);
  }

  private tagAt(p: number): string {
    let q = p + 1;
    while (isTagChar(this.code(q))) q++;
    if (q === p + 1) throw notSure;
    return this.text.slice(p, q);
  }

  /** As the reference converter does: short forms become `{LongKey: value}`, other tags stay on the node. */
  private applyTag(node: DataNode, tag: string): DataNode {
    const longKey = this.shortForms[tag];
    if (!longKey) {
      node.tag = tag;
      return node;
    }
    const start = this.tagStart(tag, node.span.start);
    const key: ScalarNode = {
      type: 'scalar',
      value: longKey,
      style: 'plain',
      span: { start, end: start + tag.length },
    };
    const span = { start, end: node.span.end };
    return { type: 'map', pairs: [{ key, value: node, span }], flow: true, span, shortForm: true };
  }

  /** Where the reference converter places a tag: found by looking back over white space from the value. */
  private tagStart(tag: string, valueStart: number): number {
    const text = this.text;
    let i = valueStart;
    while (i > 0 && tagStartSpace.test(text[i - 1])) i--;
    return text.slice(i - tag.length, i) === tag ? i - tag.length : valueStart;
  }

  // ---- scalars ----

  /**
   * Scan one line of a plain scalar from `p`: sets `stop` (where it stopped) and `contentEnd`
   * (after its last non-space character).
   */
  private plainLine(p: number, inFlow: boolean): LineStop {
    const text = this.text;
    const length = this.length;
    let end = p;
    let i = p;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) break;
      if (c === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) {
          this.stop = i;
          this.contentEnd = end;
          return LineStop.Comment;
        }
        continue;
      }
      if (c === COLON) {
        const next = i + 1 < length ? text.charCodeAt(i + 1) : -1;
        if (
          next === SPACE ||
          next === LF ||
          next === CR ||
          next === -1 ||
          (inFlow && isFlowIndicator(next))
        ) {
          this.stop = i;
          this.contentEnd = end;
          return LineStop.Colon;
        }
      } else if (inFlow && isFlowIndicator(c)) {
        this.stop = i;
        this.contentEnd = end;
        return LineStop.Flow;
      }
      end = i + 1;
    }
    this.stop = i;
    this.contentEnd = end;
    return LineStop.End;
  }

  /** A plain scalar in block context, possibly continued on more-indented lines. */
  private plainScalar(parentIndent: number, tagged: boolean): ScalarNode {
    const text = this.text;
    const length = this.length;
    const start = this.pos;
    let how = this.plainLine(start, false);
    let end = this.contentEnd;
    let folded: string | undefined;
    if (how === LineStop.End && this.loweredIndent <= parentIndent) throw notSure;
    if (how === LineStop.End) {
      let p = this.nextLine(this.stop);
      let blankLines = 0;
      while (p < length) {
        let q = p;
        while (q < length && text.charCodeAt(q) === SPACE) q++;
        if (q >= length) break;
        const c = text.charCodeAt(q);
        if (c === LF || c === CR) {
          blankLines++;
          p = this.nextLine(q);
          continue;
        }
        if (q - p <= parentIndent || c === HASH || (q === p && this.documentMarkerAt(p))) break;
        if (c === COLON && this.blankAt(q + 1)) throw notSure;
        how = this.plainLine(q, false);
        folded =
          (folded ?? text.slice(start, end)) +
          (blankLines === 0 ? ' ' : '\n'.repeat(blankLines)) +
          text.slice(q, this.contentEnd);
        end = this.contentEnd;
        blankLines = 0;
        if (how !== LineStop.End) break;
        p = this.nextLine(this.stop);
      }
    }
    this.pos = how === LineStop.End ? end : this.stop;
    const raw = folded ?? text.slice(start, end);
    return { type: 'scalar', value: tagged ? raw : resolvePlain(raw), style: 'plain', span: { start, end } };
  }

  /** The closing quote of the quoted scalar at `p` if it is on the same line, else -1. */
  private quoteCloseOnLine(p: number): number {
    const text = this.text;
    const length = this.length;
    const quote = text.charCodeAt(p);
    for (let i = p + 1; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) return -1;
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i++;
        else return i;
      } else if (c === BACKSLASH && quote === DQUOTE) {
        i++;
        if (this.lineBreakAt(i)) return -1;
      }
    }
    return -1;
  }

  /** A quoted scalar at `pos`, possibly over several lines; leaves `pos` after the closing quote. */
  private quoted(parentIndent: number): ScalarNode {
    const text = this.text;
    const length = this.length;
    const start = this.pos;
    const quote = text.charCodeAt(start);
    let close = -1;
    let lineBreaks = false;
    for (let i = start + 1; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) {
          i++;
          continue;
        }
        close = i;
        break;
      }
      if (c === BACKSLASH && quote === DQUOTE) {
        if (text.charCodeAt(i + 1) !== LF && text.charCodeAt(i + 1) !== CR) i++;
      } else if (c === LF) {
        lineBreaks = true;
        // Continuation lines must be indented below the parent, as the reference requires.
        let q = i + 1;
        while (q < length && text.charCodeAt(q) === SPACE) q++;
        const next = this.code(q);
        if (next !== LF && next !== CR && q - (i + 1) <= parentIndent) throw notSure;
        if (q === i + 1 && this.documentMarkerAt(q)) throw notSure;
      }
    }
    if (close < 0) throw notSure;
    this.pos = close + 1;
    if (!lineBreaks) return this.quotedScalar(start, close, quote === DQUOTE);
    const value =
      quote === DQUOTE ? this.doubleQuotedValue(start, close) : foldQuotedLines(text.slice(start + 1, close));
    return {
      type: 'scalar',
      value: quote === DQUOTE ? value : value.replace(/''/g, "'"),
      style: quote === DQUOTE ? 'double' : 'single',
      span: { start, end: close + 1 },
    };
  }

  /** A quoted scalar on one line, from its opening quote to its closing quote. */
  private quotedScalar(start: number, close: number, double: boolean): ScalarNode {
    let value: string;
    if (double) {
      value = this.doubleQuotedValue(start, close);
    } else {
      value = this.text.slice(start + 1, close);
      if (value.includes("'")) value = value.replace(/''/g, "'");
    }
    return { type: 'scalar', value, style: double ? 'double' : 'single', span: { start, end: close + 1 } };
  }

  /** Escapes and line folding of a double-quoted scalar (between `start` and `close`, the quotes). */
  private doubleQuotedValue(start: number, close: number): string {
    const text = this.text;
    let value = '';
    let chunk = start + 1;
    let i = start + 1;
    while (i < close) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        value += text.slice(chunk, i);
        const next = text[i + 1];
        const simple = simpleEscapes[next];
        if (simple !== undefined && Object.prototype.hasOwnProperty.call(simpleEscapes, next)) {
          value += simple;
          i += 2;
        } else if (next === 'x' || next === 'u' || next === 'U') {
          const size = next === 'x' ? 2 : next === 'u' ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + size);
          if (hex.length !== size || !/^[\dA-Fa-f]+$/.test(hex)) throw notSure;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) throw notSure;
          value += String.fromCodePoint(code);
          i += 2 + size;
        } else if (next === '\n' || next === '\r') {
          // An escaped line break joins the lines without a space; the next line's indentation goes.
          i = this.nextLine(i + 1);
          while (text.charCodeAt(i) === SPACE) i++;
        } else {
          throw notSure;
        }
        chunk = i;
      } else if (c === SPACE) {
        let j = i + 1;
        while (text.charCodeAt(j) === SPACE) j++;
        const after = text.charCodeAt(j);
        if (after === LF || after === CR) {
          // White space before a line break is not content.
          value += text.slice(chunk, i);
          chunk = j;
        }
        i = j;
      } else if (c === LF || c === CR) {
        value += text.slice(chunk, i);
        // A line break folds to a space; each further empty line to a line feed.
        let breaks = 0;
        let j = this.nextLine(i);
        for (;;) {
          while (text.charCodeAt(j) === SPACE) j++;
          const d = text.charCodeAt(j);
          if (j < close && (d === LF || d === CR)) {
            breaks++;
            j = this.nextLine(j);
          } else break;
        }
        value += breaks === 0 ? ' ' : '\n'.repeat(breaks);
        i = j;
        chunk = i;
      } else {
        i++;
      }
    }
    return value + text.slice(chunk, close);
  }

  /** `|` or `>` with optional chomping (`-`, `+`) and indentation (`1`–`9`) indicators. */
  private blockScalar(parentIndent: number): ScalarNode {
    const text = this.text;
    const length = this.length;
    const start = this.pos;
    const folded = text.charCodeAt(start) === GT;
    if (this.loweredIndent <= parentIndent) throw notSure;
    let p = start + 1;
    let chomp = 0;
    let explicit = 0;
    for (;;) {
      const c = this.code(p);
      if ((c === DASH || c === PLUS) && chomp === 0) chomp = c;
      else if (c >= 49 && c <= 57 && explicit === 0) explicit = c - 48;
      else break;
      p++;
    }
    if (!this.blankAt(p)) throw notSure;
    if (explicit > 0 && parentIndent < 0) throw notSure;
    while (this.code(p) === SPACE) p++;
    if (this.code(p) === HASH) {
      const hash = p;
      p = text.indexOf('\n', p) < 0 ? length : text.indexOf('\n', p);
      this.opaqueStretch(hash, p);
    }
    if (!this.lineBreakAt(p)) throw notSure;
    const bodyStart = this.nextLine(p);

    // The first line with content: its indentation is the content's, unless given explicitly.
    let lineStart = bodyStart;
    let leadingSpaces = 0;
    let firstIndent = -1;
    while (lineStart < length) {
      let q = lineStart;
      while (q < length && text.charCodeAt(q) === SPACE) q++;
      const c = this.code(q);
      if (c === LF || c === CR || c === -1) {
        if (q - lineStart > leadingSpaces) leadingSpaces = q - lineStart;
        if (c === -1) break;
        lineStart = this.nextLine(q);
        continue;
      }
      firstIndent = q - lineStart;
      break;
    }
    if (firstIndent <= parentIndent) {
      // No content. The node holds the empty lines after its header: with `+` all of them,
      // else the first and up to the last one with more spaces than the line after them.
      if (firstIndent < 0 && bodyStart < length) throw notSure; // only empty lines up to the end
      let end = bodyStart;
      let lines = 0;
      for (let p = bodyStart; p < lineStart; p = this.nextLine(p)) {
        lines++;
        let q = p;
        while (text.charCodeAt(q) === SPACE) q++;
        if (chomp === PLUS || lines === 1 || q - p > firstIndent) end = this.nextLine(q);
      }
      this.pos = end;
      const value = chomp === PLUS && lines > 0 ? '\n'.repeat(lines) : '';
      return { type: 'scalar', value, style: folded ? 'folded' : 'literal', span: { start, end } };
    }
    const contentIndent = explicit > 0 ? parentIndent + explicit : firstIndent;
    if (firstIndent < contentIndent) throw notSure;
    if (explicit === 0 && leadingSpaces > contentIndent) throw notSure; // an error for the reference

    // Lines belong to the scalar while they are empty or indented at least as much as the content.
    const lines: number[] = []; // per line: start, end (before the line break), indentation
    let firstContent = -1;
    let lastContent = -1;
    lineStart = bodyStart;
    while (lineStart < length) {
      let q = lineStart;
      while (q < length && text.charCodeAt(q) === SPACE) q++;
      const c = this.code(q);
      const empty = c === LF || c === CR || c === -1;
      // Spaces ending the text count as a line of their own, which may be too little indented.
      if ((!empty || c === -1) && q - lineStart < contentIndent) break;
      let lineEnd = empty ? q : text.indexOf('\n', q);
      if (lineEnd < 0) lineEnd = length;
      else if (text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      lines.push(lineStart, lineEnd, q - lineStart);
      // Past its first character a content line is text, whatever it holds (a tab at its start
      // would make a folded line more indented: not taken).
      if (!empty && text.charCodeAt(q) !== TAB) this.opaqueStretch(q + 1, lineEnd);
      if (!empty) {
        lastContent = lines.length / 3 - 1;
        if (firstContent < 0) firstContent = lastContent;
      }
      lineStart = this.nextLine(lineEnd);
    }
    const lineCount = lines.length / 3;

    // The node's range: with `+` every line scanned; otherwise up to the last line with content
    // or an empty line with more spaces than the first content line.
    let tokenLines = lastContent + 1;
    if (chomp === PLUS) tokenLines = lineCount;
    else
      for (let i = lastContent + 1; i < lineCount; i++)
        if (lines[i * 3 + 2] > firstIndent) tokenLines = i + 1;
    const end = this.nextLine(lines[tokenLines * 3 - 2]);
    // Empty lines after the content are chomped, except those indented beyond the content.
    let keptLines = lastContent + 1;
    for (let i = lastContent + 1; i < tokenLines; i++)
      if (lines[i * 3 + 2] > contentIndent) keptLines = i + 1;

    let value = '';
    for (let i = 0; i < firstContent; i++) {
      const spaces = lines[i * 3 + 2];
      if (spaces > contentIndent) value += ' '.repeat(spaces - contentIndent);
      value += '\n';
    }
    let sep = '';
    let moreIndented = false;
    for (let i = firstContent; i < keptLines; i++) {
      const from = lines[i * 3];
      const spaces = lines[i * 3 + 2];
      const content = text.slice(from + spaces, lines[i * 3 + 1]);
      const extra = spaces > contentIndent ? ' '.repeat(spaces - contentIndent) : '';
      if (!folded) {
        value += sep + extra + content;
        sep = '\n';
      } else if (spaces > contentIndent) {
        // More-indented lines keep their line breaks.
        if (sep === ' ') sep = '\n';
        else if (!moreIndented && sep === '\n') sep = '\n\n';
        value += sep + extra + content;
        sep = '\n';
        moreIndented = true;
      } else if (content === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + content;
        sep = ' ';
        moreIndented = false;
      }
    }
    if (chomp === PLUS) {
      // Keep: every line break after the content (the last line may end without one).
      const breaks = end === length && !text.endsWith('\n') ? tokenLines : tokenLines + 1;
      for (let i = keptLines; i < breaks; i++) value += '\n';
      if (!value.endsWith('\n')) value += '\n';
    } else if (chomp !== DASH) {
      value += '\n';
    }
    this.pos = end;
    return { type: 'scalar', value, style: folded ? 'folded' : 'literal', span: { start, end } };
  }

  // ---- flow collections ----

  /**
   * Skip white space, line breaks and comments inside a flow collection. Lines must be indented
   * below the parent block node, except for the outermost closing bracket. `afterValue`: the
   * reference rejects a comment in column 0 on the line right after a flow map's value; we
   * decline it after any item.
   */
  private flowSpace(p: number, parentIndent: number, level: number, afterValue = false): number {
    const text = this.text;
    const length = this.length;
    for (;;) {
      const c = this.code(p);
      if (c === SPACE) {
        p++;
      } else if (c === LF || c === CR) {
        const lineStart = this.nextLine(p);
        let q = lineStart;
        while (q < length && text.charCodeAt(q) === SPACE) q++;
        const d = this.code(q);
        if (d !== LF && d !== CR && d !== HASH && d !== -1 && q - lineStart <= parentIndent) {
          const closes = d === RBRACKET || d === RBRACE;
          if (!(closes && level === 1 && q - lineStart === parentIndent)) throw notSure;
        }
        if (q === lineStart && (this.documentMarkerAt(q) || (afterValue && d === HASH))) throw notSure;
        afterValue = false;
        p = q;
      } else if (c === HASH) {
        const before = this.code(p - 1);
        if (before !== SPACE && before !== LF) return p;
        const nl = text.indexOf('\n', p);
        const hash = p;
        p = nl < 0 ? length : text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.opaqueStretch(hash, p);
      } else {
        return p;
      }
    }
  }

  private flowCollection(parentIndent: number, level: number): MapNode | SeqNode {
    if (++this.depth > maxDepth) throw notSure;
    const text = this.text;
    const start = this.pos;
    const isMap = text.charCodeAt(start) === LBRACE;
    const closer = isMap ? RBRACE : RBRACKET;
    const pairs: Pair[] = [];
    const items: DataNode[] = [];
    const seen = new Set<unknown>();
    let p = this.flowSpace(start + 1, parentIndent, level);
    if (this.code(p) !== closer) {
      for (;;) {
        this.pos = p;
        if (isMap) {
          const key = this.flowKey();
          if (key.value === '<<') throw notSure;
          if (seen.has(key.value)) {
            this.problems.push({
              message: `Duplicate key "${key.value}": most tools keep only one of them.`,
              span: key.span,
              severity: 'warning',
              fatal: false,
            });
          }
          seen.add(key.value);
          let q = this.pos;
          while (this.code(q) === SPACE) q++;
          const next = this.code(q);
          let value: DataNode;
          if (next === COMMA || next === RBRACE) {
            value = emptyScalar(q, false);
            this.pos = q;
          } else {
            this.pos = this.flowSpace(q, parentIndent, level);
            value = this.flowValue(parentIndent, level, false);
          }
          pairs.push({ key, value, span: { start: key.span.start, end: value.span.end } });
        } else {
          items.push(this.flowValue(parentIndent, level, false));
        }
        p = this.flowSpace(this.pos, parentIndent, level, true);
        const c = this.code(p);
        if (c === COMMA) {
          p = this.flowSpace(p + 1, parentIndent, level);
          if (this.code(p) === closer) break;
          continue;
        }
        if (c === closer) break;
        throw notSure;
      }
    }
    this.pos = p + 1;
    this.depth--;
    const span = { start, end: p + 1 };
    return isMap ? { type: 'map', pairs, flow: true, span } : { type: 'seq', items, flow: true, span };
  }

  /** A flow map key with its `:`; leaves `pos` just after the `:`. */
  private flowKey(): ScalarNode {
    const text = this.text;
    const start = this.pos;
    const c = this.code(start);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quoteCloseOnLine(start);
      if (close < 0) throw notSure;
      let q = close + 1;
      while (this.code(q) === SPACE) q++;
      if (this.code(q) !== COLON || q - start > maxKeyLength) throw notSure;
      this.pos = q + 1;
      return this.quotedScalar(start, close, c === DQUOTE);
    }
    if (isIndicator(c)) throw notSure;
    if (this.plainLine(start, true) !== LineStop.Colon || !this.blankAt(this.stop + 1)) throw notSure;
    if (this.stop - start > maxKeyLength) throw notSure;
    const end = this.contentEnd;
    this.pos = this.stop + 1;
    return {
      type: 'scalar',
      value: resolvePlain(text.slice(start, end)),
      style: 'plain',
      span: { start, end },
    };
  }

  /** An item of a flow sequence or a value of a flow map; leaves `pos` after it. */
  private flowValue(parentIndent: number, level: number, tagged: boolean): DataNode {
    const c = this.code(this.pos);
    switch (c) {
      case LBRACKET:
      case LBRACE:
        return this.flowCollection(parentIndent, level + 1);
      case DQUOTE:
      case SQUOTE:
        return this.quoted(parentIndent);
      case BANG: {
        if (tagged) throw notSure;
        const tag = this.tagAt(this.pos);
        let q = this.pos + tag.length;
        if (this.code(q) !== SPACE) throw notSure;
        while (this.code(q) === SPACE) q++;
        const next = this.code(q);
        if (
          next === COMMA ||
          next === RBRACKET ||
          next === RBRACE ||
          next === HASH ||
          next === LF ||
          next === CR ||
          next === -1
        )
          throw notSure;
        this.pos = q;
        return this.applyTag(this.flowValue(parentIndent, level, true), tag);
      }
      case DASH:
      case COLON:
        if (this.blankAt(this.pos + 1) || isFlowIndicator(this.code(this.pos + 1))) throw notSure;
        break;
      default:
        if (isIndicator(c) || c === LF || c === CR || c === -1) throw notSure;
    }
    const start = this.pos;
    const how = this.plainLine(start, true);
    const end = this.contentEnd;
    if (end === start) throw notSure;
    this.pos = how === LineStop.End ? end : this.stop;
    const raw = this.text.slice(start, end);
    return { type: 'scalar', value: tagged ? raw : resolvePlain(raw), style: 'plain', span: { start, end } };
  }
}

function emptyScalar(at: number, tagged: boolean): ScalarNode {
  return { type: 'scalar', value: tagged ? '' : null, style: 'plain', span: { start: at, end: at } };
}

/**
 * Line folding of a multi-line single-quoted scalar's content: white space around line breaks
 * goes, one line break becomes a space, and each empty line a line feed.
 */
function foldQuotedLines(content: string): string {
  const lines = content.split('\n');
  for (let i = 0; i < lines.length - 1; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  let value = withoutSpaces(lines[0], false, true);
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = withoutSpaces(lines[i], true, true);
    if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
    }
  }
  return value + sep + withoutSpaces(lines[lines.length - 1], true, false);
}

/** The line without its leading and/or trailing spaces (tabs stay), in one pass. */
function withoutSpaces(line: string, leading: boolean, trailing: boolean): string {
  let start = 0;
  let end = line.length;
  if (leading) while (start < end && line.charCodeAt(start) === 32) start++;
  if (trailing) while (end > start && line.charCodeAt(end - 1) === 32) end--;
  return line.slice(start, end);
}
