import type { Range as NativeRange, Tree as NativeTree, TreeCursor } from 'web-tree-sitter';

/**
 * A syntax tree copied once per parse out of tree-sitter's memory into typed arrays.
 *
 * Reading a tree-sitter node from JavaScript crosses into WebAssembly for every property (its
 * type, each child, each field) and builds a new object each time; the code rules read the same
 * nodes many times over, and on a large file those crossings were most of the time an edit took.
 * Here each node is read once, when the tree is copied, into columns (type, span, parent, field,
 * where its subtree ends) in document order, so that a subtree is a run of rows. After an edit
 * only the rows the parser changed are read again; the runs the edit left alone are copied from
 * the previous tree's columns, moved by the edit's length. `Node` objects are made when a rule
 * asks for a node, one per row and tree.
 *
 * The members of `Node` are those of tree-sitter's nodes that the engine uses, with the same meaning.
 */
export class Tree {
  readonly rootNode: Node;
  /** The grammar's language (one object per grammar in the process). */
  readonly language: object;
  /** How many rows were read from tree-sitter, and how many copied from the previous tree. */
  readonly copied: { read: number; reused: number };
  /** Rows: `count` nodes in document order (pre-order). */
  readonly count: number;
  /** @internal The columns. */
  readonly rows: Rows;
  /** @internal Type and field names, by the grammar's ids. */
  readonly names: { types: readonly string[]; fields: readonly (string | null)[] };
  /** @internal Field ids by name. */
  readonly fieldIds: Map<string, number>;
  /** @internal Type names by the grammar's ids, as nodes give them (`ERROR` for ids without a name). */
  readonly typeNames: readonly string[];
  private readonly nodes: (Node | undefined)[];
  /** @internal The id of row 0; row `r` has id `firstId + r`. */
  readonly firstId: number;
  /** @internal What nodes found out once (most nodes never need them): children, named children, errors. */
  readonly known = {
    children: new Map<number, Node[]>(),
    named: new Map<number, Node[]>(),
    error: new Map<number, boolean>(),
  };
  private readonly byType = new Map<number, readonly Node[]>();

  constructor(
    /** The text the tree was parsed from: nodes' `text` is a slice of it. */
    readonly source: string,
    native: NativeTree,
    previous?: { tree: Tree; edit: TextChange; changed: readonly NativeRange[] },
  ) {
    const language = native.language as unknown as { types: string[]; fields: (string | null)[] };
    this.language = native.language;
    this.names = { types: language.types, fields: language.fields };
    this.fieldIds = fieldIdsOf(language.fields);
    this.typeNames = typeNamesOf(language.types);
    const cursor = native.walk();
    let builder: Builder;
    try {
      builder = new Builder(cursor, previous?.tree.count ?? 1024);
      if (previous && previous.tree.names.types === language.types) {
        builder.changed = previous.changed;
        builder.edit = previous.edit;
        builder.rebuild(previous.tree.rows, 0, -1);
      } else builder.copy(-1);
    } finally {
      cursor.delete();
    }
    // Kept as large as they grew: the rows past `count` are never read.
    this.rows = builder.rows;
    this.count = builder.count;
    this.copied = { read: builder.read, reused: builder.reused };
    this.nodes = new Array(this.count);
    this.firstId = nextIds;
    nextIds += this.count;
    this.rootNode = this.node(0);
    this.known.error.set(0, native.rootNode.hasError);
  }

  /** @internal The node of a row: one object per row. */
  node(row: number): Node {
    return (this.nodes[row] ??= new Node(this, row));
  }

  /**
   * The nodes of one type in document order, as `rootNode.descendantsOfType(type)` gives them.
   * The first question files every row by its type (a counting sort, in one pass); the nodes of
   * a type are made when it is asked for, and remembered.
   */
  ofType(type: string): readonly Node[] {
    const ids = typeIds(this.names.types, type);
    if (ids.length === 0) return none;
    const key = ids[0];
    const known = this.byType.get(key);
    if (known) return known;
    const { starts, rows } = (this.filed ??= this.fileByType());
    const found: Node[] = [];
    for (const id of ids) {
      const slot = id === errorType ? starts.length - 2 : id;
      for (let i = starts[slot]; i < starts[slot + 1]; i++) found.push(this.node(rows[i]));
    }
    if (ids.length > 1) found.sort((a, b) => a.order - b.order);
    this.byType.set(key, found);
    return found;
  }

  /** The nodes of several types in document order: their rows merged by a numeric sort. */
  ofTypes(types: readonly string[]): Node[] {
    const ids = new Set<number>();
    for (const type of types) for (const id of typeIds(this.names.types, type)) ids.add(id);
    const { starts, rows } = (this.filed ??= this.fileByType());
    let total = 0;
    const slots: number[] = [];
    for (const id of ids) {
      const slot = id === errorType ? starts.length - 2 : id;
      // Types without nodes here (most lists name types of several grammars) add nothing.
      if (starts[slot + 1] === starts[slot]) continue;
      slots.push(slot);
      total += starts[slot + 1] - starts[slot];
    }
    const merged = new Int32Array(total);
    let at = 0;
    for (const slot of slots) {
      merged.set(rows.subarray(starts[slot], starts[slot + 1]), at);
      at += starts[slot + 1] - starts[slot];
    }
    // The rows of one type are in document order already.
    if (slots.length > 1) merged.sort();
    const found: Node[] = new Array(total);
    for (let i = 0; i < total; i++) found[i] = this.node(merged[i]);
    return found;
  }

  private filed: { starts: Int32Array; rows: Int32Array } | undefined;

  /** The rows by type: those of type slot `t` are `rows[starts[t] .. starts[t + 1])`, in document order. */
  private fileByType(): { starts: Int32Array; rows: Int32Array } {
    const { type, start, end, after } = this.rows;
    const count = this.count;
    // One slot per type id, one for errors, one past the end.
    const slots = this.names.types.length + 1;
    const errorSlot = slots - 1;
    const starts = new Int32Array(slots + 1);
    // tree-sitter leaves out a node that ends at the very start of the text, and all below it.
    // Such nodes start there too, and rows start in document order: only the first rows, those
    // that start at 0, need the test.
    const kept: number[] = [];
    let row = 0;
    while (row < count && start[row] === 0) {
      if (end[row] === 0) row = after[row];
      else kept.push(row++);
    }
    const rest = row;
    for (const at of kept) {
      const id = type[at];
      starts[(id === errorType ? errorSlot : id) + 1]++;
    }
    for (row = rest; row < count; row++) {
      const id = type[row];
      starts[(id === errorType ? errorSlot : id) + 1]++;
    }
    for (let slot = 0; slot < slots; slot++) starts[slot + 1] += starts[slot];
    const next = starts.slice(0, slots);
    const rows = new Int32Array(starts[slots]);
    for (const at of kept) {
      const id = type[at];
      rows[next[id === errorType ? errorSlot : id]++] = at;
    }
    for (row = rest; row < count; row++) {
      const id = type[row];
      rows[next[id === errorType ? errorSlot : id]++] = row;
    }
    return { starts, rows };
  }
}

/** tree-sitter's type id of an error node. */
const errorType = 65535;
const none: readonly Node[] = [];
let nextIds = 1;

/** Every id a type name has in a grammar (an alias can share a name with a rule). */
const typeIdCache = new WeakMap<readonly string[], Map<string, number[]>>();
function typeIds(types: readonly string[], type: string): number[] {
  let cache = typeIdCache.get(types);
  if (!cache) typeIdCache.set(types, (cache = new Map()));
  let ids = cache.get(type);
  if (!ids) {
    ids = [];
    for (let i = 0; i < types.length; i++) if (types[i] === type) ids.push(i);
    if (type === 'ERROR') ids.push(errorType);
    cache.set(type, ids);
  }
  return ids;
}

const typeNameCache = new WeakMap<readonly string[], readonly string[]>();

/** A grammar's type names as nodes give them: `ERROR` where the grammar has none (one list per grammar). */
function typeNamesOf(types: readonly string[]): readonly string[] {
  let names = typeNameCache.get(types);
  if (!names) {
    // Never as far as the error id.
    names = Array.from(types.slice(0, errorType), (type) => type || 'ERROR');
    typeNameCache.set(types, names);
  }
  return names;
}

const fieldIdCache = new WeakMap<readonly (string | null)[], Map<string, number>>();

/** A grammar's field ids by name (one map per grammar). */
function fieldIdsOf(fields: readonly (string | null)[]): Map<string, number> {
  let ids = fieldIdCache.get(fields);
  if (!ids) {
    ids = new Map();
    for (let i = 1; i < fields.length; i++) if (fields[i] !== null) ids.set(fields[i]!, i);
    fieldIdCache.set(fields, ids);
  }
  return ids;
}

/** An edit of the text, in UTF-16 offsets: `[start, oldEnd)` of the old text became `[start, newEnd)`. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

const flagNamed = 1;
const flagMissing = 2;

/** The columns of a tree's rows; grown while a tree is copied. */
class Rows {
  constructor(
    public type: Uint16Array,
    public field: Uint16Array,
    public flags: Uint8Array,
    public start: Int32Array,
    public end: Int32Array,
    public parent: Int32Array,
    /** The row after the node's last descendant. */
    public after: Int32Array,
  ) {}

  static of(size: number): Rows {
    return new Rows(
      new Uint16Array(size),
      new Uint16Array(size),
      new Uint8Array(size),
      new Int32Array(size),
      new Int32Array(size),
      new Int32Array(size),
      new Int32Array(size),
    );
  }

  get size(): number {
    return this.type.length;
  }

  grown(needed: number, used: number): Rows {
    if (needed <= this.size) return this;
    const next = Rows.of(Math.max(needed, this.size * 2));
    next.type.set(this.type.subarray(0, used));
    next.field.set(this.field.subarray(0, used));
    next.flags.set(this.flags.subarray(0, used));
    next.start.set(this.start.subarray(0, used));
    next.end.set(this.end.subarray(0, used));
    next.parent.set(this.parent.subarray(0, used));
    next.after.set(this.after.subarray(0, used));
    return next;
  }
}

/** A node: its tree and its row, and nothing else (a large file's rules make tens of thousands). */
export class Node {
  constructor(
    readonly tree: Tree,
    /** Its row: its place in document order among the tree's nodes. */
    readonly order: number,
  ) {}

  /** Unique among the nodes of every tree copied in this process. */
  get id(): number {
    return this.tree.firstId + this.order;
  }

  get type(): string {
    const { tree } = this;
    const type = tree.rows.type[this.order];
    const names = tree.typeNames;
    // The error id is past the end of the names.
    return type < names.length ? names[type] : 'ERROR';
  }

  get startIndex(): number {
    return this.tree.rows.start[this.order];
  }

  get endIndex(): number {
    return this.tree.rows.end[this.order];
  }

  get isNamed(): boolean {
    return (this.tree.rows.flags[this.order] & flagNamed) !== 0;
  }

  get isMissing(): boolean {
    return (this.tree.rows.flags[this.order] & flagMissing) !== 0;
  }

  get text(): string {
    const { rows } = this.tree;
    return this.tree.source.slice(rows.start[this.order], rows.end[this.order]);
  }

  get parent(): Node | null {
    const parent = this.tree.rows.parent[this.order];
    return parent < 0 ? null : this.tree.node(parent);
  }

  /** Every child, anonymous tokens included. */
  get children(): Node[] {
    const { known } = this.tree;
    let kids = known.children.get(this.order);
    if (!kids) {
      const { rows } = this.tree;
      kids = [];
      const end = rows.after[this.order];
      for (let row = this.order + 1; row < end; row = rows.after[row]) kids.push(this.tree.node(row));
      known.children.set(this.order, kids);
    }
    return kids;
  }

  get namedChildren(): Node[] {
    const { known } = this.tree;
    let named = known.named.get(this.order);
    if (!named) known.named.set(this.order, (named = this.children.filter((child) => child.isNamed)));
    return named;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get childCount(): number {
    return this.children.length;
  }

  /** Whether this node or one below it is a syntax error or a token the parser had to assume. */
  get hasError(): boolean {
    const { known, rows } = this.tree;
    let error = known.error.get(this.order);
    if (error === undefined) {
      error = false;
      for (let row = this.order, end = rows.after[this.order]; row < end && !error; row++)
        error = rows.type[row] === errorType || (rows.flags[row] & flagMissing) !== 0;
      known.error.set(this.order, error);
    }
    return error;
  }

  childForFieldName(name: string): Node | null {
    const { rows } = this.tree;
    const id = this.tree.fieldIds.get(name);
    if (id === undefined) return null;
    const end = rows.after[this.order];
    for (let row = this.order + 1; row < end; row = rows.after[row])
      if (rows.field[row] === id) return this.tree.node(row);
    return null;
  }

  childrenForFieldName(name: string): Node[] {
    const { rows } = this.tree;
    const found: Node[] = [];
    const id = this.tree.fieldIds.get(name);
    if (id === undefined) return found;
    const end = rows.after[this.order];
    for (let row = this.order + 1; row < end; row = rows.after[row])
      if (rows.field[row] === id) found.push(this.tree.node(row));
    return found;
  }

  get nextSibling(): Node | null {
    const { rows } = this.tree;
    const parent = rows.parent[this.order];
    const next = rows.after[this.order];
    return parent >= 0 && next < rows.after[parent] ? this.tree.node(next) : null;
  }

  get previousSibling(): Node | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    const at = siblings.indexOf(this);
    return at > 0 ? siblings[at - 1] : null;
  }

  get nextNamedSibling(): Node | null {
    for (let next = this.nextSibling; next; next = next.nextSibling) if (next.isNamed) return next;
    return null;
  }

  get previousNamedSibling(): Node | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    for (let i = siblings.indexOf(this) - 1; i >= 0; i--) if (siblings[i].isNamed) return siblings[i];
    return null;
  }

  /** The subtree as tree-sitter writes it: named nodes, with field names, and missing tokens. */
  toString(): string {
    const parts: string[] = [];
    const write = (node: Node, field: string | null) => {
      const prefix = field ? `${field}: ` : '';
      if (node.isMissing) {
        parts.push(`${prefix}(MISSING ${node.isNamed ? node.type : `"${node.type}"`})`);
        return;
      }
      parts.push(`${prefix}(${node.type}`);
      const { rows, names } = node.tree;
      for (const child of node.children) {
        if (!child.isNamed && !child.isMissing) continue;
        parts.push(' ');
        write(child, names.fields[rows.field[child.order]] ?? null);
      }
      parts.push(')');
    };
    write(this, null);
    return parts.join('');
  }

  /**
   * The smallest node at or below this one that holds `[start, end]`, as tree-sitter finds it:
   * a node must reach the range's end, and go past its start unless the node is empty.
   */
  descendantForIndex(start: number, end = start): Node {
    const { rows } = this.tree;
    let node = this.order;
    for (let descended = true; descended;) {
      descended = false;
      for (let row = node + 1, last = rows.after[node]; row < last; row = rows.after[row]) {
        const childStart = rows.start[row];
        const childEnd = rows.end[row];
        if (childEnd < end) continue;
        if (childStart === childEnd ? childEnd < start : childEnd <= start) continue;
        if (start < childStart) break;
        node = row;
        descended = true;
        break;
      }
    }
    return this.tree.node(node);
  }

  /**
   * The nodes of these types at or below this one, in document order, as tree-sitter gives
   * them: the node itself included, and nodes that end at the very start of the text (with all
   * below them) left out.
   */
  descendantsOfType(types: string | readonly string[]): Node[] {
    const names = this.tree.names.types;
    const wanted = new Set<number>();
    for (const type of typeof types === 'string' ? [types] : types)
      for (const id of typeIds(names, type)) wanted.add(id);
    const found: Node[] = [];
    if (wanted.size === 0) return found;
    const { rows } = this.tree;
    const end = rows.after[this.order];
    for (let row = this.order; row < end;) {
      if (rows.end[row] === 0) {
        row = rows.after[row];
        continue;
      }
      if (wanted.has(rows.type[row])) found.push(this.tree.node(row));
      row++;
    }
    return found;
  }
}

/** `length` values of `source` from `from`, each plus `by`, written into `target` from `to`. */
function shifted(
  target: Int32Array,
  source: Int32Array,
  from: number,
  to: number,
  length: number,
  by: number,
) {
  if (by === 0) {
    target.set(source.subarray(from, from + length), to);
    return;
  }
  for (let i = 0; i < length; i++) target[to + i] = source[from + i] + by;
}

/** Reads rows from a tree-sitter cursor, and copies the runs an edit left alone from an earlier tree. */
class Builder {
  changed: readonly NativeRange[] = [];
  edit: TextChange | undefined;
  rows: Rows;
  count = 0;
  read = 0;
  reused = 0;

  constructor(
    private readonly cursor: TreeCursor,
    size: number,
  ) {
    this.rows = Rows.of(Math.max(16, size + 64));
  }

  /** The cursor's node and everything below it, read from tree-sitter; returns its row. */
  copy(parent: number): number {
    const { cursor } = this;
    const root = this.row(parent, 0);
    if (!cursor.gotoFirstChild()) {
      this.rows.after[root] = this.count;
      return root;
    }
    // An explicit stack: nesting depth is not bounded by the call stack.
    const open: number[] = [root];
    for (;;) {
      const row = this.row(open[open.length - 1], cursor.currentFieldId);
      if (cursor.gotoFirstChild()) {
        open.push(row);
        continue;
      }
      this.rows.after[row] = this.count;
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        this.rows.after[open.pop()!] = this.count;
        if (open.length === 0) return root;
      }
    }
  }

  /**
   * The cursor's node, rebuilt from row `old` of the previous tree (the same node there):
   * children the edit and the parser's changes do not reach are copied from the old rows
   * (their offsets moved by the edit), the others read or rebuilt.
   */
  rebuild(old: Rows, oldRow: number, parent: number, field = 0): number {
    const { cursor } = this;
    const row = this.row(parent, field);
    if (cursor.gotoFirstChild()) {
      let next = oldRow + 1;
      const oldLast = old.after[oldRow];
      // Untouched children that follow each other in the old rows are copied as one run (a file's
      // top level has a thousand statements, most of them untouched by a keystroke).
      let run: { from: number; upTo: number; delta: number } | undefined;
      const flush = () => {
        if (run) this.take(old, run.from, run.upTo - run.from, row, run.delta);
        run = undefined;
      };
      do {
        const childField = cursor.currentFieldId;
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        const oldStart = this.before(start);
        const oldEnd = this.before(end);
        // The old children are in order: look on from the last one matched.
        if (oldStart !== undefined)
          while (next < oldLast && old.start[next] < oldStart) next = old.after[next];
        const match =
          next < oldLast &&
          oldStart !== undefined &&
          old.start[next] === oldStart &&
          old.end[next] === oldEnd &&
          old.field[next] === childField &&
          old.type[next] === cursor.nodeTypeId;
        if (match && this.untouched(start, end)) {
          const delta = end <= this.edit!.start ? 0 : this.shift();
          if (run && run.upTo === next && run.delta === delta) run.upTo = old.after[next];
          else {
            flush();
            run = { from: next, upTo: old.after[next], delta };
          }
          next = old.after[next];
        } else if (match) {
          flush();
          this.rebuild(old, next, row, childField);
          next = old.after[next];
        } else {
          flush();
          const child = this.copy(row);
          this.rows.field[child] = childField;
        }
      } while (cursor.gotoNextSibling());
      flush();
      cursor.gotoParent();
    }
    this.rows.after[row] = this.count;
    return row;
  }

  /** A row for the cursor's node. */
  private row(parent: number, field: number): number {
    const { cursor } = this;
    this.rows = this.rows.grown(this.count + 1, this.count);
    const rows = this.rows;
    const row = this.count++;
    this.read++;
    rows.type[row] = cursor.nodeTypeId;
    rows.field[row] = field;
    rows.flags[row] = (cursor.nodeIsNamed ? flagNamed : 0) | (cursor.nodeIsMissing ? flagMissing : 0);
    rows.start[row] = cursor.startIndex;
    rows.end[row] = cursor.endIndex;
    rows.parent[row] = parent;
    return row;
  }

  /** Old rows `[from, from + length)`, whole subtrees side by side, moved by `delta`, under a new parent. */
  private take(old: Rows, from: number, length: number, parent: number, delta: number): void {
    const to = this.count;
    this.rows = this.rows.grown(to + length, to);
    const rows = this.rows;
    rows.type.set(old.type.subarray(from, from + length), to);
    rows.field.set(old.field.subarray(from, from + length), to);
    rows.flags.set(old.flags.subarray(from, from + length), to);
    const moved = to - from;
    // One column at a time, each a plain copy when nothing moves.
    shifted(rows.start, old.start, from, to, length, delta);
    shifted(rows.end, old.end, from, to, length, delta);
    shifted(rows.parent, old.parent, from, to, length, moved);
    shifted(rows.after, old.after, from, to, length, moved);
    // The subtrees' own roots hang from the new parent.
    for (let root = to; root < to + length; root = rows.after[root]) rows.parent[root] = parent;
    this.count += length;
    this.reused += length;
  }

  private shift(): number {
    return this.edit!.newEnd - this.edit!.oldEnd;
  }

  /** The offset in the old text of a new offset outside the edit, or undefined inside it. */
  private before(at: number): number | undefined {
    const edit = this.edit!;
    if (at <= edit.start) return at;
    if (at >= edit.newEnd) return at - this.shift();
    return undefined;
  }

  /** Whether neither the edit nor a range the parser changed touches `[start, end)`. */
  private untouched(start: number, end: number): boolean {
    const edit = this.edit!;
    // Touching counts: a token that ends where the edit starts may have grown.
    if (start <= edit.newEnd && end >= edit.start) return false;
    for (const range of this.changed) if (start <= range.endIndex && end >= range.startIndex) return false;
    return true;
  }
}
