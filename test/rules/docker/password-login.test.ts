import rule from '../../../server/src/rules/docker/password-login';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'chpasswd in a pipeline, sshd settings by echo and sed, useradd -p',
      path: 'Dockerfile',
      text: `FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \\
 && echo 'root:toor' | «chpasswd» \\
 && echo "«PasswordAuthentication yes»" >> /etc/ssh/sshd_config \\
 && sed -i 's/#PermitRootLogin prohibit-password/«PermitRootLogin yes»/' /etc/ssh/sshd_config
RUN useradd «-p» '$6$examplehash' dev
CMD ["/usr/sbin/sshd", "-D"]
`,
      messages: [
        'chpasswd gives an account a password in the image: anyone who reads the Dockerfile or the image has it.',
        /^sshd is configured to accept passwords/,
        /^sshd is configured to let root log in/,
        'useradd -p sets a password baked into the image.',
      ],
      messageIds: ['chpasswd', 'sshdPasswords', 'sshdRootLogin', 'passwordOption'],
    },
    {
      name: 'a here-document written to sshd_config',
      path: 'Dockerfile',
      text: `# syntax=docker/dockerfile:1
FROM debian:12
RUN cat >> /etc/ssh/sshd_config <<EOF
Port 2222
«PasswordAuthentication yes»
EOF
`,
    },
    {
      name: 'CloudFormation: an IAM user with a console password, and user data that enables passwords',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Deployer:
    Type: AWS::IAM::User
    Properties:
      «LoginProfile»:
        Password: !Ref DeployerPassword
  Bastion:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      UserData:
        Fn::Base64: !Sub |
          #!/bin/bash
          sed -i 's/^PasswordAuthentication no/«PasswordAuthentication yes»/' /etc/ssh/sshd_config
          echo "ec2-user:\${AdminPassword}" | «chpasswd»
          systemctl restart sshd
`,
      messages: [
        'IAM user Deployer gets a console password: sign people in through IAM Identity Center or a federated role instead.',
        /^The user data of Bastion configures sshd with PasswordAuthentication yes/,
        /^The user data of Bastion sets an account password with chpasswd/,
      ],
      messageIds: ['consolePassword', 'userDataSshd', 'userDataChpasswd'],
    },
    {
      name: 'JSON template: user data joined from pieces',
      path: 'template.json',
      text: `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Template": {
      "Type": "AWS::EC2::LaunchTemplate",
      "Properties": {
        "LaunchTemplateData": {
          "UserData": { "Fn::Base64": { "Fn::Join": ["", ["#!/bin/bash\\n", "echo '«PermitRootLogin yes»' >> /etc/ssh/sshd_config\\n"]] } }
        }
      }
    }
  }
}
`,
    },
  ],
  clean: [
    {
      name: 'switching passwords off, keys, and a build stage',
      path: 'Dockerfile',
      text: `FROM debian:12 AS test
RUN echo 'root:root' | chpasswd
FROM debian:12
RUN sed -i 's/^#\\?PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config \\
 && echo "PermitRootLogin prohibit-password" >> /etc/ssh/sshd_config \\
 && useradd --create-home app
`,
    },
    {
      name: 'CloudFormation: IAM users with keys only, and user data that disables passwords',
      path: 'template.yaml',
      text: `Resources:
  Ci:
    Type: AWS::IAM::User
    Properties:
      Path: /ci/
  Host:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: |
          #!/bin/bash
          sed -i 's/PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config
`,
    },
  ],
});
