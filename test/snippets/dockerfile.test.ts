import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { expandSnippet, snippetFiles } from '../../server/src/snippets';

// Every Dockerfile snippet of RULES.md, with its placeholders at their defaults, must be a
// Dockerfile the whole rule pack finds nothing in. A snippet cannot create the .dockerignore
// that its `COPY . .` needs, so the workspace has one, as the project it is written into would.

const workspace = inMemoryWorkspace({ '/work/app/.dockerignore': '.git\n.env\nnode_modules\n' });
const analyzer = new Analyzer({
  rules: allRules,
  workspace,
  log: (message) => {
    throw new Error(message);
  },
});

describe('Dockerfile snippets', () => {
  it('cover the multi-stage Node and Python images of RULES.md', () => {
    assert.deepEqual(
      snippetFiles.dockerfile.map((s) => s.prefix),
      ['lesson-dockerfile-node', 'lesson-dockerfile-python'],
    );
  });

  for (const snippet of snippetFiles.dockerfile) {
    it(`${snippet.prefix} is clean for every rule`, async () => {
      const text = expandSnippet(snippet.body);
      const result = await analyzer.analyze({ path: '/work/app/Dockerfile', text });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.failures, []);
      assert.deepEqual(
        result.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`),
        [],
      );
      const model = (await analyzer.parse({ path: '/work/app/Dockerfile', text })).model;
      assert.equal(model?.kind, 'dockerfile');
      if (model?.kind === 'dockerfile') {
        assert.ok(model.dockerfile.stages.length >= 2, 'a multi-stage build');
        assert.ok(
          model.dockerfile.finalStage?.instructions.some((i) => i.getKeyword() === 'HEALTHCHECK'),
          'a health check in the final stage',
        );
      }
    });
  }

  it('without the .dockerignore, the one missing piece is reported', async () => {
    const bare = new Analyzer({ rules: allRules, workspace: inMemoryWorkspace() });
    const text = expandSnippet(snippetFiles.dockerfile[0].body);
    const result = await bare.analyze({ path: '/work/other/Dockerfile', text });
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ['container-ready/no-dockerignore'],
    );
  });
});
