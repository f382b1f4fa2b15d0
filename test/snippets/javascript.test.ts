import assert from 'node:assert/strict';
import { expandSnippet, snippetFiles } from '../../server/src/snippets';
import { analyzer, assertCleanCodeSnippet } from './code-snippet';

// Every JS/TS snippet of RULES.md, with its placeholders at their defaults, must be code the
// whole rule pack finds nothing in, as JavaScript and as TypeScript, and must parse cleanly.

describe('JavaScript/TypeScript snippets', () => {
  it('cover the js/ts patterns of RULES.md', () => {
    assert.deepEqual(snippetFiles.javascript.map((s) => s.prefix).sort(), [
      'lesson-config-env',
      'lesson-fetch-timeout',
      'lesson-graceful-shutdown',
      'lesson-metrics-middleware',
      'lesson-password-hash',
      'lesson-redis-counter',
      'lesson-retry-backoff',
      'lesson-session-redis',
      'lesson-sqs-enqueue',
    ]);
  });

  for (const snippet of snippetFiles.javascript) {
    for (const path of ['/work/snippets/app.js', '/work/snippets/app.ts']) {
      it(`${snippet.prefix} is clean for every rule (${path.slice(-2)})`, () =>
        assertCleanCodeSnippet(snippet.body, path));
    }
  }

  it('the timeout and the store are what keep two of them clean', async () => {
    const body = (prefix: string) =>
      expandSnippet(snippetFiles.javascript.find((s) => s.prefix === prefix)!.body);
    // Server-side code (it reads process.env) calling fetch without the snippet's signal.
    const fetchCall = body('lesson-fetch-timeout').replace(/, \{\s*signal: [^}]*\}/, '');
    assert.doesNotMatch(fetchCall, /signal/);
    const fetchResult = await analyzer.analyze({
      path: '/work/snippets/a.mjs',
      text: `export async function price(url = process.env.PRICES_URL) {\n${fetchCall}\n}\n`,
    });
    assert.deepEqual(
      fetchResult.findings.map((f) => f.ruleId),
      ['embrace-failure/no-timeout'],
    );
    const withoutStore = body('lesson-session-redis').replace(/ +store: new RedisStore\([^)]*\),\n/, '');
    assert.doesNotMatch(withoutStore, /store:/);
    const sessionResult = await analyzer.analyze({ path: '/work/snippets/b.js', text: withoutStore });
    assert.deepEqual(
      sessionResult.findings.map((f) => f.ruleId),
      ['local-state/in-memory-session-store'],
    );
  });
});
