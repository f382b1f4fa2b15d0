import { get, scalarText, type DataNode } from '../parse/tree';

/** A container definition of an ECS task definition, in messages: "container web", or "a container" without a literal name. */
export function containerName(definition: DataNode): string {
  const name = scalarText(get(definition, 'Name'));
  return name ? `container ${name}` : 'a container';
}
