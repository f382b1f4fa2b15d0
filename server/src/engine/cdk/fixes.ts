import type { FixKind, SettledFix } from '../rule';
import type { TextEdit } from '../text';
import { pythonName, type L2Prop } from './props';
import type { ConstructCall, PropEntry, SourceFile } from './source';

/** The first aws-cdk-lib version whose Table takes `pointInTimeRecoverySpecification` safely. */
const specificationSince = [2, 190, 0];

function atLeast(version: string | undefined, wanted: number[]): boolean {
  const parts = version?.split('.').map(Number);
  if (!parts || parts.some((p) => Number.isNaN(p))) return false;
  for (let i = 0; i < wanted.length; i++)
    if ((parts[i] ?? 0) !== wanted[i]) return (parts[i] ?? 0) > wanted[i];
  return true;
}

const literal = (file: SourceFile, value: string) =>
  file.language === 'py' && (value === 'true' || value === 'false')
    ? value === 'true'
      ? 'True'
      : 'False'
    : value;

/** The name of a prop as the file's language writes it. */
export function propName(file: SourceFile, name: string): string {
  return file.language === 'py' ? pythonName(name) : name;
}

/** The entry of the call that sets one of these props (any of its names), if written. */
export function findProp(
  file: SourceFile,
  call: ConstructCall,
  names: readonly string[],
): PropEntry | undefined {
  const wanted = new Set(names.map((n) => propName(file, n)));
  return call.props?.entries.find((e) => wanted.has(e.name));
}

/** Adds `name: value` (TS/JS) or `name=value` (Python) to the call's props, in the call's layout. */
export function addProp(
  file: SourceFile,
  call: ConstructCall,
  name: string,
  value: string,
): TextEdit | undefined {
  if (call.opaqueProps || call.props?.opaque) return undefined;
  const { text, lines } = file;
  const py = file.language === 'py';
  const entry = py ? `${propName(file, name)}=${value}` : `${name}: ${value}`;
  const entries = call.props?.entries ?? [];
  if (!py && call.props && entries.length === 0) {
    return { start: call.props.span.start, end: call.props.span.end, text: `{ ${entry} }` };
  }
  const last = entries.length > 0 ? entries[entries.length - 1].span.end : call.afterId;
  if (!py && !call.props) return { start: last, end: last, text: `, { ${entry} }` };
  // A trailing comma after the last argument or prop, and whether each sits on its own line.
  let after = last;
  while (after < text.length && /[ \t]/.test(text[after])) after++;
  const comma = text[after] === ',';
  const first = py ? call.head.start : (call.props?.span.start ?? call.head.start);
  const multiline = lines.lineOf(last) !== lines.lineOf(first) && (py ? entries.length > 0 || comma : true);
  if (!multiline) return { start: last, end: last, text: comma ? ` ${entry},` : `, ${entry}` };
  const indent = lines.indentAt(last);
  if (comma) {
    // After the comment that may end the line: it belongs to the prop before.
    const end = lines.lineEnd(lines.lineOf(after));
    const rest = text.slice(after + 1, end).trim();
    const at = rest.startsWith('//') || rest.startsWith('#') ? end : after + 1;
    return { start: at, end: at, text: `${lines.eol}${indent}${entry},` };
  }
  return { start: last, end: last, text: `,${lines.eol}${indent}${entry}` };
}

/** `RemovalPolicy` as this file can name it, with the import edit it needs (none: it cannot). */
function removalPolicyName(file: SourceFile): { ref: string; edits: TextEdit[] } | undefined {
  const { library, text } = file;
  if (library.names.includes('RemovalPolicy')) return { ref: 'RemovalPolicy', edits: [] };
  if (library.namespace) return { ref: `${library.namespace}.RemovalPolicy`, edits: [] };
  if (library.addNameAt !== undefined)
    return {
      ref: 'RemovalPolicy',
      edits: [{ start: library.addNameAt, end: library.addNameAt, text: ', RemovalPolicy' }],
    };
  const eol = file.lines.eol;
  let line: string;
  if (file.language === 'py') line = 'from aws_cdk import RemovalPolicy';
  else {
    // A CommonJS file without imports would not take an import statement.
    if (library.lastImportEnd === 0 && /\.(js|cjs)$/i.test(file.path)) return undefined;
    const quote = /\bfrom\s+"/.test(text) ? '"' : "'";
    line = `import { RemovalPolicy } from ${quote}aws-cdk-lib${quote};`;
  }
  const at = library.lastImportEnd;
  return {
    ref: 'RemovalPolicy',
    edits: [{ start: at, end: at, text: at === 0 ? `${line}${eol}` : `${eol}${line}` }],
  };
}

export interface SourceFixContext {
  file: SourceFile;
  call: ConstructCall;
  prop: L2Prop;
  /** The aws-cdk-lib version the app was synthesized with (tree.json). */
  libraryVersion?: string;
  /** The most the rule's metadata allows. */
  ruleKind: FixKind | 'no';
}

/**
 * The fix of a mapped prop in the CDK source: the written value corrected, or the prop added.
 * Undefined where no edit is safe to make from here (props spread from elsewhere, a value that is
 * not a literal, a prop with no recipe).
 */
export function sourceFix(context: SourceFixContext): SettledFix | undefined {
  const { file, call, prop, libraryVersion, ruleKind } = context;
  const recipe = prop.fix;
  if (!recipe || ruleKind === 'no') return undefined;
  const kind: FixKind = ruleKind === 'scaffold' ? 'scaffold' : recipe.kind;
  const entry = findProp(file, call, prop.names);
  const py = file.language === 'py';
  const named = (name: string) => propName(file, name);
  const title = py
    ? recipe.title
        .replace(/\b[a-z]+[A-Z]\w*/g, (n) => pythonName(n))
        .replace(/\b(true|false)\b/g, (b) => literal(file, b))
    : recipe.title;
  if (entry) {
    const nested = entry.entries?.find(
      (e) => e.name === named('pointInTimeRecoveryEnabled') || e.name === named('enabled'),
    );
    const target = prop.names[0] === 'pointInTimeRecoverySpecification' && nested ? nested : entry;
    const written = file.text.slice(target.value.start, target.value.end);
    if (recipe.removalPolicy) {
      const match = /^((?:[\w$]+\.)*RemovalPolicy\.)DESTROY$/.exec(written);
      if (!match) return undefined;
      return {
        title,
        kind,
        edits: [{ start: target.value.start, end: target.value.end, text: `${match[1]}${recipe.right}` }],
      };
    }
    if (!recipe.wrong || written !== literal(file, recipe.wrong)) return undefined;
    return {
      title,
      kind,
      edits: [{ start: target.value.start, end: target.value.end, text: literal(file, recipe.right) }],
    };
  }
  if (!recipe.add) return undefined;
  let name = prop.names[0];
  let value = literal(file, recipe.right);
  const edits: TextEdit[] = [];
  if (recipe.removalPolicy) {
    const policy = removalPolicyName(file);
    if (!policy) return undefined;
    value = `${policy.ref}.${recipe.right}`;
    edits.push(...policy.edits);
  } else if (name === 'pointInTimeRecoverySpecification') {
    // Older libraries only know the boolean, which newer ones deprecate.
    const module = call.qualifier;
    if (!atLeast(libraryVersion, specificationSince) || (py && !module)) name = 'pointInTimeRecovery';
    else
      value = py
        ? `${module}.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True)`
        : '{ pointInTimeRecoveryEnabled: true }';
  }
  const added = addProp(file, call, name, value);
  if (!added) return undefined;
  edits.push(added);
  return { title, kind, edits };
}
