import { formatBucketLabel } from '../format';
import type { TimeRange } from '../queries/range';
import type { IngestPoint } from './ingest-rollups';

/** Rows for the ingest charts: files by status, graph changes, and mean time per file (a gap without files). */
export function ingestChartRows(series: readonly IngestPoint[], range: Pick<TimeRange, 'bucket' | 'timeZone'>) {
  return series.map((point) => {
    const files = point.ok + point.skipped + point.failed;
    return {
      label: formatBucketLabel(point.start, range.bucket, range.timeZone),
      ok: point.ok,
      skipped: point.skipped,
      failed: point.failed,
      chunksAdded: point.chunksAdded,
      chunksRemoved: -point.chunksRemoved,
      entitiesAdded: point.entitiesAdded,
      entitiesRemoved: -point.entitiesRemoved,
      relationsAdded: point.relationsAdded,
      relationsRemoved: -point.relationsRemoved,
      msPerFile: files > 0 ? Number((point.durationMs / files).toFixed(2)) : null,
    };
  });
}
