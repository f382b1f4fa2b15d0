import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from '../../server/src/engine/parse/syntax-tree';
import { descendantsIn, nodesOfType } from '../../server/src/engine/code/syntax';
import { grammarFor, parseCode } from '../../server/src/engine/parse/code';
import { everyNode } from './every-node';

/**
 * `descendantsIn` answers from the parse's one walk (the run of the file's nodes that lies in the
 * scope) instead of a walk of the scope: it must give what tree-sitter's own walk of the scope
 * gives, in the same order, for every scope, on whole files and on broken ones.
 */

const fixtures = join(__dirname, '..', 'fixtures');

const cases = [
  {
    path: 'server.js',
    source: join(fixtures, 'apps/passport-login/bad/server.js'),
    types: [['call_expression'], ['identifier', 'string'], ['variable_declarator', 'assignment_expression']],
  },
  {
    path: 'main.py',
    source: join(fixtures, 'apps/fastapi-crud/bad/main.py'),
    types: [['call'], ['identifier', 'string'], ['assignment', 'augmented_assignment']],
  },
];

/** The text cut at a few places: unclosed brackets, missing tokens, error nodes. */
function broken(text: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const at = Math.floor((text.length * i) / 5);
    out.push(
      text.slice(0, at),
      text.slice(0, at) + '(' + text.slice(at),
      text.slice(0, at) + text.slice(at + 7),
    );
  }
  return out;
}

describe('descendantsIn equals a walk of the scope', function () {
  this.timeout(60_000);
  for (const { path, source, types } of cases)
    it(`${path}: every node as a scope, whole and broken texts`, async () => {
      const base = readFileSync(source, 'utf8');
      let compared = 0;
      for (const text of [base, ...broken(base)]) {
        const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
        try {
          // A type asked before, so that the walk already holds some of them.
          nodesOfType(model, types[0]);
          for (const scope of everyNode(model.root)) {
            if (!scope.isNamed && scope.startIndex !== scope.endIndex) continue;
            for (const wanted of types) {
              const expected = scope
                .descendantsOfType(wanted)
                .filter((n): n is Node => !!n)
                .map((n) => n.id);
              assert.deepEqual(
                descendantsIn(model, scope, wanted).map((n) => n.id),
                expected,
                `${scope.type} at ${scope.startIndex}-${scope.endIndex}, ${wanted.join(' ')}`,
              );
              compared++;
            }
          }
        } finally {
          model.dispose();
        }
      }
      assert.ok(compared > 1000, `${compared} comparisons`);
    });
});
