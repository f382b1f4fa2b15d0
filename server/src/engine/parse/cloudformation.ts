import type { Span } from '../text';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  scalarText,
  type DataNode,
  type DocumentFormat,
  type MapNode,
  type Pair,
  type ScalarNode,
} from './tree';

export interface Resource {
  logicalId: string;
  /** The logical id as written: where findings about a missing property point. */
  idNode: ScalarNode;
  pair: Pair;
  node: MapNode;
  type: string | undefined;
  typeNode: ScalarNode | undefined;
  /** Undefined when left out, and when `conditionalProperties` is set. */
  properties: MapNode | undefined;
  span: Span;
  /**
   * Set when `Properties` as a whole is an intrinsic (`Properties: !If [IsProd, {…}, {…}]`): what
   * the resource has is decided at deployment, so rules do not judge it (`resourcesOfType` leaves
   * it out) and no fix writes into it.
   */
  conditionalProperties?: boolean;
  /** Set for a resource written inside `Fn::ForEach::<loop>`: its logical id holds `${…}`. */
  loop?: string;
}

export interface Parameter {
  name: string;
  idNode: ScalarNode;
  node: MapNode;
  type: string | undefined;
  default: DataNode | undefined;
}

/** A CloudFormation or SAM template over the shared YAML/JSON tree. */
export interface Template {
  format: DocumentFormat;
  root: MapNode;
  resources: Resource[];
  resourceById: Map<string, Resource>;
  parameters: Map<string, Parameter>;
  conditions: Set<string>;
  transforms: string[];
  /** SAM's `Globals` section, when there is one. */
  globals: MapNode | undefined;
  /**
   * The resources of these types, in document order (indexed once per template), without those
   * whose Properties are decided at deployment (`conditionalProperties`).
   */
  resourcesOfType(types: readonly string[]): Resource[];
}

export function buildTemplate(root: DataNode, format: DocumentFormat): Template | undefined {
  const map = asMap(root);
  if (!map) return undefined;
  const collect = (pair: Pair, loop: string | undefined, depth: number) => {
    const node = asMap(pair.value);
    const logicalId = pair.key.value;
    if (typeof logicalId !== 'string') return;
    // `Fn::ForEach::Name: [identifier, collection, {Id${identifier}: resource}]` (AWS::LanguageExtensions)
    // expands to the resources of its fragment: rules judge the fragment once for every copy.
    if (logicalId.startsWith('Fn::ForEach::')) {
      const fragment = asMap(asSeq(pair.value)?.items[2]);
      if (depth < 5)
        for (const inner of fragment?.pairs ?? []) collect(inner, logicalId.slice(13), depth + 1);
      return;
    }
    if (!node || logicalId.startsWith('Fn::')) return;
    const typeNode = asScalar(get(node, 'Type'));
    // A tagged type (`!Rain::Module vpc.yml`) is expanded by another tool before deployment.
    const type = typeof typeNode?.value === 'string' && !typeNode.tag ? typeNode.value : undefined;
    const propertiesNode = get(node, 'Properties');
    const conditional = intrinsic(propertiesNode) !== undefined;
    const resource: Resource = {
      logicalId,
      idNode: pair.key,
      pair,
      node,
      type,
      typeNode,
      properties: conditional ? undefined : asMap(propertiesNode),
      span: pair.span,
    };
    if (conditional) resource.conditionalProperties = true;
    if (loop) resource.loop = loop;
    else {
      // With a duplicate logical id the last one wins, as when CloudFormation reads the template.
      const previous = latest.get(logicalId);
      if (previous) replaced.add(previous);
      latest.set(logicalId, resource);
    }
    collected.push(resource);
  };
  const collected: Resource[] = [];
  const latest = new Map<string, Resource>();
  const replaced = new Set<Resource>();
  for (const pair of asMap(get(map, 'Resources'))?.pairs ?? []) collect(pair, undefined, 0);
  const resources = replaced.size > 0 ? collected.filter((r) => !replaced.has(r)) : collected;
  const parameters = new Map<string, Parameter>();
  for (const pair of asMap(get(map, 'Parameters'))?.pairs ?? []) {
    const node = asMap(pair.value);
    if (!node) continue;
    const name = String(pair.key.value);
    parameters.set(name, {
      name,
      idNode: pair.key,
      node,
      type: scalarText(get(node, 'Type')),
      default: get(node, 'Default'),
    });
  }
  const conditions = new Set((asMap(get(map, 'Conditions'))?.pairs ?? []).map((p) => String(p.key.value)));
  const transformNode = get(map, 'Transform');
  const transforms = (asSeq(transformNode)?.items ?? [transformNode])
    .map((t) => scalarText(t))
    .filter((t): t is string => !!t);
  return {
    format,
    root: map,
    resources,
    resourceById: new Map(resources.map((r) => [r.logicalId, r])),
    parameters,
    conditions,
    transforms,
    globals: asMap(get(map, 'Globals')),
    resourcesOfType: typeIndex(resources),
  };
}

function typeIndex(resources: readonly Resource[]): (types: readonly string[]) => Resource[] {
  let byType: Map<string, Resource[]> | undefined;
  const answers = new Map<string, Resource[]>();
  return (types) => {
    const key = types.join('\u0000');
    let answer = answers.get(key);
    if (answer) return answer;
    if (!byType) {
      byType = new Map();
      for (const resource of resources) {
        if (!resource.type || resource.conditionalProperties) continue;
        let list = byType.get(resource.type);
        if (!list) byType.set(resource.type, (list = []));
        list.push(resource);
      }
    }
    if (types.length === 1) answer = byType.get(types[0]) ?? [];
    else {
      const wanted = new Set(types);
      answer = resources.filter(
        (r) => r.type !== undefined && !r.conditionalProperties && wanted.has(r.type),
      );
    }
    answers.set(key, answer);
    return answer;
  };
}

/** `{Ref: X}`, `!Ref X`, `{"Fn::If": […]}`: the intrinsic's name and argument, if the node is one. */
export function intrinsic(
  node: DataNode | undefined,
): { name: string; argument: DataNode; pair: Pair } | undefined {
  const map = asMap(node);
  if (!map || map.pairs.length !== 1) return undefined;
  const pair = map.pairs[0];
  const name = pair.key.value;
  if (typeof name !== 'string' || !(name === 'Ref' || name === 'Condition' || name.startsWith('Fn::')))
    return undefined;
  return { name, argument: pair.value, pair };
}

/** One value a property can statically take, and where it came from. */
export interface PossibleValue {
  value: string | number | boolean | null;
  /** The literal in the text: the property's own value, or a parameter's Default. */
  node: ScalarNode;
  /** Set when the value is a parameter's Default reached through `Ref`. */
  parameter?: string;
  /** The `Fn::If` conditions on the way to this value. */
  conditions: string[];
  /** `Ref: AWS::NoValue`: the property is left out on this branch. */
  absent?: boolean;
}

/**
 * Every value `node` can take, when all of them can be known without deploying: literals,
 * `Ref`s to parameters with a Default, and both branches of `Fn::If`. Returns undefined when
 * any possibility is unknowable (imports, parameters without default, attributes, …).
 */
export function possibleValues(
  template: Template,
  node: DataNode | undefined,
  depth = 0,
): PossibleValue[] | undefined {
  if (!node || depth > 10) return undefined;
  const scalar = asScalar(node);
  // A value behind a tag CloudFormation does not know (`!Rain::Embed`) is replaced before deployment.
  if (scalar?.tag) return undefined;
  if (scalar) return [{ value: scalar.value, node: scalar, conditions: [] }];
  const fn = intrinsic(node);
  if (!fn) return undefined;
  if (fn.name === 'Ref') {
    const target = scalarText(fn.argument);
    if (target === 'AWS::NoValue') {
      return [{ value: null, node: fn.pair.key, conditions: [], absent: true }];
    }
    const parameter = target ? template.parameters.get(target) : undefined;
    const fallback = asScalar(parameter?.default);
    if (!parameter || !fallback) return undefined;
    return [{ value: fallback.value, node: fallback, parameter: parameter.name, conditions: [] }];
  }
  if (fn.name === 'Fn::If') {
    const args = asSeq(fn.argument)?.items;
    const condition = scalarText(args?.[0]);
    if (!args || args.length !== 3 || !condition) return undefined;
    const results: PossibleValue[] = [];
    for (const branch of [args[1], args[2]]) {
      const values = possibleValues(template, branch, depth + 1);
      if (!values) return undefined;
      for (const v of values) results.push({ ...v, conditions: [condition, ...v.conditions] });
    }
    return results;
  }
  return undefined;
}

/** A property of a resource, with its pair (for exact ranges) when present. */
export function property(resource: Resource, name: string): Pair | undefined {
  return getPair(resource.properties, name);
}

/**
 * Words that say where a statically known value came from, for messages:
 * "(the default of parameter DbPublic)", "(when condition IsProd holds)".
 */
export function provenance(values: PossibleValue[]): string {
  const parameters = [...new Set(values.map((v) => v.parameter).filter((p): p is string => !!p))];
  const conditions = [...new Set(values.flatMap((v) => v.conditions))];
  const parts: string[] = [];
  if (parameters.length > 0) {
    parts.push(`the default of parameter ${parameters.join(', ')}`);
  }
  if (conditions.length > 0) {
    parts.push(`whichever way condition ${conditions.join(', ')} goes`);
  }
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
