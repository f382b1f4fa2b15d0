import rule from '../../../server/src/rules/cfn/hardcoded-ami';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'literal AMI on an Ubuntu Graviton instance: parameters section created above Resources',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
# the web tier
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: «ami-0abcdef1234567890» # Ubuntu 22.04, eu-west-1
      InstanceType: t4g.small
      UserData:
        Fn::Base64: |
          #!/bin/bash
          apt-get install -y nginx
`,
      messages: [
        'Web launches a hard-coded AMI ami-0abcdef1234567890: the image is never rebuilt or patched without editing the template, and the id exists in one region only.',
      ],
      messageIds: ['literal'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  WebImageId:
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'
    Default: /aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id
    Description: The image to launch, resolved when the stack deploys (was ami-0abcdef1234567890). Point it at the parameter your image pipeline publishes, or check that this public image family is the right one.
# the web tier
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref WebImageId # Ubuntu 22.04, eu-west-1
      InstanceType: t4g.small
      UserData:
        Fn::Base64: |
          #!/bin/bash
          apt-get install -y nginx
`,
    },
    {
      name: 'launch template in JSON without a clue to its OS: a placeholder path; the derived parameter name is taken',
      path: 'template.json',
      text: `{
  "Parameters": {
    "AppImageId": { "Type": "String" }
  },
  "Resources": {
    "App": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": { "ImageId": «"ami-12345678"», "InstanceType": "m7i.large" }
      }
    }
  }
}
`,
      messageIds: ['literal'],
      fixed: `{
  "Parameters": {
    "AppImageId": { "Type": "String" },
    "AppImageId2": {
      "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
      "Default": "/images/App/ami-id",
      "Description": "The image to launch, resolved when the stack deploys (was ami-12345678). Publish the id of each image you bake under this SSM name, or point the default at a public image parameter."
    }
  },
  "Resources": {
    "App": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": { "ImageId": { "Ref": "AppImageId2" }, "InstanceType": "m7i.large" }
      }
    }
  }
}
`,
    },
    {
      name: 'a region-to-AMI mapping looked up with FindInMap (flow style): the mapping goes once unused',
      path: 'template.yaml',
      text: `Parameters:
  Size: {Type: String, Default: t3.micro}
Mappings:
  RegionAmi:
    us-east-1: {HVM64: ami-0ff8a91507f77f867}
    eu-west-1: {HVM64: ami-047bb4163c506cd98}
Resources:
  Legacy:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: «!FindInMap [RegionAmi, !Ref 'AWS::Region', HVM64]», InstanceType: !Ref Size, UserData: !Base64 "#!/bin/bash\\namazon-linux-extras install nginx1\\n"}
`,
      messages: [/launches AMIs hard-coded in mapping RegionAmi \(2 ids such as ami-0ff8a91507f77f867\)/],
      messageIds: ['mapped'],
      fixed: `Parameters:
  Size: {Type: String, Default: t3.micro}
  LegacyImageId:
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'
    Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2
    Description: The image to launch, resolved when the stack deploys (was mapping RegionAmi). Point it at the parameter your image pipeline publishes, or check that this public image family is the right one.
Resources:
  Legacy:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: !Ref LegacyImageId, InstanceType: !Ref Size, UserData: !Base64 "#!/bin/bash\\namazon-linux-extras install nginx1\\n"}
`,
    },
    {
      name: 'different AMIs on the branches of Fn::If: flagged without a fix',
      path: 'template.yaml',
      text: `Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: «!If [IsArm, ami-0123456789abcdef0, ami-0fedcba9876543210]»
`,
      messages: [
        /hard-coded AMI ami-0123456789abcdef0, ami-0fedcba9876543210 \(whichever way condition IsArm goes\)/,
      ],
      messageIds: ['literal'],
    },
    {
      name: 'two instances share an AMI table picked by an architecture table: both go, other mappings stay',
      path: 'template.yaml',
      text: `Mappings:
  Arch:
    t3.micro: {Arch: HVM64}
  RegionAmi:
    us-east-1: {HVM64: ami-0ff8a91507f77f867}
  Sizes:
    prod: {Size: t3.micro}
Resources:
  A:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !FindInMap [Sizes, prod, Size]
      ImageId: «!FindInMap [RegionAmi, !Ref 'AWS::Region', !FindInMap [Arch, t3.micro, Arch]]»
  B:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: «!FindInMap [RegionAmi, !Ref 'AWS::Region', !FindInMap [Arch, t3.micro, Arch]]»
`,
      messageIds: ['mapped', 'mapped'],
      fixed: `Mappings:
  Sizes:
    prod: {Size: t3.micro}
Parameters:
  AImageId:
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'
    Default: /images/A/ami-id
    Description: The image to launch, resolved when the stack deploys (was mapping RegionAmi). Publish the id of each image you bake under this SSM name, or point the default at a public image parameter.
  BImageId:
    Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'
    Default: /images/B/ami-id
    Description: The image to launch, resolved when the stack deploys (was mapping RegionAmi). Publish the id of each image you bake under this SSM name, or point the default at a public image parameter.
Resources:
  A:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: !FindInMap [Sizes, prod, Size]
      ImageId: !Ref AImageId
  B:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref BImageId
`,
    },
  ],
  clean: [
    {
      name: 'AMI ids passed in as parameters, even with a literal default',
      path: 'template.yaml',
      text: `Parameters:
  ImageId: {Type: 'AWS::EC2::Image::Id', Default: ami-0abcdef1234567890}
  Latest: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}
Resources:
  A:
    Type: AWS::EC2::Instance
    Properties: {ImageId: !Ref ImageId}
  B:
    Type: AWS::EC2::Instance
    Properties: {ImageId: !If [IsNew, !Ref Latest, ami-0abcdef1234567890]}
`,
    },
    {
      name: 'SSM dynamic references and mappings of something else',
      path: 'template.yaml',
      text: `Mappings:
  Sizes:
    prod: {Type: m7g.large}
Resources:
  A:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}'
      InstanceType: !FindInMap [Sizes, prod, Type]
  B:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !FindInMap [Sizes, prod, Type]
`,
    },
  ],
});
