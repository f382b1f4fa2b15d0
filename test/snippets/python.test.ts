import assert from 'node:assert/strict';
import { expandSnippet, snippetFiles } from '../../server/src/snippets';
import { analyzer, assertCleanCodeSnippet } from './code-snippet';

// Every Python snippet of RULES.md, with its placeholders at their defaults, must be code the
// whole rule pack finds nothing in, and must parse cleanly.

describe('Python snippets', () => {
  it('cover the py patterns of RULES.md', () => {
    assert.deepEqual(snippetFiles.python.map((s) => s.prefix).sort(), [
      'lesson-django-session-redis',
      'lesson-flask-session-redis',
      'lesson-metrics-decorator',
      'lesson-password-hash',
      'lesson-redis-counter',
      'lesson-requests-timeout',
      'lesson-settings-env',
      'lesson-sigterm',
      'lesson-sqs-enqueue',
    ]);
  });

  for (const snippet of snippetFiles.python) {
    it(`${snippet.prefix} is clean for every rule`, () =>
      assertCleanCodeSnippet(snippet.body, '/work/snippets/settings.py'));
  }

  it('the session snippets would be flagged with a local backend', async () => {
    const django = expandSnippet(
      snippetFiles.python.find((s) => s.prefix === 'lesson-django-session-redis')!.body,
    ).replace('django.core.cache.backends.redis.RedisCache', 'django.core.cache.backends.locmem.LocMemCache');
    const result = await analyzer.analyze({ path: '/work/snippets/settings.py', text: django });
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ['local-state/local-session-backend'],
    );
  });
});
