import { containerName } from '../../engine/cfn/containers';
import { walk } from '../../engine/cfn/references';
import type { Resource } from '../../engine/parse/cloudformation';
import { asSeq, get, getPath, type DataNode, type ScalarNode } from '../../engine/parse/tree';
import type { Span } from '../../engine/text';
import { defineRule } from '../../engine/rule';

const launchingTypes = [
  'AWS::EC2::Instance',
  'AWS::EC2::LaunchTemplate',
  'AWS::AutoScaling::LaunchConfiguration',
  'AWS::EC2::SpotFleet',
  'AWS::ECS::TaskDefinition',
];

/** Where a shell command ends: a line break, `;`, `&&`, `||`, `|`, a quote, a backslash or a redirect. */
const commandEnd = /(\r?\n|\\|;|&&|\|\||\||["'`)]|\s\d?>|\s&>)/;

/** One way of changing a machine at boot, and the message that describes it. */
interface Mutation {
  pattern: RegExp;
  messageId:
    | 'upgradesPackages'
    | 'cloudInitUpgrade'
    | 'pullsCode'
    | 'clonesBranch'
    | 'pipesScript'
    | 'containerInstalls';
  /** Whether the command as written (from the match to its end) is the harmful kind; `after` is the rest of the script. */
  applies?: (command: string, after: string) => boolean;
}

/** Only options after the subcommand: an upgrade of everything, not of one named package. */
const upgradesEverything = (command: string) =>
  command
    .split(/\s+/)
    .slice(1)
    .every(
      (token) =>
        token === '' ||
        token.startsWith('-') ||
        /^(update|upgrade|dist-upgrade|full-upgrade|dup|up)$/.test(token),
    );

/** A URL pinned to a release or commit serves the same script every time. */
const unpinnedUrl = (command: string) => !/\/v?\d+\.\d+(\.\d+)?\/|\/[0-9a-f]{40}\//.test(command);

/** A release tag or a commit: the same code every time. */
const pinnedRef = /^(v?\d+(\.\d+)+\S*|[0-9a-f]{40})$/;

/** A clone of a release tag or commit is repeatable, also when the script checks one out next; a clone of a branch is not. */
const unpinnedClone = (command: string, after: string) => {
  const branch = /(?:--branch|-b)[\s=]+(\S+)/.exec(command)?.[1];
  if (branch) return !pinnedRef.test(branch);
  const checkout = /\bgit\s+(?:-C\s+\S+\s+)?checkout\s+(?:tags\/)?([^\s;&|'"]+)/.exec(after.slice(0, 2000));
  return !checkout || !pinnedRef.test(checkout[1]);
};

const mutations: Mutation[] = [
  {
    pattern: /\b(yum|dnf)\s+(-\S+\s+)*(update|upgrade)\b/g,
    messageId: 'upgradesPackages',
    applies: upgradesEverything,
  },
  {
    pattern: /\bapt(-get)?\s+(-\S+\s+)*(upgrade|dist-upgrade|full-upgrade)\b/g,
    messageId: 'upgradesPackages',
    applies: upgradesEverything,
  },
  {
    pattern: /\b(apk\s+(-\S+\s+)*upgrade|zypper\s+(-\S+\s+)*(update|up|dup|dist-upgrade))\b/g,
    messageId: 'upgradesPackages',
    applies: upgradesEverything,
  },
  {
    pattern: /\bpackage_upgrade:\s*true\b/g,
    messageId: 'cloudInitUpgrade',
  },
  {
    pattern: /\bgit\s+pull\b/g,
    messageId: 'pullsCode',
  },
  {
    pattern: /\bgit\s+clone\b/g,
    messageId: 'clonesBranch',
    applies: unpinnedClone,
  },
  {
    pattern: /\b(curl|wget)\b[^|\n;]*?\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da)?sh\b/g,
    messageId: 'pipesScript',
    applies: unpinnedUrl,
  },
];

/**
 * Installing anything when a container starts: the image is the place for it. (On EC2, installing
 * named packages at boot is how most templates bootstrap an AMI; upgrades are what make it drift.)
 */
const containerMutations: Mutation[] = [
  {
    pattern: /\b(apt-get|apt|yum|dnf|microdnf|apk|zypper)\s+(-\S+\s+)*(install|add)\b/g,
    messageId: 'containerInstalls',
  },
  { pattern: /\b(pip3?|python3?\s+-m\s+pip)\s+install\b/g, messageId: 'containerInstalls' },
  {
    pattern: /\b(npm\s+(install|i|ci)|yarn\s+(install|add)|gem\s+install|go\s+(get|install))\b/g,
    messageId: 'containerInstalls',
  },
];

/** What a container runs when it starts: its entry point and command, one string each. */
function containerCommands(resource: Resource): { container: string; scalars: ScalarNode[] }[] {
  const found: { container: string; scalars: ScalarNode[] }[] = [];
  for (const definition of asSeq(get(resource.properties, 'ContainerDefinitions'))?.items ?? []) {
    const scalars: ScalarNode[] = [];
    for (const key of ['EntryPoint', 'Command'])
      walk(get(definition, key), (node) => {
        if (node.type === 'scalar' && typeof node.value === 'string') scalars.push(node);
      });
    found.push({ container: containerName(definition), scalars });
  }
  return found;
}

/** The strings a resource runs at boot: user data, and cfn-init commands in its metadata. */
function bootScripts(resource: Resource): ScalarNode[] {
  const roots: (DataNode | undefined)[] = [];
  walk(resource.properties, (node) => {
    if (node.type === 'map')
      for (const pair of node.pairs) if (pair.key.value === 'UserData') roots.push(pair.value);
  });
  roots.push(getPath(get(resource.node, 'Metadata'), 'AWS::CloudFormation::Init'));
  const scalars: ScalarNode[] = [];
  for (const root of roots) {
    walk(root, (node) => {
      if (node.type === 'scalar' && typeof node.value === 'string') scalars.push(node);
    });
  }
  return scalars;
}

/** A cheap first look: the words every pattern below starts with. */
const mayMutate = /yum|dnf|apt|apk|zypper|package_upgrade|git|curl|wget|pip|npm|yarn|gem|go /;

/** Commands in a scalar's source text, with their spans; commented-out lines are skipped. */
function findMutations(
  text: string,
  scalar: ScalarNode,
  candidates: readonly Mutation[] = mutations,
): { span: Span; command: string; mutation: Mutation }[] {
  if (!mayMutate.test(String(scalar.value))) return [];
  // Escaped line breaks and tabs (JSON, double-quoted YAML) read as the characters they stand for, same length.
  const source = text
    .slice(scalar.span.start, scalar.span.end)
    .replace(/\\[nr]/g, '\n\n')
    .replace(/\\t/g, '  ');
  const found: { span: Span; command: string; mutation: Mutation }[] = [];
  for (const mutation of candidates) {
    for (const match of source.matchAll(mutation.pattern)) {
      const start = match.index ?? 0;
      const lineStart = source.lastIndexOf('\n', start) + 1;
      if (/(^|\s)#(?!!)/.test(source.slice(lineStart, start))) continue;
      const rest = source.slice(start + match[0].length);
      const endMatch = commandEnd.exec(rest);
      const tail = endMatch ? rest.slice(0, endMatch.index) : rest;
      const command = (match[0] + tail).trimEnd();
      if (mutation.applies && !mutation.applies(command, rest)) continue;
      const begin = scalar.span.start + start;
      found.push({ span: { start: begin, end: begin + command.length }, command, mutation });
    }
  }
  return found;
}

function shorten(command: string): string {
  const oneLine = command.replace(/\s+/g, ' ');
  return oneLine.length > 70 ? `${oneLine.slice(0, 67)}…` : oneLine;
}

export default defineRule({
  id: 'immutable-infrastructure/boot-time-mutation',
  lesson: 'immutable-infrastructure',
  title: 'Instance changes itself at boot',
  severity: 'warning',
  equivalents: [],
  fix: 'no',
  resourceTypes: launchingTypes,
  messages: {
    upgradesPackages:
      '{{id}} upgrades every package when it boots ({{command}}): each instance gets whatever versions the mirrors serve that day, so no two are alike and none is the image that was tested.',
    cloudInitUpgrade:
      '{{id}} has cloud-init upgrade every package when it boots ({{command}}): each instance gets whatever versions the mirrors serve that day, so no two are alike and none is the image that was tested.',
    pullsCode:
      '{{id}} pulls code from git when it boots ({{command}}): what runs is whatever the branch holds at that moment, not a build that was tested, and instances started an hour apart differ.',
    clonesBranch:
      '{{id}} clones a git branch when it boots ({{command}}): what runs is whatever the branch holds at that moment, not a build that was tested, and instances started an hour apart differ.',
    pipesScript:
      '{{id}} pipes a downloaded script into a shell when it boots ({{command}}): the instance runs whatever that URL serves at that moment, unreviewed, and fails to start when the site is down.',
    containerInstalls:
      '{{id}} installs software when {{container}} starts ({{command}}): every task downloads and changes its image before it serves, starts slowly, runs something other than the tested image and fails when a mirror is down. Install it when the image is built.',
  },
  docs: {
    what:
      'User data (or `AWS::CloudFormation::Init` commands) of an instance, launch template, launch configuration or Spot Fleet that upgrades all packages ' +
      '(`yum update -y`, `dnf upgrade`, `apt-get upgrade`, `apk upgrade`, `zypper update`, cloud-init `package_upgrade: true`), ' +
      'runs `git pull` or clones a branch, or pipes a script fetched with `curl`/`wget` into a shell. ' +
      'Updating one named package (`yum update -y aws-cfn-bootstrap`), cloning a release tag and fetching a script from a versioned URL are not flagged. ' +
      'For the containers of an ECS task definition, the `EntryPoint` and `Command` are read the same way, and installing anything at start (`apt-get install`, `apk add`, `pip install`, `npm install`, …) is flagged too: for a container, the image is where software is installed.',
    why:
      'An instance that upgrades or fetches code as it starts is a different machine depending on the day it booted: the fleet drifts apart, a mirror or repository outage stops scaling, ' +
      'and the combination that runs in production was never tested. ' +
      'Immutable infrastructure does this work once, when the image is built: bake packages and application into an AMI (EC2 Image Builder, Packer) or a container image, ' +
      'test that artefact, and let instances only start it. To patch, build a new image and replace the instances.',
    example: {
      language: 'yaml',
      code: `WebLaunchTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: !Ref BaseImageId
      UserData:
        Fn::Base64: |
          #!/bin/bash
          yum update -y
          git clone https://github.com/example/web.git /srv/web
          /srv/web/start.sh`,
    },
    useInstead: {
      language: 'yaml',
      code: `WebLaunchTemplate:
  Type: AWS::EC2::LaunchTemplate
  Properties:
    LaunchTemplateData:
      ImageId: !Ref WebImageId   # baked by the pipeline: patched OS, app release 1.8.3
      UserData:
        Fn::Base64: |
          #!/bin/bash
          systemctl start web`,
    },
    references: [
      { title: 'Martin Fowler: ImmutableServer', url: 'https://martinfowler.com/bliki/ImmutableServer.html' },
      {
        title: 'EC2 Image Builder',
        url: 'https://docs.aws.amazon.com/imagebuilder/latest/userguide/what-is-image-builder.html',
      },
    ],
  },
  checks: {
    cfn({ resources, document, report }) {
      for (const resource of resources) {
        if (resource.type === 'AWS::ECS::TaskDefinition') {
          for (const { container, scalars } of containerCommands(resource)) {
            for (const scalar of scalars) {
              for (const { span, command, mutation } of findMutations(document.text, scalar, [
                ...mutations,
                ...containerMutations,
              ])) {
                report({
                  at: span,
                  resource,
                  messageId: mutation.messageId,
                  data: { id: resource.logicalId, command: shorten(command), container },
                });
              }
            }
          }
          continue;
        }
        for (const scalar of bootScripts(resource)) {
          for (const { span, command, mutation } of findMutations(document.text, scalar)) {
            report({
              at: span,
              resource,
              messageId: mutation.messageId,
              data: { id: resource.logicalId, command: shorten(command) },
            });
          }
        }
      }
    },
  },
});
