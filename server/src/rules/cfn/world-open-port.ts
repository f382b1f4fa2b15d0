import {
  cidrSource,
  ingressRules,
  ingressTypes,
  isWorld,
  onlyBalancersUse,
  onlyFunctionsUse,
  opensAllPorts,
  portRange,
  type IngressRule,
  type PortRange,
} from '../../engine/cfn/security-groups';
import { addParameter, uniqueLogicalId } from '../../engine/cfn/template-additions';
import { removePair, replaceValue } from '../../engine/edit';
import { provenance, type PossibleValue, type Template } from '../../engine/parse/cloudformation';
import { asMap, getPair } from '../../engine/parse/tree';
import { defineRule, type Fix } from '../../engine/rule';
import type { Span } from '../../engine/text';

/** Ports whose exposure hands over a machine or its data: reported as errors. */
const criticalPorts: Record<number, string> = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2049: 'NFS',
  2375: 'the Docker API',
  2376: 'the Docker API',
  2379: 'etcd',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5439: 'Redshift',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM',
  6379: 'Redis',
  6443: 'the Kubernetes API',
  7000: 'Cassandra',
  8086: 'InfluxDB',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch',
  10250: 'the kubelet',
  11211: 'memcached',
  27017: 'MongoDB',
  27018: 'MongoDB',
  50000: 'DB2',
};

/** Ports meant to be public: a web server open to the world is doing its job. */
const publicPorts = new Set([80, 443]);

function describe(range: PortRange): string {
  if (opensAllPorts(range))
    return range.protocol === 'all' || range.protocol === 'other'
      ? 'every port'
      : `every ${range.protocol.toUpperCase()} port`;
  const service = range.from === range.to ? criticalPorts[range.from] : undefined;
  const ports = range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
  return service ? `${ports} (${service})` : ports;
}

function criticalIn(range: PortRange): string | undefined {
  if (opensAllPorts(range)) return 'SSH, RDP and every database';
  for (const [port, service] of Object.entries(criticalPorts)) {
    if (Number(port) >= range.from && Number(port) <= range.to) return service;
  }
  return undefined;
}

function publicOnly(range: PortRange): boolean {
  if (range.protocol === 'icmp') return true;
  return range.from === range.to && publicPorts.has(range.from);
}

/** A parameter name for the fix: `WebSecurityGroupSshCidr`, `WebSecurityGroupPort8080Cidr`. */
function parameterBase(rule: IngressRule, range: PortRange, ipv6: boolean): string {
  const owner = rule.groupId && !rule.groupId.includes('${') ? rule.groupId : rule.resource.logicalId;
  const service = range.from === range.to ? criticalPorts[range.from] : undefined;
  const what = opensAllPorts(range)
    ? 'AllPorts'
    : service
      ? service.replace(/^the /, '').replace(/[^A-Za-z0-9]/g, '')
      : range.from === range.to
        ? `Port${range.from}`
        : `Ports${range.from}To${range.to}`;
  return `${owner}${what}${ipv6 ? 'Ipv6' : ''}Cidr`;
}

const ipv4Pattern = '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$';
const ipv6Pattern = '^[0-9a-fA-F:]+/\\d{1,3}$';

export default defineRule({
  id: 'private-network/world-open-port',
  lesson: 'private-network',
  title: 'Port open to the whole internet',
  severity: 'warning',
  equivalents: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'F1000'],
  fix: 'scaffold',
  resourceTypes: ingressTypes,
  messages: {
    worldOpen:
      'Security group {{group}} opens {{ports}} to every address ({{range}}{{origin}}){{conditions}}.',
    worldOpenCriticalPort:
      'Security group {{group}} opens {{ports}} to every address ({{range}}{{origin}}){{conditions}}; {{services}} should only be reachable from known networks.',
  },
  docs: {
    what:
      'Security group ingress from any range with a /0 prefix, `0.0.0.0/0` and `::/0` (or `10.0.0.0/0`, which is the same range), written in the template or on every branch of an `Fn::If`, to anything but HTTP and HTTPS. ' +
      'SSH, RDP, database, cache and cluster-admin ports are errors; other ports are warnings. ' +
      'Groups used only by load balancers are left alone (a load balancer only answers on its listeners), as are groups used only by Lambda functions (which accept no inbound connections) and ICMP; ' +
      'a group that a load balancer shares with instances or containers opens them as well, and is reported. ' +
      'A world-wide range that only the default of a parameter supplies is left to `private-network/world-open-port-default` (in `strict`): the template asks the deployer for the range, and the default is a starting value the deployer sees and can replace; the finding there says so.',
    why:
      'Every address on the internet is scanned for open SSH, RDP and database ports within minutes of appearing; what protects the machine is then only a password, a key, or the hope that the software has no known hole. ' +
      'In a private subnet the rule still admits every host that can route there, and a public IP or a routing change later exposes it to the whole internet. ' +
      "Open a port to the addresses that need it: an office or VPN range, or better, another security group (the load balancer's, the application's). " +
      'For administration, AWS Systems Manager Session Manager needs no inbound port at all.',
    example: {
      language: 'yaml',
      code: `WebSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: web servers
    SecurityGroupIngress:
      - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
      - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Parameters:
  AdminCidr:
    Type: String
    Description: The office or VPN range allowed to reach SSH
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web servers
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref AdminCidr}`,
    },
    fix:
      'Replaces a world-wide range with a new parameter that admits only a CIDR range, or removes the world-wide default of the parameter that supplies it. ' +
      'A scaffold: every deployment must then pass the range that may connect, and clients outside it lose access.',
    references: [
      {
        title: 'Amazon VPC: security group rules',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      },
      {
        title: 'AWS Systems Manager Session Manager',
        url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, target, report }) {
      for (const opening of worldOpenings(template)) {
        // Only a parameter's default opens it: the deployer chooses (world-open-port-default, strict).
        if (opening.fromDefault) continue;
        const { critical } = opening;
        report({
          at: opening.at,
          resource: opening.rule.resource,
          messageId: critical ? 'worldOpenCriticalPort' : 'worldOpen',
          data: {
            group: opening.group,
            ports: opening.ports,
            range: opening.range,
            origin: opening.origin,
            conditions: opening.conditions,
            services: critical ?? '',
          },
          severity: critical ? 'error' : undefined,
          fix: opening.fix(target),
        });
      }
    },
  },
});

/** An ingress rule (or every alternative of one) that admits the whole internet to a port that is not HTTP(S). */
export interface WorldOpening {
  rule: IngressRule;
  /** Where to report: the range as written, or the rule when it has alternatives (`Fn::If`). */
  at: Span | { span: Span };
  group: string;
  /** The ports reached, in words: `port 22 (SSH)`, `every TCP port`. */
  ports: string;
  /** The world-wide range, as written. */
  range: string;
  /** Where the range comes from (`, the default of parameter SshCidr`), empty when written in place. */
  origin: string;
  /** `, whichever way condition X goes`, or empty. */
  conditions: string;
  /** The admin or database services among the ports, when any. */
  critical: string | undefined;
  /** Set when every world-wide value is a parameter's Default: the deployer can pass another range. */
  fromDefault: string | undefined;
  fix: (target: Parameters<typeof replaceValue>[0]) => (() => Fix | undefined) | undefined;
}

/** The ingress rules of a template that open a port other than HTTP(S) to every address; shared with world-open-port-default. */
export function worldOpenings(template: Template): WorldOpening[] {
  const openings: WorldOpening[] = [];
  for (const alternatives of ingressRules(template)) {
    const judged = alternatives.map((rule) => {
      const range = portRange(template, rule.node);
      const source = cidrSource(template, rule.node);
      const world = !!source?.values && source.values.every((v) => !v.absent && isWorld(v.value));
      return { rule, range, source, world };
    });
    if (!judged.every((j) => j.world && j.range && !publicOnly(j.range))) continue;
    const first = judged[0];
    const { rule, source } = first;
    const range = first.range!;
    if (
      rule.groupId &&
      (onlyBalancersUse(template, rule.groupId) || onlyFunctionsUse(template, rule.groupId))
    )
      continue;
    const unique = (items: (string | undefined)[]) =>
      [...new Set(items.filter((i): i is string => !!i))].join(' or ');
    const critical = unique(judged.map((j) => criticalIn(j.range!)));
    const values = judged.flatMap((j) => j.source!.values!);
    const conditions = [...new Set(alternatives.flatMap((a) => a.conditions))];
    const parameters = [...new Set(values.map((v) => v.parameter))];
    openings.push({
      rule,
      at: alternatives.length > 1 ? rule.at : source!.pair.value,
      group: rule.groupId ?? rule.resource.logicalId,
      ports: unique(judged.map((j) => describe(j.range!))),
      range: String(values[0].value).trim(),
      origin: provenance(values).replace(/^ \((.*)\)$/, ', $1'),
      conditions: conditions.length > 0 ? `, whichever way condition ${conditions.join(', ')} goes` : '',
      critical: critical || undefined,
      fromDefault: parameters.length === 1 && parameters[0] !== undefined ? parameters[0] : undefined,
      fix: (target) =>
        alternatives.length === 1
          ? () => narrowFix(template, target, first.rule, range, source!.pair, values, source!.ipv6)
          : undefined,
    });
  }
  return openings;
}

/**
 * Replace a literal world-wide range with a required parameter, or remove the world-wide
 * Default of the parameter that supplies it.
 */
function narrowFix(
  template: Template,
  target: Parameters<typeof replaceValue>[0],
  rule: IngressRule,
  range: PortRange,
  pair: NonNullable<ReturnType<typeof getPair>>,
  values: PossibleValue[],
  ipv6: boolean,
): Fix | undefined {
  if (values.length !== 1) return undefined;
  const [value] = values;
  if (value.parameter) {
    const parameter = template.parameters.get(value.parameter);
    const defaultPair = parameter && getPair(parameter.node, 'Default');
    if (!parameter || !defaultPair) return undefined;
    return {
      title: `Remove the world-wide default of parameter ${parameter.name}: the deployer chooses the range`,
      edits: [removePair(target, asMap(parameter.node)!, defaultPair)],
      needs: [
        `Pass ${parameter.name} in every deployment: the address range that may connect, such as the office or VPN range`,
      ],
    };
  }
  const name = uniqueLogicalId(template, parameterBase(rule, range, ipv6));
  return {
    title: `Admit only the range in a new parameter ${name}`,
    needs: [
      `Set the ${name} parameter when deploying to the address range that may connect, such as the office or VPN range`,
    ],
    edits: [
      addParameter(target, template, name, {
        Type: 'String',
        Description: `The ${ipv6 ? 'IPv6 ' : ''}address range allowed to reach ${describe(range)} of ${rule.groupId ?? rule.resource.logicalId}`,
        AllowedPattern: ipv6 ? ipv6Pattern : ipv4Pattern,
      }),
      replaceValue(target, pair.value, { Ref: name }),
    ],
  };
}
