import type { Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { defineRule } from '../../engine/rule';
import type { Span } from '../../engine/text';

/** Sources ADD fetches over the network: URLs and git remotes. */
const remote = /^(https?|ftp|git|ssh):\/\/|^git@/i;

interface Source {
  value: string;
  span: Span;
}

/** ADD's sources (every argument but the destination), in shell or JSON form. */
function sourcesOf(model: DockerfileModel, instruction: Instruction): Source[] | undefined {
  const json = (instruction as JSONInstruction).getJSONStrings();
  const args =
    json.length > 0
      ? json.map((a) => ({ value: a.getJSONValue(), span: model.span(a.getRange()) }))
      : (instruction as ModifiableInstruction)
          .getArguments()
          .map((a) => ({ value: a.getValue(), span: model.span(a.getRange()) }));
  if (args.length < 2 || args.some((a) => a.value.startsWith('<<'))) return undefined;
  return args.slice(0, -1);
}

/** A git source pinned to a commit (`…/repo.git#3f1c…`) is as fixed as a checksum. */
function pinnedGitSource(url: string): boolean {
  return /(\.git|^git@[^#]*)#[0-9a-f]{40}$/i.test(url);
}

export default defineRule({
  id: 'immutable-infrastructure/remote-add',
  lesson: 'immutable-infrastructure',
  title: 'ADD of a URL without a checksum',
  severity: 'warning',
  equivalents: ['CKV_DOCKER_4'],
  fix: 'no',
  messages: {
    download:
      'ADD downloads {{url}} without --checksum: whatever the server sends becomes part of the image.',
  },
  docs: {
    what:
      '`ADD` of a URL (`http://`, `https://`, `ftp://`) without `--checksum`, and `ADD` of a git remote (`…/repo.git#ref`, `git@…`) not pinned to a commit. ' +
      '`ADD` of local files and folders is not flagged: what it copies is in the build context, under version control, so it does not make the build depend on what a server sends (preferring `COPY` for plain files is a style point, hadolint’s DL3020, not this lesson).',
    why:
      'A URL is whatever the server sends that day: a moved release, a compromised mirror or a re-tagged artifact changes the image without any change to the Dockerfile, and nothing notices. ' +
      '`--checksum=sha256:…` makes the build fail instead, and a git source pinned to a commit id cannot move either.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `# syntax=docker/dockerfile:1
FROM debian:12-slim
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \\
    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini`,
    },
    references: [
      {
        title: 'Dockerfile reference: ADD --checksum',
        url: 'https://docs.docker.com/reference/dockerfile/#add---checksum',
      },
      {
        title: 'Dockerfile reference: adding files from a Git repository',
        url: 'https://docs.docker.com/reference/dockerfile/#adding-files-from-a-git-repository',
      },
    ],
  },
  checks: {
    docker({ model, report }) {
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'ADD') continue;
          const sources = sourcesOf(model, instruction);
          if (!sources) continue;
          const flags = (instruction as ModifiableInstruction)
            .getFlags()
            .map((f) => f.getName().toLowerCase());
          if (flags.includes('checksum')) continue;
          // A URL stays a download whatever build arguments fill in its version.
          for (const url of sources.filter((s) => remote.test(s.value))) {
            if (pinnedGitSource(url.value)) continue;
            report({ at: url.span, messageId: 'download', data: { url: url.value } });
          }
        }
      }
    },
  },
});
