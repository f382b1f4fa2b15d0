import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/src/engine/analyze';
import rule from '../../../server/src/rules/cfn/world-open-port-default';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'through a parameter default: the default is removed',
      path: 'template.yaml',
      text: `Parameters:
  SSHLocation:
    Type: String
    Default: 0.0.0.0/0
    AllowedPattern: '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: «!Ref SSHLocation»}]
`,
      messages: [
        'Parameter SSHLocation defaults to 0.0.0.0/0: a deployment that keeps the default opens port 22 (SSH) of security group Sg to every address, and SSH should only be reachable from known networks.',
      ],
      messageIds: ['defaultOpensCriticalPort'],
      fixed: `Parameters:
  SSHLocation:
    Type: String
    AllowedPattern: '(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})'
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref SSHLocation}]
`,
    },
    {
      name: 'an application port through a default, in JSON',
      path: 'template.json',
      text: `{
  "Parameters": {"ClientCidr": {"Type": "String", "Default": "0.0.0.0/0"}},
  "Resources": {
    "MqSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 8162, "ToPort": 8162, "CidrIp": «{"Ref": "ClientCidr"}»}]}
    }
  }
}
`,
      messages: [
        'Parameter ClientCidr defaults to 0.0.0.0/0: a deployment that keeps the default opens port 8162 of security group MqSg to every address.',
      ],
      messageIds: ['defaultOpens'],
      fixed: `{
  "Parameters": {"ClientCidr": {"Type": "String"}},
  "Resources": {
    "MqSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 8162, "ToPort": 8162, "CidrIp": {"Ref": "ClientCidr"}}]}
    }
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'a range written in the template (world-open-port), a narrow default, HTTPS through a default',
      path: 'template.yaml',
      text: `Parameters:
  AdminCidr: {Type: String, Default: 203.0.113.0/24}
  WebCidr: {Type: String, Default: 0.0.0.0/0}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: !Ref AdminCidr}
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref WebCidr}
`,
    },
  ],
});

describe(`${rule.id} severity`, () => {
  it('warns for admin and database ports, informs for the others', async () => {
    const text = `Parameters:
  Open: {Type: String, Default: 0.0.0.0/0}
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: !Ref Open}
        - {IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: !Ref Open}
`;
    const { findings } = await new Analyzer({ rules: [rule] }).analyze({ path: '/work/template.yaml', text });
    assert.deepEqual(
      findings.map((f) => f.severity),
      ['warning', 'info'],
    );
  });
});
