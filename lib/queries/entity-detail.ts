import type { DB } from '../store/open-writer';

export const ENTITY_LIST_CAP = 100;

export interface EntityDetail {
  entity: { id: string; name: string; type: string; created_at: string; updated_at: string };
  aliases: string[];
  mentions: {
    rows: Array<{ chunk_id: string; heading: string | null; text: string; source: string; count: number }>;
    total: number;
  };
  sources: { rows: Array<{ doc_id: string; path: string; title: string; mentions: number }>; total: number };
  neighbours: {
    rows: Array<{ id: string; name: string; type: string; relation: string; direction: 'out' | 'in'; weight: number }>;
    total: number;
  };
}

/** One entity with its mentions, source documents and neighbours, each capped with a count of the rest. */
export function entityDetail(db: DB, project: string, id: string): EntityDetail | null {
  const entity = db
    .prepare<[string, string], EntityDetail['entity']>(
      'SELECT id, name, type, created_at, updated_at FROM entities WHERE project = ? AND id = ?',
    )
    .get(project, id);
  if (!entity) return null;
  const count = (sql: string): number => db.prepare<[string], { n: number }>(sql).get(id)?.n ?? 0;
  const aliases = db
    .prepare<[string], { alias: string }>('SELECT DISTINCT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias')
    .all(id);
  const mentions = db
    .prepare<[string, number], EntityDetail['mentions']['rows'][number]>(
      `SELECT m.chunk_id, c.heading, c.text, c.source, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id
       WHERE m.entity_id = ? ORDER BY m.count DESC, c.source, c.chunk_idx LIMIT ?`,
    )
    .all(id, ENTITY_LIST_CAP);
  const sources = db
    .prepare<[string, number], EntityDetail['sources']['rows'][number]>(
      `SELECT d.id AS doc_id, d.path, d.title, SUM(m.count) AS mentions FROM mentions m JOIN chunks c ON c.id = m.chunk_id
       JOIN documents d ON d.id = c.doc_id WHERE m.entity_id = ? GROUP BY d.id ORDER BY mentions DESC, d.path LIMIT ?`,
    )
    .all(id, ENTITY_LIST_CAP);
  const neighbourSql = `SELECT e.id, e.name, e.type, r.type AS relation, 'out' AS direction, r.weight FROM relations r
      JOIN entities e ON e.id = r.to_id WHERE r.from_id = @id AND +r.project = @project
    UNION ALL
    SELECT e.id, e.name, e.type, r.type AS relation, 'in' AS direction, r.weight FROM relations r
      JOIN entities e ON e.id = r.from_id WHERE r.to_id = @id AND +r.project = @project`;
  const neighbours = db
    .prepare<{ id: string; project: string; limit: number }, EntityDetail['neighbours']['rows'][number]>(
      `SELECT * FROM (${neighbourSql}) ORDER BY weight DESC, name LIMIT @limit`,
    )
    .all({ id, project, limit: ENTITY_LIST_CAP });
  return {
    entity,
    aliases: aliases.map((row) => row.alias),
    mentions: { rows: mentions, total: count('SELECT COUNT(*) AS n FROM mentions WHERE entity_id = ?') },
    sources: {
      rows: sources,
      total: count(
        'SELECT COUNT(DISTINCT c.doc_id) AS n FROM mentions m JOIN chunks c ON c.id = m.chunk_id WHERE m.entity_id = ?',
      ),
    },
    neighbours: {
      rows: neighbours,
      total:
        count('SELECT COUNT(*) AS n FROM relations WHERE from_id = ?') +
        count('SELECT COUNT(*) AS n FROM relations WHERE to_id = ?'),
    },
  };
}
