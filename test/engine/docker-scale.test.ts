import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { parseDockerfile } from '../../server/src/engine/parse/dockerfile';
import { parseFull, parseShell, readSimple, ShellSource } from '../../server/src/engine/parse/shell';
import { LineIndex } from '../../server/src/engine/text';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';

const dockerRules = allRules.filter((r) => r.kinds.includes('docker'));
const analyzer = new Analyzer({
  rules: dockerRules,
  workspace: inMemoryWorkspace({ '/w/.dockerignore': '.git\n' }),
});

/** Commands, their words and the top-level sequence, without the source (for comparisons). */
function shape(script: ReturnType<typeof parseFull>) {
  return {
    commands: script.commands,
    sequence: script.sequence.map((l) => ({ ...l, command: script.commands.indexOf(l.command!) })),
    error: script.error !== undefined,
  };
}

describe('Dockerfiles at scale', () => {
  it('40,000 RUN lines are analysed by every Dockerfile rule in a few seconds of CPU', async function () {
    this.timeout(60_000);
    const lines = ['FROM debian:12-slim'];
    for (let i = 0; i < 40_000; i++) {
      // Distinct texts, so that no cache helps; one in ten goes through the full shell parser.
      lines.push(
        i % 10 === 0
          ? `RUN echo "step ${i}" > /tmp/step-${i}`
          : `RUN apt-get install -y --no-install-recommends pkg${i} && rm -rf /var/lib/apt/lists/*`,
      );
    }
    lines.push('COPY app /app', 'CMD ["/app/run"]', '');
    const text = lines.join('\n');
    const before = process.cpuUsage();
    const result = await analyzer.analyze({ path: '/w/Dockerfile', text });
    const cpu = process.cpuUsage(before);
    const seconds = (cpu.user + cpu.system) / 1e6;
    assert.deepEqual(result.failures, []);
    // Quadratic walks took 34 s for this size; the bound leaves room for a slow, busy machine.
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s of CPU`);
  });

  it('a script text is parsed once: the same RUN elsewhere gets the same commands at its own place', () => {
    const text = 'FROM alpine:3.20\nRUN echo "a b" | tee /x\nWORKDIR /srv\nRUN echo "a b" | tee /x\n';
    const model = parseDockerfile(text, new LineIndex(text));
    const [first, , second] = model.stages[0].instructions;
    const a = model.commands(first).map(({ command }) => text.slice(command.span.start, command.span.end));
    const b = model.commands(second).map(({ command }) => text.slice(command.span.start, command.span.end));
    assert.deepEqual(a, ['echo "a b"', 'tee /x']);
    assert.deepEqual(b, a);
    assert.notEqual(
      model.commands(first)[0].command.span.start,
      model.commands(second)[0].command.span.start,
    );
  });

  it('the reader of simple scripts agrees with the full parser', () => {
    const words = [
      'apt-get',
      'install',
      '-y',
      'curl=7.1',
      'A=1',
      'B=',
      '/usr/bin/x',
      '*.txt',
      '~/x',
      '--o=v',
    ];
    const joints = [' ', '\t', ' && ', '&&', ';', ' ; '];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const count = 1 + next(6);
      let script = '';
      for (let k = 0; k < count; k++)
        script += words[next(words.length)] + (k < count - 1 ? joints[next(joints.length)] : '');
      if (next(4) === 0) script += ';';
      const simple = readSimple(script);
      if (!simple) continue;
      compared++;
      assert.deepEqual(shape(simple), shape(parseFull(script, 3)), script);
    }
    assert.ok(compared > 2000);
  });

  it('leaves to the full parser what it cannot read exactly', () => {
    for (const script of [
      'echo "$HOME"',
      'a || b',
      'a | b',
      'export A=1 && b',
      'if true; then x; fi',
      'sh -c x',
      'a &&',
      '; a',
      'echo a > f',
      'echo ü',
    ]) {
      assert.equal(readSimple(script), undefined, script);
    }
  });

  it('maps spans of a cached script through continuation lines', () => {
    const source = new ShellSource().append('apt-get install ', 10).append('-y curl', 40);
    parseShell(ShellSource.of('apt-get install -y curl'));
    const script = parseShell(source);
    assert.deepEqual(
      script.commands[0].words.map((w) => w.span),
      [
        { start: 10, end: 17 },
        { start: 18, end: 25 },
        { start: 40, end: 42 },
        { start: 43, end: 47 },
      ],
    );
  });
});

describe('Dockerfile fragments (no FROM)', () => {
  const fragment = `# joined to a base by the build script
RUN apt-get update && apt-get install -y curl
ADD https://downloads.example.com/tool.tgz /opt/
EXPOSE 22
USER root
CMD node server.js
`;

  it('get the findings of their instructions', async () => {
    const result = await analyzer.analyze({ path: '/w/Dockerfile', text: fragment });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(
      result.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
      [
        '2 container-ready/apt-lists-left',
        '2 immutable-infrastructure/unpinned-packages',
        '3 immutable-infrastructure/remote-add',
        '4 private-network/ssh-exposed',
        '6 container-ready/shell-form-cmd',
      ],
    );
  });

  it('have one stage marked as a fragment, and no preamble', () => {
    const model = parseDockerfile(fragment, new LineIndex(fragment));
    assert.equal(model.stages.length, 1);
    assert.equal(model.stages[0].fragment, true);
    assert.equal(model.stages[0].base, undefined);
    assert.equal(model.preamble.length, 0);
    assert.equal(model.stages[0].instructions.length, 5);
  });

  it('a file of global ARGs alone is no fragment', () => {
    const text = 'ARG NODE_VERSION=22\n';
    const model = parseDockerfile(text, new LineIndex(text));
    assert.equal(model.stages.length, 0);
    assert.equal(model.preamble.length, 1);
  });
});
