import type { DB } from '../store/open-writer';
import { graphCounts } from '../store/sql/graph-counts';
import { isoTimestamp } from '../store/time';

/**
 * Appends the project's graph size (documents, chunks, entities, relations) at `now` to
 * graph_size_log, unless it is the size already logged last: the dashboard reads the size at a
 * range's start from it. Four counts on indexed columns, cheap enough after every change.
 */
export function recordGraphSize(db: DB, project: string, now: Date): void {
  const size = graphCounts(db, project);
  const last = db
    .prepare<[string], { documents: number; chunks: number; entities: number; relations: number }>(
      'SELECT documents, chunks, entities, relations FROM graph_size_log WHERE project = ? ORDER BY at DESC LIMIT 1',
    )
    .get(project);
  const same =
    last &&
    last.documents === size.documents &&
    last.chunks === size.chunks &&
    last.entities === size.entities &&
    last.relations === size.relations;
  if (same) return;
  db.prepare(
    `INSERT INTO graph_size_log (project, at, documents, chunks, entities, relations) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(project, at) DO UPDATE SET documents = excluded.documents, chunks = excluded.chunks,
       entities = excluded.entities, relations = excluded.relations`,
  ).run(project, isoTimestamp(now), size.documents, size.chunks, size.entities, size.relations);
}
