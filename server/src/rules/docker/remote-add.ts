import { dirname, isAbsolute, join } from 'node:path';
import type { Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../engine/parse/dockerfile';
import { defineRule } from '../../engine/rule';
import type { Span } from '../../engine/text';
import type { WorkspaceView } from '../../engine/workspace';

/** Names ADD may unpack: tar archives, and compressed files, which may hold one. */
const archive = /\.(tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst)$/i;
const remote = /^(https?|ftp):\/\/|^git@/i;
/** Flags only ADD understands: with them, COPY is no replacement. */
const addOnlyFlags = new Set(['checksum', 'keep-git-dir', 'unpack']);

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

/**
 * Whether a local source without an extension is a tar archive or a compressed file, which ADD
 * unpacks by its content, not its name. Read as UTF-8 by the workspace: the tar magic is ASCII,
 * the compression magics keep their ASCII bytes.
 */
function isUnnamedArchive(path: string, workspace: WorkspaceView): boolean {
  const text = workspace.read(path);
  if (text === undefined) return false;
  return (
    text.slice(257, 262) === 'ustar' ||
    text.startsWith('\u001f\ufffd') ||
    text.startsWith('BZh') ||
    text.startsWith('\ufffd7zXZ') ||
    text.startsWith('(\ufffd/\ufffd')
  );
}

/** A git source pinned to a commit (`…/repo.git#3f1c…`) is as fixed as a checksum. */
function pinnedGitSource(url: string): boolean {
  return /(\.git|^git@[^#]*)#[0-9a-f]{40}$/i.test(url);
}

export default defineRule({
  id: 'immutable-infrastructure/remote-add',
  lesson: 'immutable-infrastructure',
  title: 'ADD of a URL, or ADD where COPY would do',
  severity: 'warning',
  equivalents: ['DL3020', 'CKV_DOCKER_4'],
  fix: 'safe',
  messages: {
    download:
      'ADD downloads {{url}} without --checksum: whatever the server sends becomes part of the image.',
    localFiles: 'ADD of local files: COPY does the same without unpacking archives by surprise.',
  },
  docs: {
    what:
      '`ADD` of a URL without `--checksum` (or a git source not pinned to a commit), and `ADD` of local files that are not tar archives, where `COPY` does the same thing plainly. ' +
      '`ADD` of a local archive or compressed file (by its name, or by its content when it has no extension), whose unpacking is what `ADD` is for, is not flagged.',
    why:
      'A URL is whatever the server sends that day: a moved release, a compromised mirror or a re-tagged artifact changes the image without any change to the Dockerfile, and nothing notices. ' +
      '`--checksum=sha256:…` makes the build fail instead. ' +
      'For local files `ADD` also unpacks anything that happens to be a tar archive, so `COPY` says what is meant and cannot surprise.',
    example: {
      language: 'dockerfile',
      code: `FROM debian:12-slim
ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
ADD config/ /etc/app/`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `# syntax=docker/dockerfile:1
FROM debian:12-slim
ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \\
    https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
COPY config/ /etc/app/`,
    },
    references: [
      {
        title: 'Dockerfile reference: ADD --checksum',
        url: 'https://docs.docker.com/reference/dockerfile/#add---checksum',
      },
      {
        title: 'Docker build best practices: ADD or COPY',
        url: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
      },
    ],
    fix: 'Turns `ADD` of local files into `COPY`, keeping its flags; not offered with flags only `ADD` has (`--checksum`, `--unpack`, `--keep-git-dir`). A URL download gets no fix: its checksum has to come from the publisher.',
  },
  checks: {
    docker({ model, document, workspace, report }) {
      const folder = isAbsolute(document.path) ? dirname(document.path) : undefined;
      const unpacked = (source: string) =>
        archive.test(source) ||
        (folder !== undefined &&
          !/[./*?[]/.test(source.replace(/^.*\//, '')) &&
          isUnnamedArchive(join(folder, source), workspace));
      for (const stage of model.stages) {
        for (const instruction of stage.instructions) {
          if (instruction.getKeyword() !== 'ADD') continue;
          const sources = sourcesOf(model, instruction);
          if (!sources) continue;
          const flags = (instruction as ModifiableInstruction)
            .getFlags()
            .map((f) => f.getName().toLowerCase());
          // A URL stays a download whatever build arguments fill in its version.
          const urls = sources.filter((s) => remote.test(s.value));
          if (urls.length > 0) {
            if (flags.includes('checksum')) continue;
            for (const url of urls) {
              if (pinnedGitSource(url.value)) continue;
              report({ at: url.span, messageId: 'download', data: { url: url.value } });
            }
            continue;
          }
          // A source named by a build argument may be an archive or a URL: it cannot be judged.
          if (sources.some((s) => s.value.includes('$') || unpacked(s.value))) continue;
          const keyword = instruction.getInstructionRange();
          const written = instruction.getInstruction();
          report({
            at: model.span(keyword),
            severity: 'info',
            messageId: 'localFiles',
            fix: flags.some((f) => addOnlyFlags.has(f))
              ? undefined
              : () => ({
                  title: 'Use COPY',
                  edits: [
                    { ...model.span(keyword), text: written === written.toLowerCase() ? 'copy' : 'COPY' },
                  ],
                }),
          });
        }
      }
    },
  },
});
