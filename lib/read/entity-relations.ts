import { hasTable } from '../store/open-readonly';
import type { ReadDB } from '../store/read-db';
import { currentRelation } from '../store/relation-validity';
import { readModel } from './read-model';
import { sensitive, type Sensitive } from './sensitive';

/** Bounds: groups (relation type and direction), neighbours per group, notes per neighbour. */
export const RELATION_GROUP_CAP = 30;
export const NEIGHBOURS_PER_GROUP = 25;
export const NOTES_PER_NEIGHBOUR = 5;
/** Sentences shown per note (the writer keeps at most three per relation and note). */
export const SENTENCES_PER_NOTE = 3;

/** CO_OCCURS has no direction (ingest stores it with the smaller id first): its group is 'both'. */
export type RelationDirection = 'out' | 'in' | 'both';

export interface RelationNeighbour {
  id: string;
  name: Sensitive;
  type: string;
  /** The relation's weight: how often the notes state it (summed if it is stored both ways). */
  weight: number;
  /** The notes that support it (relation_sources), most counts first, and how many there are. */
  notes: { rows: NeighbourNote[]; total: number };
}

export interface NeighbourNote {
  docId: string;
  path: string;
  title: Sensitive;
  count: number;
  /** The sentences of the note that state the relation (relation_evidence), none for a graph.db without the table. */
  sentences: Sensitive[];
}

export interface RelationGroup {
  type: string;
  direction: RelationDirection;
  /** Neighbours in the group; `rows` holds the strongest NEIGHBOURS_PER_GROUP. */
  total: number;
  rows: RelationNeighbour[];
}

export interface EntityRelations {
  /** Relations of the entity, both directions. */
  relations: number;
  /** Distinct entities at the other end. */
  neighbours: number;
  groups: RelationGroup[];
  /** Groups beyond RELATION_GROUP_CAP, left out. */
  moreGroups: number;
}

/** Each relation that holds now seen from the entity: the other end, the type, the direction. */
const EDGES = `WITH edges AS (
    SELECT r.id AS relation_id, r.to_id AS other, r.type, CASE WHEN r.type = 'CO_OCCURS' THEN 'both' ELSE 'out' END AS direction,
      r.weight FROM relations r WHERE r.from_id = @id AND +r.project = @project AND ${currentRelation('r')}
    UNION ALL
    SELECT r.id, r.from_id, r.type, CASE WHEN r.type = 'CO_OCCURS' THEN 'both' ELSE 'in' END, r.weight
      FROM relations r WHERE r.to_id = @id AND +r.project = @project AND ${currentRelation('r')}
  ), pairs AS (
    SELECT type, direction, other, SUM(weight) AS weight, json_group_array(relation_id) AS relation_ids
    FROM edges GROUP BY type, direction, other
  )`;

interface PairRow {
  type: string;
  direction: RelationDirection;
  other: string;
  weight: number;
  relation_ids: string;
  name: string;
  entity_type: string;
}

interface NoteRow {
  relation_id: number;
  doc_id: string;
  path: string;
  title: string;
  count: number;
  notes: number;
  sentences: string | null;
}

function groupsOf(db: ReadDB, params: { id: string; project: string }) {
  return db
    .prepare<typeof params & { cap: number }, { type: string; direction: RelationDirection; n: number }>(
      `${EDGES} SELECT type, direction, COUNT(*) AS n FROM pairs GROUP BY type, direction ORDER BY n DESC, type, direction LIMIT @cap`,
    )
    .all({ ...params, cap: RELATION_GROUP_CAP });
}

function pairsOf(db: ReadDB, params: { id: string; project: string }): PairRow[] {
  return db
    .prepare<typeof params & { cap: number }, PairRow>(
      `${EDGES}, ranked AS (
         SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.type, p.direction ORDER BY p.weight DESC, p.other) AS rn FROM pairs p
       )
       SELECT r.type, r.direction, r.other, r.weight, r.relation_ids, e.name, e.type AS entity_type
       FROM ranked r JOIN entities e ON e.id = r.other WHERE r.rn <= @cap ORDER BY r.weight DESC, e.name`,
    )
    .all({ ...params, cap: NEIGHBOURS_PER_GROUP });
}

/** The notes behind each relation (at most NOTES_PER_NEIGHBOUR each, with how many there are). */
function notesOf(db: ReadDB, relationIds: number[]): Map<number, NoteRow[]> {
  const byRelation = new Map<number, NoteRow[]>();
  if (relationIds.length === 0) return byRelation;
  // A graph.db written before relations kept their sentences has no relation_evidence table.
  const sentences = hasTable(db, 'relation_evidence')
    ? `(SELECT json_group_array(sentence) FROM (SELECT sentence FROM relation_evidence e
         WHERE e.relation_id = s.relation_id AND e.doc_id = s.doc_id ORDER BY ordinal LIMIT ${SENTENCES_PER_NOTE}))`
    : 'NULL';
  const rows = db
    .prepare<unknown[], NoteRow>(
      `SELECT s.relation_id, s.doc_id, d.path, d.title, s.count, s.notes, ${sentences} AS sentences FROM (
         SELECT relation_id, doc_id, count, COUNT(*) OVER (PARTITION BY relation_id) AS notes,
           ROW_NUMBER() OVER (PARTITION BY relation_id ORDER BY count DESC, doc_id) AS rn
         FROM relation_sources WHERE relation_id IN (${relationIds.map(() => '?').join(',')})
       ) s JOIN documents d ON d.id = s.doc_id WHERE s.rn <= ?`,
    )
    .all(...relationIds, NOTES_PER_NEIGHBOUR);
  for (const row of rows) byRelation.set(row.relation_id, [...(byRelation.get(row.relation_id) ?? []), row]);
  return byRelation;
}

function sentencesOf(row: NoteRow): string[] {
  const parsed: unknown = row.sentences === null ? [] : JSON.parse(row.sentences);
  return Array.isArray(parsed) ? parsed.filter((text): text is string => typeof text === 'string') : [];
}

function relationIdsOf(pair: PairRow): number[] {
  const parsed: unknown = JSON.parse(pair.relation_ids);
  return Array.isArray(parsed) ? parsed.filter((id): id is number => typeof id === 'number') : [];
}

/** One neighbour's notes, summed over the relations it stands for (one, or two stored both ways). */
function neighbourNotes(ids: number[], notes: Map<number, NoteRow[]>): RelationNeighbour['notes'] {
  const byDoc = new Map<string, NoteRow & { texts: string[] }>();
  let total = 0;
  for (const id of ids) {
    const rows = notes.get(id) ?? [];
    total += rows[0]?.notes ?? 0;
    for (const row of rows) {
      const known = byDoc.get(row.doc_id);
      const texts = [...new Set([...(known?.texts ?? []), ...sentencesOf(row)])].slice(0, SENTENCES_PER_NOTE);
      byDoc.set(row.doc_id, known ? { ...known, count: known.count + row.count, texts } : { ...row, texts });
    }
  }
  const rows = [...byDoc.values()]
    .sort((a, b) => b.count - a.count || a.path.localeCompare(b.path))
    .slice(0, NOTES_PER_NEIGHBOUR)
    .map((row) => ({
      docId: row.doc_id,
      path: row.path,
      title: sensitive(row.title),
      count: row.count,
      sentences: row.texts.map((text) => sensitive(text)),
    }));
  return { rows, total: Math.max(total, byDoc.size) };
}

/**
 * An entity's relations grouped by type and direction, each neighbour once per group with its weight
 * and the notes that support the relation; every list bounded, with counts of the rest.
 */
export const entityRelations = readModel({
  needs: ['graph'],
  read({ graph }, scope, args: { id: string }): EntityRelations {
    const { db } = graph;
    const params = { id: args.id, project: scope.project };
    const counts = db
      .prepare<typeof params, { relations: number; neighbours: number; groups: number }>(
        `${EDGES} SELECT (SELECT COUNT(*) FROM edges) AS relations, (SELECT COUNT(DISTINCT other) FROM edges) AS neighbours,
           (SELECT COUNT(*) FROM (SELECT 1 FROM pairs GROUP BY type, direction)) AS groups`,
      )
      .get(params) ?? { relations: 0, neighbours: 0, groups: 0 };
    const shown = groupsOf(db, params);
    const key = (type: string, direction: string) => `${type}\u0000${direction}`;
    const wanted = new Set(shown.map((group) => key(group.type, group.direction)));
    const pairs = pairsOf(db, params).filter((pair) => wanted.has(key(pair.type, pair.direction)));
    const notes = notesOf(db, [...new Set(pairs.flatMap(relationIdsOf))]);
    return {
      relations: counts.relations,
      neighbours: counts.neighbours,
      moreGroups: counts.groups - shown.length,
      groups: shown.map((group) => ({
        type: group.type,
        direction: group.direction,
        total: group.n,
        rows: pairs
          .filter((pair) => pair.type === group.type && pair.direction === group.direction)
          .map((pair) => ({
            id: pair.other,
            name: sensitive(pair.name),
            type: pair.entity_type,
            weight: pair.weight,
            notes: neighbourNotes(relationIdsOf(pair), notes),
          })),
      })),
    };
  },
});
