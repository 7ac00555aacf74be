import { readModel } from './read-model';
import { sensitive, sensitiveOrNull, type Sensitive } from './sensitive';

export const ENTITY_LIST_CAP = 100;

export interface EntityDetail {
  entity: { id: string; name: Sensitive; type: string; created_at: string; updated_at: string };
  aliases: Sensitive[];
  mentions: {
    rows: Array<{ chunk_id: string; heading: Sensitive | null; text: Sensitive; source: string; count: number }>;
    total: number;
  };
  sources: { rows: Array<{ doc_id: string; path: string; title: Sensitive; mentions: number }>; total: number };
}

/** One entity of the project with its mentions and source documents, each capped with a count of the rest (its relations: entity-relations.ts). */
export const entityDetail = readModel({
  needs: ['graph'],
  read({ graph }, scope, args: { id: string }): EntityDetail | null {
    const { db } = graph;
    const { id } = args;
    const entity = db
      .prepare<[string, string], { id: string; name: string; type: string; created_at: string; updated_at: string }>(
        'SELECT id, name, type, created_at, updated_at FROM entities WHERE project = ? AND id = ?',
      )
      .get(scope.project, id);
    if (!entity) return null;
    const count = (sql: string): number => db.prepare<[string], { n: number }>(sql).get(id)?.n ?? 0;
    const aliases = db
      .prepare<[string], { alias: string }>('SELECT DISTINCT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias')
      .all(id);
    const mentions = db
      .prepare<[string, number], { chunk_id: string; heading: string | null; text: string; source: string; count: number }>(
        `SELECT m.chunk_id, c.heading, c.text, c.source, m.count FROM mentions m JOIN chunks c ON c.id = m.chunk_id
         WHERE m.entity_id = ? ORDER BY m.count DESC, c.source, c.chunk_idx LIMIT ?`,
      )
      .all(id, ENTITY_LIST_CAP);
    const sources = db
      .prepare<[string, number], { doc_id: string; path: string; title: string; mentions: number }>(
        `SELECT d.id AS doc_id, d.path, d.title, SUM(m.count) AS mentions FROM mentions m JOIN chunks c ON c.id = m.chunk_id
         JOIN documents d ON d.id = c.doc_id WHERE m.entity_id = ? GROUP BY d.id ORDER BY mentions DESC, d.path LIMIT ?`,
      )
      .all(id, ENTITY_LIST_CAP);
    return {
      entity: { ...entity, name: sensitive(entity.name) },
      aliases: aliases.map((row) => sensitive(row.alias)),
      mentions: {
        rows: mentions.map((row) => ({ ...row, heading: sensitiveOrNull(row.heading), text: sensitive(row.text) })),
        total: count('SELECT COUNT(*) AS n FROM mentions WHERE entity_id = ?'),
      },
      sources: {
        rows: sources.map((row) => ({ ...row, title: sensitive(row.title) })),
        total: count(
          'SELECT COUNT(DISTINCT c.doc_id) AS n FROM mentions m JOIN chunks c ON c.id = m.chunk_id WHERE m.entity_id = ?',
        ),
      },
    };
  },
});
