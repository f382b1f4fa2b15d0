import { removePair, replaceScalar, type EditTarget } from '../../engine/edit';
import { possibleValues, provenance, type Resource } from '../../engine/parse/cloudformation';
import {
  asMap,
  asSeq,
  get,
  getPair,
  scalarBoolean,
  scalarText,
  type DataNode,
  type MapNode,
  type SeqNode,
} from '../../engine/parse/tree';
import { defineRule, type TextEdit } from '../../engine/rule';

/** Remove one item of a YAML sequence with its line (block) or its comma (flow). */
function removeItem(target: EditTarget, seq: SeqNode, item: DataNode): TextEdit {
  const index = seq.items.indexOf(item);
  if (seq.flow) {
    const next = seq.items[index + 1];
    const previous = seq.items[index - 1];
    if (previous) return { start: previous.span.end, end: item.span.end, text: '' };
    return { start: item.span.start, end: next.span.start, text: '' };
  }
  const { lines } = target;
  const line = lines.lineOf(item.span.start);
  const lastLine = lines.lineOf(Math.max(item.span.start, item.span.end - 1));
  const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : lines.text.length;
  return { start: lines.lineStart(line), end, text: '' };
}

/** The containers of ECS task definitions and Batch job definitions. */
function cfnContainers(resources: readonly Resource[]): { owner: Resource; container: MapNode }[] {
  const found: { owner: Resource; container: MapNode }[] = [];
  for (const resource of resources) {
    if (resource.type === 'AWS::ECS::TaskDefinition') {
      for (const item of asSeq(get(resource.properties, 'ContainerDefinitions'))?.items ?? []) {
        const container = asMap(item);
        if (container) found.push({ owner: resource, container });
      }
    } else {
      const container = asMap(get(resource.properties, 'ContainerProperties'));
      if (container) found.push({ owner: resource, container });
    }
  }
  return found;
}

export default defineRule({
  id: 'least-privilege/privileged-container',
  lesson: 'least-privilege',
  title: 'Privileged container',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: ['AWS::ECS::TaskDefinition', 'AWS::Batch::JobDefinition'],
  messages: {
    privileged:
      'Service {{service}} runs privileged: a compromise of the container is a compromise of the host.',
    allCapabilities: 'Service {{service}} adds every Linux capability: that is as much as privileged.',
    privilegedContainer:
      "Container {{container}} of {{id}} runs privileged{{provenance}}: it has root's power over the host.",
  },
  docs: {
    what: 'A compose service with `privileged: true` or `cap_add: [ALL]`, and an ECS container definition or a Batch job definition with `Privileged: true` (directly, through a parameter default, or on every branch of an `Fn::If`).',
    why:
      "A privileged container is root on the host in all but name: it sees every device, can load kernel modules, mount the host's disks and step out of its namespaces. " +
      'One bug in the app, or in any library it loads, becomes control of the machine and of every other container on it. ' +
      'Almost nothing needs it: grant the one capability that is missing (`NET_ADMIN`, `SYS_PTRACE`) or mount the one device, and keep the rest of the fence up.',
    example: {
      language: 'yaml',
      code: `services:
  agent:
    image: example/agent:3.2
    privileged: true`,
    },
    useInstead: {
      language: 'yaml',
      code: `services:
  agent:
    image: example/agent:3.2
    cap_add: [NET_ADMIN]   # only what it needs
    read_only: true`,
    },
    references: [
      {
        title: 'Docker: runtime privilege and Linux capabilities',
        url: 'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
      },
      {
        title: 'Amazon ECS container definition: privileged',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security',
      },
    ],
    fix: 'Removes `privileged: true` or `ALL` from `cap_add` (in a template, sets `Privileged` to false). A scaffold: the container may need some of that power, so add back by name only the capabilities or devices it really uses.',
  },
  checks: {
    compose({ model, target, report }) {
      for (const service of model.services) {
        const privileged = getPair(service.node, 'privileged');
        if (privileged && scalarBoolean(privileged.value) === true) {
          report({
            at: privileged.value,
            messageId: 'privileged',
            data: { service: service.name },
            fix: () => ({
              title: 'Remove privileged: true',
              edits: [removePair(target, service.node, privileged)],
            }),
          });
        }
        const capAdd = getPair(service.node, 'cap_add');
        const capabilities = asSeq(capAdd?.value);
        for (const item of capabilities?.items ?? []) {
          if (!/^(CAP_)?ALL$/i.test(scalarText(item) ?? '')) continue;
          report({
            at: item,
            messageId: 'allCapabilities',
            data: { service: service.name },
            fix: () => ({
              title: 'Remove ALL from cap_add',
              edits: [
                capabilities!.items.length === 1
                  ? removePair(target, service.node, capAdd!)
                  : removeItem(target, capabilities!, item),
              ],
            }),
          });
        }
      }
    },
    cfn({ model: template, resources, target, report }) {
      for (const { owner, container } of cfnContainers(resources)) {
        const pair = getPair(container, 'Privileged');
        const values = pair && possibleValues(template, pair.value);
        if (!values || !values.every((v) => !v.absent && String(v.value).toLowerCase() === 'true')) continue;
        const name = scalarText(get(container, 'Name'));
        report({
          at: pair.value,
          resource: owner,
          messageId: 'privilegedContainer',
          data: { container: name ?? '(unnamed)', id: owner.logicalId, provenance: provenance(values) },
          fix: () => ({
            title: 'Set Privileged to false',
            edits: [...new Set(values.map((v) => v.node))].map((node) => replaceScalar(target, node, false)),
          }),
        });
      }
    },
  },
});
