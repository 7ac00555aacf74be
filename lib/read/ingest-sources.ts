import { hasTable } from '../store/open-readonly';
import { readModel } from './read-model';

export interface SourceRow {
  path: string;
  lastIngested: string;
  status: string;
  change: string;
  reason: string | null;
  /** Chunks in the graph now; null when the note is not in the graph (failed, skipped or deleted). */
  chunks: number | null;
}

export const SOURCES_LIMIT = 500;

/** Each source file's latest ingest run and its chunks in the graph, most recently ingested first. */
export const ingestSources = readModel({
  needs: ['metrics'],
  optional: ['graph'],
  read({ metrics, graph }, scope): { rows: SourceRow[]; truncated: boolean } {
    if (!hasTable(metrics.db, 'ingest_runs')) return { rows: [], truncated: false };
    const latest = metrics.db
      .prepare<[string, number], { path: string; ts: string; status: string; change: string; reason: string | null }>(
        `SELECT r.path, r.ts, r.status, r.change, r.reason FROM ingest_runs r
         JOIN (SELECT MAX(id) AS id FROM ingest_runs WHERE project = ? GROUP BY path) last ON last.id = r.id
         ORDER BY r.id DESC LIMIT ?`,
      )
      .all(scope.project, SOURCES_LIMIT + 1);
    const chunks = new Map<string, number>();
    if (graph) {
      const rows = graph.db
        .prepare<[string], { path: string; n: number }>(
          'SELECT d.path, (SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id) AS n FROM documents d WHERE d.project = ?',
        )
        .all(scope.project);
      for (const row of rows) chunks.set(row.path, row.n);
    }
    return {
      rows: latest.slice(0, SOURCES_LIMIT).map((row) => ({
        path: row.path,
        lastIngested: row.ts,
        status: row.status,
        change: row.change,
        reason: row.reason,
        chunks: chunks.get(row.path) ?? null,
      })),
      truncated: latest.length > SOURCES_LIMIT,
    };
  },
});
