import { removePair, replaceScalar, type EditTarget } from '../../engine/edit';
import { possibleValues, provenance, type Template } from '../../engine/parse/cloudformation';
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
import { defineRule, type ReportedFinding, type TextEdit } from '../../engine/rule';

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

/** Containers that run privileged in ECS task definitions and Batch job definitions. */
function cfnContainers(template: Template): { owner: string; container: MapNode }[] {
  const found: { owner: string; container: MapNode }[] = [];
  for (const resource of template.resources) {
    if (resource.type === 'AWS::ECS::TaskDefinition') {
      for (const item of asSeq(get(resource.properties, 'ContainerDefinitions'))?.items ?? []) {
        const container = asMap(item);
        if (container) found.push({ owner: resource.logicalId, container });
      }
    } else if (resource.type === 'AWS::Batch::JobDefinition') {
      const container = asMap(get(resource.properties, 'ContainerProperties'));
      if (container) found.push({ owner: resource.logicalId, container });
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
  fix: 'yes',
  resourceTypes: ['AWS::ECS::TaskDefinition', 'AWS::Batch::JobDefinition'],
  docs: {
    what:
      'A compose service with `privileged: true` or `cap_add: [ALL]`, and an ECS container definition or a Batch job definition with `Privileged: true` (directly, through a parameter default, or on every branch of an `Fn::If`). ' +
      'The fix removes the setting (or sets `Privileged` to false); add back only the capabilities the container really needs, by name.',
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
  },
  checks: {
    compose({ model, document, report }) {
      const target: EditTarget = { text: document.text, lines: document.lines, format: 'yaml' };
      for (const service of model.services) {
        const privileged = getPair(service.node, 'privileged');
        if (privileged && scalarBoolean(privileged.value) === true) {
          report({
            at: privileged.value,
            message: `Service ${service.name} runs privileged: a compromise of the container is a compromise of the host.`,
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
            message: `Service ${service.name} adds every Linux capability: that is as much as privileged.`,
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
    cfn({ model: template, document, report }) {
      const target: EditTarget = { text: document.text, lines: document.lines, format: template.format };
      for (const { owner, container } of cfnContainers(template)) {
        const pair = getPair(container, 'Privileged');
        const values = pair && possibleValues(template, pair.value);
        if (!values || !values.every((v) => !v.absent && String(v.value).toLowerCase() === 'true')) continue;
        const name = scalarText(get(container, 'Name'));
        const finding: ReportedFinding = {
          at: pair.value,
          message: `Container ${name ?? '(unnamed)'} of ${owner} runs privileged${provenance(values)}: it has root's power over the host.`,
          fix: () => ({
            title: 'Set Privileged to false',
            edits: [...new Set(values.map((v) => v.node))].map((node) => replaceScalar(target, node, false)),
          }),
        };
        report(finding);
      }
    },
  },
});
