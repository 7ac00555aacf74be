import type { DB } from '../../store/open-writer';
import { entityId, normaliseName } from '../../store/ids';

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(id: string): string {
    let root = id;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    this.parent.set(id, root);
    return root;
  }

  union(a: string, b: string): void {
    const [rootA, rootB] = [this.find(a), this.find(b)];
    if (rootA !== rootB) this.parent.set(rootB < rootA ? rootA : rootB, rootB < rootA ? rootB : rootA);
  }
}

/**
 * Finds the entities of a project that are one thing under several records: the same normalised name,
 * or a name that is another entity's alias. Returns duplicate id -> survivor id.
 *
 * The survivor is, in order: an entity whose name is nobody's alias (the note that declared the alias
 * is the canonical one), an entity whose id is the one ingest derives from its name (so re-ingesting
 * resolves to it instead of creating the duplicate again), the smallest id. An alias that several
 * unrelated entities declare is ambiguous and merges nothing.
 */
export function findDuplicates(db: DB, project: string): Map<string, string> {
  const entities = db
    .prepare<[string], { id: string; name: string }>('SELECT id, name FROM entities WHERE project = ? ORDER BY id')
    .all(project);
  const normOf = new Map<string, string>();
  const byNorm = new Map<string, string[]>();
  for (const entity of entities) {
    const norm = normaliseName(entity.name);
    normOf.set(entity.id, norm);
    if (norm.length === 0) continue; // a name of punctuation only says nothing about identity
    byNorm.set(norm, [...(byNorm.get(norm) ?? []), entity.id]);
  }
  const groups = new UnionFind();
  for (const ids of byNorm.values()) for (const id of ids.slice(1)) groups.union(ids[0] as string, id);
  const nameGroup = new Map(entities.map((entity) => [entity.id, groups.find(entity.id)]));

  const aliasHolders = new Map<string, Set<string>>();
  const aliases = db
    .prepare<[string], { entity_id: string; alias_norm: string }>(
      'SELECT entity_id, alias_norm FROM entity_aliases WHERE project = ? ORDER BY alias_norm, entity_id',
    )
    .all(project);
  for (const alias of aliases) {
    const holder = nameGroup.get(alias.entity_id);
    const named = byNorm.get(alias.alias_norm)?.[0];
    if (holder === undefined || named === undefined || nameGroup.get(named) === holder) continue;
    aliasHolders.set(alias.alias_norm, (aliasHolders.get(alias.alias_norm) ?? new Set()).add(holder));
  }
  const aliasedGroups = new Set<string>();
  for (const [norm, holders] of aliasHolders) {
    if (holders.size !== 1) continue;
    const named = nameGroup.get(byNorm.get(norm)?.[0] as string) as string;
    aliasedGroups.add(named);
    groups.union([...holders][0] as string, named);
  }

  const components = new Map<string, Array<{ id: string; name: string }>>();
  for (const entity of entities) {
    const root = groups.find(entity.id);
    components.set(root, [...(components.get(root) ?? []), entity]);
  }
  const rank = (entity: { id: string; name: string }): [number, number, string] => [
    aliasedGroups.has(nameGroup.get(entity.id) as string) ? 1 : 0,
    entity.id === entityId(project, entity.name) ? 0 : 1,
    entity.id,
  ];
  const survivorOf = new Map<string, string>();
  for (const members of components.values()) {
    if (members.length < 2) continue;
    const [survivor, ...duplicates] = [...members].sort((a, b) => compareRanks(rank(a), rank(b)));
    for (const duplicate of duplicates) survivorOf.set(duplicate.id, (survivor as { id: string }).id);
  }
  return survivorOf;
}

function compareRanks(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}
