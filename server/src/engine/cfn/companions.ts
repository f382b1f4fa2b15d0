import type { EditTarget, PlainValue } from '../edit';
import type { Resource, Template } from '../parse/cloudformation';
import { get, resolved, scalarText, type DataNode } from '../parse/tree';
import { FixDeclined } from '../rule';
import type { TextEdit } from '../text';
import { addResource } from './template-additions';

/**
 * Resources that scaffold fixes add beside the one they serve (a dead-letter queue, an alarm,
 * a monitoring role): their bodies, one edit for several of them, and copies of existing values.
 */

/**
 * Whether the resource is written once, outside `Fn::ForEach`: only then does its logical id name
 * one resource that something else in the template can point at. A fix for many resources
 * leaves the others out.
 */
export function standsAlone(resource: Resource): boolean {
  return resource.loop === undefined;
}

/**
 * A new resource's body, carrying over the `Condition` of the resource it serves. A resource
 * inside `Fn::ForEach` would need one companion per copy, which a single new resource is not:
 * the fix is declined.
 */
export function companionBody(
  type: string,
  properties: { [key: string]: PlainValue },
  serves?: Resource,
): { [key: string]: PlainValue } {
  if (serves && !standsAlone(serves))
    throw new FixDeclined(`${serves.logicalId} is written inside Fn::ForEach.`);
  const body: { [key: string]: PlainValue } = { Type: type };
  const condition = serves && scalarText(get(serves.node, 'Condition'));
  if (condition) body.Condition = condition;
  body.Properties = properties;
  return body;
}

/**
 * One edit that appends resources at the end of `Resources`. In a fix's edit list, put it after
 * any edit of the last resource: both insert at the same offset, applied in list order.
 */
export function addResources(
  target: EditTarget,
  template: Template,
  resources: { id: string; body: PlainValue }[],
): TextEdit {
  const edits = resources.map(({ id, body }) => addResource(target, template, id, body));
  return { start: edits[0].start, end: edits[0].end, text: edits.map((e) => e.text).join('') };
}

/**
 * The node as plain data, to write it again elsewhere (`!Ref X` becomes `{Ref: 'X'}`, which the
 * edits write back in the document's form). Undefined when it holds something a copy would not
 * keep: aliases to nothing, merge keys and tags other than CloudFormation's, or more nodes than a
 * property holds (aliases that multiply, which a copy would write out in full).
 */
export function plainValue(node: DataNode | undefined): PlainValue | undefined {
  return copied(node, 0, { left: maxCopiedNodes });
}

/** More than a property of any real template holds; an alias bomb expands to millions. */
const maxCopiedNodes = 10_000;

function copied(node: DataNode | undefined, depth: number, budget: { left: number }): PlainValue | undefined {
  const r = resolved(node);
  if (!r || r.tag || depth > 50 || --budget.left < 0) return undefined;
  if (r.type === 'scalar') return r.value;
  if (r.type === 'seq') {
    const items: PlainValue[] = [];
    for (const item of r.items) {
      const value = copied(item, depth + 1, budget);
      if (value === undefined) return undefined;
      items.push(value);
    }
    return items;
  }
  const object: { [key: string]: PlainValue } = {};
  for (const pair of r.pairs) {
    if (pair.key.value === '<<') return undefined;
    const value = copied(pair.value, depth + 1, budget);
    if (value === undefined) return undefined;
    object[String(pair.key.value)] = value;
  }
  return object;
}
