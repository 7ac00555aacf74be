import type { IngestPoint } from '../read/ingest-totals';
import { PALETTE } from './palette';
import { timeRows, type BucketLabels, type TimeChartData, type TimeSeries } from './time-series';

/** The ingest page's charts: files by status, graph changes (removed below the line), mean time per file. */
export function ingestCharts(
  series: readonly IngestPoint[],
  labels: BucketLabels,
): Record<'files' | 'changes' | 'duration', TimeChartData> {
  const rows = timeRows(series, labels, (point) => {
    const files = point.ok + point.skipped + point.failed;
    return {
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
  const bars = (keys: Array<[keyof typeof PALETTE, string, string]>): TimeSeries[] =>
    keys.map(([key, label, stack]) => ({ key, label, colour: PALETTE[key], kind: 'bar', stack }));
  return {
    files: {
      rows,
      series: bars([
        ['ok', 'ok', 'files'],
        ['skipped', 'skipped', 'files'],
        ['failed', 'failed', 'files'],
      ]),
    },
    changes: {
      rows,
      series: bars([
        ['chunksAdded', 'chunks +', 'chunks'],
        ['chunksRemoved', 'chunks −', 'chunks'],
        ['entitiesAdded', 'entities +', 'entities'],
        ['entitiesRemoved', 'entities −', 'entities'],
        ['relationsAdded', 'relations +', 'relations'],
        ['relationsRemoved', 'relations −', 'relations'],
      ]),
    },
    duration: { rows, series: [{ key: 'msPerFile', label: 'ms per file', colour: PALETTE.duration, kind: 'line' }] },
  };
}
