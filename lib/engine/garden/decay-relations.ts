import type { DB } from '../../store/open-writer';
import { currentRelation } from '../../store/relation-validity';
import { isoTimestamp } from '../../store/time';

/** Each full decay period a relation goes unseen halves its weight ... */
export const DECAY_FACTOR = 0.5;
/** ... down to this share of its evidence, so stale relations keep their order among themselves. */
export const DECAY_FLOOR = 0.1;

/**
 * Lowers the weight of relations not seen (asserted by a new or changed note) for `periodDays` or
 * more, to evidence x 0.5^(whole periods since last seen), never below evidence x 0.1. The evidence is
 * the sum of the per-document counts, which is the weight ingest gives a relation and gives back when
 * a note asserts it again.
 *
 * The target is a function of the graph and the date, not of how often the gardener ran: a second run
 * on the same day changes nothing, and an hourly schedule decays no faster than a nightly one.
 * Relations without per-document evidence (not made by ingest) keep their weight: there is nothing to
 * compute their undecayed weight from. Closed relations (no longer holding) are history: untouched.
 */
export function decayRelations(db: DB, project: string, now: Date, periodDays: number): number {
  const cutoff = isoTimestamp(new Date(now.getTime() - periodDays * 86_400_000));
  return db
    .prepare(
      `UPDATE relations SET weight = decayed.target
       FROM (
         SELECT id, MAX(@floor * evidence, evidence * pow(@factor, periods)) AS target FROM (
           SELECT r.id,
             (SELECT SUM(s.count) FROM relation_sources s WHERE s.relation_id = r.id) AS evidence,
             CAST((julianday(@now) - julianday(r.last_seen_at)) / @periodDays AS INTEGER) AS periods
           FROM relations r WHERE r.project = @project AND r.last_seen_at <= @cutoff AND ${currentRelation('r')}
         ) WHERE evidence > 0 AND periods >= 1
       ) AS decayed
       WHERE relations.id = decayed.id AND relations.project = @project AND relations.weight > decayed.target + 1e-9`,
    )
    .run({ project, now: isoTimestamp(now), cutoff, periodDays, factor: DECAY_FACTOR, floor: DECAY_FLOOR }).changes;
}
