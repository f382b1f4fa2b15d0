import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { Masker, maskSecret } from '../../server/src/engine/mask';
import { defineRule } from '../../server/src/engine/rule';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';

describe('masking', () => {
  it('keeps enough of a secret to recognise it, never enough to use it', () => {
    assert.equal(maskSecret('AKIA2DEMOFAKEKEY7Q4Z'), 'AKIA************');
    assert.equal(maskSecret('postgres://shop:p@ss@word@db:5432/shop'), 'postgres://shop:****@db:5432/shop');
    assert.equal(
      maskSecret('https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/org/repo'),
      'https://ghp_************@github.com/org/repo',
    );
    assert.equal(maskSecret('-----BEGIN RSA PRIVATE KEY-----\nMIIE'), 'a PEM private key block');
    assert.equal(maskSecret('abc'), '****');
  });

  it('hides every secret of a file wherever it appears, and a URL’s password on its own too', () => {
    const masker = new Masker([
      'postgres://shop:Sh0p@Db2024@db:5432/shop',
      'ghp_0123456789abcdefghijklmnopqrstuvwxyz',
    ]);
    const text = masker.mask(
      'failed near postgres://shop:Sh0p@Db2024@db:5432/shop; the password Sh0p@Db2024 again; token ghp_0123456789abcdefghijklmnopqrstuvwxyz',
    );
    assert.doesNotMatch(text, /Sh0p@Db2024|ghp_0123456789abcdefghijklmnopqrstuvwxyz/);
  });

  it('the analyser hides a secret one rule found in what every rule says about the file', async () => {
    const sample = { language: 'text' as const, code: 'x' };
    const docs = { what: 'For the masking test only.', why: 'Tests.', example: sample, useInstead: sample };
    const finder = defineRule({
      id: 'secrets-management/test-finder',
      lesson: 'secrets-management',
      title: 'Finds the secret',
      severity: 'error',
      equivalents: [],
      fix: 'no',
      messages: { found: 'A secret is here.' },
      docs,
      checks: {
        any: ({ document, report }) => {
          const start = document.text.indexOf('hunter2hunter2');
          report({ at: { start, end: start + 14 }, secret: { start, end: start + 14 }, messageId: 'found' });
        },
      },
    });
    const quoter = defineRule({
      id: 'embrace-failure/test-quoter',
      lesson: 'embrace-failure',
      title: 'Quotes the line',
      severity: 'info',
      equivalents: [],
      fix: 'safe',
      messages: { quoted: 'The line says {{line}}.' },
      docs: { ...docs, fix: 'Replaces the line with a fixed one, for the test.' },
      checks: {
        any: ({ document, report }) =>
          report({
            at: { start: 0, end: 1 },
            messageId: 'quoted',
            data: { line: document.lines.lineText(0) },
            fix: () => ({ title: `Rewrite ${document.lines.lineText(0)}`, edits: [] }),
          }),
      },
    });
    const analyzer = new Analyzer({ rules: [quoter, finder], workspace: inMemoryWorkspace() });
    const result = await analyzer.analyze({ path: '/w/notes.env', text: 'PASSWORD=hunter2hunter2\n' });
    const shown = [
      ...result.findings.map((f) => f.message),
      ...result.findings.map((f) => JSON.stringify(f.data)),
      ...result.findings.map((f) => f.fix?.()?.title ?? ''),
    ].join('\n');
    assert.match(shown, /The line says PASSWORD=hun\*+\./);
    assert.doesNotMatch(shown, /hunter2hunter2/);
    assert.doesNotMatch(result.masker.mask('anything with hunter2hunter2 in it'), /hunter2hunter2/);
  });
});
