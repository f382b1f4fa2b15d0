import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { expandSnippet, snippetFiles } from '../../server/src/snippets';

// Every Python snippet of RULES.md, with its placeholders at their defaults, must be code the
// whole rule pack finds nothing in, and must parse cleanly.

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace(),
  log: (message) => {
    throw new Error(message);
  },
});

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
    it(`${snippet.prefix} is clean for every rule`, async () => {
      const text = expandSnippet(snippet.body);
      assert.doesNotMatch(text, /\$\{?\d/, 'every placeholder expands');
      const path = '/work/snippets/settings.py';
      const document = await analyzer.parse({ path, text });
      try {
        assert.equal(
          document.model && 'code' in document.model && document.model.code.root.hasError,
          false,
          'parses without errors',
        );
      } finally {
        document.dispose();
      }
      const result = await analyzer.analyze({ path, text });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`),
        [],
      );
    });
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
