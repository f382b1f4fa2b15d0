import type { Node } from '../parse/syntax-tree';
import { grammarFor, parseCode, type CodeModel } from '../parse/code';
import { LineIndex, type Span } from '../text';

/** One prop of a construct: `publiclyAccessible: true` (TS/JS) or `publicly_accessible=True` (Python). */
export interface PropEntry {
  name: string;
  /** The whole entry, name and value. */
  span: Span;
  value: Span;
  /** For an object value (`pointInTimeRecoverySpecification: {…}`): its own entries. */
  entries?: PropEntry[];
}

/** The props a construct is given, as far as the source shows them. */
export interface Props {
  entries: PropEntry[];
  /** A spread (`...defaults`) or `**kwargs`: props this code cannot see. */
  opaque: boolean;
  /** TS/JS: the object literal (`{` … `}`). Python: the call's argument list. */
  span: Span;
}

/** `new X(scope, 'Id', props)` (TS/JS) or `X(scope, "Id", **props)` (Python) with a literal id. */
export interface ConstructCall {
  id: string;
  /** The constructor as written (`rds.DatabaseInstance`). */
  callee: string;
  /** Its last name (`DatabaseInstance`). */
  className: string;
  /** The module alias before it (`rds`), when there is one. */
  qualifier?: string;
  /** The scope argument as written (`this`, `self`, `app`). */
  scope: string;
  span: Span;
  /** From `new` (or the callee) to the end of the id: where a finding about the whole construct points. */
  head: Span;
  /** The end of the id argument: props are added after it. */
  afterId: number;
  /** TS/JS: the props object; Python: the keyword arguments. Undefined: none are given. */
  props?: Props;
  /** The third argument is something else than an object literal (a variable, a call). */
  opaqueProps?: boolean;
}

/** How the file imports aws-cdk-lib's top level (where `RemovalPolicy` lives). */
export interface LibraryImport {
  /** Names imported by `import { … } from 'aws-cdk-lib'` or `from aws_cdk import …`. */
  names: string[];
  /** Where a name can be added to that import (after its last name). */
  addNameAt?: number;
  /** `import * as cdk from 'aws-cdk-lib'`, `import aws_cdk as cdk`: the alias. */
  namespace?: string;
  /** The end of the last top-level import: a new import goes after it (0: at the top). */
  lastImportEnd: number;
}

export interface SourceFile {
  path: string;
  text: string;
  lines: LineIndex;
  language: 'ts' | 'py';
  calls: ConstructCall[];
  library: LibraryImport;
}

const spanOf = (node: Node): Span => ({ start: node.startIndex, end: node.endIndex });

/** The value of a string literal without substitutions, else undefined. */
function literalString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') {
    if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
    return unquote(node.text);
  }
  if (node.type === 'template_string') {
    return node.namedChildren.some((c) => c?.type === 'template_substitution')
      ? undefined
      : node.text.slice(1, -1);
  }
  return undefined;
}

function unquote(text: string): string | undefined {
  const match = /^[rRuUbB]?(['"]{3}|['"])([\s\S]*)\1$/.exec(text);
  return match ? match[2] : undefined;
}

function entriesOfObject(object: Node): { entries: PropEntry[]; opaque: boolean } {
  const entries: PropEntry[] = [];
  let opaque = false;
  for (const child of object.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (!key || !value) continue;
      const name = key.type === 'property_identifier' ? key.text : literalString(key);
      if (name === undefined) {
        opaque = true;
        continue;
      }
      const entry: PropEntry = { name, span: spanOf(child), value: spanOf(value) };
      if (value.type === 'object') entry.entries = entriesOfObject(value).entries;
      entries.push(entry);
    } else if (child.type === 'shorthand_property_identifier') {
      entries.push({ name: child.text, span: spanOf(child), value: spanOf(child) });
    } else if (child.type === 'spread_element' || child.type === 'method_definition') {
      opaque = true;
    }
  }
  return { entries, opaque };
}

function keywordEntries(args: Node): { entries: PropEntry[]; opaque: boolean } {
  const entries: PropEntry[] = [];
  let opaque = false;
  for (const child of args.namedChildren) {
    if (!child) continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (!name || !value) continue;
      const entry: PropEntry = { name: name.text, span: spanOf(child), value: spanOf(value) };
      // `dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=False)`
      const inner = value.type === 'call' ? value.childForFieldName('arguments') : null;
      if (inner) entry.entries = keywordEntries(inner).entries;
      entries.push(entry);
    } else if (child.type === 'dictionary_splat' || child.type === 'list_splat') opaque = true;
  }
  return { entries, opaque };
}

function calleeParts(callee: Node): { className: string; qualifier?: string } {
  if (callee.type === 'member_expression' || callee.type === 'attribute') {
    const property = callee.childForFieldName(callee.type === 'attribute' ? 'attribute' : 'property');
    const object = callee.childForFieldName('object');
    return { className: property?.text ?? callee.text, qualifier: object?.text };
  }
  return { className: callee.text };
}

function tsCalls(root: Node): ConstructCall[] {
  const calls: ConstructCall[] = [];
  for (const node of root.descendantsOfType('new_expression')) {
    if (!node) continue;
    const callee = node.childForFieldName('constructor');
    const args = node.childForFieldName('arguments');
    if (!callee || !args) continue;
    const list = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const id = literalString(list[1]);
    if (id === undefined) continue;
    const call: ConstructCall = {
      id,
      callee: callee.text,
      ...calleeParts(callee),
      scope: list[0].text,
      span: spanOf(node),
      head: { start: node.startIndex, end: list[1].endIndex },
      afterId: list[1].endIndex,
    };
    const third = list[2];
    if (third?.type === 'object') call.props = { ...entriesOfObject(third), span: spanOf(third) };
    else if (third) call.opaqueProps = true;
    calls.push(call);
  }
  return calls;
}

function pyCalls(root: Node): ConstructCall[] {
  const calls: ConstructCall[] = [];
  for (const node of root.descendantsOfType('call')) {
    if (!node) continue;
    const callee = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!callee || !args || args.type !== 'argument_list') continue;
    const positional = args.namedChildren.filter(
      (c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument',
    );
    const id = positional[1]?.type === 'string' ? literalString(positional[1]) : undefined;
    if (id === undefined) continue;
    const call: ConstructCall = {
      id,
      callee: callee.text,
      ...calleeParts(callee),
      scope: positional[0].text,
      span: spanOf(node),
      head: { start: node.startIndex, end: positional[1].endIndex },
      afterId: positional[1].endIndex,
    };
    const { entries, opaque } = keywordEntries(args);
    if (positional.length > 2) call.opaqueProps = true;
    if (entries.length > 0 || opaque) call.props = { entries, opaque, span: spanOf(args) };
    calls.push(call);
  }
  return calls;
}

function tsLibrary(root: Node): LibraryImport {
  const library: LibraryImport = { names: [], lastImportEnd: 0 };
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      library.lastImportEnd = statement.endIndex;
      const source = literalString(statement.childForFieldName('source'));
      if (source !== 'aws-cdk-lib' || /^import\s+type\b/.test(statement.text)) continue;
      const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
      for (const part of clause?.namedChildren ?? []) {
        if (part?.type === 'namespace_import') library.namespace = part.namedChildren[0]?.text;
        if (part?.type === 'named_imports') {
          const specifiers = part.namedChildren.filter((c): c is Node => c?.type === 'import_specifier');
          for (const specifier of specifiers)
            if (!/^type\s/.test(specifier.text))
              library.names.push(specifier.childForFieldName('alias')?.text ?? specifier.text);
          const classes = specifiers.filter((c) => !/^(type\s+)?aws_/.test(c.text));
          if (classes.length > 0 && library.addNameAt === undefined)
            library.addNameAt = specifiers[specifiers.length - 1].endIndex;
        }
      }
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      // `const cdk = require('aws-cdk-lib');`
      const match = /^(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]aws-cdk-lib['"]\s*\)/.exec(
        statement.text,
      );
      if (match) {
        library.namespace = match[1];
        library.lastImportEnd = statement.endIndex;
      }
    }
  }
  return library;
}

function pyLibrary(root: Node): LibraryImport {
  const library: LibraryImport = { names: [], lastImportEnd: 0 };
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_from_statement') {
      library.lastImportEnd = statement.endIndex;
      if (statement.childForFieldName('module_name')?.text !== 'aws_cdk') continue;
      const names = statement.childrenForFieldName('name').filter((n): n is Node => !!n);
      for (const name of names)
        library.names.push(
          name.type === 'aliased_import' ? (name.childForFieldName('alias')?.text ?? name.text) : name.text,
        );
      // Beside the classes it imports, not in a line of module imports (`aws_sqs as sqs`).
      const classes = names.filter(
        (n) =>
          !/^aws_/.test(n.type === 'aliased_import' ? (n.childForFieldName('name')?.text ?? '') : n.text),
      );
      if (classes.length > 0 && library.addNameAt === undefined)
        library.addNameAt = names[names.length - 1].endIndex;
    } else if (statement.type === 'import_statement') {
      library.lastImportEnd = statement.endIndex;
      for (const name of statement.childrenForFieldName('name')) {
        if (name?.type === 'aliased_import' && name.childForFieldName('name')?.text === 'aws_cdk')
          library.namespace = name.childForFieldName('alias')?.text;
        else if (name?.text === 'aws_cdk') library.namespace = 'aws_cdk';
      }
    } else if (statement.type !== 'comment' && !isDocstring(statement) && library.lastImportEnd > 0) break;
  }
  return library;
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildren[0]?.type === 'string';
}

/** Whether a file can declare constructs: TypeScript, JavaScript or Python, not a declaration file. */
export function isConstructSource(path: string): boolean {
  return /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|py)$/i.test(path) && !/\.d\.[cm]?ts$/i.test(path);
}

/** The construct calls and the aws-cdk-lib import of a parsed source file. */
export function sourceFileOf(path: string, text: string, code: CodeModel): SourceFile {
  const python = code.grammar === 'python';
  return {
    path,
    text,
    lines: new LineIndex(text),
    language: python ? 'py' : 'ts',
    calls: python ? pyCalls(code.root) : tsCalls(code.root),
    library: python ? pyLibrary(code.root) : tsLibrary(code.root),
  };
}

/** The same, parsing the text (the syntax tree is freed). */
export async function readSource(path: string, text: string): Promise<SourceFile> {
  const code = await parseCode(text, grammarFor(path, undefined, /\.py$/i.test(path)));
  try {
    return sourceFileOf(path, text, code);
  } finally {
    code.dispose();
  }
}
