import type { DB } from '../store/open-writer';
import { currentRelation } from '../store/relation-validity';

export interface ComponentSummary {
  /** Connected components, counting every entity without relations as one. */
  count: number;
  /** Entities in the largest component. */
  largest: number;
}

/**
 * Connected components of a project's graph, its current relations taken as undirected: a union-find over entity
 * indexes in typed arrays, reading relations as raw rows, so a graph of a million relations costs one
 * pass and no objects per row.
 */
export function connectedComponents(db: DB, project: string): ComponentSummary {
  const index = new Map<string, number>();
  for (const [id] of db.prepare('SELECT id FROM entities WHERE project = ?').raw().iterate(project) as Iterable<[string]>) {
    index.set(id, index.size);
  }
  const parent = new Int32Array(index.size).map((_, i) => i);
  const find = (node: number): number => {
    let root = node;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[node] !== root) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const relations = db
    .prepare(`SELECT from_id, to_id FROM relations r WHERE project = ? AND ${currentRelation('r')}`)
    .raw()
    .iterate(project);
  for (const [from, to] of relations as Iterable<[string, string]>) {
    const [a, b] = [index.get(from), index.get(to)];
    if (a === undefined || b === undefined) continue;
    const [rootA, rootB] = [find(a), find(b)];
    if (rootA !== rootB) parent[rootA] = rootB;
  }
  const sizes = new Int32Array(parent.length);
  let count = 0;
  let largest = 0;
  for (let node = 0; node < parent.length; node++) {
    const root = find(node);
    if (sizes[root] === 0) count += 1;
    sizes[root] = (sizes[root] as number) + 1;
    largest = Math.max(largest, sizes[root] as number);
  }
  return { count, largest };
}
