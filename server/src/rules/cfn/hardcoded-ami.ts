import { removePair, removePairs, replaceValue, type EditTarget } from '../../engine/edit';
import { stringsIn, walk } from '../../engine/cfn/references';
import { addParameter, uniqueLogicalId } from '../../engine/cfn/template-additions';
import {
  intrinsic,
  possibleValues,
  provenance,
  type Resource,
  type Template,
} from '../../engine/parse/cloudformation';
import {
  asMap,
  asScalar,
  asSeq,
  get,
  getPair,
  scalarText,
  type DataNode,
  type MapNode,
} from '../../engine/parse/tree';
import { defineRule, type Fix, type TextEdit } from '../../engine/rule';

const amiId = /^ami-[0-9a-f]{8,17}$/;

const launchingTypes = [
  'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::EC2::SpotFleet',
  'AWS::Batch::ComputeEnvironment',
];

const imageKeys = new Set(['ImageId', 'ImageIdOverride']);

/** Every `ImageId` under a resource's properties, with the map that holds it (for its InstanceType). */
function imageIds(resource: Resource): { node: DataNode; holder: MapNode }[] {
  const found: { node: DataNode; holder: MapNode }[] = [];
  walk(resource.properties, (node) => {
    if (node.type !== 'map' || intrinsic(node)) return;
    for (const pair of node.pairs) {
      if (typeof pair.key.value === 'string' && imageKeys.has(pair.key.value))
        found.push({ node: pair.value, holder: node });
    }
  });
  return found;
}

/** The AMI ids a mapping named by `Fn::FindInMap` holds for the keys it is looked up with. */
function mappedAmis(template: Template, node: DataNode): { mapping: string; amis: string[] } | undefined {
  const fn = intrinsic(node);
  if (fn?.name !== 'Fn::FindInMap') return undefined;
  const args = asSeq(fn.argument)?.items;
  const mapping = scalarText(args?.[0]);
  const table = asMap(get(get(template.root, 'Mappings'), mapping ?? ''));
  if (!args || !mapping || !table) return undefined;
  const secondKey = scalarText(args[2]);
  const amis: string[] = [];
  for (const row of table.pairs) {
    for (const cell of asMap(row.value)?.pairs ?? []) {
      if (secondKey && !intrinsic(args[2]) && cell.key.value !== secondKey) continue;
      const text = scalarText(cell.value);
      if (text && amiId.test(text)) amis.push(text);
    }
  }
  return amis.length > 0 ? { mapping, amis } : undefined;
}

/**
 * The public SSM parameter of the image family the instance clearly runs, judged from its user
 * data (PowerShell, apt only, amazon-linux-extras, Amazon Linux 2023) and whether its instance type
 * is Graviton. Undefined when the family is not clear: yum alone may mean RHEL, CentOS or Amazon
 * Linux, and a wrong guess would silently change the operating system.
 */
function publicImagePath(resource: Resource, holder: MapNode, template: Template): string | undefined {
  const script = stringsIn(get(resource.properties, 'UserData') ?? get(holder, 'UserData')).join('\n');
  const type = (possibleValues(template, get(holder, 'InstanceType')) ?? [])
    .map((v) => String(v.value))
    .find(Boolean);
  const arm = !!type && /^[a-z]+\d+[a-z]*g[a-z]*\./.test(type);
  if (/<powershell>|<script>/i.test(script)) {
    return arm ? undefined : '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base';
  }
  const otherLinux = /\b(yum|dnf|zypper|rpm|subscription-manager|apk)\b/.test(script);
  if (/\bapt(-get)?\s/.test(script) && !otherLinux) {
    return `/aws/service/canonical/ubuntu/server/22.04/stable/current/${arm ? 'arm64' : 'amd64'}/hvm/ebs-gp2/ami-id`;
  }
  if (/amazon-linux-extras/.test(script)) {
    return `/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-${arm ? 'arm64' : 'x86_64'}-gp2`;
  }
  if (/\bal2023\b|Amazon Linux 2023/i.test(script)) {
    return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arm ? 'arm64' : 'x86_64'}`;
  }
  return undefined;
}

function ssmParameterFix(
  target: EditTarget,
  template: Template,
  resource: Resource,
  node: DataNode,
  holder: MapNode,
  was: string,
): Fix {
  const name = uniqueLogicalId(template, `${resource.logicalId}ImageId`);
  const known = publicImagePath(resource, holder, template);
  // Without a clear image family, a named place for the image pipeline to publish to.
  const path = known ?? `/images/${resource.logicalId}/ami-id`;
  const description = known
    ? `The image to launch, resolved when the stack deploys (was ${was}). Point it at the parameter your image pipeline publishes, or check that this public image family is the right one.`
    : `The image to launch, resolved when the stack deploys (was ${was}). Publish the id of each image you bake under this SSM name, or point the default at a public image parameter.`;
  return {
    title: `Read the AMI from SSM parameter ${path} through a new parameter ${name}`,
    needs: known
      ? [`Check that ${path} is the image family ${resource.logicalId} was built for (was ${was})`]
      : [
          `Publish each image you bake to the SSM parameter ${path}, or point ${name}’s default at a public image parameter`,
        ],
    edits: [
      addParameter(target, template, name, {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: path,
        Description: description,
      }),
      replaceValue(target, node, { Ref: name }),
    ],
  };
}

/** The mapping names that `Fn::FindInMap` looks up under `node`, skipping the subtree `skip`. */
function lookedUp(
  node: DataNode | undefined,
  skip?: DataNode,
  found = new Set<string>(),
  depth = 0,
): Set<string> {
  if (!node || node === skip || node.type === 'alias' || depth > 200) return found;
  const fn = intrinsic(node);
  const name = fn?.name === 'Fn::FindInMap' ? scalarText(asSeq(fn.argument)?.items[0]) : undefined;
  if (name) found.add(name);
  if (node.type === 'map') for (const pair of node.pairs) lookedUp(pair.value, skip, found, depth + 1);
  else if (node.type === 'seq') for (const item of node.items) lookedUp(item, skip, found, depth + 1);
  return found;
}

/**
 * Edits that drop the mappings only `replaced` looked up (the AMI table, and a table of
 * architectures used to pick from it), with the whole `Mappings` section when nothing is left.
 */
function unusedMappingRemovals(target: EditTarget, template: Template, replaced: DataNode): TextEdit[] {
  const section = getPair(template.root, 'Mappings');
  const mappings = asMap(section?.value);
  if (!section || !mappings) return [];
  const stillUsed = lookedUp(template.root, replaced);
  const unused = mappings.pairs.filter(
    (p) => lookedUp(replaced).has(String(p.key.value)) && !stillUsed.has(String(p.key.value)),
  );
  if (unused.length === 0) return [];
  if (unused.length === mappings.pairs.length) return [removePair(target, template.root, section)];
  return removePairs(target, mappings, unused);
}

export default defineRule({
  id: 'immutable-infrastructure/hardcoded-ami',
  lesson: 'immutable-infrastructure',
  title: 'Hard-coded AMI id',
  severity: 'warning',
  equivalents: [],
  fix: 'scaffold',
  resourceTypes: launchingTypes,
  messages: {
    mapped:
      '{{id}} launches AMIs hard-coded in mapping {{mapping}} ({{count}} ids such as {{example}}): images are never rebuilt or patched without editing the template.',
    literal:
      '{{id}} launches a hard-coded AMI {{amis}}{{provenance}}: the image is never rebuilt or patched without editing the template, and the id exists in one region only.',
  },
  docs: {
    what:
      'An `ImageId` of an instance, launch template, launch configuration, Spot Fleet or Batch compute environment that is a literal `ami-…` id, ' +
      'on every branch of an `Fn::If`, or looked up with `Fn::FindInMap` in a mapping of literal AMI ids. ' +
      'An id passed in as a parameter is not flagged: that is where it belongs.',
    why:
      'An AMI id names one image in one region. Written into the template, it freezes the fleet on that image: security patches mean editing the template by hand, ' +
      'the stack cannot be deployed in another region, and the id quietly stops working when the image is deregistered. ' +
      'Immutable infrastructure bakes a new image for every change and replaces instances with it; the template should only say where to find the current one, ' +
      'typically an SSM parameter that the image pipeline updates (or one of the public parameters AWS and vendors publish for their base images).',
    example: {
      language: 'yaml',
      code: `WebServer:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: ami-0abcdef1234567890
    InstanceType: t3.small`,
    },
    useInstead: {
      language: 'yaml',
      code: `Parameters:
  WebServerImageId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /images/web/latest   # written by the image pipeline after each bake
Resources:
  WebServer:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref WebServerImageId
      InstanceType: t3.small`,
    },
    fix:
      'Reads the image from SSM through a new parameter of type `AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>`: by default the public parameter of the image family the user data shows, else a `/images/<resource>/ami-id` name for your image pipeline; mappings only the old id used are dropped. ' +
      'A scaffold: check that the image family is the right one, or publish your images under that name.',
    references: [
      {
        title: 'Using public SSM parameters for the latest AMIs',
        url: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-public-parameters-ami.html',
      },
      {
        title: 'CloudFormation: SSM parameter types',
        url: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html#aws-ssm-parameter-types',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        for (const { node, holder } of imageIds(resource)) {
          const mapped = mappedAmis(template, node);
          if (mapped) {
            report({
              at: node,
              resource,
              messageId: 'mapped',
              data: {
                id: resource.logicalId,
                mapping: mapped.mapping,
                count: mapped.amis.length,
                example: mapped.amis[0],
              },
              fix: () => {
                const fix = ssmParameterFix(
                  target,
                  template,
                  resource,
                  node,
                  holder,
                  `mapping ${mapped.mapping}`,
                );
                return { ...fix, edits: [...fix.edits, ...unusedMappingRemovals(target, template, node)] };
              },
            });
            continue;
          }
          const values = possibleValues(template, node);
          if (!values || values.some((v) => v.parameter || v.absent || !amiId.test(String(v.value))))
            continue;
          const ids = [...new Set(values.map((v) => String(v.value)))];
          report({
            at: node,
            resource,
            messageId: 'literal',
            data: { id: resource.logicalId, amis: ids.join(', '), provenance: provenance(values) },
            fix: () =>
              asScalar(node) || ids.length === 1
                ? ssmParameterFix(target, template, resource, node, holder, ids[0])
                : undefined,
          });
        }
      }
    },
  },
});
