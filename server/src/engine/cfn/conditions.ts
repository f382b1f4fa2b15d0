import { intrinsic, possibleValues, type Template } from '../parse/cloudformation';
import { asMap, asSeq, get, scalarText, type DataNode } from '../parse/tree';

/** What a condition comes to when the stack is deployed with every parameter left at its default. */
export interface DefaultOutcome {
  holds: boolean;
  /** The parameters whose defaults decide it. */
  parameters: string[];
}

/**
 * A condition of the template evaluated with the parameters' defaults (`Fn::Equals`, `Fn::Not`,
 * `Fn::And`, `Fn::Or`, `Condition`); undefined when something in it cannot be known before
 * deployment (a parameter without default, a pseudo parameter, an import).
 */
export function conditionByDefault(template: Template, name: string, depth = 0): DefaultOutcome | undefined {
  const definition = get(asMap(get(template.root, 'Conditions')), name);
  return definition && depth < 20 ? evaluate(template, definition, depth + 1) : undefined;
}

function evaluate(template: Template, node: DataNode, depth: number): DefaultOutcome | undefined {
  const fn = intrinsic(node);
  if (!fn || depth > 20) return undefined;
  const args = asSeq(fn.argument)?.items ?? [];
  if (fn.name === 'Condition') {
    const other = scalarText(fn.argument);
    return other ? conditionByDefault(template, other, depth) : undefined;
  }
  if (fn.name === 'Fn::Equals') {
    if (args.length !== 2) return undefined;
    const sides = args.map((arg) => possibleValues(template, arg));
    if (sides.some((s) => !s || s.length !== 1 || s[0].absent)) return undefined;
    const [left, right] = sides.map((s) => s![0]);
    return {
      holds: String(left.value) === String(right.value),
      parameters: [left.parameter, right.parameter].filter((p): p is string => !!p),
    };
  }
  const parts = args.map((arg) => evaluate(template, arg, depth + 1));
  if (parts.length === 0 || parts.some((p) => !p)) return undefined;
  const known = parts as DefaultOutcome[];
  const parameters = [...new Set(known.flatMap((p) => p.parameters))];
  if (fn.name === 'Fn::Not') return known.length === 1 ? { holds: !known[0].holds, parameters } : undefined;
  if (fn.name === 'Fn::And') return { holds: known.every((p) => p.holds), parameters };
  if (fn.name === 'Fn::Or') return { holds: known.some((p) => p.holds), parameters };
  return undefined;
}
