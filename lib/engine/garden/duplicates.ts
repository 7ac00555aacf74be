import type { DB } from '../../store/open-writer';
import { normaliseName, scopedEntityId } from '../../store/ids';
import { scopeKey } from '../../store/scope';

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
 * or a name that is another entity's alias, in the same scope (the shared graph, or one user's
 * memory: nothing is ever merged across scopes). Returns duplicate id -> survivor id.
 *
 * The survivor is, in order: an entity whose name is nobody's alias (the note that declared the alias
 * is the canonical one), an entity whose id is the one ingest derives from its name (so re-ingesting
 * resolves to it instead of creating the duplicate again), the smallest id. An alias that several
 * unrelated entities declare is ambiguous and merges nothing.
 */
export function findDuplicates(db: DB, project: string): Map<string, string> {
  const entities = db
    .prepare<[string], { id: string; name: string; user_id: string | null; memory_id: string | null }>(
      'SELECT id, name, user_id, memory_id FROM entities WHERE project = ? ORDER BY id',
    )
    .all(project);
  // Names are compared within a scope only: the key is the scope and the normalised name.
  const keyOf = (scope: { user_id: string | null; memory_id: string | null }, norm: string): string =>
    `${scopeKey({ userId: scope.user_id, memoryId: scope.memory_id })}\u0001${norm}`;
  const byNorm = new Map<string, string[]>();
  for (const entity of entities) {
    const norm = normaliseName(entity.name);
    if (norm.length === 0) continue; // a name of punctuation only says nothing about identity
    const key = keyOf(entity, norm);
    byNorm.set(key, [...(byNorm.get(key) ?? []), entity.id]);
  }
  const groups = new UnionFind();
  for (const ids of byNorm.values()) for (const id of ids.slice(1)) groups.union(ids[0] as string, id);
  const nameGroup = new Map(entities.map((entity) => [entity.id, groups.find(entity.id)]));

  const aliasHolders = new Map<string, Set<string>>();
  const aliases = db
    .prepare<[string], { entity_id: string; alias_norm: string; user_id: string | null; memory_id: string | null }>(
      'SELECT entity_id, alias_norm, user_id, memory_id FROM entity_aliases WHERE project = ? ORDER BY alias_norm, entity_id',
    )
    .all(project);
  for (const alias of aliases) {
    const holder = nameGroup.get(alias.entity_id);
    const named = byNorm.get(keyOf(alias, alias.alias_norm))?.[0];
    if (holder === undefined || named === undefined || nameGroup.get(named) === holder) continue;
    const key = keyOf(alias, alias.alias_norm);
    aliasHolders.set(key, (aliasHolders.get(key) ?? new Set()).add(holder));
  }
  const aliasedGroups = new Set<string>();
  for (const [norm, holders] of aliasHolders) {
    if (holders.size !== 1) continue;
    const named = nameGroup.get(byNorm.get(norm)?.[0] as string) as string;
    aliasedGroups.add(named);
    groups.union([...holders][0] as string, named);
  }

  type Entity = (typeof entities)[number];
  const components = new Map<string, Entity[]>();
  for (const entity of entities) {
    const root = groups.find(entity.id);
    components.set(root, [...(components.get(root) ?? []), entity]);
  }
  const rank = (entity: Entity): [number, number, string] => [
    aliasedGroups.has(nameGroup.get(entity.id) as string) ? 1 : 0,
    entity.id === scopedEntityId(project, { userId: entity.user_id, memoryId: entity.memory_id }, entity.name) ? 0 : 1,
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
