/** Offsets into a document's text (UTF-16 code units, as JavaScript strings and LSP count them). */
export interface Span {
  start: number;
  end: number;
}

/** A zero-based line/character position, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A text edit in offsets of the document being fixed. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Converts between offsets and line/character positions of one text. Lines end as editors end
 * them (LSP counts `\r\n`, `\n` and a lone `\r` as line breaks), so that positions agree with
 * the editor's even in files with old Mac or mixed line ends.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    return this.starts[line];
  }

  /** The end of a line, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1] - 1;
    // `next` is the break's last character: `\n` (after a `\r` or not) or a lone `\r`.
    return this.text[next] === '\n' && next > 0 && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.lineStart(position.line);
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The whitespace that starts the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.lineStart(this.lineOf(offset));
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** The line break new lines get: the text's first one (`\r\n`, `\n` or a lone `\r`). */
  get eol(): string {
    if (this.starts.length < 2) return '\n';
    const end = this.starts[1];
    if (this.text[end - 1] === '\r') return '\r';
    return end >= 2 && this.text[end - 2] === '\r' ? '\r\n' : '\n';
  }
}

/** The text without the characters of `chars` at its end: a linear `replace(/[…]+$/, '')`. */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return text.slice(0, end);
}
