import type { Node } from '../parse/syntax-tree';
import type { CodeModel } from '../parse/code';

/**
 * Numbers the code writes out: `60000`, `60_000`, `60 * 1000`, `(45 + 15) * 1000`, and a
 * module-level constant holding one (`const DRAIN_MS = 60_000`, `GRACE = 40`). Undefined for
 * anything read at run time (the environment, a parameter, a call).
 */
export function literalNumber(
  model: CodeModel,
  node: Node | null | undefined,
  depth = 0,
): number | undefined {
  if (!node || depth > 6) return undefined;
  switch (node.type) {
    case 'number':
    case 'integer':
    case 'float': {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(value) ? value : undefined;
    }
    case 'parenthesized_expression':
      return literalNumber(model, node.namedChildren[0], depth + 1);
    case 'binary_expression':
    case 'binary_operator': {
      const left = literalNumber(model, node.childForFieldName('left'), depth + 1);
      const right = literalNumber(model, node.childForFieldName('right'), depth + 1);
      if (left === undefined || right === undefined) return undefined;
      switch (node.childForFieldName('operator')?.text) {
        case '*':
          return left * right;
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '/':
          return right === 0 ? undefined : left / right;
        default:
          return undefined;
      }
    }
    case 'identifier': {
      const value = moduleConstant(model, node.text);
      return value ? literalNumber(model, value, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The value of a name the file's top level binds once: JS `const NAME = …`, Python `NAME = …`
 * (assigned once at the top level and nowhere else in the file).
 */
export function moduleConstant(model: CodeModel, name: string): Node | undefined {
  let found: Node | undefined;
  let count = 0;
  for (const statement of model.root.namedChildren) {
    if (!statement) continue;
    const declaration = statement.type === 'export_statement' ? statement.namedChildren[0] : statement;
    if (declaration?.type === 'lexical_declaration' && declaration.text.startsWith('const')) {
      for (const declarator of declaration.namedChildren)
        if (
          declarator?.type === 'variable_declarator' &&
          declarator.childForFieldName('name')?.text === name
        ) {
          found = declarator.childForFieldName('value') ?? undefined;
          count++;
        }
    } else if (statement.type === 'expression_statement') {
      const assignment = statement.namedChildren[0];
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) {
        found = assignment.childForFieldName('right') ?? undefined;
        count++;
      }
    }
  }
  if (count !== 1 || !found) return undefined;
  // Python: a name assigned again inside a function (`global NAME`) is not a constant.
  if (model.grammar === 'python' && new RegExp(`\\bglobal\\b[^\\n]*\\b${name}\\b`).test(model.root.text))
    return undefined;
  return found;
}
