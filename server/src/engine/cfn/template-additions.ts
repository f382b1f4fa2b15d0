import { insertPair, insertPairBefore, removePair, type EditTarget, type PlainValue } from '../edit';
import { uniqueName } from '../names';
import type { Resource, Template } from '../parse/cloudformation';
import { asMap, get, getPair, scalarText } from '../parse/tree';
import type { TextEdit } from '../text';

/**
 * Fixes that add to a template: new resources and parameters with names derived from the
 * resource they serve (`OrdersDb` → `OrdersDbSecret`), never colliding with an existing name.
 */

/** Names taken in each template's shared namespace, read once: a fix may name many new resources. */
const takenByTemplate = new WeakMap<Template, ReadonlySet<string>>();

/** Every name already taken in the template's shared namespace (resources, parameters, conditions, …). */
function takenNames(template: Template): ReadonlySet<string> {
  const known = takenByTemplate.get(template);
  if (known) return known;
  const taken = new Set<string>();
  for (const section of ['Resources', 'Parameters', 'Conditions', 'Mappings', 'Outputs', 'Rules']) {
    for (const pair of asMap(get(template.root, section))?.pairs ?? []) taken.add(String(pair.key.value));
  }
  takenByTemplate.set(template, taken);
  return taken;
}

/**
 * `base` made a valid logical id (alphanumeric) and unique: `OrdersDbSecret`, else
 * `OrdersDbSecret2`, … `reserved` holds the names a fix has already chosen for other additions.
 */
export function uniqueLogicalId(template: Template, base: string, reserved: Iterable<string> = []): string {
  const taken = takenNames(template);
  const chosen: ReadonlySet<string> = reserved instanceof Set ? reserved : new Set(reserved);
  return uniqueName(
    base.replace(/[^A-Za-z0-9]/g, '') || 'Resource',
    (name) => taken.has(name) || chosen.has(name),
  );
}

/** Whether `addResource` can add to the template: it has a `Resources` mapping. */
export function canAddResource(template: Template): boolean {
  return asMap(get(template.root, 'Resources')) !== undefined;
}

/** Add a resource as the last entry of `Resources`. */
export function addResource(
  target: EditTarget,
  template: Template,
  logicalId: string,
  body: PlainValue,
): TextEdit {
  const resources = asMap(get(template.root, 'Resources'));
  if (!resources) throw new Error('The template has no Resources section to add to.');
  return insertPair(target, resources, logicalId, body);
}

/** Add a parameter: to `Parameters` when there is one, else in a new section just above `Resources`. */
export function addParameter(
  target: EditTarget,
  template: Template,
  name: string,
  body: PlainValue,
): TextEdit {
  const parameters = asMap(get(template.root, 'Parameters'));
  if (parameters && !parameters.shortForm && parameters.pairs.length > 0) {
    return insertPair(target, parameters, name, body);
  }
  const section = getPair(template.root, 'Parameters');
  if (section && parameters) return insertPair(target, parameters, name, body);
  const resources = getPair(template.root, 'Resources');
  // `Parameters:` with nothing under it gives way to the new section, so that there is only one.
  if (section && resources && section !== resources) {
    return mergedEdit(target, [
      removePair(target, template.root, section),
      insertPairBefore(target, template.root, resources, 'Parameters', { [name]: body }),
    ]);
  }
  if (!resources) return insertPair(target, template.root, 'Parameters', { [name]: body });
  return insertPairBefore(target, template.root, resources, 'Parameters', { [name]: body });
}

/** Non-overlapping edits as one edit over the span they cover (a fix step that must stay whole). */
function mergedEdit(target: EditTarget, edits: TextEdit[]): TextEdit {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let text = '';
  let cursor = sorted[0].start;
  for (const edit of sorted) {
    text += target.text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return { start: sorted[0].start, end: cursor, text };
}

/** A name to build new logical ids from: the resource's own. */
export function baseName(resource: Resource): string {
  return resource.logicalId.replace(/[^A-Za-z0-9]/g, '');
}

/**
 * Add resource attributes (`DeletionPolicy`, `UpdateReplacePolicy`, …) right after the
 * resource's `Type`, where readers look for them, as one edit.
 */
export function addResourceAttributes(
  target: EditTarget,
  resource: Resource,
  attributes: [string, PlainValue][],
): TextEdit {
  const pairs = resource.node.pairs;
  const typeIndex = pairs.findIndex((p) => p.key.value === 'Type');
  const next = typeIndex >= 0 ? pairs[typeIndex + 1] : undefined;
  const edits = attributes.map(([key, value]) =>
    next
      ? insertPairBefore(target, resource.node, next, key, value)
      : insertPair(target, resource.node, key, value),
  );
  const eol = target.lines.eol;
  const block = target.format === 'yaml' && !resource.node.flow;
  // Before a key, each block entry may carry a blank line to keep the spacing above it: keep only the last one.
  const texts = edits.map((e, i) =>
    next && block && i < edits.length - 1 && e.text.endsWith(eol + eol)
      ? e.text.slice(0, -eol.length)
      : e.text,
  );
  return { start: edits[0].start, end: edits[0].end, text: texts.join('') };
}

/**
 * The condition a resource is created under, if any: a resource added to serve it takes the same
 * `Condition`, and a list that names it wraps it in `Fn::If`, so that nothing refers to a resource
 * that may not exist.
 */
export function resourceCondition(resource: Resource): string | undefined {
  return scalarText(getPair(resource.node, 'Condition')?.value);
}
