import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/fixes';
import { parseDockerfile } from '../../server/src/engine/parse/dockerfile';
import {
  appendCommandEdit,
  commandName,
  effectiveCommand,
  parseShell,
  removeCommandEdit,
  ShellSource,
  type ShellScript,
} from '../../server/src/engine/parse/shell';
import { LineIndex } from '../../server/src/engine/text';

const script = (text: string) => parseShell(ShellSource.of(text));
const words = (s: ShellScript) =>
  s.commands.map((c) => c.words.map((w) => w.value ?? `<${w.raw}>`).join(' '));
const without = (text: string, name: string, index = 0) => {
  const s = script(text);
  const command = s.commands.filter((c) => commandName(c) === name)[index];
  const edit = removeCommandEdit(s, command);
  return edit ? applyEdits(text, [edit]) : undefined;
};

describe('shell parsing (mvdan-sh)', () => {
  it('reads commands through &&, ;, pipes, substitutions, conditions and quoting', () => {
    const s = script(
      `set -eux; apt-get "install" -y 'cu'rl\\ x && echo "$(uname -m)" | tee /arch; if [ -f a ]; then pip install b; fi`,
    );
    assert.deepEqual(words(s), [
      'set -eux',
      'apt-get install -y curl x',
      'echo <"$(uname -m)">',
      'uname -m',
      'tee /arch',
      '[ -f a ]',
      'pip install b',
    ]);
    assert.deepEqual(
      s.commands.map((c) => c.nested),
      [false, false, true, true, true, true, true],
    );
  });

  it('words carry exact spans, also after non-ASCII text', () => {
    const text = 'echo "héllo wörld" && apt-get install -y cürl';
    const s = script(text);
    const last = s.commands[1].words[3];
    assert.equal(text.slice(last.span.start, last.span.end), 'cürl');
  });

  it('reads sh -c strings as scripts', () => {
    assert.deepEqual(words(script(`bash -ec 'npm ci && npm run build'`)), [
      'bash -ec npm ci && npm run build',
      'npm ci',
      'npm run build',
    ]);
  });

  it('reports a script it cannot read instead of throwing', () => {
    const s = script('echo "unterminated');
    assert.equal(s.commands.length, 0);
    assert.match(s.error?.message ?? '', /quote/);
    assert.equal(script('('.repeat(5000) + 'a' + ')'.repeat(5000)).commands.length, 0);
  });

  it('looks through sudo, env, nice, timeout and gosu', () => {
    for (const text of [
      'sudo -E -u app pip install x',
      'env A=1 B=2 pip install x',
      'nice -n 5 timeout 30 pip install x',
      'gosu app pip install x',
    ]) {
      assert.equal(commandName({ words: effectiveCommand(script(text).commands[0]).words }), 'pip', text);
    }
  });

  it('removes a command and keeps the chain', () => {
    assert.equal(without('a && b && c', 'b'), 'a && c');
    assert.equal(without('a && b && c', 'a'), 'b && c');
    assert.equal(without('a && b && c', 'c'), 'a && b');
    assert.equal(without('a; b && c', 'b'), 'a; c');
    assert.equal(without('a && b; c', 'b'), 'a; c');
    assert.equal(without('a && b || c', 'b'), undefined);
    assert.equal(without('a | b && c', 'b'), undefined);
    assert.equal(without('if x; then b; fi && c', 'b'), undefined);
    assert.equal(without('cat <<EOF > /x\nbody\nEOF\necho done', 'echo'), 'cat <<EOF > /x\nbody\nEOF');
    assert.equal(without('b', 'b'), undefined);
  });

  it('appends a command after the last one, before a trailing ; or after a here-document', () => {
    const append = (text: string) => {
      const edit = appendCommandEdit(script(text), 'rm -rf /tmp/x');
      return edit ? applyEdits(text, [edit]) : undefined;
    };
    assert.equal(append('a && b'), 'a && b && rm -rf /tmp/x');
    assert.equal(append('a; b;'), 'a; b && rm -rf /tmp/x;');
    assert.equal(append('cat <<EOF > /x\nbody\nEOF'), 'cat <<EOF > /x\nbody\nEOF\nrm -rf /tmp/x');
    assert.equal(append('long-job &'), undefined);
  });

  it('maps a script spread over pieces of a document back to it', () => {
    const source = new ShellSource().append('apt-get install ', 10).append('-y curl', 40);
    const s = parseShell(source);
    const curl = s.commands[0].words[3];
    assert.deepEqual(curl.span, { start: 43, end: 47 });
    const y = s.commands[0].words[2];
    assert.deepEqual(y.span, { start: 40, end: 42 });
    // An end that falls on the seam belongs to the piece before it.
    assert.equal(source.end(16), 26);
    assert.equal(source.start(16), 40);
  });
});

describe('Dockerfile model', () => {
  const model = (text: string) => parseDockerfile(text, new LineIndex(text));

  it('joins continuation lines, drops comments inside them, and maps words back', () => {
    const text = `FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt \\\n    # refresh first\n    apt-get update && \\\n\n    apt-get install -y curl\n`;
    const m = model(text);
    const run = m.finalStage!.instructions[0];
    const commands = m.commands(run).map(({ command }) => command);
    assert.deepEqual(
      commands.map((c) => text.slice(c.span.start, c.span.end)),
      ['apt-get update', 'apt-get install -y curl'],
    );
  });

  it('follows the escape directive; a backtick escape means Windows unless SHELL names a POSIX shell', () => {
    const windows = model('# escape=`\nFROM example/base:1.0\nRUN Get-ChildItem `\n    C:\\\n');
    assert.equal(windows.escape, '`');
    assert.equal(windows.runsPosixShell(windows.finalStage!.instructions[0]), false);
    assert.deepEqual(windows.commands(windows.finalStage!.instructions[0]), []);
    const text = '# escape=`\nFROM alpine:3.20\nSHELL ["/bin/sh", "-c"]\nRUN apk add `\n    curl\n';
    const m = model(text);
    const commands = m.commands(m.finalStage!.instructions[1]).map(({ command }) => command);
    assert.deepEqual(words({ commands } as ShellScript), ['apk add curl']);
    assert.equal(text.slice(commands[0].words[2].span.start, commands[0].words[2].span.end), 'curl');
  });

  it('reads here-documents that are scripts, and not those that are data', () => {
    const text = `# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
apt-get update
apt-get install -y curl
EOF
RUN <<EOT bash -ex
pip install flask
EOT
RUN python3 <<EOF
import os
EOF
RUN cat > /etc/motd <<EOF
apt-get install nothing
EOF
`;
    const m = model(text);
    const runs = m.finalStage!.instructions;
    const names = runs.map((run) =>
      m.commands(run).map(({ command }) => command.words.map((w) => w.value).join(' ')),
    );
    assert.deepEqual(names, [
      ['apt-get update', 'apt-get install -y curl'],
      ['bash -ex', 'pip install flask'],
      ['python3'],
      ['cat'],
    ]);
  });

  it('resolves ARG defaults in FROM and knows stage parents', () => {
    const m = model(
      `ARG VARIANT=slim\nARG REGISTRY\nFROM python:3.12-\${VARIANT} AS base\nFROM \${REGISTRY}/tools:1.0 AS tools\nFROM base\n`,
    );
    assert.equal(m.stages[0].base?.resolved, 'python:3.12-slim');
    assert.deepEqual(m.stages[0].base?.args, ['VARIANT']);
    assert.equal(m.stages[1].base?.resolved, undefined);
    assert.equal(m.stages[2].parent, m.stages[0]);
    assert.deepEqual(
      m.finalChain.map((s) => s.index),
      [2, 0],
    );
  });

  it('tells exec form from shell form and SHELL from the default shell', () => {
    const text = `FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
RUN echo hi
FROM debian:12
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN echo "a" | wc -c
CMD ["node", "server.js"]
HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]
`;
    const m = model(text);
    const [winRun] = m.stages[0].instructions;
    const [, run, cmd, healthcheck] = m.stages[1].instructions;
    assert.equal(m.runsPosixShell(winRun), false);
    assert.equal(m.runsPosixShell(run), true);
    assert.deepEqual(
      m.execForm(cmd)?.map((a) => a.value),
      ['node', 'server.js'],
    );
    assert.deepEqual(
      m.execForm(healthcheck)?.map((a) => text.slice(a.span.start, a.span.end)),
      ['"curl"', '"-f"', '"http://localhost/"'],
    );
    assert.equal(m.execForm(run), undefined);
  });
});
