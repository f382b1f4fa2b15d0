import { stringsIn } from '../../engine/cfn/references';
import { settingEdits } from '../../engine/cfn/values';
import {
  possibleValues,
  provenance,
  type PossibleValue,
  type Resource,
} from '../../engine/parse/cloudformation';
import { get, getPair, type DataNode, type MapNode } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

const nouns: Record<string, string> = {
  'AWS::EC2::Instance': 'EC2 instance',
  'AWS::EC2::LaunchTemplate': 'Launch template',
  'AWS::AutoScaling::LaunchConfiguration': 'Launch configuration',
};

/** Where a resource keeps its launch settings: the launch template's data, or the resource itself. */
function launchSettings(resource: Resource): {
  owner: MapNode;
  path: string[];
  settings: DataNode | undefined;
} {
  return resource.type === 'AWS::EC2::LaunchTemplate'
    ? {
        owner: resource.node,
        path: ['Properties', 'LaunchTemplateData'],
        settings: get(resource.properties, 'LaunchTemplateData'),
      }
    : { owner: resource.node, path: ['Properties'], settings: resource.properties };
}

/**
 * Amazon Linux 2023 images are registered to require IMDSv2: an instance launched from one needs no
 * setting of its own. Known from the image's name in an SSM path or a parameter default.
 */
function requiresTokensByImage(
  settings: DataNode | undefined,
  template: Parameters<typeof possibleValues>[0],
): boolean {
  const image = get(settings, 'ImageId');
  const values = possibleValues(template, image);
  const texts = values ? values.map((v) => String(v.value)) : stringsIn(image);
  return texts.length > 0 && texts.every((text) => /al2023|amazon-linux-2023/i.test(text));
}

/** UserData that calls the metadata service without asking for a token first would fail at boot. */
function userDataUsesImdsV1(settings: DataNode | undefined): boolean {
  const script = stringsIn(get(settings, 'UserData')).join('\n');
  return /169\.254\.169\.254|instance-data\b/.test(script) && !/X-aws-ec2-metadata-token/i.test(script);
}

export default defineRule({
  id: 'least-privilege/imdsv1-allowed',
  lesson: 'least-privilege',
  title: 'Instance metadata answers without a token (IMDSv1)',
  severity: 'warning',
  equivalents: ['CKV_AWS_79'],
  fix: 'scaffold',
  resourceTypes: Object.keys(nouns),
  messages: {
    notSet:
      '{{noun}} {{id}} answers instance metadata requests without a token (HttpTokens is not set to required): a request forgery in anything it runs can read {{exposed}}.',
    optional:
      '{{noun}} {{id}} answers instance metadata requests without a token (HttpTokens is optional{{provenance}}): a request forgery in anything it runs can read {{exposed}}.',
  },
  docs: {
    what:
      'EC2 instances, launch templates and launch configurations whose `MetadataOptions` do not set `HttpTokens: required`, so that the instance metadata service also answers IMDSv1 requests, which need no token. ' +
      'Left alone: an instance launched from a launch template (judged there), a metadata endpoint switched off (`HttpEndpoint: disabled`), and images of Amazon Linux 2023, which require tokens by themselves.',
    why:
      'The metadata service hands out the temporary credentials of the instance’s IAM role to any process that asks. ' +
      'With IMDSv1 a plain GET is enough, so a web application that can be made to fetch a URL (a server-side request forgery, an open proxy, a misconfigured reverse proxy) gives those credentials to whoever sends it the address 169.254.169.254. ' +
      'IMDSv2 requires a token obtained with a PUT first, which such tricks cannot send; every AWS SDK and the CLI have used it for years.',
    example: {
      language: 'yaml',
      code: `AppServer:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref ImageId
    InstanceType: t3.small
    IamInstanceProfile: !Ref AppProfile`,
    },
    useInstead: {
      language: 'yaml',
      code: `AppServer:
  Type: AWS::EC2::Instance
  Properties:
    ImageId: !Ref ImageId
    InstanceType: t3.small
    IamInstanceProfile: !Ref AppProfile
    MetadataOptions:
      HttpTokens: required
      HttpPutResponseHopLimit: 2   # only if containers on the host read the metadata service`,
    },
    fix:
      'Sets `MetadataOptions` `HttpTokens: required`. A scaffold: software that still calls the metadata service without a token (old SDKs, `curl` in scripts) stops getting answers, and containers on the host need `HttpPutResponseHopLimit: 2`. ' +
      'No fix is offered when the UserData itself calls the metadata service without a token.',
    references: [
      {
        title: 'Amazon EC2: use IMDSv2',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
      },
      {
        title: 'Amazon EC2: transition to using IMDSv2',
        url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-transition-to-version-2.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const resource of resources) {
        if (resource.type === 'AWS::EC2::Instance' && get(resource.properties, 'LaunchTemplate')) continue;
        const { owner, path, settings } = launchSettings(resource);
        const options = get(settings, 'MetadataOptions');
        const endpoint = possibleValues(template, get(options, 'HttpEndpoint'));
        if (endpoint?.every((v) => !v.absent && String(v.value).toLowerCase() === 'disabled')) continue;
        const tokensPair = getPair(options, 'HttpTokens');
        const values = tokensPair ? possibleValues(template, tokensPair.value) : undefined;
        if (tokensPair && !values) continue;
        const optional = values?.filter((v) => v.absent || String(v.value).toLowerCase() !== 'required');
        if (values && optional?.length !== values.length) continue;
        if (!tokensPair && requiresTokensByImage(settings, template)) continue;
        const known = (values ?? []).filter((v): v is PossibleValue => !v.absent);
        report({
          at: tokensPair ? tokensPair.value : resource.idNode,
          resource,
          messageId: tokensPair && known.length > 0 ? 'optional' : 'notSet',
          data: {
            noun: nouns[resource.type ?? ''],
            id: resource.logicalId,
            provenance: provenance(known),
            // Without an instance profile there are no credentials to take today, but user data is there.
            exposed: get(settings, 'IamInstanceProfile')
              ? 'its role’s credentials'
              : 'its user data and instance identity (it has no instance profile yet; the credentials of one added later would be exposed the same way)',
          },
          fix: () => {
            if (userDataUsesImdsV1(settings)) return undefined;
            const edits = settingEdits(
              target,
              template,
              owner,
              [...path, 'MetadataOptions', 'HttpTokens'],
              values,
              'required',
            );
            return (
              edits && {
                title: 'Require IMDSv2 tokens (HttpTokens: required)',
                edits,
                needs: [
                  `Check that the software on ${resource.logicalId} calls the metadata service with a token (AWS SDKs and the CLI do; curl without one gets no answer)`,
                  'On a host whose containers read the metadata service, set HttpPutResponseHopLimit to 2',
                ],
              }
            );
          },
        });
      }
    },
  },
});
