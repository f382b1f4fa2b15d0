import { setPath } from '../../engine/edit';
import { replaceValues, valuesOrDefault } from '../../engine/cfn/values';
import { property, provenance, type PossibleValue } from '../../engine/parse/cloudformation';
import { defineRule } from '../../engine/rule';

const repositoryTypes = ['AWS::ECR::Repository', 'AWS::ECR::RepositoryCreationTemplate'];

export default defineRule({
  id: 'immutable-infrastructure/mutable-image-tags',
  lesson: 'immutable-infrastructure',
  title: 'Container registry lets tags be overwritten',
  severity: 'warning',
  equivalents: ['CKV_AWS_51'],
  fix: 'scaffold',
  resourceTypes: repositoryTypes,
  messages: {
    notSet:
      'ECR repository {{id}} lets a push overwrite an existing tag: ImageTagMutability is not set and defaults to MUTABLE, so the same tag can name different images over time.',
    mutable:
      'ECR repository {{id}} lets a push overwrite an existing tag: ImageTagMutability is MUTABLE{{provenance}}, so the same tag can name different images over time.',
  },
  docs: {
    what:
      'An ECR repository (or repository creation template) whose `ImageTagMutability` is `MUTABLE`, which is also what it is when the property is left out. ' +
      '`IMMUTABLE` and the `…_WITH_EXCLUSION` variants, which pin every tag but a chosen few, are fine.',
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
            return edits && { title: 'Make image tags immutable', edits };
          },
        });
      }
    },
  },
});
