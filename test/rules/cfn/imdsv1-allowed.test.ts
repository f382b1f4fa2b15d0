import rule from '../../../server/src/rules/cfn/imdsv1-allowed';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'an instance that never sets HttpTokens gets IMDSv2 required',
      path: 'template.yaml',
      text: `Resources:
  «Reports»:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: t3.small
      IamInstanceProfile: !Ref ReportsProfile
`,
      messages: [
        'EC2 instance Reports answers instance metadata requests without a token (HttpTokens is not set to required): a request forgery in anything it runs can read its role’s credentials.',
      ],
      messageIds: ['notSet'],
      fixed: `Resources:
  Reports:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: t3.small
      IamInstanceProfile: !Ref ReportsProfile
      MetadataOptions:
        HttpTokens: required
`,
    },
    {
      name: 'a launch template that keeps tokens optional, through a parameter default',
      path: 'template.yaml',
      text: `Parameters:
  MetadataTokens:
    Type: String
    AllowedValues: [optional, required]
    Default: optional
Resources:
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: m7g.large
        MetadataOptions: {HttpTokens: «!Ref MetadataTokens», HttpPutResponseHopLimit: 2}
`,
      messages: [
        // No instance profile: what a forged request reads today is the user data, not credentials.
        'Launch template Nodes answers instance metadata requests without a token (HttpTokens is optional (the default of parameter MetadataTokens)): a request forgery in anything it runs can read its user data and instance identity (it has no instance profile yet; the credentials of one added later would be exposed the same way).',
      ],
      messageIds: ['optional'],
      fixed: `Parameters:
  MetadataTokens:
    Type: String
    AllowedValues: [optional, required]
    Default: required
Resources:
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: m7g.large
        MetadataOptions: {HttpTokens: !Ref MetadataTokens, HttpPutResponseHopLimit: 2}
`,
    },
    {
      name: 'a launch configuration in JSON gets MetadataOptions',
      path: 'template.json',
      text: `{
  "Resources": {
    «"Workers"»: {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": { "ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro" }
    }
  }
}
`,
      fixed: `{
  "Resources": {
    "Workers": {
      "Type": "AWS::AutoScaling::LaunchConfiguration",
      "Properties": { "ImageId": "ami-0abcdef1234567890", "InstanceType": "t3.micro", "MetadataOptions": {
        "HttpTokens": "required"
      } }
    }
  }
}
`,
    },
    {
      name: 'boot scripts that read the metadata service without a token: reported, no fix (it would break the boot)',
      path: 'template.yaml',
      text: `Resources:
  «Legacy»:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      UserData:
        Fn::Base64: |
          #!/bin/bash
          ZONE=$(curl -s http://169.254.169.254/latest/meta-data/placement/availability-zone)
          echo "$ZONE" > /etc/zone
`,
      messageIds: ['notSet'],
    },
  ],
  clean: [
    {
      name: 'tokens required, the endpoint off, an Amazon Linux 2023 image, an instance from a launch template',
      path: 'template.yaml',
      text: `Parameters:
  LatestAmi:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
  Api:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0abcdef1234567890, MetadataOptions: {HttpTokens: required}}
  Sealed:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-0abcdef1234567890, MetadataOptions: {HttpEndpoint: disabled}}
  Modern:
    Type: AWS::EC2::Instance
    Properties: {ImageId: !Ref LatestAmi}
  Resolved:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64}}'
  EcsHost:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: '{{resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id}}'
  FromTemplate:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref Nodes, Version: !GetAtt Nodes.LatestVersionNumber}
  Nodes:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}
`,
    },
  ],
});
