import { dirname, join } from 'node:path';
import type {
  Instruction,
  JSONInstruction,
  ModifiableInstruction,
  PropertyInstruction,
} from 'dockerfile-ast';
import { removeInstructionEdit } from '../../engine/docker/edits';
import { configHoldsCredential, secretFileKind } from '../../engine/docker/secrets';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { isNonSecretValue, isSecretName } from '../../engine/secret-names';
import { defineRule, type Fix } from '../../engine/rule';
import type { LineIndex } from '../../engine/text';

/** Remove one property of an ENV with its separator, or the instruction when it is the only one. */
function removeProperty(
  model: DockerfileModel,
  instruction: Instruction,
  index: number,
  lines: LineIndex,
): Fix {
  const properties = (instruction as PropertyInstruction).getProperties();
  if (properties.length === 1) {
    return {
      title: 'Remove the secret from the image (pass it at run time)',
      edits: [removeInstructionEdit(model, instruction, lines)],
    };
  }
  const own = model.span(properties[index].getRange());
  const edit =
    index > 0
      ? { start: model.span(properties[index - 1].getRange()).end, end: own.end, text: '' }
      : { start: own.start, end: model.span(properties[1].getRange()).start, text: '' };
  return { title: 'Remove the secret from the image (pass it at run time)', edits: [edit] };
}

export default defineRule({
  id: 'secrets-management/secret-in-image',
  lesson: 'secrets-management',
  title: 'Secret baked into the image',
  severity: 'error',
  equivalents: ['DL3064'],
  fix: 'scaffold',
  messages: {
    argDefault:
      'Build argument {{name}} has a secret as its default: it is written in the Dockerfile and recorded in the image history.',
    envCopiesVariable:
      'ENV {{name}} copies {{variable}} into the image: anyone who pulls it can read the value with docker inspect.',
    envSecret:
      'ENV {{name}} bakes a secret into the image: anyone who pulls it can read it with docker inspect.',
    secretFile:
      '{{keyword}} puts {{source}} into the image: its credentials ship with every copy of the image.',
  },
  docs: {
    what:
      'An `ENV` of the final image or an `ARG` default whose name says it holds a secret (`DB_PASSWORD`, `NPM_TOKEN`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`, a licence key such as `NEW_RELIC_LICENSE_KEY`) and that has a value, ' +
      'and a `COPY`/`ADD` into the final image of key files (`id_rsa`, `*.key`, `*.p12`, `.aws/credentials`), `.env` files, or `.npmrc`/`.pypirc`/`.netrc` files that hold a credential. ' +
      'Names that describe a secret rather than hold it (`PASSWORD_FILE`, `TOKEN_URL`, `AWS_ACCESS_KEY_ID`) and harmless values (empty, `true`, a path) are not flagged. ' +
      'The fix removes the `ENV` (the value then comes from the environment at run time) or the `ARG` default (pass it with a secret mount at build time).',
    why:
      'Everything in an image can be read by anyone who can pull it: `docker history` and `docker inspect` show every `ENV` and the build arguments used in each layer, and a deleted file lives on in the layer that added it. ' +
      'Images get pushed to registries, cached on CI runners and copied between accounts, so a secret in one is shared far beyond the people who should have it, and rotating it means rebuilding every tag. ' +
      'Give secrets to the build with `RUN --mount=type=secret`, and to the container at run time from a secret store.',
    example: {
      language: 'dockerfile',
      code: `FROM node:22-slim
ARG NPM_TOKEN=npm_8f2kQ0exampletoken
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci
ENV DB_PASSWORD=s3cr3t`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `# syntax=docker/dockerfile:1
FROM node:22-slim
# docker build --secret id=npmrc,src=$HOME/.npmrc .
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
# DB_PASSWORD comes from the orchestrator at run time (ECS secrets, Kubernetes Secret, compose env_file)`,
    },
    references: [
      { title: 'Docker build secrets', url: 'https://docs.docker.com/build/building/secrets/' },
      {
        title: 'Amazon ECS: pass Secrets Manager secrets as environment variables',
        url: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html',
      },
    ],
    fix: 'Removes the `ENV` (or its one secret variable) or the `ARG` default. A scaffold: the container must then get the value at run time from a secret store (ECS secrets, a Kubernetes Secret), and a build that needs it must use `RUN --mount=type=secret`. Rotate the value that was written.',
  },
  checks: {
    docker({ model, document, workspace, report }) {
      const finalStages = new Set(model.finalChain);
      const declarations = [...model.preamble, ...model.stages.flatMap((s) => s.instructions)];
      for (const instruction of declarations) {
        const keyword = instruction.getKeyword();
        if (keyword !== 'ARG' && keyword !== 'ENV') continue;
        const stage = model.stageOf(instruction);
        if (keyword === 'ENV' && (!stage || !finalStages.has(stage))) continue;
        const properties = (instruction as PropertyInstruction).getProperties();
        properties.forEach((property, index) => {
          const name = property.getName();
          const value = property.getValue();
          const range = property.getValueRange();
          if (!range || value === null || !isSecretName(name) || isNonSecretValue(value)) return;
          const at = model.span(range);
          if (keyword === 'ARG') {
            // `ARG TOKEN=${TOKEN}` names where the value comes from; it holds no secret itself.
            if (value.includes('$')) return;
            const nameEnd = model.span(property.getNameRange()).end;
            report({
              at,
              messageId: 'argDefault',
              data: { name },
              fix: () => ({
                title: `Drop the default of ${name}`,
                edits: [{ start: nameEnd, end: at.end, text: '' }],
              }),
            });
            return;
          }
          const variable = /^\$\{?(\w+)/.exec(value.trim());
          report({
            at,
            ...(variable
              ? { messageId: 'envCopiesVariable', data: { name, variable: variable[1] } }
              : { messageId: 'envSecret', data: { name } }),
            fix: () => removeProperty(model, instruction, index, document.lines),
          });
        });
      }
      const folder = dirname(document.path);
      for (const stage of model.finalChain) {
        for (const instruction of stage.instructions) {
          const keyword = instruction.getKeyword();
          if (keyword !== 'COPY' && keyword !== 'ADD') continue;
          const flags = (instruction as ModifiableInstruction).getFlags();
          if (flags.some((f) => f.getName().toLowerCase() === 'from')) continue;
          const json = (instruction as JSONInstruction).getJSONStrings();
          const args =
            json.length > 0
              ? json.map((a) => ({ value: a.getJSONValue(), range: a.getRange() }))
              : instruction.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
          for (const source of args.slice(0, -1)) {
            const kind = secretFileKind(source.value);
            if (!kind) continue;
            if (kind === 'config' && !source.value.replace(/^.*\//, '').startsWith('.env')) {
              const text = workspace.read(join(folder, source.value));
              if (text === undefined || !configHoldsCredential(text)) continue;
            }
            report({
              at: model.span(source.range),
              messageId: 'secretFile',
              data: { keyword, source: source.value },
            });
          }
        }
      }
    },
  },
});
