import assert from 'node:assert/strict';
import { Analyzer } from '../server/src/engine/analyze';
import { fixAll } from '../server/src/engine/fix-all';
import { fixKinds, type FixKind, type Rule } from '../server/src/engine/rule';
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
  /** Each finding's message id, in order of position. */
  messageIds?: string[];
  /** The text after applying every fix the rule offers (safe and scaffold); omit when there is none. */
  fixed?: string;
  /** The kind every fix of this case must have (default: the rule's). */
  fixKind?: FixKind;
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
      assert.ok(Object.keys(rule.messages).length > 0, 'messages');
      for (const [id, message] of Object.entries(rule.messages)) {
        assert.match(id, /^[a-z][A-Za-z0-9]*$/, `message id ${id}`);
        assert.ok(message.length > 10, `message ${id}`);
      }
      assert.ok(['safe', 'scaffold', 'no'].includes(rule.fix), 'fix kind');
      if (rule.fix === 'no') assert.equal(rule.docs.fix, undefined, 'docs.fix only for rules with a fix');
      else assert.ok((rule.docs.fix ?? '').length > 20, 'docs.fix says what the fix does');
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

    const offered = new Set<FixKind>();
    const used = new Set<string>();
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
        if (c.messageIds)
          assert.deepEqual(
            result.findings.map((f) => f.messageId),
            c.messageIds,
            'message ids',
          );
        for (const finding of result.findings) used.add(finding.messageId);
        const fixes = result.findings.map((f) => f.fix?.()).filter((f) => f !== undefined);
        for (const fix of fixes) {
          offered.add(fix.kind);
          assert.equal(fix.kind, c.fixKind ?? rule.fix, `the kind of "${fix.title}"`);
        }
        if (c.fixed !== undefined) {
          const fixed = await fixAll(analyzer, input, { kinds: fixKinds });
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

    it('offers the fix kind its docs state, and uses every message', () => {
      if (rule.fix === 'no') assert.deepEqual([...offered], [], 'a rule without a fix offers none');
      else {
        assert.ok(offered.has(rule.fix), `a case shows a ${rule.fix} fix`);
        if (offered.has('scaffold') && rule.fix === 'safe')
          assert.match(rule.docs.fix ?? '', /scaffold/i, 'docs.fix says when the fix is only a scaffold');
      }
      assert.deepEqual(
        Object.keys(rule.messages).filter((id) => !used.has(id)),
        [],
        'messages no flagged case shows',
      );
    });

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
