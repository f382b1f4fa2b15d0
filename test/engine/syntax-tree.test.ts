import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Node as NativeNode } from 'web-tree-sitter';
import { parseCode, previousParse, type CodeModel, type Grammar } from '../../server/src/engine/parse/code';
import type { Node } from '../../server/src/engine/parse/syntax-tree';
import { everyNode } from './every-node';
import { random } from './random';

/**
 * The copy of tree-sitter's tree that rules read (parse/syntax-tree.ts) says what tree-sitter
 * says, node for node; and a copy made from the previous version's after an edit equals a copy
 * made afresh.
 */

const fixtures = join(__dirname, '..', 'fixtures');

function codeFiles(folder: string, found: string[] = []): string[] {
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) codeFiles(path, found);
    else if (/\.(js|mjs|cjs|ts|tsx|py)$/.test(entry)) found.push(path);
  }
  return found;
}

const grammarOf = (path: string): Grammar =>
  path.endsWith('.py')
    ? 'python'
    : path.endsWith('.tsx')
      ? 'tsx'
      : path.endsWith('.ts')
        ? 'typescript'
        : 'javascript';

/** tree-sitter's own nodes, in document order, each with its field name. */
function nativeNodes(root: NativeNode): { node: NativeNode; field: string | null }[] {
  const nodes: { node: NativeNode; field: string | null }[] = [];
  const cursor = root.walk();
  const visit = () => {
    do {
      nodes.push({ node: cursor.currentNode, field: cursor.currentFieldName });
      if (cursor.gotoFirstChild()) {
        visit();
        cursor.gotoParent();
      }
    } while (cursor.gotoNextSibling());
  };
  visit();
  cursor.delete();
  return nodes;
}

const describeNode = (node: Node | NativeNode | null | undefined) =>
  node
    ? `${node.type} ${node.startIndex}-${node.endIndex}${node.isNamed ? '' : ' anonymous'}${node.isMissing ? ' missing' : ''}`
    : 'none';

/** Every node of a copy, with what its parent, children and fields say, in document order. */
function rowsOf(model: CodeModel): string[] {
  return everyNode(model.root).map((node) => {
    const fields = node.children.map((child) => {
      const parent = child.parent;
      assert.equal(parent?.id, node.id);
      return describeNode(child);
    });
    return `${describeNode(node)} [${fields.join(', ')}] error=${node.hasError}`;
  });
}

const pieces = [
  ' ',
  '\n',
  'x',
  '(',
  ')',
  '{',
  '}',
  '"',
  ':',
  ';',
  'é',
  '😀',
  '\n    ',
  '// c\n',
  '# c\n',
  'f(a, b)',
];

describe('the syntax tree copied from tree-sitter', function () {
  this.timeout(60_000);
  const files = codeFiles(fixtures);

  it('has tree-sitter’s nodes, fields, parents and errors, on every code fixture', async () => {
    assert.ok(files.length > 50, `${files.length} code fixtures`);
    for (const path of files) {
      const model = await parseCode(readFileSync(path, 'utf8'), grammarOf(path));
      try {
        const native = nativeNodes(model.native.rootNode);
        const plain = everyNode(model.root);
        assert.equal(plain.length, native.length, path);
        for (let i = 0; i < plain.length; i++) {
          const [mine, theirs] = [plain[i], native[i].node];
          assert.equal(describeNode(mine), describeNode(theirs), `${path} node ${i}`);
          assert.equal(describeNode(mine.parent), describeNode(theirs.parent), `${path} parent of node ${i}`);
          const field = native[i].field;
          if (field && mine.parent)
            assert.equal(mine.parent.childForFieldName(field)?.order !== undefined, true);
          assert.equal(mine.namedChildCount, theirs.namedChildCount, `${path} named children of node ${i}`);
          assert.equal(mine.hasError, theirs.hasError, `${path} error below node ${i}`);
          assert.equal(mine.text, theirs.text);
        }
        // tree-sitter writes some error tokens in words of its own (`UNEXPECTED`).
        if (!model.root.hasError) assert.equal(model.root.toString(), model.native.rootNode.toString(), path);
      } finally {
        model.dispose();
      }
    }
  });

  it('finds what tree-sitter finds: children by field, descendants by type, the node at an offset', async () => {
    const next = random(7);
    for (const path of files.filter((_, i) => i % 4 === 0)) {
      const text = readFileSync(path, 'utf8');
      const model = await parseCode(text, grammarOf(path));
      try {
        const native = nativeNodes(model.native.rootNode);
        const plain = everyNode(model.root);
        for (let i = 0; i < plain.length; i += 7) {
          const [mine, theirs] = [plain[i], native[i].node];
          for (const field of [
            'name',
            'body',
            'function',
            'arguments',
            'value',
            'left',
            'right',
            'object',
            'property',
          ])
            assert.equal(
              describeNode(mine.childForFieldName(field)),
              describeNode(theirs.childForFieldName(field)),
              `${path} node ${i} field ${field}`,
            );
          const types = ['identifier', 'call_expression', 'call', 'string', 'ERROR'];
          assert.deepEqual(
            mine.descendantsOfType(types).map(describeNode),
            theirs.descendantsOfType(types).map(describeNode),
            `${path} descendants of node ${i}`,
          );
        }
        for (let i = 0; i < 30; i++) {
          const start = Math.floor(next() * (text.length + 1));
          const end = Math.min(text.length, start + Math.floor(next() * 20));
          assert.equal(
            describeNode(model.root.descendantForIndex(start, end)),
            describeNode(model.native.rootNode.descendantForIndex(start, end)),
            `${path} node at ${start}-${end}`,
          );
        }
      } finally {
        model.dispose();
      }
    }
  });

  for (const name of ['apps/passport-login/bad/server.js', 'apps/fastapi-crud/bad/main.py']) {
    it(`after random edits, copied from the previous version, equals a fresh copy (${name})`, async () => {
      const path = join(fixtures, name);
      const grammar = grammarOf(path);
      const base = readFileSync(path, 'utf8');
      const next = random(23);
      let text = base;
      let model = await parseCode(text, grammar);
      let reused = 0;
      for (let i = 0; i < 80; i++) {
        const before = text;
        const at = Math.floor(next() * (text.length + 1));
        const choice = next();
        const piece = pieces[Math.floor(next() * pieces.length)];
        const length = Math.floor(next() * 10);
        const line = text.lastIndexOf('\n', at) + 1;
        const comment = grammar === 'python' ? '# note\n' : '// note\n';
        text =
          i % 20 === 19
            ? base
            : choice < 0.3
              ? // Edits that keep the file valid: the next version is copied from this one.
                text.slice(0, line) + comment + text.slice(line)
              : choice < 0.5
                ? text.slice(0, at) + piece + text.slice(at)
                : choice < 0.75
                  ? text.slice(0, at) + text.slice(at + length)
                  : text.slice(0, at) + piece + text.slice(at + length);
        const incremental = await parseCode(text, grammar, { previous: previousParse(before, model) });
        model.dispose();
        model = incremental;
        reused += incremental.tree.copied.reused;
        const fresh = await parseCode(text, grammar);
        try {
          assert.deepEqual(rowsOf(incremental), rowsOf(fresh), `after edit ${i}`);
          assert.equal(incremental.root.toString(), fresh.root.toString(), `after edit ${i}`);
        } finally {
          fresh.dispose();
        }
      }
      model.dispose();
      // Not a vacuous test: most versions were copied from the one before.
      assert.ok(reused > 0, 'no rows were taken from a previous copy');
    });
  }
});
