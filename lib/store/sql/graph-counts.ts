import type { ReadDB } from '../read-db';

export interface GraphCounts {
  documents: number;
  chunks: number;
  entities: number;
  relations: number;
}

/** How big one project's graph is now. */
export function graphCounts(db: ReadDB, project: string): GraphCounts {
  const count = (table: keyof GraphCounts): number =>
    db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE project = ?`).get(project)?.n ?? 0;
  return { documents: count('documents'), chunks: count('chunks'), entities: count('entities'), relations: count('relations') };
}
