import { serviceTrustPolicy } from '../../engine/cfn/iam';
import { addResources, companionBody } from '../../engine/cfn/companions';
import { referencedNames, referenceTarget } from '../../engine/cfn/references';
import { perTemplate } from '../../engine/cfn/resources';
import { uniqueLogicalId } from '../../engine/cfn/template-additions';
import { get } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** The VPCs whose traffic the template's flow logs record: directly, or through one of their subnets. */
const recorded = perTemplate((template) => {
  const names = new Set<string>();
  for (const log of template.resourcesOfType(['AWS::EC2::FlowLog'])) {
    referencedNames(get(log.properties, 'ResourceId')).forEach((name) => names.add(name));
    referencedNames(get(log.properties, 'ResourceIds')).forEach((name) => names.add(name));
  }
  for (const subnet of template.resourcesOfType(['AWS::EC2::Subnet'])) {
    const vpc = referenceTarget(get(subnet.properties, 'VpcId'));
    if (vpc && names.has(subnet.logicalId)) names.add(vpc);
  }
  return names;
});

/** Days the fix keeps flow records: a quarter, long enough to look back over an incident. */
const retentionDays = 90;

export default defineRule({
  id: 'measure-everything/no-flow-logs',
  lesson: 'measure-everything',
  title: 'VPC without flow logs',
  severity: 'info',
  equivalents: ['CKV2_AWS_11'],
  fix: 'scaffold',
  strictOnly: true,
  resourceTypes: ['AWS::EC2::VPC'],
  messages: {
    noFlowLogs:
      'VPC {{id}} records no flow logs: when something connects where it should not, or a connection is refused, there is no record of who talked to whom.',
  },
  docs: {
    what:
      'An `AWS::EC2::VPC` that no `AWS::EC2::FlowLog` of the template records (the VPC itself, or one of its subnets). ' +
      'In the `strict` preset only: flow logs cost money per gigabyte recorded, and many teams keep them on a central network account instead of in each stack.',
    why:
      'Flow logs are the measurement of the network: which addresses connected to which ports, how much went through, what the security groups refused. ' +
      'In an incident they answer whether data left, and from where; day to day they explain timeouts that are really refused connections. ' +
      'They cannot be turned on for the past, so they belong to the VPC from its first day.',
    example: {
      language: 'yaml',
      code: `Network:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16`,
    },
    useInstead: {
      language: 'yaml',
      code: `Network:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.0.0.0/16
NetworkFlowLog:
  Type: AWS::EC2::FlowLog
  Properties:
    ResourceId: !Ref Network
    ResourceType: VPC
    TrafficType: ALL
    LogDestinationType: cloud-watch-logs
    LogGroupName: !Ref NetworkFlowLogGroup
    DeliverLogsPermissionArn: !GetAtt NetworkFlowLogRole.Arn`,
    },
    fix: `Adds a flow log of all traffic to a new log group kept ${retentionDays} days, with the role that lets the flow log service write to it. A scaffold: check what recording the VPC's traffic costs, or send the records to your central network account instead.`,
    references: [
      {
        title: 'Amazon VPC: logging IP traffic using VPC Flow Logs',
        url: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const vpc of resources) {
        if (recorded(template).has(vpc.logicalId)) continue;
        report({
          at: vpc.idNode,
          resource: vpc,
          messageId: 'noFlowLogs',
          data: { id: vpc.logicalId },
          fix: () => {
            const group = uniqueLogicalId(template, `${vpc.logicalId}FlowLogGroup`);
            const role = uniqueLogicalId(template, `${vpc.logicalId}FlowLogRole`, [group]);
            const log = uniqueLogicalId(template, `${vpc.logicalId}FlowLog`, [group, role]);
            return {
              title: `Record the traffic of ${vpc.logicalId} in a new flow log ${log}`,
              needs: [
                `Check what recording all of ${vpc.logicalId}'s traffic costs (TrafficType REJECT keeps only refused connections)`,
              ],
              edits: [
                addResources(target, template, [
                  {
                    id: group,
                    body: companionBody('AWS::Logs::LogGroup', { RetentionInDays: retentionDays }, vpc),
                  },
                  {
                    id: role,
                    body: companionBody(
                      'AWS::IAM::Role',
                      {
                        AssumeRolePolicyDocument: serviceTrustPolicy('vpc-flow-logs.amazonaws.com'),
                        Policies: [
                          {
                            PolicyName: 'write-flow-logs',
                            PolicyDocument: {
                              Version: '2012-10-17',
                              Statement: [
                                {
                                  Effect: 'Allow',
                                  Action: [
                                    'logs:CreateLogStream',
                                    'logs:PutLogEvents',
                                    'logs:DescribeLogStreams',
                                  ],
                                  Resource: { 'Fn::GetAtt': [group, 'Arn'] },
                                },
                              ],
                            },
                          },
                        ],
                      },
                      vpc,
                    ),
                  },
                  {
                    id: log,
                    body: companionBody(
                      'AWS::EC2::FlowLog',
                      {
                        ResourceId: { Ref: vpc.logicalId },
                        ResourceType: 'VPC',
                        TrafficType: 'ALL',
                        LogDestinationType: 'cloud-watch-logs',
                        LogGroupName: { Ref: group },
                        DeliverLogsPermissionArn: { 'Fn::GetAtt': [role, 'Arn'] },
                      },
                      vpc,
                    ),
                  },
                ]),
              ],
            };
          },
        });
      }
    },
  },
});
