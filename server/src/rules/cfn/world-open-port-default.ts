import { ingressTypes } from '../../engine/cfn/security-groups';
import { defineRule } from '../../engine/rule';
import { worldOpenings } from './world-open-port';

export default defineRule({
  id: 'private-network/world-open-port-default',
  lesson: 'private-network',
  title: 'Parameter whose default opens a port to the whole internet',
  severity: 'warning',
  equivalents: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'F1000'],
  fix: 'scaffold',
  strictOnly: true,
  resourceTypes: ingressTypes,
  messages: {
    defaultOpens:
      'Parameter {{parameter}} defaults to {{range}}: a deployment that keeps the default opens {{ports}} of security group {{group}} to every address{{conditions}}.',
    defaultOpensCriticalPort:
      'Parameter {{parameter}} defaults to {{range}}: a deployment that keeps the default opens {{ports}} of security group {{group}} to every address{{conditions}}, and {{services}} should only be reachable from known networks.',
  },
  docs: {
    what:
      'Security group ingress whose range comes from a parameter (`CidrIp: !Ref SSHLocation`) with a world-wide default (`0.0.0.0/0`, `::/0`), to anything but HTTP and HTTPS, with the exceptions of `private-network/world-open-port` (groups only load balancers or functions use, ICMP). ' +
      'In the `strict` preset only: the template leaves the range to whoever deploys it, and the default is a value they see, and can replace, when they deploy; ' +
      'templates written to be tried out (samples, quick starts) set such defaults on purpose, and a finding on each of them would be true and ignored. ' +
      'A world-wide range written in the template itself is `private-network/world-open-port`, in every preset. ' +
      'Admin and database ports (SSH, RDP, MySQL, …) are warnings here, other ports information.',
    why:
      'A default is what a hurried deployment gets: press Create stack without reading, and SSH or the database is open to every address on the internet, which scanners find within minutes. ' +
      'Without a default the deployer has to name a range; a narrow default (a documentation range is not one) would only move the problem.',
    example: {
      language: 'yaml',
      code: `Parameters:
  SSHLocation:
    Type: String
    Default: 0.0.0.0/0
Resources:
  InstanceSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: SSH access
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}`,
    },
    useInstead: {
      language: 'yaml',
      code: `Parameters:
  SSHLocation:
    Type: String
    Description: The office or VPN range allowed to reach SSH
    AllowedPattern: '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$'
Resources:
  InstanceSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: SSH access
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}`,
    },
    fix: "Removes the parameter's world-wide default, so that every deployment must pass the range that may connect. A scaffold: deployments that relied on the default fail until they pass one.",
    references: [
      {
        title: 'Amazon VPC: security group rules',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
      },
      {
        title: 'CloudFormation parameters',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, target, report }) {
      for (const opening of worldOpenings(template)) {
        if (!opening.fromDefault) continue;
        const { critical } = opening;
        report({
          at: opening.at,
          resource: opening.rule.resource,
          messageId: critical ? 'defaultOpensCriticalPort' : 'defaultOpens',
          data: {
            parameter: opening.fromDefault,
            range: opening.range,
            ports: opening.ports,
            group: opening.group,
            conditions: opening.conditions,
            services: critical ?? '',
          },
          severity: critical ? 'warning' : 'info',
          fix: opening.fix(target),
        });
      }
    },
  },
});
