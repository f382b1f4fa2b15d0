import {
  composeLayers,
  imageOf,
  isDefinedHere,
  layeredKey,
  type ComposeLayer,
} from '../../engine/parse/compose';
import type { ModifiableInstruction } from 'dockerfile-ast';
import {
  parseImageReference,
  type DockerfileModel,
  type ImageReference,
} from '../../engine/parse/dockerfile';
import { builtByRepository } from '../../engine/docker/siblings';
import { getPair } from '../../engine/parse/tree';
import { defineRule } from '../../engine/rule';
import type { Span } from '../../engine/text';

/**
 * Tags that name a release channel, not a release: they move whenever a new version comes out
 * (`node:lts-alpine`, `debian:stable-slim`, `nginx:mainline`, `alpine:edge`, `latest-ubuntu`).
 */
const floatingChannels = new Set([
  'lts',
  'stable',
  'current',
  'edge',
  'mainline',
  'nightly',
  'rolling',
  'latest',
  // Development releases of distributions: `debian:sid-slim`, `debian:testing`, `fedora:rawhide`.
  'sid',
  'unstable',
  'testing',
  'rawhide',
  'devel',
]);

const codenamedReleases = new Set(['debian', 'ubuntu', 'buildpack-deps', 'ros']);

/**
 * Images whose tags without a number still name a release: the codenames of distributions
 * (`debian:bookworm`, `ubuntu:noble`), and distroless images, whose name carries the release and
 * whose tag the variant (`gcr.io/distroless/static-debian12:nonroot`).
 */
function tagNamesRelease(reference: ImageReference): boolean {
  return codenamedReleases.has(reference.name) || /(^|\/)distroless\//.test(reference.name);
}

/** Why a reference is not pinned, or undefined when it names a fixed version or digest. */
function unpinned(reference: ImageReference): 'noTag' | 'latest' | 'floating' | undefined {
  if (reference.digest) return undefined;
  if (reference.tag === undefined) return 'noTag';
  const tag = reference.tag.toLowerCase();
  if (tag === 'latest') return 'latest';
  if (floatingChannels.has(tag.split('-')[0])) return 'floating';
  // A tag without a number names a variant of whatever release is newest (`node:alpine`,
  // `php:fpm`, `golang:bookworm`, `app:main`), unless the image is a distribution whose tags are
  // the codenames of its releases.
  if (!/\d/.test(tag) && !tagNamesRelease(reference)) return 'floating';
  return undefined;
}

const reasons = { noTag: 'no tag', latest: 'the `latest` tag', floating: 'a floating tag' };

/** `COPY --from=image`: the flag's value and where it is, when it names an image rather than a stage. */
function copiedImages(model: DockerfileModel): { value: string; at: Span }[] {
  const stageNames = new Set(model.stages.map((s) => s.name).filter((n) => n !== undefined));
  const found: { value: string; at: Span }[] = [];
  for (const stage of model.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD') continue;
      const flag = (instruction as ModifiableInstruction).getFlags().find((f) => f.getName() === 'from');
      const value = flag?.getValue();
      const range = flag?.getValueRange();
      if (!value || !range || value.includes('$') || /^\d+$/.test(value)) continue;
      if (stageNames.has(value.toLowerCase())) continue;
      found.push({ value, at: model.span(range) });
    }
  }
  return found;
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
    baseFloating:
      'The base image {{image}}{{via}} uses the floating tag `{{tag}}`, which moves to each new release: every build can start from a different image.',
    copyFrom:
      'COPY --from={{image}} copies from an image with {{reason}}: every build can copy different files.',
    serviceNoTag:
      'Service {{service}} runs {{image}}, which has no tag, so it means `latest`: each pull can bring a different version.',
    serviceLatest:
      'Service {{service}} runs {{image}}, which uses the `latest` tag: each pull can bring a different version.',
    serviceFloating:
      'Service {{service}} runs {{image}}, whose tag `{{tag}}` moves to each new release: each pull can bring a different version.',
  },
  docs: {
    what:
      'A `FROM` or a `COPY --from=<image>` without a tag, with `:latest`, with a tag that names a release channel rather than a release (`lts`, `stable`, `current`, `edge`, `mainline`, `nightly`, `rolling`, a distribution’s development release such as `sid`, `testing` or `rawhide`, and their variants such as `lts-alpine` or `sid-slim`), or with a tag that holds no version number at all (`node:alpine`, `python:slim`, `php:fpm`, `app:main`: the newest release, in that variant), and a compose service whose `image:` has one of these. ' +
      'Release codenames of Debian, Ubuntu, buildpack-deps and ROS (`debian:bookworm-slim`, `ubuntu:noble`) name a release and are pinned enough, as are the variants of distroless images, whose name carries the release (`gcr.io/distroless/static-debian12:nonroot`). ' +
      'Build arguments and `${VAR:-default}` interpolation are resolved with their defaults, so `FROM node:${NODE_VERSION}` with `ARG NODE_VERSION=22` is pinned. ' +
      'Earlier build stages, `scratch`, digests (`@sha256:…`) and compose services that build the image they name are not flagged. ' +
      'Neither are images the same repository builds: a namespaced image (`registry.example/curl`, `owner/base`) whose name is a folder of the repository with a Dockerfile (beside the Dockerfile’s folder or up to three folders above; or with one folder per tag, `owner/tools:install` from `tools/install/Dockerfile`), or whose namespace the repository uses for its own images (a Makefile, bake file or build script names it, or sibling Dockerfiles name their own image under it in a `LABEL` or a documented `docker run`). ' +
      'Those are built together with this one, base first, as a build stage would be; their versions are the repository’s own. ' +
      'For the same reason a compose service is left alone when an override builds it, or when another compose file beside this one builds a service of the same name (`docker-compose.yml` builds what `docker-compose.images.yml` runs prebuilt).',
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
    docker({ model, document, workspace, report }) {
      for (const stage of model.stages) {
        const base = stage.base;
        if (!base?.reference || base.resolved === undefined) continue;
        if (base.resolved.toLowerCase() === 'scratch') continue;
        const why = unpinned(base.reference);
        if (!why) continue;
        // An image the same repository builds is built with this one, base first, like a stage.
        if (builtByRepository(base.reference, document.path, workspace)) continue;
        const via =
          base.args.length > 0 ? ` (${base.written} with the default of ARG ${base.args.join(', ')})` : '';
        report({
          at: model.span(stage.from.getImageRange() ?? stage.from.getRange()),
          messageId: why === 'noTag' ? 'baseNoTag' : why === 'latest' ? 'baseLatest' : 'baseFloating',
          data: { image: base.resolved, via, tag: base.reference.tag ?? '' },
        });
      }
      for (const { value, at } of copiedImages(model)) {
        const reference = parseImageReference(value);
        if (!reference || value.toLowerCase() === 'scratch') continue;
        const why = unpinned(reference);
        if (!why || builtByRepository(reference, document.path, workspace)) continue;
        report({ at, messageId: 'copyFrom', data: { image: value, reason: reasons[why] } });
      }
    },
    compose({ model, document, workspace, report }) {
      let layers: ComposeLayer[] | undefined;
      for (const service of model.services) {
        // With `build:`, `image:` names the image compose builds and tags, not one it pulls.
        if (getPair(service.node, 'build') || !isDefinedHere(service)) continue;
        const image = imageOf(model, service);
        if (!image?.reference || image.node !== getPair(service.node, 'image')?.value) continue;
        const why = unpinned(image.reference);
        if (!why) continue;
        // An override that builds the service, or a variant of this file that builds the same
        // service (`docker-compose.yml` builds what `docker-compose.images.yml` pulls): the image
        // is the repository's own build, whose version is the repository's.
        layers ??= composeLayers(document.path, model, workspace);
        if (layeredKey(layers, service.name, 'build')) continue;
        report({
          at: image.node,
          messageId:
            why === 'noTag' ? 'serviceNoTag' : why === 'latest' ? 'serviceLatest' : 'serviceFloating',
          data: { service: service.name, image: image.resolved ?? '', tag: image.reference.tag ?? '' },
        });
      }
    },
  },
});
