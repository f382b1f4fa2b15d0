import { asMap, get, type MapNode, type Pair, type ScalarNode } from './tree';

export interface Service {
  name: string;
  nameNode: ScalarNode;
  pair: Pair;
  node: MapNode;
}

/** A compose file over the shared YAML tree. */
export interface ComposeFile {
  root: MapNode;
  services: Service[];
}

export function buildCompose(root: MapNode): ComposeFile {
  const services: Service[] = [];
  for (const pair of asMap(get(root, 'services'))?.pairs ?? []) {
    const node = asMap(pair.value);
    if (!node) continue;
    services.push({ name: String(pair.key.value), nameNode: pair.key, pair, node });
  }
  return { root, services };
}
