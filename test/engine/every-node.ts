import type { Node } from 'web-tree-sitter';

/** Every node under `root`, itself included, in document order: tree-sitter's own walk. */
export function everyNode(root: Node): Node[] {
  const nodes: Node[] = [];
  const cursor = root.walk();
  const visit = () => {
    do {
      nodes.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) {
        visit();
        cursor.gotoParent();
      }
    } while (cursor.gotoNextSibling());
  };
  visit();
  return nodes;
}
