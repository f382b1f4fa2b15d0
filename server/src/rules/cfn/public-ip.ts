import { referenceTarget } from '../../engine/cfn/references';
import { nameWords } from '../../engine/names';
import { asBoolean, replaceValues } from '../../engine/cfn/values';
import {
  possibleValues,
  property,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import { asSeq, get, getPair, getPath, type DataNode, type Pair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

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
  const values = pair ? possibleValues(template, pair.value) : undefined;
  if (!values || !values.every((v) => !v.absent && asBoolean(v.value) === true)) return undefined;
  return values;
}

/** A subnet of the template that gives every instance launched in it a public address. */
function publicSubnet(template: Template, node: DataNode | undefined): Resource | undefined {
  const subnet = template.resourceById.get(referenceTarget(node) ?? '');
  if (subnet?.type !== 'AWS::EC2::Subnet') return undefined;
  return alwaysTrue(template, property(subnet, 'MapPublicIpOnLaunch')) ? subnet : undefined;
}

const nouns: Record<string, string> = {
  'AWS::EC2::Instance': 'EC2 instance',
  'AWS::EC2::LaunchTemplate': 'Launch template',
  'AWS::AutoScaling::LaunchConfiguration': 'Launch configuration',
};

export default defineRule({
  id: 'private-network/public-ip',
  lesson: 'private-network',
  title: 'Instance gets a public IP address',
  severity: 'warning',
  equivalents: ['CKV_AWS_88'],
  fix: 'yes',
  resourceTypes: Object.keys(nouns),
  docs: {
    what:
      'EC2 instances, launch templates and launch configurations that ask for a public IP address (`AssociatePublicIpAddress: true`), ' +
      'and instances placed in a subnet of the template that hands one out to everything launched in it (`MapPublicIpOnLaunch: true`). ' +
      'Bastions, NAT and VPN instances (by name, or with `SourceDestCheck: false`) are left alone: being reachable is their job.',
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
    cfn({ model: template, document, report }) {
      const target = { ...document, format: template.format };
      for (const resource of template.resources) {
        const noun = resource.type && nouns[resource.type];
        if (!noun || isGateway(template, resource)) continue;
        const switches: Pair[] = [];
        let interfaces: DataNode | undefined;
        if (resource.type === 'AWS::AutoScaling::LaunchConfiguration') {
          const pair = property(resource, 'AssociatePublicIpAddress');
          if (pair) switches.push(pair);
        } else {
          interfaces =
            resource.type === 'AWS::EC2::Instance'
              ? get(resource.properties, 'NetworkInterfaces')
              : getPath(resource.properties, 'LaunchTemplateData', 'NetworkInterfaces');
          for (const nic of asSeq(interfaces)?.items ?? []) {
            const pair = getPair(nic, 'AssociatePublicIpAddress');
            if (pair) switches.push(pair);
          }
        }
        for (const pair of switches) {
          const values = alwaysTrue(template, pair);
          if (!values) continue;
          report({
            at: pair.value,
            message: `${noun} ${resource.logicalId} gets a public IP address (AssociatePublicIpAddress is true${provenance(values)}): keep application servers in private subnets.`,
            fix: () => {
              const edits = replaceValues(target, template, values, false);
              return edits ? { title: 'Do not associate a public IP address', edits } : undefined;
            },
          });
        }
        if (resource.type !== 'AWS::EC2::Instance' || switches.length > 0) continue;
        const subnetPair = property(resource, 'SubnetId');
        const subnet = publicSubnet(template, subnetPair?.value);
        if (!subnetPair || !subnet) continue;
        report({
          at: subnetPair.value,
          message: `EC2 instance ${resource.logicalId} gets a public IP address from subnet ${subnet.logicalId} (MapPublicIpOnLaunch is true): keep application servers in private subnets.`,
        });
      }
    },
  },
});
