import rule from '../../../server/src/rules/cfn/task-runs-as-root';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'containers told to run as root, by name and by id',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: orders:1.4.2
          User: «root»
        - {Name: migrate, Image: orders:1.4.2, User: «'0:0'», Command: [./migrate]}
`,
      messages: [
        'Task definition Orders runs container app as root (User is root): a flaw in the application hands the attacker root in the container, and whatever the host shares with it.',
        /runs container migrate as root \(User is 0:0\)/,
      ],
    },
  ],
  clean: [
    {
      name: 'an unprivileged user, a named one, and no override (the image decides)',
      path: 'template.yaml',
      text: `Resources:
  Orders:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - {Name: app, Image: orders:1.4.2, User: '10001'}
        - {Name: web, Image: nginx:1.27, User: 'nginx:nginx'}
        - {Name: sidecar, Image: envoy:1.31}
        - {Name: rooted, Image: tools:2, User: 'rootless'}
`,
    },
  ],
});
