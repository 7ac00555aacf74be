import type { DB } from '../../store/open-writer';
import { isoTimestamp } from '../../store/time';
import type { PayloadCounts } from './payload';

export interface FederationLogEntry {
  at: Date;
  project: string;
  direction: 'export' | 'import';
  /** Who ran the exchange, as the audit trail names callers (`cli:<os user>`, `key:hm_live_…`, `stdio`). */
  actor: string;
  status: 'ok' | 'refused';
  issuer: string | null;
  envelopeId: string | null;
  /** For a refusal: "<code>: <why>". */
  reason: string | null;
  /** Records the envelope carries (the same numbers on both sides of an exchange). */
  counts: PayloadCounts;
  file: string | null;
  detail: Record<string, unknown>;
}

/**
 * Writes one exchange to metrics.db: a `federation_log` row (what the dashboard lists) and an
 * `audit_log` row (who did what), in one transaction. The graph change, if any, is already committed
 * by then; a failure here is reported on stderr and does not undo or fail the exchange.
 */
export function recordFederation(db: DB, entry: FederationLogEntry): void {
  const ts = isoTimestamp(entry.at);
  try {
    db.transaction(() => {
      db.prepare(
        `INSERT INTO federation_log (ts, project, direction, issuer, envelope_id, status, reason, entities, relations, chunks, file)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        ts,
        entry.project,
        entry.direction,
        entry.issuer,
        entry.envelopeId,
        entry.status,
        entry.reason,
        entry.counts.entities,
        entry.counts.relations,
        entry.counts.chunks,
        entry.file,
      );
      const detail = {
        status: entry.status,
        reason: entry.reason,
        issuer: entry.issuer,
        envelope_id: entry.envelopeId,
        file: entry.file,
        ...entry.counts,
        ...entry.detail,
      };
      db.prepare(
        `INSERT INTO audit_log (ts, project, actor, action, target, detail_json, result, reason, key_prefix)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        ts,
        entry.project,
        entry.actor,
        `federation.${entry.direction}`,
        entry.file ?? entry.envelopeId,
        JSON.stringify(detail),
        entry.status === 'ok' ? 'ok' : 'denied',
        entry.reason,
        entry.actor.startsWith('key:') ? entry.actor.slice(4) : null,
      );
    })();
  } catch (error) {
    process.stderr.write(`hydramem: could not record the federation ${entry.direction} in metrics.db: ${String(error)}\n`);
  }
}
