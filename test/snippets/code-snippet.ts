import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine/analyze';
import { inMemoryWorkspace } from '../../server/src/engine/workspace';
import { allRules } from '../../server/src/rules';
import { expandSnippet } from '../../server/src/snippets';

/** The whole rule pack, failing the test if any rule throws. */
export const analyzer = new Analyzer({
  rules: allRules,
  workspace: inMemoryWorkspace(),
  log: (message) => {
    throw new Error(message);
  },
});

/**
 * A code snippet with its placeholders at their defaults must expand fully, parse without
 * syntax errors and give the whole rule pack nothing to report.
 */
export async function assertCleanCodeSnippet(body: string, path: string): Promise<void> {
  const text = expandSnippet(body);
  assert.doesNotMatch(text, /\$\{?\d/, 'every placeholder expands');
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
}
