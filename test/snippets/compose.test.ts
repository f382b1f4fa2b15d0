import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { expandSnippet, snippetFiles } from '../../server/src/snippets';

// Every compose snippet of RULES.md, with its placeholders at their defaults, must be a compose
// file the whole rule pack finds nothing in.

const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace(),
  log: (message) => {
    throw new Error(message);
  },
});

describe('compose snippets', () => {
  it('cover the app + Redis file of RULES.md', () => {
    assert.deepEqual(
      snippetFiles.compose.map((s) => s.prefix),
      ['lesson-compose-app-redis'],
    );
  });

  for (const snippet of snippetFiles.compose) {
    it(`${snippet.prefix} is clean for every rule`, async () => {
      const text = expandSnippet(snippet.body);
      const result = await analyzer.analyze({ path: '/work/app/compose.yaml', text });
      assert.equal(result.kind, 'compose');
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`),
        [],
      );
    });
  }

  it('every service of the snippet restarts by itself and is health-checked', async () => {
    const text = expandSnippet(snippetFiles.compose[0].body);
    const document = await analyzer.parse({ path: '/work/app/compose.yaml', text });
    assert.equal(document.model?.kind, 'compose');
    if (document.model?.kind !== 'compose') return;
    for (const service of document.model.compose.services) {
      const keys = service.node.pairs.map((p) => p.key.value);
      assert.ok(keys.includes('restart') && keys.includes('healthcheck'), service.name);
    }
  });
});
