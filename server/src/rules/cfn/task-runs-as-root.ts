import { containerName } from '../../engine/cfn/containers';
import { valuesAlways } from '../../engine/cfn/values';
import { property, provenance } from '../../engine/parse/cloudformation';
import { asSeq, getPair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** `root`, `0`, or either with a group (`root:root`, `0:0`, `0:1000`). */
const rootUser = /^(root|0)(:\S*)?$/;

export default defineRule({
  id: 'least-privilege/task-runs-as-root',
  lesson: 'least-privilege',
  title: 'ECS container runs as root',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  resourceTypes: ['AWS::ECS::TaskDefinition'],
  messages: {
    root: 'Task definition {{id}} runs {{container}} as root (User is {{user}}{{provenance}}): a flaw in the application hands the attacker root in the container, and whatever the host shares with it.',
  },
  docs: {
    what:
      'A container definition of an ECS task definition whose `User` is `root` or `0` (with or without a group), written or as a parameter default. ' +
      'A container that sets no `User` runs as the user its image chooses: the Dockerfile rules judge that, not this one.',
    why:
      'Inside a container, root is still root: it can change every file of the image, install tools, and on EC2 hosts reach what the host mounts or exposes to it. ' +
      'An application that only needs to listen on a port and write to a few directories gains nothing from it, and an attacker who finds a flaw in it gains everything. ' +
      'Run it as an unprivileged user created in the image, and drop the `User` override.',
    example: {
      language: 'yaml',
      code: `OrdersTask:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: orders
        Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2
        User: root`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersTask:
  Type: AWS::ECS::TaskDefinition
  Properties:
    ContainerDefinitions:
      - Name: orders
        Image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2
        User: '10001'               # the unprivileged user the image creates
        ReadonlyRootFilesystem: true`,
    },
    references: [
      {
        title: 'Amazon ECS: task and container security best practices',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, report }) {
      for (const task of resources) {
        for (const definition of asSeq(property(task, 'ContainerDefinitions')?.value)?.items ?? []) {
          const user = getPair(definition, 'User');
          const values = valuesAlways(template, user?.value, (v) => rootUser.test(String(v).trim()));
          if (!user || !values) continue;
          report({
            at: user.value,
            resource: task,
            messageId: 'root',
            data: {
              id: task.logicalId,
              container: containerName(definition),
              user: String(values[0].value),
              provenance: provenance(values),
            },
          });
        }
      }
    },
  },
});
