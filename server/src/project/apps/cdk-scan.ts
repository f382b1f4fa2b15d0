/**
 * A small, linear reader of CDK app sources (TypeScript, JavaScript, Python) for the application
 * model: tokens, then the calls whose callee ends in a name the caller asks about, with their
 * arguments parsed into literals, dotted names, object literals (and Python keyword arguments),
 * nested calls, and `other` for anything else. The model runs on the edit path and cannot wait
 * for a syntax tree, so this reads only what it needs and gives up on the rest.
 */

export interface Token {
  t: 'id' | 'str' | 'tpl' | 'num' | 'p';
  /** The identifier, the punctuation, the string's value, a template's raw text between its backquotes. */
  v: string;
  s: number;
  e: number;
}

export type Expr =
  | { k: 'str'; v: string; s: number; e: number }
  | { k: 'tpl'; v: string; s: number; e: number }
  | { k: 'num'; v: number; s: number; e: number }
  | { k: 'name'; v: string; s: number; e: number }
  | ObjectExpr
  | CallExpr
  | { k: 'other'; s: number; e: number };

export interface Entry {
  key: string;
  keyS: number;
  keyE: number;
  value: Expr;
}

export interface ObjectExpr {
  k: 'obj';
  entries: Entry[];
  /** A spread, `**kwargs`, a computed key: entries this reader cannot see. */
  opaque: boolean;
  s: number;
  e: number;
}

export interface CallExpr {
  k: 'call';
  /** The callee as a dotted path (`lambda.Code.fromAsset`, `this.fn.addEnvironment`). */
  callee: string;
  calleeS: number;
  calleeE: number;
  args: Expr[];
  /** Python keyword arguments, as an object. */
  kwargs: ObjectExpr;
  s: number;
  e: number;
}

const maxTokens = 200_000;
const maxDepth = 40;

const isIdStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isIdPart = (c: number) => isIdStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number) => c >= 48 && c <= 57;

/** After these, a `/` starts a regular expression literal rather than a division. */
const beforeRegex = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
  'return',
  'typeof',
  'case',
]);

export function tokenize(text: string, python: boolean): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && tokens.length < maxTokens) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
      i++;
      continue;
    }
    // Comments.
    if (python ? c === 35 : c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (!python && c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    const start = i;
    // Python string prefixes (r, b, u, f and their pairs) before a quote.
    if (python && isIdStart(c)) {
      let j = i;
      while (j < i + 2 && /[rRbBuUfF]/.test(text[j] ?? '')) j++;
      const q = text.charCodeAt(j);
      if (j > i && (q === 34 || q === 39)) {
        const formatted = /[fF]/.test(text.slice(i, j));
        i = j;
        const token = pythonString(text, i, start, formatted);
        tokens.push(token);
        i = token.e;
        continue;
      }
    }
    if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      tokens.push({ t: 'id', v: text.slice(i, j), s: i, e: j });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && (isIdPart(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      tokens.push({ t: 'num', v: text.slice(i, j), s: i, e: j });
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      const token = python ? pythonString(text, i, start, false) : quoted(text, i);
      tokens.push(token);
      i = token.e;
      continue;
    }
    if (!python && c === 96) {
      const token = template(text, i);
      tokens.push(token);
      i = token.e;
      continue;
    }
    if (!python && c === 47) {
      const previous = tokens[tokens.length - 1];
      if (
        !previous ||
        (previous.t === 'p' && beforeRegex.has(previous.v)) ||
        (previous.t === 'id' && beforeRegex.has(previous.v))
      ) {
        i = regexEnd(text, i);
        tokens.push({ t: 'p', v: 'regex', s: start, e: i });
        continue;
      }
    }
    // Punctuation: the few multi-character ones this reader cares about, else one character.
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const v =
      three === '...' || three === '===' || three === '!=='
        ? three
        : ['**', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.'].includes(two)
          ? two
          : text[i];
    tokens.push({ t: 'p', v, s: i, e: i + v.length });
    i += v.length;
  }
  return tokens;
}

function quoted(text: string, at: number): Token {
  const q = text.charCodeAt(at);
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      value += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === q || c === 10) break;
    value += text[i];
    i++;
  }
  return { t: 'str', v: value, s: at, e: Math.min(text.length, i + 1) };
}

function pythonString(text: string, at: number, start: number, formatted: boolean): Token {
  const q = text[at];
  const triple = text.startsWith(q.repeat(3), at);
  if (!triple) {
    const token = quoted(text, at);
    return { ...token, s: start, t: formatted && token.v.includes('{') ? 'tpl' : 'str' };
  }
  const end = text.indexOf(q.repeat(3), at + 3);
  const close = end === -1 ? text.length : end + 3;
  return {
    t: formatted ? 'tpl' : 'str',
    v: text.slice(at + 3, end === -1 ? text.length : end),
    s: start,
    e: close,
  };
}

function template(text: string, at: number): Token {
  let i = at + 1;
  let depth = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) {
      i += 2;
      continue;
    }
    if (depth === 0 && c === 96) break;
    if (c === 36 && text.charCodeAt(i + 1) === 123) {
      depth++;
      i += 2;
      continue;
    }
    if (depth > 0 && c === 125) depth--;
    i++;
  }
  return { t: 'tpl', v: text.slice(at + 1, i), s: at, e: Math.min(text.length, i + 1) };
}

function regexEnd(text: string, at: number): number {
  let i = at + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 92) i++;
    else if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) {
      i++;
      while (i < text.length && isIdPart(text.charCodeAt(i))) i++;
      return i;
    }
    i++;
  }
  return i;
}

const closers = new Set([')', ']', '}']);
const openers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Parses expressions from a token list; each parse is bounded by the depth and a budget of steps. */
export class Reader {
  private steps = 0;

  constructor(
    readonly tokens: Token[],
    readonly python: boolean,
    private budget = 400_000,
  ) {}

  private spent(): boolean {
    return ++this.steps > this.budget;
  }

  /** The dotted path that starts at token `i` (`a.b.c`, `this.x`), and the index after it. */
  path(i: number): { v: string; end: number } | undefined {
    const first = this.tokens[i];
    if (first?.t !== 'id') return undefined;
    let v = first.v;
    let j = i + 1;
    while (this.tokens[j]?.v === '.' && this.tokens[j + 1]?.t === 'id') {
      v += `.${this.tokens[j + 1].v}`;
      j += 2;
    }
    return { v, end: j };
  }

  /** The call whose callee path starts at token `i`, with its arguments; undefined if no `(` follows. */
  call(i: number, depth = 0): { call: CallExpr; end: number } | undefined {
    const path = this.path(i);
    if (!path || this.tokens[path.end]?.v !== '(') return undefined;
    const { args, kwargs, end } = this.args(path.end, depth);
    return {
      call: {
        k: 'call',
        callee: path.v,
        calleeS: this.tokens[i].s,
        calleeE: this.tokens[path.end - 1].e,
        args,
        kwargs,
        s: this.tokens[i].s,
        e: this.tokens[end - 1]?.e ?? this.tokens[i].e,
      },
      end,
    };
  }

  /** The arguments of a call whose `(` is token `i`. */
  private args(i: number, depth: number): { args: Expr[]; kwargs: ObjectExpr; end: number } {
    const args: Expr[] = [];
    const kwargs: ObjectExpr = {
      k: 'obj',
      entries: [],
      opaque: false,
      s: this.tokens[i].s,
      e: this.tokens[i].e,
    };
    let j = i + 1;
    while (j < this.tokens.length && !this.spent()) {
      const token = this.tokens[j];
      if (token.v === ')') {
        kwargs.e = token.e;
        return { args, kwargs, end: j + 1 };
      }
      if (token.v === ',') {
        j++;
        continue;
      }
      if (this.python && token.t === 'id' && this.tokens[j + 1]?.v === '=') {
        const value = this.expr(j + 2, depth + 1);
        kwargs.entries.push({ key: token.v, keyS: token.s, keyE: token.e, value: value.expr });
        j = value.end;
      } else if (token.v === '**' || token.v === '...' || (this.python && token.v === '*')) {
        kwargs.opaque = true;
        const value = this.expr(j + 1, depth + 1);
        args.push(value.expr);
        j = value.end;
      } else {
        const value = this.expr(j, depth + 1);
        args.push(value.expr);
        j = value.end;
      }
      // Whatever this reader did not take, up to the next argument.
      j = this.skip(j);
    }
    return { args, kwargs, end: j };
  }

  /** From token `i` to the next `,` or closing bracket at depth 0. */
  private skip(i: number): number {
    let depth = 0;
    let j = i;
    while (j < this.tokens.length && !this.spent()) {
      const v = this.tokens[j].v;
      if (this.tokens[j].t === 'p') {
        if (openers[v]) depth++;
        else if (closers.has(v)) {
          if (depth === 0) return j;
          depth--;
        } else if (v === ',' && depth === 0) return j;
        else if (v === ';' && depth === 0) return j;
      }
      j++;
    }
    return j;
  }

  /** One expression from token `i`: what this reader knows, else `other` up to where the expression ends. */
  expr(i: number, depth = 0): { expr: Expr; end: number } {
    const token = this.tokens[i];
    if (!token) return { expr: { k: 'other', s: 0, e: 0 }, end: i };
    const primary = depth > maxDepth ? undefined : this.primary(i, depth);
    if (primary) {
      const next = this.tokens[primary.end];
      if (
        !next ||
        next.v === ',' ||
        next.v === ';' ||
        (next.t === 'p' && closers.has(next.v)) ||
        (!this.python && next.v === ':')
      )
        return primary;
      // TS `!` and `as T` after a value change nothing this reader needs.
      if (next.v === '!' && !this.python) {
        const after = this.tokens[primary.end + 1];
        if (!after || after.v === ',' || (after.t === 'p' && closers.has(after.v)))
          return { ...primary, end: primary.end + 1 };
      }
    }
    if (!primary && token.t === 'p' && (closers.has(token.v) || token.v === ',' || token.v === ';'))
      return { expr: { k: 'other', s: token.s, e: token.s }, end: i };
    const end = this.skip(primary ? primary.end : i);
    const last = this.tokens[end - 1] ?? token;
    return { expr: { k: 'other', s: token.s, e: last.e }, end };
  }

  private primary(i: number, depth: number): { expr: Expr; end: number } | undefined {
    const token = this.tokens[i];
    if (token.t === 'str' || token.t === 'tpl') {
      // Adjacent string literals (Python) are one string.
      if (this.tokens[i + 1]?.t === 'str' || this.tokens[i + 1]?.t === 'tpl') return undefined;
      return { expr: { k: token.t, v: token.v, s: token.s, e: token.e }, end: i + 1 };
    }
    if (token.t === 'num') {
      const value = Number(token.v.replace(/_/g, ''));
      return Number.isFinite(value)
        ? { expr: { k: 'num', v: value, s: token.s, e: token.e }, end: i + 1 }
        : undefined;
    }
    if (token.t === 'id' && token.v === 'new' && !this.python) {
      const inner = this.call(i + 1, depth + 1);
      return inner ? { expr: inner.call, end: inner.end } : undefined;
    }
    if (token.t === 'id') {
      const called = this.call(i, depth + 1);
      if (called) return this.postfix(called.call, called.end);
      const path = this.path(i)!;
      return { expr: { k: 'name', v: path.v, s: token.s, e: this.tokens[path.end - 1].e }, end: path.end };
    }
    if (token.v === '{') return this.object(i, depth);
    return undefined;
  }

  /** A call followed by `.name` or more calls: kept only when nothing follows. */
  private postfix(call: CallExpr, end: number): { expr: Expr; end: number } | undefined {
    const next = this.tokens[end];
    if (next?.v === '.' || next?.v === '(' || next?.v === '[') {
      // `Path(__file__).parent`, `fn().x`: as a name of the call's text, which no caller resolves.
      return undefined;
    }
    return { expr: call, end };
  }

  /** `{ … }`: a TS object literal or a Python dict. */
  private object(i: number, depth: number): { expr: Expr; end: number } {
    const object: ObjectExpr = {
      k: 'obj',
      entries: [],
      opaque: false,
      s: this.tokens[i].s,
      e: this.tokens[i].e,
    };
    let j = i + 1;
    while (j < this.tokens.length && !this.spent()) {
      const token = this.tokens[j];
      if (token.v === '}') {
        object.e = token.e;
        return { expr: object, end: j + 1 };
      }
      if (token.v === ',') {
        j++;
        continue;
      }
      const key = token.t === 'id' || token.t === 'str' || token.t === 'num' ? token.v : undefined;
      const after = this.tokens[j + 1]?.v;
      if (key !== undefined && after === ':') {
        const value = this.expr(j + 2, depth + 1);
        object.entries.push({ key, keyS: token.s, keyE: token.e, value: value.expr });
        j = this.skip(value.end);
      } else if (!this.python && token.t === 'id' && (after === ',' || after === '}')) {
        object.entries.push({
          key: token.v,
          keyS: token.s,
          keyE: token.e,
          value: { k: 'name', v: token.v, s: token.s, e: token.e },
        });
        j++;
      } else {
        // A spread, a computed key, a method, `**other`: not seen.
        object.opaque = true;
        j = this.skip(j + 1);
      }
    }
    object.e = this.tokens[j - 1]?.e ?? object.e;
    return { expr: object, end: j };
  }
}

/** `desired_count` → `desiredCount`: Python props read by their TypeScript names. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The props of a call: its object argument (TS, after scope and id) or its keyword arguments (Python). */
export function propsOf(call: CallExpr, python: boolean, index = 2): ObjectExpr | Expr | undefined {
  if (python) return call.kwargs.entries.length > 0 || call.kwargs.opaque ? call.kwargs : undefined;
  return call.args[index];
}

/** An object's entry by its TypeScript name (Python keys are read in camelCase). */
export function entry(object: Expr | undefined, name: string): Entry | undefined {
  if (!object) return undefined;
  // A Python props class (`ApplicationLoadBalancedTaskImageOptions(image=…)`) stands for its object.
  const entries = object.k === 'obj' ? object.entries : object.k === 'call' ? object.kwargs.entries : [];
  for (let i = entries.length - 1; i >= 0; i--) if (camel(entries[i].key) === name) return entries[i];
  return undefined;
}

/** An expression as the object it is, TS literal, Python dict, or Python props class; undefined otherwise. */
export function objectOf(expr: Expr | undefined): ObjectExpr | undefined {
  if (expr?.k === 'obj') return expr;
  if (expr?.k === 'call' && /(Props|Options)$/.test(expr.callee) && expr.args.length === 0)
    return expr.kwargs;
  if (expr?.k === 'call' && /^(dict)$/.test(expr.callee) && expr.args.length === 0) return expr.kwargs;
  return undefined;
}
