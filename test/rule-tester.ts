import assert from 'node:assert/strict';
import { Analyzer } from '../server/src/engine/analyze';
import { fixAll } from '../server/src/engine/fixes';
import type { Rule } from '../server/src/engine/rule';
import { inMemoryWorkspace } from '../server/src/engine/workspace';

/**
 * Table-driven rule tests. In `text`, «…» marks each span the rule must report, exactly;
 * `fixed` is the whole text after every fix of this rule has been applied. After fixing,
 * the text must still parse and the rule must find nothing more.
 */
export interface FlaggedCase {
  name: string;
  /** Where the document lives (decides its kind): `template.yaml`, `Dockerfile`, `app.py`, … */
  path: string;
  text: string;
  /** Each finding's message must match, in order of position. */
  messages?: (RegExp | string)[];
  /** The text after applying every fix; omit when the finding has no fix. */
  fixed?: string;
  /** Other files the rule may read (absolute paths under /work). */
  files?: Record<string, string>;
  /** Files the fix must create, by path relative to the document's folder. */
  newFiles?: Record<string, string>;
  languageId?: string;
}

export interface CleanCase {
  name: string;
  path: string;
  text: string;
  files?: Record<string, string>;
  languageId?: string;
}

const root = '/work/';

export function markedSpans(marked: string): { text: string; spans: { start: number; end: number }[] } {
  const spans: { start: number; end: number }[] = [];
  const open: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') {
      const start = open.pop();
      assert.ok(start !== undefined, 'unbalanced » in a test case');
      spans.push({ start, end: text.length });
    } else text += ch;
  }
  assert.equal(open.length, 0, 'unbalanced « in a test case');
  return { text, spans: spans.sort((a, b) => a.start - b.start) };
}

function analyzerFor(rule: Rule, files: Record<string, string> = {}): Analyzer {
  return new Analyzer({
    rules: [rule],
    workspace: inMemoryWorkspace(files),
    log: (message) => {
      throw new Error(message);
    },
  });
}

export function ruleTester(rule: Rule, cases: { flagged: FlaggedCase[]; clean: CleanCase[] }): void {
  describe(rule.id, () => {
    it('has complete metadata', () => {
      assert.match(rule.id, /^[a-z-]+\/[a-z0-9-]+$/);
      assert.ok(rule.id.startsWith(`${rule.lesson}/`), 'the id starts with the lesson');
      for (const field of ['what', 'why'] as const) assert.ok(rule.docs[field].length > 40, `docs.${field}`);
      assert.ok(
        rule.docs.example.code.trim() && rule.docs.useInstead.code.trim(),
        'example and use-instead code',
      );
      assert.ok(cases.flagged.length > 0 && cases.clean.length > 0, 'flagged and clean cases');
      if (rule.fix !== 'no')
        assert.ok(
          cases.flagged.some((c) => c.fixed !== undefined),
          'a before/after case for the fix',
        );
    });

    for (const c of cases.flagged) {
      it(`flags: ${c.name}`, async () => {
        const { text, spans } = markedSpans(c.text);
        assert.ok(spans.length > 0, 'a flagged case marks at least one span with «»');
        const analyzer = analyzerFor(rule, c.files);
        const input = { path: root + c.path, text, languageId: c.languageId };
        const result = await analyzer.analyze(input);
        assert.deepEqual(result.failures, []);
        assert.deepEqual(
          result.findings.map((f) => ({ span: text.slice(f.span.start, f.span.end), at: f.span.start })),
          spans.map((s) => ({ span: text.slice(s.start, s.end), at: s.start })),
          'reported spans',
        );
        c.messages?.forEach((expected, i) => {
          const message = result.findings[i]?.message ?? '';
          if (typeof expected === 'string') assert.equal(message, expected);
          else assert.match(message, expected);
        });
        if (c.fixed !== undefined) {
          const fixed = await fixAll(analyzer, input);
          assert.equal(fixed.text, markedSpans(c.fixed).text, 'text after the fix');
          const created = Object.fromEntries(fixed.newFiles.map((f) => [f.path, f.text]));
          if (c.newFiles) assert.deepEqual(created, c.newFiles, 'files the fix creates');
          // The re-check sees the files the fix created, as the next run in a workspace would.
          const folder = input.path.slice(0, input.path.lastIndexOf('/') + 1);
          const withCreated = {
            ...c.files,
            ...Object.fromEntries(fixed.newFiles.map((f) => [folder + f.path, f.text])),
          };
          const after = await analyzerFor(rule, withCreated).analyze({ ...input, text: fixed.text });
          assert.deepEqual(
            after.problems.filter((p) => p.fatal),
            [],
            'the fixed text still parses',
          );
          assert.deepEqual(
            after.findings.map((f) => f.message),
            [],
            'nothing left to find after the fix',
          );
        } else {
          assert.ok(
            result.findings.every((f) => !f.fix),
            'a case with a fix states the text after it',
          );
        }
      });
    }

    for (const c of cases.clean) {
      it(`clean: ${c.name}`, async () => {
        const result = await analyzerFor(rule, c.files).analyze({
          path: root + c.path,
          text: c.text,
          languageId: c.languageId,
        });
        assert.deepEqual(result.failures, []);
        assert.deepEqual(
          result.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
          [],
        );
      });
    }
  });
}
