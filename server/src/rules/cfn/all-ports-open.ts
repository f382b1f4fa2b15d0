import { mentions, referenceTarget, resourcesMentioning } from '../../engine/cfn/references';
import {
  cidrSource,
  ingressRules,
  ingressTypes,
  isWorld,
  opensAllPorts,
  portRange,
} from '../../engine/cfn/security-groups';
import { provenance, type Template } from '../../engine/parse/cloudformation';
import { asSeq, get, getPair, scalarText } from '../../engine/parse/tree';
import { defineRule, type Severity } from '../../engine/rule';

const balancerTypes = [
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
];
const groupsOfBalancers = new WeakMap<Template, Set<string>>();

/** The security groups the template's load balancers are in (their logical ids). */
function balancerGroups(template: Template): Set<string> {
  let groups = groupsOfBalancers.get(template);
  if (!groups) {
    groups = new Set();
    for (const balancer of template.resourcesOfType(balancerTypes))
      for (const item of asSeq(get(balancer.properties, 'SecurityGroups'))?.items ?? []) {
        const id = referenceTarget(item);
        if (id) groups.add(id);
      }
    groupsOfBalancers.set(template, groups);
  }
  return groups;
}

const notUsers = new Set([
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
]);

/**
 * Whether every user of the group that the template shows is a load balancer: a load balancer
 * answers only on its listener ports, so ingress on every port of its group opens nothing more.
 * False when the template shows no user, or the group leaves it (an output, SAM Globals), since
 * its other users are then unknown.
 */
function onlyLoadBalancersIn(template: Template, groupId: string): boolean {
  const users = resourcesMentioning(template, groupId).filter((r) => !notUsers.has(r.type ?? ''));
  if (users.length === 0 || !users.every((r) => balancerTypes.includes(r.type ?? ''))) return false;
  return !mentions(get(template.root, 'Outputs'), groupId) && !mentions(template.globals, groupId);
}

export default defineRule({
  id: 'private-network/all-ports-open',
  lesson: 'private-network',
  title: 'Ingress open on every port',
  severity: 'warning',
  equivalents: ['W9', 'W27'],
  fix: 'no',
  resourceTypes: ingressTypes,
  messages: {
    everyProtocol:
      'Security group {{group}} admits every port of every protocol from {{source}}{{conditions}}: name the ports the service uses.',
    everyPort:
      'Security group {{group}} admits every {{protocol}} port from {{source}}{{conditions}}: name the ports the service uses.',
  },
  docs: {
    what:
      'Security group ingress with `IpProtocol: -1` (every protocol) or a TCP or UDP range from 0 to 65535, from an address range (a warning) or from another security group or prefix list (information). ' +
      'All ports from a security group that a load balancer of the template is in are left alone: the balancer reaches its targets on the ports they register (ECS dynamic host ports). ' +
      'A group that admits itself (members of a cluster talking to each other) is left alone, and so is the whole internet, which `private-network/world-open-port` reports as an error. ' +
      'So is a group that only load balancers of the template are in (Application, Network or Classic): a load balancer answers only on its listener ports, so admitting every port to it opens nothing else. ' +
      'A group that an instance, launch template, container service, function or database also uses, that an output exports, or that nothing in the template uses (its users are unknown) is still judged.',
    why:
      'A rule that opens every port admits whatever happens to listen on the machine, today and after the next package upgrade: debugging endpoints, metrics exporters, database admin ports, a forgotten test server. ' +
      'Name the ports the service actually uses, so that the security group documents the traffic it expects and a compromised neighbour cannot reach the rest. ' +
      "Even inside the VPC, the range `10.0.0.0/8` is everyone else's workloads, not just yours.",
    example: {
      language: 'yaml',
      code: `DatabaseSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: database
    SecurityGroupIngress:
      - {IpProtocol: '-1', CidrIp: 10.0.0.0/16}`,
    },
    useInstead: {
      language: 'yaml',
      code: `DatabaseSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: database
    SecurityGroupIngress:
      - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSecurityGroup}`,
    },
    references: [
      {
        title: 'Amazon VPC: security group rules',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      },
      {
        title: 'Well-Architected security pillar: control traffic at all layers',
        url: 'https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_network_protection_layered.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, report }) {
      for (const alternatives of ingressRules(template)) {
        const groupId = alternatives[0]?.groupId;
        if (groupId && onlyLoadBalancersIn(template, groupId)) continue;
        const verdicts = alternatives.map((rule) => {
          const range = portRange(template, rule.node);
          if (!range || !opensAllPorts(range)) return undefined;
          const source = cidrSource(template, rule.node);
          if (source) {
            if (!source.values || source.values.some((v) => v.absent || isWorld(v.value))) return undefined;
            return {
              rule,
              range,
              from: `${String(source.values[0].value)}${provenance(source.values)}`,
              severity: undefined,
            };
          }
          const group = get(rule.node, 'SourceSecurityGroupId') ?? get(rule.node, 'SourceSecurityGroupName');
          if (group) {
            const sourceId = referenceTarget(group);
            if (sourceId && sourceId === rule.groupId) return undefined;
            // A load balancer reaches its targets on the ports they register (ECS's dynamic host
            // ports): all ports from the balancer's own group is the documented pattern.
            if (sourceId && balancerGroups(template).has(sourceId)) return undefined;
            return {
              rule,
              range,
              from: `security group ${sourceId ?? scalarText(group) ?? 'elsewhere'}`,
              severity: 'info' as Severity,
            };
          }
          const list = get(rule.node, 'SourcePrefixListId');
          if (list) {
            return {
              rule,
              range,
              from: `prefix list ${referenceTarget(list) ?? scalarText(list) ?? ''}`.trim(),
              severity: 'info' as Severity,
            };
          }
          return undefined;
        });
        if (!verdicts.every((v) => v !== undefined)) continue;
        const [first] = verdicts;
        const { rule, range } = first!;
        const protocol = getPair(rule.node, 'IpProtocol');
        const at =
          alternatives.length > 1 || !protocol
            ? rule.at
            : range.protocol === 'all' || range.protocol === 'other'
              ? protocol.value
              : (getPair(rule.node, 'FromPort')?.value ?? protocol.value);
        const conditions = [...new Set(alternatives.flatMap((a) => a.conditions))];
        const when = conditions.length > 0 ? `, whichever way condition ${conditions.join(', ')} goes` : '';
        report({
          at,
          resource: rule.resource,
          messageId: range.protocol === 'all' || range.protocol === 'other' ? 'everyProtocol' : 'everyPort',
          data: {
            group: rule.groupId ?? rule.resource.logicalId,
            protocol: range.protocol.toUpperCase(),
            source: first!.from,
            conditions: when,
          },
          severity: verdicts.every((v) => v!.severity === 'info') ? 'info' : undefined,
        });
      }
    },
  },
});
