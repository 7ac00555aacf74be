import { hasTable } from '../store/open-readonly';
import { readModel } from './read-model';

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
export const federationHistory = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): FederationEntry[] | null {
    if (!hasTable(metrics.db, 'federation_log')) return null;
    return metrics.db
      .prepare<[string, number], FederationEntry>(
        `SELECT id, ts, direction, issuer, status, reason, entities, relations, chunks, file FROM federation_log
         WHERE project = ? ORDER BY ts DESC, id DESC LIMIT ?`,
      )
      .all(scope.project, FEDERATION_LIMIT);
  },
});
