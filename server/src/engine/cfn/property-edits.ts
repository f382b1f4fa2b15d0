import { setPath, type EditTarget, type PlainValue } from '../edit';
import type { Resource } from '../parse/cloudformation';
import type { TextEdit } from '../text';

/**
 * Set several properties of a resource in one fix: each in place when `Properties` exists
 * (inserts at the same spot apply in order), else one new `Properties` block holding them all,
 * so that a fix never writes the section twice.
 */
export function setProperties(
  target: EditTarget,
  resource: Resource,
  properties: [string, PlainValue][],
): TextEdit[] {
  if (!resource.properties) {
    return [setPath(target, resource.node, ['Properties'], Object.fromEntries(properties))];
  }
  const map = resource.properties;
  return properties.map(([key, value]) => setPath(target, map, [key], value));
}
