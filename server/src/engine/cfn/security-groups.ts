import { possibleValues, type PossibleValue, type Resource, type Template } from '../parse/cloudformation';
import { asMap, asSeq, get, getPair, type MapNode, type Pair } from '../parse/tree';
import { branches } from './branches';
import { mentions, referenceTarget, resourcesMentioning } from './references';

/**
 * Security group ingress as a template writes it: entries of `SecurityGroupIngress` on an
 * `AWS::EC2::SecurityGroup`, and stand-alone `AWS::EC2::SecurityGroupIngress` resources.
 */

export interface IngressRule {
  /** The resource that holds the rule. */
  resource: Resource;
  /** The logical id of the security group the rule opens, when it is in this template. */
  groupId: string | undefined;
  /** The rule's own map: the list entry, or the ingress resource's Properties. */
  node: MapNode;
  /** Where a finding about the whole rule points: the list entry (or `Fn::If`), or the resource id. */
  at: { span: { start: number; end: number } };
  /** The `Fn::If` conditions under which this entry exists. */
  conditions: string[];
}

/** The resource types that hold ingress rules. */
export const ingressTypes = ['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress'];

/**
 * Every ingress rule in the template. An entry inside `Fn::If` counts only when every branch
 * is a rule (the rule that a check judges is then the one of each branch), so an entry that a
 * condition can remove is never reported as if it were always there.
 */
export function ingressRules(template: Template): IngressRule[][] {
  const rules: IngressRule[][] = [];
  for (const resource of template.resourcesOfType(ingressTypes)) {
    if (resource.type === 'AWS::EC2::SecurityGroup') {
      const list = asSeq(get(resource.properties, 'SecurityGroupIngress'));
      for (const item of list?.items ?? []) {
        const alternatives = branches(item);
        if (alternatives.some((b) => !asMap(b.node))) continue;
        rules.push(
          alternatives.map((b) => ({
            resource,
            groupId: resource.logicalId,
            node: asMap(b.node)!,
            at: item,
            conditions: b.conditions,
          })),
        );
      }
    } else if (resource.type === 'AWS::EC2::SecurityGroupIngress' && resource.properties) {
      rules.push([
        {
          resource,
          groupId: referenceTarget(get(resource.properties, 'GroupId')),
          node: resource.properties,
          at: resource.idNode,
          conditions: [],
        },
      ]);
    }
  }
  return rules;
}

export type Protocol = 'all' | 'tcp' | 'udp' | 'icmp' | 'other';

export interface PortRange {
  protocol: Protocol;
  from: number;
  to: number;
  /** Parameters whose defaults decided the protocol or ports. */
  parameters: string[];
}

const protocolNames: Record<string, Protocol> = {
  '-1': 'all',
  all: 'all',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmp',
  '58': 'icmp',
};

/** One statically known value of a field, or undefined (absent, unknowable, or differing by condition). */
function single(template: Template, pair: Pair | undefined): PossibleValue | undefined {
  if (!pair) return undefined;
  const values = possibleValues(template, pair.value);
  if (!values || values.length !== 1 || values[0].absent) return undefined;
  return values[0];
}

/** The protocol and ports a rule opens, or undefined when they cannot be known statically. */
export function portRange(template: Template, rule: MapNode): PortRange | undefined {
  const protocolValue = single(template, getPair(rule, 'IpProtocol'));
  if (!protocolValue) return undefined;
  const protocol = protocolNames[String(protocolValue.value).toLowerCase()] ?? 'other';
  const parameters = protocolValue.parameter ? [protocolValue.parameter] : [];
  if (protocol === 'all' || protocol === 'other') return { protocol, from: 0, to: 65535, parameters };
  if (protocol === 'icmp') return { protocol, from: -1, to: -1, parameters };
  const fromValue = single(template, getPair(rule, 'FromPort'));
  const toValue = single(template, getPair(rule, 'ToPort'));
  const from = Number(fromValue?.value);
  const to = Number(toValue?.value);
  if (!fromValue || !toValue || !Number.isInteger(from) || !Number.isInteger(to)) return undefined;
  for (const v of [fromValue, toValue])
    if (v.parameter && !parameters.includes(v.parameter)) parameters.push(v.parameter);
  // -1 in a TCP or UDP rule means every port.
  if (from === -1 || to === -1) return { protocol, from: 0, to: 65535, parameters };
  return { protocol, from, to, parameters };
}

/** Ports people use to administer a machine, not to serve an application. */
const adminPorts = new Set([22, 3389]);

/** Whether a range lets in SSH or RDP alone: one TCP port an administrator logs in on. */
export function isAdminAccess(range: PortRange | undefined): boolean {
  return range?.protocol === 'tcp' && range.from === range.to && adminPorts.has(range.from);
}

/** Whether a range opens every port of its protocol (or every protocol). */
export function opensAllPorts(range: PortRange): boolean {
  return range.protocol === 'all' || range.protocol === 'other' || (range.from <= 1 && range.to >= 65535);
}

/** The address a rule admits: `CidrIp`/`CidrIpv6`, with its possible values, or undefined for other sources. */
export function cidrSource(
  template: Template,
  rule: MapNode,
): { pair: Pair; values: PossibleValue[] | undefined; ipv6: boolean } | undefined {
  for (const [key, ipv6] of [
    ['CidrIp', false],
    ['CidrIpv6', true],
  ] as const) {
    const pair = getPair(rule, key);
    if (pair) return { pair, values: possibleValues(template, pair.value), ipv6 };
  }
  return undefined;
}

/**
 * A range with a prefix of length 0: the whole internet, whatever address is written before the
 * slash (`0.0.0.0/0`, `::/0`, and `10.0.0.0/0` too: EC2 ignores the address bits a /0 masks).
 */
export function isWorld(value: unknown): boolean {
  return (
    typeof value === 'string' && /^\s*(\d{1,3}(\.\d{1,3}){3}|(?=[0-9a-f.]*:)[0-9a-f:.]+)\/0+\s*$/i.test(value)
  );
}

const loadBalancerTypes = new Set([
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancing::LoadBalancer',
]);

/** Lambda functions accept no inbound connections: ingress on their groups admits nothing. */
const inboundless = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/** The resources that attach the group (rules of other groups that name it as a source do not). */
function groupUsers(template: Template, groupId: string): readonly Resource[] {
  return resourcesMentioning(template, groupId).filter(
    (r) =>
      r.type !== 'AWS::EC2::SecurityGroupIngress' &&
      r.type !== 'AWS::EC2::SecurityGroupEgress' &&
      r.type !== 'AWS::EC2::SecurityGroup',
  );
}

/**
 * Whether every resource of the template that uses the group is a Lambda function, so that its
 * ingress rules have nothing to admit. False when nothing in the template uses the group.
 */
export function onlyFunctionsUse(template: Template, groupId: string): boolean {
  const users = groupUsers(template, groupId);
  const globals = mentions(getPair(template.globals, 'Function')?.value, groupId);
  return (users.length > 0 || globals) && users.every((r) => inboundless.has(r.type ?? ''));
}

/**
 * Whether the group serves only load balancers (and functions, which admit nothing): a load
 * balancer answers only on its listeners, so its ports open to the world are its job. A group
 * that a load balancer shares with instances, containers or databases opens them too.
 */
export function onlyBalancersUse(template: Template, groupId: string): boolean {
  const users = groupUsers(template, groupId);
  return (
    users.some((r) => loadBalancerTypes.has(r.type ?? '')) &&
    users.every((r) => loadBalancerTypes.has(r.type ?? '') || inboundless.has(r.type ?? ''))
  );
}
