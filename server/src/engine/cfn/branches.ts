import { intrinsic } from '../parse/cloudformation';
import { asSeq, scalarText, type DataNode } from '../parse/tree';

/**
 * The alternatives an `Fn::If` offers for any value, scalars and collections alike (what
 * `possibleValues` does for scalars), so that a rule can flag a property only when every
 * branch breaks its lesson.
 */
export interface Branch {
  /** The value on this branch; undefined when the branch leaves the property out. */
  node: DataNode | undefined;
  /** The `Fn::If` conditions on the way to it. */
  conditions: string[];
}

export function branches(node: DataNode | undefined, depth = 0): Branch[] {
  if (!node) return [{ node: undefined, conditions: [] }];
  const fn = intrinsic(node);
  if (fn?.name === 'Ref' && scalarText(fn.argument) === 'AWS::NoValue')
    return [{ node: undefined, conditions: [] }];
  if (fn?.name !== 'Fn::If' || depth > 10) return [{ node, conditions: [] }];
  const args = asSeq(fn.argument)?.items;
  const condition = scalarText(args?.[0]);
  if (!args || args.length !== 3 || !condition) return [{ node, conditions: [] }];
  return [args[1], args[2]].flatMap((branch) =>
    branches(branch, depth + 1).map((b) => ({ node: b.node, conditions: [condition, ...b.conditions] })),
  );
}

/** The conditions on the way to any of `found`, for messages: " (whichever way condition X goes)". */
export function conditionWords(found: Branch[]): string {
  const conditions = [...new Set(found.flatMap((b) => b.conditions))];
  return conditions.length > 0 ? ` (whichever way condition ${conditions.join(', ')} goes)` : '';
}
