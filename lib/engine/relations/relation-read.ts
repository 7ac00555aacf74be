import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import { relationPeriod } from '../../store/relation-validity';
import { scopeParams, visibleTo, type ReadScopeFilter } from '../../store/scope';
import { findEntities } from '../graph-read';
import type { EntitySummary } from '../search/search';

export type RelationDirection = 'out' | 'in';
export type DirectionFilter = RelationDirection | 'both';

/** One relation period as a tool shows it. */
export interface RelationRecord {
  id: number;
  type: string;
  from: EntitySummary;
  to: EntitySummary;
  weight: number;
  confidence: number;
  /** What made it: ingest (notes), create_relation, federation. */
  origin: string;
  session_id: string | null;
  user_id: string | null;
  memory_id: string | null;
  valid_from: string;
  /** null: it holds now. */
  valid_until: string | null;
}

/** A relation seen from one entity: which way it points, the other end, the notes behind it. */
export interface EntityRelation extends RelationRecord {
  direction: RelationDirection;
  other: EntitySummary;
  sources: Array<{ doc_id: string; path: string; count: number }>;
}

export interface EntityRelationsResult {
  entity: EntitySummary | null;
  as_of: string | null;
  direction: DirectionFilter;
  relations: EntityRelation[];
  /** Relations in all (the list holds at most `limit`). */
  total: number;
}

interface RelationRow {
  id: number;
  type: string;
  weight: number;
  confidence: number;
  origin_tool: string;
  session_id: string | null;
  user_id: string | null;
  memory_id: string | null;
  valid_from: string;
  valid_until: string | null;
  from_id: string;
  from_name: string;
  from_type: string;
  to_id: string;
  to_name: string;
  to_type: string;
}

/** The columns of a relation with both ends (relations r, entities f and t). */
export const RELATION_SELECT = `SELECT r.id, r.type, r.weight, r.confidence, r.origin_tool, r.session_id, r.user_id, r.memory_id,
    r.valid_from, r.valid_until, f.id AS from_id, f.name AS from_name, f.type AS from_type,
    t.id AS to_id, t.name AS to_name, t.type AS to_type
  FROM relations r JOIN entities f ON f.id = r.from_id JOIN entities t ON t.id = r.to_id`;

export function relationRecord(row: RelationRow): RelationRecord {
  return {
    id: row.id,
    type: row.type,
    from: { id: row.from_id, name: row.from_name, type: row.from_type },
    to: { id: row.to_id, name: row.to_name, type: row.to_type },
    weight: row.weight,
    confidence: row.confidence,
    origin: row.origin_tool,
    session_id: row.session_id,
    user_id: row.user_id,
    memory_id: row.memory_id,
    valid_from: row.valid_from,
    valid_until: row.valid_until,
  };
}

/** One relation row by id, with both ends (undefined when there is none). */
export function relationById(db: DB, id: number): RelationRecord | undefined {
  const row = db.prepare<[number], RelationRow>(`${RELATION_SELECT} WHERE r.id = ?`).get(id);
  return row ? relationRecord(row) : undefined;
}

/**
 * The stored-time form of an as_of instant, or null for now: an instant at or after now asks for
 * what holds now (no period is recorded ahead of time).
 */
export function asOfTimestamp(asOf: Date | null, now: Date): string | null {
  return asOf === null || asOf.getTime() >= now.getTime() ? null : isoTimestamp(asOf);
}

function endsFor(direction: DirectionFilter): string {
  const out = 'r.from_id IN (SELECT value FROM json_each(@ids))';
  const into = 'r.to_id IN (SELECT value FROM json_each(@ids))';
  if (direction === 'out') return out;
  if (direction === 'in') return into;
  return `(${out} OR ${into})`;
}

/** The notes behind each relation that the reader may see, most counts first. */
function sourcesOf(db: DB, ids: number[], scope: ReadScopeFilter): Map<number, EntityRelation['sources']> {
  const rows = db
    .prepare<
      { ids: string; scopeUser: string | null; scopeMemory: string | null },
      { relation_id: number; doc_id: string; path: string; count: number }
    >(
      `SELECT s.relation_id, s.doc_id, d.path, s.count FROM relation_sources s JOIN documents d ON d.id = s.doc_id
       WHERE s.relation_id IN (SELECT value FROM json_each(@ids)) AND ${visibleTo('d')} ORDER BY s.count DESC, d.path`,
    )
    .all({ ids: JSON.stringify(ids), ...scopeParams(scope) });
  const byRelation = new Map<number, EntityRelation['sources']>();
  for (const { relation_id: id, ...source } of rows) byRelation.set(id, [...(byRelation.get(id) ?? []), source]);
  return byRelation;
}

/**
 * An entity's relations (over every visible entity the reference means, as neighbours does) as
 * the reader may see them: those that hold now, or, given `asOf` (an isoTimestamp), those that
 * held then; strongest first, at most `limit`.
 */
export function entityRelations(
  db: DB,
  project: string,
  ref: string,
  options: { asOf: string | null; direction: DirectionFilter; limit: number },
  scope: ReadScopeFilter,
): EntityRelationsResult {
  const found = findEntities(db, project, ref, scope);
  const [entity] = found;
  const empty = { entity: entity ?? null, as_of: options.asOf, direction: options.direction, relations: [], total: 0 };
  if (!entity) return empty;
  const ids = found.map((match) => match.id);
  const period = relationPeriod('r', options.asOf);
  const where = `WHERE r.project = @project AND ${endsFor(options.direction)} AND ${period.sql}
    AND ${visibleTo('r')} AND ${visibleTo('f')} AND ${visibleTo('t')}`;
  const params = { project, ids: JSON.stringify(ids), ...period.params, ...scopeParams(scope) };
  const rows = db
    .prepare<typeof params & { limit: number }, RelationRow>(
      `${RELATION_SELECT} ${where} ORDER BY r.weight DESC, r.type, r.id LIMIT @limit`,
    )
    .all({ ...params, limit: options.limit });
  const total =
    db.prepare<typeof params, { n: number }>(`SELECT COUNT(*) AS n FROM (${RELATION_SELECT} ${where})`).get(params)?.n ?? 0;
  const sources = sourcesOf(
    db,
    rows.map((row) => row.id),
    scope,
  );
  const relations = rows.map((row): EntityRelation => {
    const record = relationRecord(row);
    const out = ids.includes(row.from_id);
    return { ...record, direction: out ? 'out' : 'in', other: out ? record.to : record.from, sources: sources.get(row.id) ?? [] };
  });
  return { ...empty, relations, total };
}
