import rule from '../../../server/src/rules/cfn/boot-time-mutation';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'containers of a task definition that install software as they start',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: python:3.12-slim
          Command: [sh, -c, '«pip install -r requirements.txt» && python worker.py']
        - Name: sidecar
          Image: alpine:3.20
          EntryPoint: ['/bin/sh', '-c']
          Command:
            - «apk add --no-cache curl» && while true; do curl -s http://localhost:8080/health; sleep 30; done
`,
      messages: [
        'Worker installs software when container app starts (pip install -r requirements.txt): every task downloads and changes its image before it serves, starts slowly, runs something other than the tested image and fails when a mirror is down. Install it when the image is built.',
        /^Worker installs software when container sidecar starts \(apk add --no-cache curl\)/,
      ],
      messageIds: ['containerInstalls', 'containerInstalls'],
    },
    {
      name: 'a literal block script that upgrades, clones a branch and pipes curl to a shell',
      path: 'template.yaml',
      text: `Resources:
  WebTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash -xe
            «yum update -y»
            yum update -y aws-cfn-bootstrap
            # apt-get upgrade -y (kept for reference)
            «git clone https://github.com/example/web.git /srv/web»
            «curl -fsSL https://get.example.com/install.sh | sudo bash»
            /opt/aws/bin/cfn-signal -e $? --stack \${AWS::StackName} --region \${AWS::Region}
`,
      messages: [
        'WebTemplate upgrades every package when it boots (yum update -y): each instance gets whatever versions the mirrors serve that day, so no two are alike and none is the image that was tested.',
        /clones a git branch when it boots \(git clone https:\/\/github\.com\/example\/web\.git \/srv\/web\)/,
        /pipes a downloaded script into a shell when it boots/,
      ],
      messageIds: ['upgradesPackages', 'clonesBranch', 'pipesScript'],
    },
    {
      name: 'Fn::Join lines in JSON',
      path: 'template.json',
      text: `{
  "Resources": {
    "Box": {
      "Type": "AWS::EC2::Instance",
      "Properties": {
        "UserData": { "Fn::Base64": { "Fn::Join": ["", [
          "#!/bin/bash\\n",
          "«apt-get -y dist-upgrade»\\n",
          "cd /srv/app && «git pull origin main»\\n"
        ]] } }
      }
    }
  }
}
`,
      messages: [
        /^Box upgrades every package when it boots \(apt-get -y dist-upgrade\)/,
        /^Box pulls code from git when it boots/,
      ],
      messageIds: ['upgradesPackages', 'pullsCode'],
    },
    {
      name: 'cfn-init commands and cloud-init in flow style',
      path: 'template.yaml',
      text: `Resources:
  Legacy:
    Type: AWS::AutoScaling::LaunchConfiguration
    Metadata:
      AWS::CloudFormation::Init:
        config:
          commands:
            01_patch: {command: «dnf -y upgrade --refresh»}
    Properties: {UserData: !Base64 "#cloud-config\\n«package_upgrade: true»\\n"}
`,
      messageIds: ['upgradesPackages', 'cloudInitUpgrade'],
    },
  ],
  clean: [
    {
      name: 'a clone that the script then checks out at a release tag',
      path: 'template.yaml',
      text: `Resources:
  Server:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: |
          #!/bin/bash
          git clone https://github.com/example/forge
          cd forge
          git checkout v1.22.1
          make build
`,
    },
    {
      name: 'containers that only start what their image holds',
      path: 'template.yaml',
      text: `Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: app, Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:1.4.2, Command: [python, worker.py, --queue, orders]}
        - {Name: proxy, Image: nginx:1.27, EntryPoint: [nginx, -g, 'daemon off;']}
`,
    },
    {
      name: 'one named package, an index refresh, a release tag and a versioned installer',
      path: 'template.yaml',
      text: `Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      UserData:
        Fn::Base64: |
          #!/bin/bash
          yum update -y aws-cfn-bootstrap
          apt-get update -y
          git clone --branch v2.4.1 https://github.com/example/tool.git
          curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh | bash
`,
    },
    {
      name: 'the same commands outside boot scripts',
      path: 'template.yaml',
      text: `Resources:
  Build:
    Type: AWS::CodeBuild::Project
    Properties:
      Source:
        BuildSpec: |
          phases:
            install:
              commands:
                - yum update -y
  Box:
    Type: AWS::EC2::Instance
    Properties:
      Tags: [{Key: note, Value: 'never run yum update -y here'}]
`,
    },
  ],
});
