import { branches } from '../../engine/cfn/branches';
import { referenceTarget } from '../../engine/cfn/references';
import { asNumber, switchNotOn, valuesAlways } from '../../engine/cfn/values';
import {
  intrinsic,
  possibleValues,
  property,
  provenance,
  type Template,
} from '../../engine/parse/cloudformation';
import { asSeq, get, getPath, scalarText, type DataNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/**
 * Which Availability Zone a subnet or zone expression stands for, when the template says:
 * a literal name or id, or `!Select [n, !GetAZs …]` (the n-th zone of the Region).
 */
function zoneOf(template: Template, node: DataNode | undefined): string | undefined {
  const literal = scalarText(node);
  if (literal) return literal;
  const select = intrinsic(node);
  if (select?.name === 'Fn::Select') {
    const [index, list] = asSeq(select.argument)?.items ?? [];
    if (intrinsic(list)?.name === 'Fn::GetAZs' && scalarText(index) !== undefined)
      return `zone #${scalarText(index)}`;
  }
  const values = possibleValues(template, node);
  if (values && values.length === 1 && !values[0].absent) return String(values[0].value);
  return undefined;
}

/** The zone of a subnet defined in this template, if its AvailabilityZone (or Id) is static. */
function subnetZone(template: Template, item: DataNode): string | undefined {
  const subnet = template.resourceById.get(referenceTarget(item) ?? '');
  if (subnet?.type !== 'AWS::EC2::Subnet') return undefined;
  return zoneOf(
    template,
    get(subnet.properties, 'AvailabilityZone') ?? get(subnet.properties, 'AvailabilityZoneId'),
  );
}

interface Confinement {
  /** Words for the message: "one subnet", "subnets that are all in eu-west-1a". */
  words: string;
}

/**
 * Whether a list of subnets (or zones) certainly spans a single zone: one item, a single-value
 * parameter (`AWS::EC2::Subnet::Id`), a comma list default with one entry, or template subnets
 * that all sit in the same zone.
 */
function confinedList(
  template: Template,
  node: DataNode | undefined,
  kind: 'subnet' | 'zone',
): Confinement | undefined {
  if (!node) return undefined;
  const alternatives = branches(node);
  let words: string | undefined;
  for (const alternative of alternatives) {
    const found = confinedAlternative(template, alternative.node, kind);
    if (!found) return undefined;
    words ??= found.words;
  }
  const conditions = [...new Set(alternatives.flatMap((a) => a.conditions))];
  return words
    ? {
        words:
          conditions.length > 0 ? `${words}, whichever way condition ${conditions.join(', ')} goes` : words,
      }
    : undefined;
}

/**
 * Whether one value names exactly one subnet or zone, and the words that say why when a parameter
 * decides: a literal without commas, a subnet of the template, `Fn::Select`, a single-value
 * parameter type, or a parameter whose default lists one entry. Undefined when it may be several.
 */
function single(template: Template, node: DataNode | undefined, noun: string): string | undefined {
  const literal = scalarText(node);
  if (literal !== undefined) return literal.includes(',') ? undefined : '';
  const fn = intrinsic(node);
  if (fn?.name === 'Fn::Select') return '';
  if (fn?.name === 'Fn::GetAtt')
    return template.resourceById.get(referenceTarget(node) ?? '')?.type === 'AWS::EC2::Subnet'
      ? ''
      : undefined;
  if (fn?.name !== 'Ref') return undefined;
  const name = scalarText(fn.argument) ?? '';
  if (template.resourceById.get(name)?.type === 'AWS::EC2::Subnet') return '';
  const parameter = template.parameters.get(name);
  if (!parameter) return undefined;
  const type = parameter.type ?? '';
  if (type === 'AWS::EC2::Subnet::Id' || type === 'AWS::EC2::AvailabilityZone::Name') {
    return ` (parameter ${parameter.name} takes a single ${noun})`;
  }
  const fallback = scalarText(parameter.default);
  if (
    /^(String|CommaDelimitedList|List<)/.test(type) &&
    fallback &&
    fallback.split(',').filter((s) => s.trim()).length === 1
  ) {
    return ` (the default of parameter ${parameter.name})`;
  }
  return undefined;
}

function confinedAlternative(
  template: Template,
  node: DataNode | undefined,
  kind: 'subnet' | 'zone',
): Confinement | undefined {
  if (!node) return undefined;
  const noun = kind === 'subnet' ? 'subnet' : 'Availability Zone';
  const items = asSeq(node)?.items;
  if (!items) {
    const why = single(template, node, noun);
    return why === undefined ? undefined : { words: `one ${noun}${why}` };
  }
  if (items.length === 0) return undefined;
  if (items.length === 1) {
    const why = single(template, items[0], noun);
    return why === undefined ? undefined : { words: `one ${noun}${why}` };
  }
  const zones = items.map((item) =>
    kind === 'subnet' ? subnetZone(template, item) : zoneOf(template, item),
  );
  if (zones.some((z) => z === undefined) || new Set(zones).size !== 1) return undefined;
  return { words: `${items.length} ${noun}s that are all in ${zones[0]}` };
}

export default defineRule({
  id: 'embrace-failure/single-az',
  lesson: 'embrace-failure',
  title: 'Confined to one Availability Zone, or no failover',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  resourceTypes: [
    'AWS::AutoScaling::AutoScalingGroup',
    'AWS::ECS::Service',
    'AWS::ElastiCache::ReplicationGroup',
    'AWS::ElastiCache::CacheCluster',
    'AWS::ElastiCache::SubnetGroup',
    'AWS::MemoryDB::Cluster',
  ],
  messages: {
    groupConfined:
      'Auto Scaling group {{id}} runs in {{placement}}: when that zone fails, the whole group goes with it.',
    serviceConfined:
      'ECS service {{id}} places its tasks in {{placement}}: when that zone fails, the service goes with it.',
    failoverNotSet:
      'ElastiCache replication group {{id}} has no automatic failover (AutomaticFailoverEnabled is not set, and it is off by default): when its primary node or its zone fails, writes stop until someone promotes a replica by hand.',
    failoverOff:
      'ElastiCache replication group {{id}} has no automatic failover (AutomaticFailoverEnabled is false{{provenance}}): when its primary node or its zone fails, writes stop until someone promotes a replica by hand.',
    memcachedNotSet:
      'Memcached cluster {{id}} keeps all its nodes in one Availability Zone (AZMode is not set, and single-az is the default): when that zone fails, the whole cache is lost at once.',
    memcachedSingleAz:
      'Memcached cluster {{id}} keeps all its nodes in one Availability Zone (AZMode is single-az{{provenance}}): when that zone fails, the whole cache is lost at once.',
    singleNode:
      '{{engine}} cluster {{id}} is a single node in one Availability Zone with no replica to fail over to: use a replication group with a replica in another zone and automatic failover.',
    subnetGroupConfined:
      'Cache subnet group {{id}} has {{placement}}: every cache in it is confined to that zone.',
    noReplicas:
      'MemoryDB cluster {{id}} has no replicas (NumReplicasPerShard is 0{{provenance}}): a failed node or zone takes its shard down.',
  },
  docs: {
    what:
      'Auto Scaling groups and ECS services whose subnets or zones all lie in one Availability Zone (one subnet, a single-subnet parameter, or template subnets in the same zone); ' +
      'ElastiCache replication groups without automatic failover; single-node Redis clusters and memcached clusters kept in one zone; cache subnet groups with one subnet; MemoryDB clusters without replicas. ' +
      'Lists that come from parameters or imports are not judged: the template cannot tell how many zones they span.',
    why:
      'An Availability Zone is the unit AWS expects to fail: power, network or a bad deployment can take one out while the others carry on. ' +
      'A fleet in a single zone goes down with it, however many instances it has; a cache with no replica elsewhere, or with a replica but no automatic failover, stays down until someone promotes a node by hand. ' +
      'Spread instances and tasks over subnets in at least two zones, and give caches a replica in another zone with automatic failover, so that losing a zone is a blip instead of an outage.',
    example: {
      language: 'yaml',
      code: `WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '6'
    VPCZoneIdentifier: [!Ref PrivateSubnetA]
Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 1`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebGroup:
  Type: AWS::AutoScaling::AutoScalingGroup
  Properties:
    MinSize: '2'
    MaxSize: '6'
    VPCZoneIdentifier: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]   # two zones
Sessions:
  Type: AWS::ElastiCache::ReplicationGroup
  Properties:
    ReplicationGroupDescription: sessions
    Engine: redis
    CacheNodeType: cache.t4g.small
    NumCacheClusters: 2                # a replica in another zone
    AutomaticFailoverEnabled: true
    MultiAZEnabled: true`,
    },
    references: [
      {
        title: 'Amazon EC2 Auto Scaling: distributing instances across Availability Zones',
        url: 'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html',
      },
      {
        title: 'Amazon ElastiCache: minimizing downtime with Multi-AZ',
        url: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const id = resource.logicalId;
        switch (resource.type) {
          case 'AWS::AutoScaling::AutoScalingGroup': {
            const subnets = property(resource, 'VPCZoneIdentifier');
            const zones = property(resource, 'AvailabilityZones');
            const pair = subnets ?? zones;
            const found = pair && confinedList(template, pair.value, subnets ? 'subnet' : 'zone');
            if (pair && found) {
              report({
                at: pair.value,
                resource,
                messageId: 'groupConfined',
                data: { id, placement: found.words },
              });
            }
            break;
          }
          case 'AWS::ECS::Service': {
            const subnets = getPath(resource.properties, 'NetworkConfiguration', 'AwsvpcConfiguration');
            const pair =
              subnets?.type === 'map' ? subnets.pairs.find((p) => p.key.value === 'Subnets') : undefined;
            const found = pair && confinedList(template, pair.value, 'subnet');
            if (pair && found) {
              report({
                at: pair.value,
                resource,
                messageId: 'serviceConfined',
                data: { id, placement: found.words },
              });
            }
            break;
          }
          case 'AWS::ElastiCache::ReplicationGroup': {
            const off = switchNotOn(target, template, resource.node, [
              'Properties',
              'AutomaticFailoverEnabled',
            ]);
            if (!off) break;
            // Cluster mode (several shards) cannot run without automatic failover: the service enforces it.
            const shards = property(resource, 'NumNodeGroups');
            if (shards && asNumber(scalarText(shards.value)) !== 1) break;
            report({
              at: off.at ?? resource.idNode,
              resource,
              messageId: off.at ? 'failoverOff' : 'failoverNotSet',
              data: { id, provenance: off.provenance },
            });
            break;
          }
          case 'AWS::ElastiCache::CacheCluster': {
            const engine = (scalarText(property(resource, 'Engine')?.value) ?? '').toLowerCase();
            if (engine === 'memcached') {
              const mode = property(resource, 'AZMode');
              const values = mode ? possibleValues(template, mode.value) : [];
              if (!values || !values.every((v) => v.absent || String(v.value) === 'single-az')) break;
              report({
                at: mode ? mode.value : resource.idNode,
                resource,
                messageId: mode ? 'memcachedSingleAz' : 'memcachedNotSet',
                data: { id, provenance: provenance(values) },
                severity: 'info',
              });
            } else if (engine === 'redis' || engine === 'valkey') {
              report({
                at: resource.idNode,
                resource,
                messageId: 'singleNode',
                data: { id, engine: engine === 'redis' ? 'Redis' : 'Valkey' },
                severity: 'info',
              });
            }
            break;
          }
          case 'AWS::ElastiCache::SubnetGroup': {
            const pair = property(resource, 'SubnetIds');
            const found = pair && confinedList(template, pair.value, 'subnet');
            if (pair && found) {
              report({
                at: pair.value,
                resource,
                messageId: 'subnetGroupConfined',
                data: { id, placement: found.words },
                severity: 'info',
              });
            }
            break;
          }
          case 'AWS::MemoryDB::Cluster': {
            const pair = property(resource, 'NumReplicasPerShard');
            const values = valuesAlways(template, pair?.value, (v) => asNumber(v) === 0);
            if (!pair || !values) break;
            report({
              at: pair.value,
              resource,
              messageId: 'noReplicas',
              data: { id, provenance: provenance(values) },
            });
            break;
          }
        }
      }
    },
  },
});
