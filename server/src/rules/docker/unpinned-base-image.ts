import { imageOf, isDefinedHere } from '../../engine/parse/compose';
import type { ImageReference } from '../../engine/parse/dockerfile';
import { getPair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';

/** Why a reference is not pinned, or undefined when it names a fixed version or digest. */
function unpinned(reference: ImageReference): 'noTag' | 'latest' | undefined {
  if (reference.digest) return undefined;
  if (reference.tag === undefined) return 'noTag';
  if (reference.tag.toLowerCase() === 'latest') return 'latest';
  return undefined;
}

export default defineRule({
  id: 'immutable-infrastructure/unpinned-base-image',
  lesson: 'immutable-infrastructure',
  title: 'Image without a fixed version',
  severity: 'warning',
  equivalents: ['DL3006', 'DL3007', 'CKV_DOCKER_7'],
  fix: 'no',
  messages: {
    baseNoTag:
      'The base image {{image}}{{via}} has no tag, so it means `latest`: every build can start from a different image.',
    baseLatest:
      'The base image {{image}}{{via}} uses the `latest` tag: every build can start from a different image.',
    serviceNoTag:
      'Service {{service}} runs {{image}}, which has no tag, so it means `latest`: each pull can bring a different version.',
    serviceLatest:
      'Service {{service}} runs {{image}}, which uses the `latest` tag: each pull can bring a different version.',
  },
  docs: {
    what:
      'A `FROM` without a tag or with `:latest`, and a compose service whose `image:` has no tag or uses `latest`. ' +
      'Build arguments and `${VAR:-default}` interpolation are resolved with their defaults, so `FROM node:${NODE_VERSION}` with `ARG NODE_VERSION=22` is pinned. ' +
      'Earlier build stages, `scratch`, digests (`@sha256:…`) and compose services that build the image they name are not flagged.',
    why:
      '`latest` is not a version: it is whatever was pushed last. ' +
      'Two builds of the same Dockerfile a week apart can get different operating systems, runtimes and libraries, so an image that worked in test is not the image that reaches production, and rolling back to "the previous build" may not bring back the previous base. ' +
      'Name the version you tested; move to a new one on purpose, in a reviewed change. A digest pins it down to the byte.',
    example: {
      language: 'dockerfile',
      code: `FROM python
COPY . /app
CMD ["python", "/app/main.py"]`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `# a version you tested (add @sha256:… to pin it to the byte)
FROM python:3.12.7-slim-bookworm
COPY . /app
CMD ["python", "/app/main.py"]`,
    },
    references: [
      {
        title: 'Docker build best practices: pin base image versions',
        url: 'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
      },
      {
        title: 'Compose file reference: image',
        url: 'https://docs.docker.com/reference/compose-file/services/#image',
      },
    ],
  },
  checks: {
    docker({ model, report }) {
      for (const stage of model.stages) {
        const base = stage.base;
        if (!base?.reference || base.resolved === undefined) continue;
        if (base.resolved.toLowerCase() === 'scratch') continue;
        const why = unpinned(base.reference);
        if (!why) continue;
        const via =
          base.args.length > 0 ? ` (${base.written} with the default of ARG ${base.args.join(', ')})` : '';
        report({
          at: model.span(stage.from.getImageRange() ?? stage.from.getRange()),
          messageId: why === 'noTag' ? 'baseNoTag' : 'baseLatest',
          data: { image: base.resolved, via },
        });
      }
    },
    compose({ model, report }) {
      for (const service of model.services) {
        // With `build:`, `image:` names the image compose builds and tags, not one it pulls.
        if (getPair(service.node, 'build') || !isDefinedHere(service)) continue;
        const image = imageOf(model, service);
        if (!image?.reference || image.node !== getPair(service.node, 'image')?.value) continue;
        const why = unpinned(image.reference);
        if (!why) continue;
        report({
          at: image.node,
          messageId: why === 'noTag' ? 'serviceNoTag' : 'serviceLatest',
          data: { service: service.name, image: image.resolved ?? '' },
        });
      }
    },
  },
});
