import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forgetInstructionScripts } from '../../server/src/engine/parse/dockerfile';
import { forgetParsedScripts } from '../../server/src/engine/parse/shell';
import type { Analysis } from '../../server/src/features/session';
import { testSession } from '../features/harness';
import { random } from './random';

/**
 * The stale-state test of issue 16: a document edited many times through one session (each
 * version parsed from the one before) gets exactly the diagnostics a fresh session gives the
 * same text, and code files the same syntax tree.
 */

const fixtures = join(__dirname, '..', 'fixtures');

const kinds = [
  {
    name: 'JavaScript',
    file: 'server.js',
    languageId: 'javascript',
    source: join(fixtures, 'apps/passport-login/bad/server.js'),
  },
  {
    name: 'Python',
    file: 'main.py',
    languageId: 'python',
    source: join(fixtures, 'apps/fastapi-crud/bad/main.py'),
  },
  {
    name: 'Python (Flask)',
    file: 'app.py',
    languageId: 'python',
    source: join(fixtures, 'apps/flask-rest/bad/app.py'),
  },
  {
    name: 'Dockerfile',
    file: 'Dockerfile',
    languageId: 'dockerfile',
    source: join(fixtures, 'dockerfiles/legacy-ubuntu/Dockerfile'),
  },
  // RUN scripts are read once per text (their words kept per instruction): here-documents and
  // `sh -c` strings, whose commands are placed anew at every offset an edit moves them to.
  {
    name: 'Dockerfile (here-documents)',
    file: 'heredoc/Dockerfile',
    languageId: 'dockerfile',
    source: join(fixtures, 'dockerfiles/heredoc-debian/Dockerfile'),
    append: 'RUN apt-get update && apt-get install -y curl\nUSER root\n',
  },
  {
    name: 'Dockerfile (sh -c, repeated scripts, several stages)',
    file: 'shell/Dockerfile',
    languageId: 'dockerfile',
    source: join(fixtures, 'dockerfiles/legacy-ubuntu/Dockerfile'),
    append: [
      'FROM debian:12 AS tools',
      'RUN apt-get update && apt-get install -y curl',
      `RUN sh -c 'apt-get update && apt-get install -y git' && echo "done \${HOME}"`,
      'RUN apt-get update && apt-get install -y curl',
      'RUN bash -c "pip install flask" \\',
      '    && npm install -g pm2',
      'CMD ["sh", "-c", "apt-get update && apt-get install -y wget && node server.js"]',
      '',
    ].join('\n'),
  },
];

const textOf = (kind: (typeof kinds)[number]): string =>
  readFileSync(kind.source, 'utf8') + ('append' in kind ? `\n${kind.append}` : '');

const pieces = [
  ' ',
  '\n',
  'x',
  '(',
  ')',
  '{',
  '}',
  '"',
  "'",
  ':',
  ';',
  'é',
  '😀',
  'http://example.com',
  'password = "hunter2"',
  '\n    ',
  'RUN apt-get update\n',
  '# c\n',
];

/** One random edit: an insertion, a deletion or a replacement somewhere in the text. */
function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const choice = next();
  if (choice < 0.4) return text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
  const length = Math.floor(next() * 12);
  if (choice < 0.7) return text.slice(0, at) + text.slice(at + length);
  return text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at + length);
}

function summary(analysis: Analysis | undefined) {
  assert.ok(analysis);
  const model = analysis.parsed.model;
  const docker = model?.kind === 'dockerfile' ? model.dockerfile : undefined;
  return {
    // Every shell command of a Dockerfile, where it is and what its words are.
    commands: docker?.dockerfile
      .getInstructions()
      .flatMap((instruction) =>
        docker
          .commands(instruction)
          .map(
            ({ command }) =>
              `${command.span.start}-${command.span.end} ${command.words.map((w) => `${w.span.start}:${w.value}`).join(' ')}`,
          ),
      ),
    findings: analysis.result.findings.map((f) => `${f.ruleId} ${f.span.start}-${f.span.end} ${f.message}`),
    // Fixes read the spans of what was parsed (a moved script's too).
    fixes: analysis.result.findings.map((f) => JSON.stringify(f.fix?.()?.edits ?? null)),
    suppressed: analysis.result.suppressed.map((f) => `${f.ruleId} ${f.span.start}-${f.span.end}`),
    problems: analysis.result.problems.map((p) => `${p.severity} ${p.span.start}-${p.span.end} ${p.message}`),
    tree: model && 'code' in model ? model.code.root.toString() : undefined,
  };
}

describe('incremental analysis equals a fresh one (stale state)', function () {
  this.timeout(120_000);
  for (const kind of kinds) {
    it(`${kind.name}: random edits, each version compared with a fresh session`, async () => {
      const base = textOf(kind);
      const uri = pathToFileURL(join('/tmp/cloud-lessons-incremental', kind.file)).href;
      const editor = testSession();
      let text = base;
      editor.documents.set(uri, text, kind.languageId);
      assert.ok(summary(await editor.session.analysisOf(editor.documents.get(uri)!)).findings.length > 0);
      const next = random(16);
      for (let i = 0; i < 60; i++) {
        // Now and then back to the original text, so that error-free versions follow broken ones.
        text = i % 15 === 14 ? base : edit(text, next);
        const document = editor.documents.set(uri, text, kind.languageId);
        const incremental = summary(await editor.session.analysisOf(document));
        // Fresh means no script read before either.
        forgetParsedScripts();
        forgetInstructionScripts();
        const fresh = testSession();
        const fromScratch = summary(
          await fresh.session.analysisOf(fresh.documents.set(uri, text, kind.languageId)),
        );
        assert.deepEqual(incremental, fromScratch, `after edit ${i}`);
        fresh.session.closed(uri);
      }
      editor.session.closed(uri);
    });
  }

  it('JavaScript: one typed character at a time, the way an editor sends it', async () => {
    const base = readFileSync(kinds[0].source, 'utf8');
    const uri = pathToFileURL('/tmp/cloud-lessons-incremental/typed.js').href;
    const editor = testSession();
    editor.documents.set(uri, base, 'javascript');
    await editor.session.analysisOf(editor.documents.get(uri)!);
    const line = base.indexOf('\n', base.length >> 1) + 1;
    const typed = "const url = 'http://internal.example.com/api';\n";
    let text = base;
    for (let i = 1; i <= typed.length; i += 3) {
      text = base.slice(0, line) + typed.slice(0, i) + base.slice(line);
      const incremental = summary(
        await editor.session.analysisOf(editor.documents.set(uri, text, 'javascript')),
      );
      const fresh = testSession();
      assert.deepEqual(
        incremental,
        summary(await fresh.session.analysisOf(fresh.documents.set(uri, text, 'javascript'))),
        `after ${i} characters`,
      );
      fresh.session.closed(uri);
    }
  });

  for (const kind of kinds.slice(0, 3))
    it(`${kind.name}: edits that keep the file valid (each version parsed from the tree before)`, async () => {
      const base = readFileSync(kind.source, 'utf8');
      const uri = pathToFileURL(join('/tmp/cloud-lessons-incremental', `valid-${kind.file}`)).href;
      const editor = testSession();
      let text = base;
      editor.documents.set(uri, text, kind.languageId);
      await editor.session.analysisOf(editor.documents.get(uri)!);
      const next = random(61);
      for (let i = 0; i < 40; i++) {
        const lines = text.split('\n');
        const at = Math.floor(next() * lines.length);
        const choice = next();
        // A space at a line's end, a blank line, a comment line, or one of them taken back.
        if (choice < 0.3) lines[at] += ' ';
        else if (choice < 0.55) lines.splice(at, 0, '');
        else if (choice < 0.7) lines.splice(at, 0, kind.languageId === 'python' ? '# note' : '// note');
        else {
          const blank = lines.findIndex(
            (line, n) => n >= at && (line === '' || /^(#|\/\/) note$/.test(line)),
          );
          if (blank >= 0) lines.splice(blank, 1);
          else lines[at] = lines[at].trimEnd();
        }
        text = lines.join('\n');
        const incremental = summary(
          await editor.session.analysisOf(editor.documents.set(uri, text, kind.languageId)),
        );
        const fresh = testSession();
        assert.deepEqual(
          incremental,
          summary(await fresh.session.analysisOf(fresh.documents.set(uri, text, kind.languageId))),
          `after edit ${i}`,
        );
        fresh.session.closed(uri);
      }
      editor.session.closed(uri);
    });
});
