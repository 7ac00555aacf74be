import type { DB } from '../store/open-writer';
import { hasTable } from '../store/open-readonly';

export interface FederationEntry {
  id: number;
  ts: string;
  direction: 'export' | 'import';
  issuer: string | null;
  status: 'ok' | 'refused';
  reason: string | null;
  entities: number;
  relations: number;
  chunks: number;
  file: string | null;
}

export const FEDERATION_LIMIT = 100;

/** The project's latest exports and imports (refused ones too), newest first, whatever the range. */
export function federationHistory(db: DB, project: string): FederationEntry[] | null {
  if (!hasTable(db, 'federation_log')) return null;
  return db
    .prepare<[string, number], FederationEntry>(
      `SELECT id, ts, direction, issuer, status, reason, entities, relations, chunks, file FROM federation_log
       WHERE project = ? ORDER BY ts DESC, id DESC LIMIT ?`,
    )
    .all(project, FEDERATION_LIMIT);
}
