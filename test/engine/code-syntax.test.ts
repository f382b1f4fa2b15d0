import assert from 'node:assert/strict';
import type { Node } from '../../server/src/engine/parse/syntax-tree';
import {
  enclosingFunction,
  enclosingFunctions,
  isFunction,
  ownDescendants,
} from '../../server/src/engine/code/syntax';
import { grammarFor, parseCode, type CodeModel } from '../../server/src/engine/parse/code';
import { everyNode } from './every-node';

async function withModel<T>(path: string, text: string, use: (model: CodeModel) => T): Promise<T> {
  const model = await parseCode(text, grammarFor(path, undefined, path.endsWith('.py')));
  try {
    return use(model);
  } finally {
    model.dispose();
  }
}

/** The functions above a node, found the slow way: one parent at a time. */
function functionsAbove(node: Node): number[] {
  const found: number[] = [];
  for (let current = node.parent; current; current = current.parent)
    if (isFunction(current)) found.push(current.id);
  return found;
}

// Functions that touch: an arrow as a whole statement (no semicolon, the statement has its span),
// a member expression starting where its function starts, arrows returning arrows, methods,
// callbacks in arguments, an unfinished statement (a missing token) and Python lambdas.
const javascript = `const handler = (a) => (b) => (c) => a + b + c
x => x * 2
const bound = function () { return this }.bind(self)
class Store {
  add(item) { this.items.push(item); [1].map((n) => { const m = n; return () => m; }); }
}
app.get('/x', async (req, res) => { res.json(await load(req.params.id, function inner() {})) })
const broken = (a) => { const x = { a: 1 ; }
`;
const python = `def outer(a):
    def inner(b):
        return lambda c: a + b + c
    return inner

class View:
    def get(self, request):
        items = [x for x in request.GET if (lambda y: y)(x)]
        return items
`;

describe('engine/code/syntax', () => {
  for (const [path, text] of [
    ['/app.js', javascript],
    ['/app.py', python],
  ]) {
    it(`finds the functions around every node by position, as a walk up the tree does (${path})`, async () => {
      await withModel(path, text, (model) => {
        const nodes = everyNode(model.root);
        assert.ok(nodes.length > 80);
        for (const node of nodes) {
          const expected = functionsAbove(node);
          const where = `${node.type} at ${node.startIndex}-${node.endIndex}`;
          assert.equal(enclosingFunction(node)?.id, expected[0], where);
          assert.deepEqual(
            enclosingFunctions(node).map((f) => f.id),
            expected,
            where,
          );
        }
      });
    });
  }

  it("keeps a function's own descendants, not those of the functions nested in it", async () => {
    await withModel('/app.js', javascript, (model) => {
      const method = model.root.descendantsOfType('method_definition')[0]!;
      const body = method.childForFieldName('body')!;
      assert.deepEqual(
        ownDescendants(body, ['call_expression', 'variable_declarator', 'arrow_function']).map(
          (n) => n.text.split('\n')[0],
        ),
        [
          'this.items.push(item)',
          '[1].map((n) => { const m = n; return () => m; })',
          '(n) => { const m = n; return () => m; }',
        ],
      );
    });
  });
});
