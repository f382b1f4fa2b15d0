import type { Node } from '../../server/src/engine/parse/syntax-tree';

/** Every node under `root`, itself included, in document order. */
export function everyNode(root: Node): Node[] {
  const nodes: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return nodes;
}
