import { nameWords } from '../names';
import { intrinsic, possibleValues, property, type Resource, type Template } from '../parse/cloudformation';
import { asSeq, get, type DataNode } from '../parse/tree';
import { asBoolean } from './values';
import { referenceTarget, stringsIn } from './references';

/**
 * Whether subnets are evidently private: nothing on the internet routes to an address in them.
 * The evidence is a name (an imported value or a parameter called `…Private…`), or, for subnets
 * of the template, route tables that have no route to an internet gateway and no public
 * addresses handed out on launch.
 */

/** Whether a name says private and not public (`PrivateSubnetOne`, `PrivateSubnets`). */
function namedPrivate(name: string): boolean {
  const words = nameWords(name);
  return words.includes('private') && !words.includes('public');
}

/** The route tables of the template by the subnet they are associated with. */
function routeTablesOf(template: Template, subnet: string): (Resource | undefined)[] {
  const tables: (Resource | undefined)[] = [];
  for (const association of template.resourcesOfType(['AWS::EC2::SubnetRouteTableAssociation'])) {
    if (referenceTarget(get(association.properties, 'SubnetId')) !== subnet) continue;
    const table = template.resourceById.get(
      referenceTarget(get(association.properties, 'RouteTableId')) ?? '',
    );
    tables.push(table?.type === 'AWS::EC2::RouteTable' ? table : undefined);
  }
  return tables;
}

/** Whether a route table of the template has no route through an internet gateway, as far as its routes show. */
function routesNowhereOut(template: Template, table: Resource): boolean {
  for (const route of template.resourcesOfType(['AWS::EC2::Route'])) {
    if (referenceTarget(get(route.properties, 'RouteTableId')) !== table.logicalId) continue;
    const gateway = get(route.properties, 'GatewayId');
    if (!gateway) continue;
    // A gateway the template does not declare may be an internet gateway.
    const target = template.resourceById.get(referenceTarget(gateway) ?? '');
    if (!target || target.type === 'AWS::EC2::InternetGateway') return false;
  }
  return true;
}

/** A subnet of the template with route tables, none of them out to the internet, and no public addresses on launch. */
function unroutedSubnet(template: Template, subnet: Resource): boolean {
  const map = property(subnet, 'MapPublicIpOnLaunch');
  if (map) {
    const values = possibleValues(template, map.value);
    if (!values || values.some((v) => asBoolean(v.value) !== false)) return false;
  }
  const tables = routeTablesOf(template, subnet.logicalId);
  // Without an association the subnet uses the VPC's main route table, which the files do not show.
  if (tables.length === 0) return false;
  return tables.every((table) => !!table && routesNowhereOut(template, table));
}

type Evidence = { kind: 'imported' | 'parameter' | 'unrouted'; name: string };

/** Why one subnet is evidently private; undefined when it is not evident. */
function privateSubnet(template: Template, node: DataNode | undefined): Evidence | undefined {
  const fn = intrinsic(node);
  if (!fn) return undefined;
  if (fn.name === 'Fn::ImportValue') {
    const name = stringsIn(fn.argument).find(namedPrivate);
    // `${NetworkStack}:PrivateSubnetOne` is named by its own part.
    return name ? { kind: 'imported', name: name.replace(/\$\{[^}]*\}[:-]?/g, '') || name } : undefined;
  }
  const id = referenceTarget(node);
  if (!id) return undefined;
  if (fn.name === 'Ref' && template.parameters.has(id))
    return namedPrivate(id) ? { kind: 'parameter', name: id } : undefined;
  const subnet = template.resourceById.get(id);
  if (subnet?.type !== 'AWS::EC2::Subnet') return undefined;
  return unroutedSubnet(template, subnet) ? { kind: 'unrouted', name: id } : undefined;
}

const list = (names: string[]) =>
  names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * Why every subnet of a `Subnets`/`SubnetId` value is evidently private, in words
 * (`imported PrivateSubnetOne and PrivateSubnetTwo`, `AppSubnetA, without a route to an internet
 * gateway`); undefined when any of them is not (or when there are none).
 */
export function privateSubnets(template: Template, node: DataNode | undefined): string | undefined {
  // A list (`[!Ref A, !Ref B]`), or a list parameter (`!Ref PrivateSubnets`) or one subnet.
  const items = asSeq(node)?.items ?? (node ? [node] : []);
  if (items.length === 0) return undefined;
  const found: Evidence[] = [];
  for (const item of items) {
    const one = privateSubnet(template, item);
    if (!one) return undefined;
    found.push(one);
  }
  const names = (kind: Evidence['kind']) => [
    ...new Set(found.filter((e) => e.kind === kind).map((e) => e.name)),
  ];
  const imported = names('imported');
  const parameters = names('parameter');
  const unrouted = names('unrouted');
  return [
    ...(imported.length > 0 ? [`imported ${list(imported)}`] : []),
    ...(parameters.length > 0 ? [`parameter${parameters.length > 1 ? 's' : ''} ${list(parameters)}`] : []),
    ...(unrouted.length > 0 ? [`${list(unrouted)}, without a route to an internet gateway`] : []),
  ].join('; ');
}
