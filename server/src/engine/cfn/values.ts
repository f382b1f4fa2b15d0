import { replaceScalar, setPath, type EditTarget } from '../edit';
import { possibleValues, provenance, type PossibleValue, type Template } from '../parse/cloudformation';
import { asSeq, getPair, getPath, scalarText, type DataNode, type MapNode } from '../parse/tree';
import type { TextEdit } from '../text';

/**
 * Judging statically known property values and changing them in a fix: every branch of an
 * `Fn::If`, parameter defaults, and the property's default when a branch leaves it out.
 */

/**
 * The values a property can take, with `fallback` standing in for branches that leave it out
 * (`AWS::NoValue`) and for a missing property. Undefined when any value is unknowable.
 */
export function valuesOrDefault(
  template: Template,
  node: DataNode | undefined,
  fallback: string | number | boolean | null,
): { value: string | number | boolean | null; known?: PossibleValue }[] | undefined {
  if (!node) return [{ value: fallback }];
  const values = possibleValues(template, node);
  if (!values) return undefined;
  return values.map((v) => (v.absent ? { value: fallback } : { value: v.value, known: v }));
}

/**
 * The values `node` can take when every branch writes one that passes `test` (a switch that must
 * be off, a policy that must not be `allow-all`). Undefined when a branch leaves the property
 * out or fails the test, or a value cannot be known.
 */
export function valuesAlways(
  template: Template,
  node: DataNode | undefined,
  test: (value: string | number | boolean | null) => boolean,
): PossibleValue[] | undefined {
  const values = node ? possibleValues(template, node) : undefined;
  return values?.every((v) => !v.absent && test(v.value)) ? values : undefined;
}

/** A boolean as CloudFormation reads it (`true`, `"true"`, `"TRUE"`), undefined for anything else. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  return undefined;
}

/** A number as CloudFormation reads it (`7`, `"7"`), undefined for anything else. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Whether a parameter's constraints (AllowedValues, AllowedPattern, Min/MaxValue, length) admit `value`. */
export function parameterAccepts(
  template: Template,
  name: string,
  value: string | number | boolean,
): boolean {
  const parameter = template.parameters.get(name);
  if (!parameter) return false;
  const text = String(value);
  const allowed = asSeq(parameter.node.pairs.find((p) => p.key.value === 'AllowedValues')?.value);
  if (allowed && !allowed.items.some((item) => scalarText(item) === text)) return false;
  const field = (key: string) => scalarText(parameter.node.pairs.find((p) => p.key.value === key)?.value);
  const pattern = field('AllowedPattern');
  if (pattern) {
    try {
      if (!new RegExp(`^(?:${pattern})$`).test(text)) return false;
    } catch {
      return false;
    }
  }
  const number = Number(text);
  const min = field('MinValue');
  const max = field('MaxValue');
  if (min !== undefined && !(number >= Number(min))) return false;
  if (max !== undefined && !(number <= Number(max))) return false;
  const minLength = field('MinLength');
  const maxLength = field('MaxLength');
  if (minLength !== undefined && text.length < Number(minLength)) return false;
  if (maxLength !== undefined && text.length > Number(maxLength)) return false;
  return true;
}

/**
 * Edits that turn each of `values` into `replacement`: the literal in place, or the parameter's
 * Default. Undefined when a parameter's constraints would reject the new default, so that a fix
 * never leaves a template that fails validation.
 */
export function replaceValues(
  target: EditTarget,
  template: Template,
  values: PossibleValue[],
  replacement: string | number | boolean,
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const seen = new Set<number>();
  for (const v of values) {
    if (v.absent || seen.has(v.node.span.start)) continue;
    if (v.parameter && !parameterAccepts(template, v.parameter, replacement)) return undefined;
    seen.add(v.node.span.start);
    edits.push(replaceScalar(target, v.node, replacement));
  }
  return edits.length > 0 ? edits : undefined;
}

/**
 * Edits that make the property at `path` under `owner` take `value` on every branch: written in
 * place when a branch leaves it out (`Ref: AWS::NoValue`) or it is missing, else each literal or
 * parameter default replaced. Undefined when a parameter's constraints would reject the value.
 */
export function settingEdits(
  target: EditTarget,
  template: Template,
  owner: MapNode,
  path: string[],
  values: PossibleValue[] | undefined,
  value: string | number | boolean,
): TextEdit[] | undefined {
  return !values || values.some((v) => v.absent)
    ? [setPath(target, owner, path, value)]
    : replaceValues(target, template, values, value);
}

/** A switch that is not on for sure: where it is written (if it is), and how to turn it on. */
export interface SwitchFailure {
  /** The value as written; undefined when the switch is left out. */
  at?: DataNode;
  /** The switch: the last key of its path. */
  name: string;
  /** Where a written `false` comes from, for messages (see `provenance`); empty when left out. */
  provenance: string;
  edits: () => TextEdit[] | undefined;
}

/** The edits that turn on every one of these switches, or undefined when one of them cannot be. */
export function editsOfAll(failures: readonly SwitchFailure[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const failure of failures) {
    const more = failure.edits();
    if (!more) return undefined;
    edits.push(...more);
  }
  return edits;
}

/**
 * The boolean at `path` under `owner` (`['Properties', 'DeletionProtection']`, or a key of a
 * global table replica) when it is off for sure: left out, or false on every branch that writes
 * it. Undefined when it is on, or may be (a branch that is true, a value the template cannot tell).
 */
export function switchNotOn(
  target: EditTarget,
  template: Template,
  owner: MapNode,
  path: string[],
): SwitchFailure | undefined {
  const name = path[path.length - 1];
  const pair = getPair(getPath(owner, ...path.slice(0, -1)), name);
  if (!pair) return { name, provenance: '', edits: () => [setPath(target, owner, path, true)] };
  const values = possibleValues(template, pair.value);
  if (!values || !values.every((v) => v.absent || asBoolean(v.value) === false)) return undefined;
  return {
    at: pair.value,
    name,
    provenance: provenance(values),
    edits: () => settingEdits(target, template, owner, path, values, true),
  };
}
