import { referenceTarget } from '../../engine/cfn/references';
import { ingressRules, isAdminAccess, portRange } from '../../engine/cfn/security-groups';
import { nameWords } from '../../engine/names';
import { asBoolean, replaceValues, valuesAlways } from '../../engine/cfn/values';
import {
  possibleValues,
  property,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asSeq, get, getPair, getPath, type DataNode, type Pair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';
import { privateSubnets } from '../../engine/cfn/subnets';

/** Machines whose job is to be reached from outside or to route traffic: a public address is their point. */
const gatewayWords = new Set([
  'bastion',
  'jump',
  'jumpbox',
  'nat',
  'vpn',
  'openvpn',
  'wireguard',
  'proxy',
  'gateway',
]);

function isGateway(template: Template, resource: Resource): boolean {
  if (nameWords(resource.logicalId).some((w) => gatewayWords.has(w))) return true;
  const check = property(resource, 'SourceDestCheck');
  return !!check && (possibleValues(template, check.value) ?? []).some((v) => asBoolean(v.value) === false);
}

/** Every value is true (through parameters and Fn::If), or undefined. */
function alwaysTrue(template: Template, pair: Pair | undefined) {
  return valuesAlways(template, pair?.value, (v) => asBoolean(v) === true);
}

/** A subnet of the template that gives every instance launched in it a public address. */
function publicSubnet(template: Template, node: DataNode | undefined): Resource | undefined {
  const subnet = template.resourceById.get(referenceTarget(node) ?? '');
  if (subnet?.type !== 'AWS::EC2::Subnet') return undefined;
  return alwaysTrue(template, property(subnet, 'MapPublicIpOnLaunch')) ? subnet : undefined;
}

/** The security group lists of a resource, where its type keeps them. */
function groupLists(resource: Resource): (DataNode | undefined)[] {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::EC2::Instance':
      return [
        get(p, 'SecurityGroupIds'),
        get(p, 'SecurityGroups'),
        ...(asSeq(get(p, 'NetworkInterfaces'))?.items ?? []).map((nic) => get(nic, 'GroupSet')),
      ];
    case 'AWS::EC2::LaunchTemplate':
      return [
        getPath(p, 'LaunchTemplateData', 'SecurityGroupIds'),
        getPath(p, 'LaunchTemplateData', 'SecurityGroups'),
        ...(asSeq(getPath(p, 'LaunchTemplateData', 'NetworkInterfaces'))?.items ?? []).map((nic) =>
          get(nic, 'Groups'),
        ),
      ];
    case 'AWS::AutoScaling::LaunchConfiguration':
      return [get(p, 'SecurityGroups')];
    case 'AWS::ECS::Service':
      return [getPath(p, 'NetworkConfiguration', 'AwsvpcConfiguration', 'SecurityGroups')];
    default:
      return [];
  }
}

/**
 * Whether nothing on the internet at large can reach the resource despite its address: it has
 * security groups, all of this template, and each admits traffic only from other security groups
 * or managed prefix lists (such as CloudFront's origin-facing list), never from a CIDR range.
 */
function admitsNoAddressRange(template: Template, resource: Resource): boolean {
  const groups = templateGroups(template, resource);
  if (!groups) return false;
  return ingressRules(template)
    .flat()
    .filter((rule) => rule.groupId !== undefined && groups.includes(rule.groupId))
    .every(
      (rule) =>
        !getPair(rule.node, 'CidrIp') &&
        !getPair(rule.node, 'CidrIpv6') &&
        (!!getPair(rule.node, 'SourcePrefixListId') ||
          !!getPair(rule.node, 'SourceSecurityGroupId') ||
          !!getPair(rule.node, 'SourceSecurityGroupName')),
    );
}

/** The security groups of a resource when it has some and all of them are of this template. */
function templateGroups(template: Template, resource: Resource): string[] | undefined {
  const written = groupLists(resource).filter((n): n is DataNode => n !== undefined);
  if (written.length === 0) return undefined;
  const groups: string[] = [];
  for (const list of written) {
    const items = asSeq(list)?.items;
    if (!items) return undefined;
    for (const item of items) {
      const id = referenceTarget(item);
      if (!id || template.resourceById.get(id)?.type !== 'AWS::EC2::SecurityGroup') return undefined;
      groups.push(id);
    }
  }
  return groups.length > 0 ? groups : undefined;
}

/**
 * An admin host, whatever its name: a machine whose security groups (all of this template) let
 * in SSH or RDP and nothing else. Being reached from outside is its job, as for a bastion.
 */
function admitsOnlyAdministrators(template: Template, resource: Resource): boolean {
  if (resource.type === 'AWS::ECS::Service') return false;
  const groups = templateGroups(template, resource);
  if (!groups) return false;
  const rules = ingressRules(template)
    .flat()
    .filter((rule) => rule.groupId !== undefined && groups.includes(rule.groupId));
  return rules.length > 0 && rules.every((rule) => isAdminAccess(portRange(template, rule.node)));
}

const nouns: Record<string, string> = {
  'AWS::EC2::Instance': 'EC2 instance',
  'AWS::EC2::LaunchTemplate': 'Launch template',
  'AWS::AutoScaling::LaunchConfiguration': 'Launch configuration',
  'AWS::ECS::Service': 'ECS service',
};

export default defineRule({
  id: 'private-network/public-ip',
  lesson: 'private-network',
  title: 'Instance gets a public IP address',
  severity: 'warning',
  equivalents: ['CKV_AWS_88'],
  fix: 'scaffold',
  resourceTypes: Object.keys(nouns),
  messages: {
    associates:
      '{{noun}} {{id}} gets a public IP address (AssociatePublicIpAddress is true{{provenance}}): keep application servers in private subnets.',
    publicSubnet:
      'EC2 instance {{id}} gets a public IP address from subnet {{subnet}} (MapPublicIpOnLaunch is true): keep application servers in private subnets.',
    taskPublicIp:
      'ECS service {{id}} gives each task a public IP address (AssignPublicIp is ENABLED{{provenance}}): keep tasks in private subnets, behind a load balancer.',
    taskPublicIpUnused:
      'ECS service {{id}} gives each task a public IP address (AssignPublicIp is ENABLED{{provenance}}), but the tasks run in private subnets ({{subnets}}): nothing routes to that address, so it is unused. Set AssignPublicIp to DISABLED, so that the tasks stay unreachable if those subnets ever get a route to the internet.',
    associatesUnused:
      '{{noun}} {{id}} gets a public IP address (AssociatePublicIpAddress is true{{provenance}}), but it runs in a private subnet ({{subnets}}): nothing routes to that address, so it is unused. Set AssociatePublicIpAddress to false, so that the instance stays unreachable if that subnet ever gets a route to the internet.',
  },
  docs: {
    what:
      'EC2 instances, launch templates and launch configurations that ask for a public IP address (`AssociatePublicIpAddress: true`), ECS services that give their tasks one (`AssignPublicIp: ENABLED`), ' +
      'and instances placed in a subnet of the template that hands one out to everything launched in it (`MapPublicIpOnLaunch: true`). ' +
      'Bastions, NAT and VPN instances (by name, or with `SourceDestCheck: false`) are left alone: being reachable is their job; so are admin hosts whose security groups (all of them in the template) let in SSH or RDP and nothing else. ' +
      'So are resources whose security groups (all of them in the template) admit traffic only from other security groups or managed prefix lists, never from a CIDR range, such as an origin behind CloudFront that only `com.amazonaws.global.cloudfront.origin-facing` may reach: the address is public, but nothing on the internet at large can connect to it. ' +
      'Where the subnets are evidently private (imported values or parameters named `…Private…`, or subnets of the template whose route tables have no route to an internet gateway), the finding says the address is unused rather than exposed.',
    why:
      'A public address makes the instance reachable from the internet as soon as a security group rule, today or after a later change, lets traffic in, and it lets the instance talk out without any control. ' +
      'Application servers belong in private subnets behind a load balancer, and reach the internet through a NAT gateway or VPC endpoints; people reach them through Session Manager. ' +
      'Then a mistake in a security group is not an exposure.',
    example: {
      language: 'yaml',
      code: `AppTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: !Ref LatestAmiId
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: true
          Groups: [!Ref AppSecurityGroup]`,
    },
    useInstead: {
      language: 'yaml',
      code: `AppTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: !Ref LatestAmiId
      NetworkInterfaces:
        - DeviceIndex: 0
          AssociatePublicIpAddress: false    # private subnet; out through a NAT gateway
          Groups: [!Ref AppSecurityGroup]`,
    },
    fix: 'Sets `AssociatePublicIpAddress: false` (`AssignPublicIp: DISABLED` for an ECS service). A scaffold: in a subnet without a NAT gateway or VPC endpoints the instance or task loses its only way out (pulling images, package installs, AWS APIs), and on an EC2 instance the change replaces it. An instance that only gets its address from a public subnet gets no fix: move it to a private subnet.',
    references: [
      {
        title: 'Amazon EC2: instance IP addressing',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html',
      },
      {
        title: 'Amazon VPC: subnets for your VPC (public and private subnets)',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        const noun = nouns[resource.type ?? ''];
        // Reachable only from other groups or prefix lists (CloudFront's origin-facing one, say).
        if (
          isGateway(template, resource) ||
          admitsNoAddressRange(template, resource) ||
          admitsOnlyAdministrators(template, resource)
        )
          continue;
        if (resource.type === 'AWS::ECS::Service') {
          const pair = getPair(
            getPath(resource.properties, 'NetworkConfiguration', 'AwsvpcConfiguration'),
            'AssignPublicIp',
          );
          const values = valuesAlways(template, pair?.value, (v) => String(v).toUpperCase() === 'ENABLED');
          if (!pair || !values) continue;
          // In subnets that nothing routes to from the internet the address is unused, not exposed.
          const unused = privateSubnets(
            template,
            getPath(resource.properties, 'NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets'),
          );
          report({
            at: pair.value,
            resource,
            messageId: unused ? 'taskPublicIpUnused' : 'taskPublicIp',
            data: {
              id: resource.logicalId,
              provenance: provenance(values),
              ...(unused ? { subnets: unused } : {}),
            },
            fix: () => {
              const edits = replaceValues(target, template, values, 'DISABLED');
              return (
                edits && {
                  title: 'Do not give the tasks public IP addresses',
                  edits,
                  needs: [
                    `Give the subnets of ${resource.logicalId} a way out without public addresses (a NAT gateway, or VPC endpoints for ECR, S3 and CloudWatch Logs): the tasks pull their images through it`,
                  ],
                }
              );
            },
          });
          continue;
        }
        const switches: { pair: Pair; subnet?: DataNode }[] = [];
        if (resource.type === 'AWS::AutoScaling::LaunchConfiguration') {
          const pair = property(resource, 'AssociatePublicIpAddress');
          if (pair) switches.push({ pair });
        } else {
          const interfaces =
            resource.type === 'AWS::EC2::Instance'
              ? get(resource.properties, 'NetworkInterfaces')
              : getPath(resource.properties, 'LaunchTemplateData', 'NetworkInterfaces');
          for (const nic of asSeq(interfaces)?.items ?? []) {
            const pair = getPair(nic, 'AssociatePublicIpAddress');
            // An instance's interface sits in its own subnet, or in the instance's.
            const subnet =
              resource.type === 'AWS::EC2::Instance'
                ? (get(nic, 'SubnetId') ?? get(resource.properties, 'SubnetId'))
                : undefined;
            if (pair) switches.push({ pair, ...(subnet ? { subnet } : {}) });
          }
        }
        for (const { pair, subnet } of switches) {
          const values = alwaysTrue(template, pair);
          if (!values) continue;
          const unused = subnet ? privateSubnets(template, subnet) : undefined;
          report({
            at: pair.value,
            resource,
            messageId: unused ? 'associatesUnused' : 'associates',
            data: {
              noun,
              id: resource.logicalId,
              provenance: provenance(values),
              ...(unused ? { subnets: unused } : {}),
            },
            fix: () => {
              const edits = replaceValues(target, template, values, false);
              return edits
                ? {
                    title: 'Do not associate a public IP address',
                    edits,
                    needs: [
                      `Give ${resource.logicalId}’s subnet a way out without a public address (a NAT gateway or VPC endpoints) if it downloads packages or calls AWS APIs`,
                    ],
                  }
                : undefined;
            },
          });
        }
        if (resource.type !== 'AWS::EC2::Instance' || switches.length > 0) continue;
        const subnetPair = property(resource, 'SubnetId');
        const subnet = publicSubnet(template, subnetPair?.value);
        if (!subnetPair || !subnet) continue;
        report({
          at: subnetPair.value,
          resource,
          messageId: 'publicSubnet',
          data: { id: resource.logicalId, subnet: subnet.logicalId },
        });
      }
    },
  },
});
