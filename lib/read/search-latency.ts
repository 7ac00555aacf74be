import { SEARCH_TOOLS } from '../store/search-tools';
import { callRollups } from '../store/sql/call-rollups';
import { hourlyRowsIn } from './buckets';
import { callSeries } from './call-totals';
import { readModel } from './read-model';
import { hourBounds } from './window';

export interface LatencyPoint {
  start: number;
  searches: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Search latency percentiles per chart bucket, from the rollups of the search tools only. */
export const searchLatency = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): LatencyPoint[] {
    const { from, to } = hourBounds(scope);
    const rows = hourlyRowsIn(callRollups(metrics.db, scope.project, from, to, [...SEARCH_TOOLS]), scope);
    return callSeries(rows, scope.buckets).map(({ start, searches, p50, p95, p99 }) => ({ start, searches, p50, p95, p99 }));
  },
});
