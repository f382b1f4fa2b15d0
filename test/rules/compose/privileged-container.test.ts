import rule from '../../../server/src/rules/compose/privileged-container';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'privileged and cap_add ALL, block and flow lists',
      path: 'compose.yaml',
      text: `services:
  dind:
    image: docker:27-dind
    privileged: «true»
    restart: unless-stopped
  agent:
    image: example/agent:3.2
    cap_add:
      - NET_ADMIN
      - «ALL»
  probe:
    image: example/probe:1.0
    cap_add: [«ALL»]
`,
      messages: [
        'Service dind runs privileged: a compromise of the container is a compromise of the host.',
        'Service agent adds every Linux capability: that is as much as privileged.',
        /probe/,
      ],
      messageIds: ['privileged', 'allCapabilities', 'allCapabilities'],
      fixed: `services:
  dind:
    image: docker:27-dind
    restart: unless-stopped
  agent:
    image: example/agent:3.2
    cap_add:
      - NET_ADMIN
  probe:
    image: example/probe:1.0
`,
    },
    {
      name: 'ECS, directly and through a parameter default; Batch',
      path: 'template.yaml',
      text: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Privileged:
    Type: String
    Default: 'true'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          Privileged: «true»
        - Name: sidecar
          Image: example/sidecar:1.0
          Privileged: «!Ref Privileged»
  Job:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      ContainerProperties:
        Image: example/job:1.0
        Privileged: «True»
`,
      messages: [
        "Container app of Task runs privileged: it has root's power over the host.",
        /sidecar of Task runs privileged \(the default of parameter Privileged\)/,
        /\(unnamed\) of Job/,
      ],
      messageIds: ['privilegedContainer', 'privilegedContainer', 'privilegedContainer'],
      fixed: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Privileged:
    Type: String
    Default: 'false'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: example/app:1.0
          Privileged: false
        - Name: sidecar
          Image: example/sidecar:1.0
          Privileged: !Ref Privileged
  Job:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      ContainerProperties:
        Image: example/job:1.0
        Privileged: false
`,
    },
  ],
  clean: [
    {
      name: 'named capabilities, privileged false, and an unknowable parameter',
      path: 'compose.yaml',
      text: `services:
  vpn:
    image: example/wireguard:1.0
    cap_add: [NET_ADMIN, SYS_MODULE]
    privileged: false
`,
    },
    {
      name: 'ECS: Privileged false or from a parameter without default',
      path: 'template.yaml',
      text: `Parameters:
  Priv:
    Type: String
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Privileged: false
        - Name: other
          Privileged: !Ref Priv
`,
    },
  ],
});
