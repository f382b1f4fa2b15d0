import { setPath } from '../../engine/edit';
import { replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import { possibleValues, property, provenance, type PossibleValue } from '../../engine/parse/cloudformation';
import { containerName } from '../../engine/cfn/containers';
import { asSeq, getPair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

const repositoryTypes = ['AWS::ECR::Repository', 'AWS::ECR::RepositoryCreationTemplate'];

/** Tags that are moved to each new build by whoever publishes the image. */
const floatingTag = /^(latest|stable|lts|current|edge|mainline|nightly|main|master|develop|dev)$|^latest-/i;

/** The tag of an image reference, `''` when it has none, undefined when a digest pins it. */
function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon < 0 ? '' : name.slice(colon + 1);
}

export default defineRule({
  id: 'immutable-infrastructure/mutable-image-tags',
  lesson: 'immutable-infrastructure',
  title: 'Container registry lets tags be overwritten',
  severity: 'warning',
  equivalents: ['CKV_AWS_51'],
  fix: 'scaffold',
  resourceTypes: [...repositoryTypes, 'AWS::ECS::TaskDefinition'],
  messages: {
    notSet:
      'ECR repository {{id}} lets a push overwrite an existing tag: ImageTagMutability is not set and defaults to MUTABLE, so the same tag can name different images over time.',
    mutable:
      'ECR repository {{id}} lets a push overwrite an existing tag: ImageTagMutability is MUTABLE{{provenance}}, so the same tag can name different images over time.',
    untaggedImage:
      'Task definition {{id}} runs {{container}} from {{image}}{{provenance}} without a tag, that is latest: each task pulls whatever latest is when it starts, so tasks of one service can run different code. Pin a version tag or a digest.',
    floatingImage:
      'Task definition {{id}} runs {{container}} from {{image}}{{provenance}}, a tag that moves to each new build: each task pulls whatever it names when it starts, so tasks of one service can run different code. Pin a version tag or a digest.',
  },
  docs: {
    what:
      'An ECR repository (or repository creation template) whose `ImageTagMutability` is `MUTABLE`, which is also what it is when the property is left out. ' +
      '`IMMUTABLE` and the `…_WITH_EXCLUSION` variants, which pin every tag but a chosen few, are fine. ' +
      'And the containers of an ECS task definition whose image, as written, has no tag or a tag that moves (`latest`, `stable`, `lts`, `latest-…`); an image that a parameter supplies, or that `Fn::Sub` or `Fn::Join` builds, is the deployer’s choice and is left alone.',
    why:
      'When a push may overwrite a tag, `orders:1.4.2` can mean one image today and another tomorrow. ' +
      'A task that scales out or is replaced after a crash pulls whatever the tag points at now, so two copies of the same service run different code, ' +
      'and rolling back to "the previous tag" may not bring back the previous image. Immutable tags make every deployed reference name exactly one build.',
    example: {
      language: 'yaml',
      code: `OrdersImages:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: orders`,
    },
    useInstead: {
      language: 'yaml',
      code: `OrdersImages:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: orders
    ImageTagMutability: IMMUTABLE   # tag each build with its commit or version, never reuse a tag`,
    },
    fix: 'Sets `ImageTagMutability: IMMUTABLE`. A scaffold: a pipeline that pushes the same tag again (`latest`, a branch name) then fails, so tag each build with its commit or version first.',
    references: [
      {
        title: 'Amazon ECR: preventing image tags from being overwritten',
        url: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html',
      },
    ],
  },
  checks: {
    cfn({ model: template, resources, target, report }) {
      for (const repository of resources) {
        if (repository.type === 'AWS::ECS::TaskDefinition') {
          for (const definition of asSeq(property(repository, 'ContainerDefinitions')?.value)?.items ?? []) {
            const image = getPair(definition, 'Image');
            const values = image ? possibleValues(template, image.value) : undefined;
            // An image that a parameter supplies is the deployer's to choose, whatever its default.
            if (
              !image ||
              !values ||
              values.some((v) => v.absent || v.parameter || typeof v.value !== 'string')
            )
              continue;
            const tags = values.map((v) => imageTag(String(v.value)));
            const untagged = tags.every((t) => t === '');
            if (!untagged && !tags.every((t) => t !== undefined && floatingTag.test(t))) continue;
            report({
              at: image.value,
              resource: repository,
              messageId: untagged ? 'untaggedImage' : 'floatingImage',
              data: {
                id: repository.logicalId,
                container: containerName(definition),
                image: String(values[0].value),
                provenance: provenance(values),
              },
            });
          }
          continue;
        }
        const pair = property(repository, 'ImageTagMutability');
        const values = valuesOrDefault(template, pair?.value, 'MUTABLE');
        if (!values || !values.every((v) => String(v.value).toUpperCase() === 'MUTABLE')) continue;
        const known = values.map((v) => v.known).filter((v): v is PossibleValue => !!v);
        report({
          at: pair ? pair.value : repository.idNode,
          resource: repository,
          messageId: pair ? 'mutable' : 'notSet',
          data: { id: repository.logicalId, provenance: provenance(known) },
          fix: () => {
            const edits = !pair
              ? [setPath(target, repository.node, ['Properties', 'ImageTagMutability'], 'IMMUTABLE')]
              : known.length === values.length
                ? replaceValues(target, template, known, 'IMMUTABLE')
                : undefined;
            return (
              edits && {
                title: 'Make image tags immutable',
                edits,
                needs: [
                  `Tag each image pushed to ${repository.logicalId} with its commit or version: pushing an existing tag (latest, a branch name) now fails`,
                ],
              }
            );
          },
        });
      }
    },
  },
});
