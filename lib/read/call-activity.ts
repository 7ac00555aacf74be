import { callRollups } from '../store/sql/call-rollups';
import { hourlyRowsIn } from './buckets';
import { callSeries, totalCalls, type CallPoint, type CallTotals } from './call-totals';
import { readModel } from './read-model';
import { hourBounds, previousWindow } from './window';

export interface CallActivity {
  /** A Python HydraMem telemetry file: calls, latency and tokens only (no status, no query log). */
  pythonFile: boolean;
  current: CallTotals;
  /** The window of the same length just before, for the change on each card. */
  previous: CallTotals;
  series: CallPoint[];
}

/** The overview's call KPIs: this window, the one before, and per chart bucket. */
export const callActivity = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): CallActivity {
    const previous = previousWindow(scope);
    const rows = callRollups(metrics.db, scope.project, hourBounds(previous).from, hourBounds(scope).to);
    const current = hourlyRowsIn(rows, scope);
    return {
      pythonFile: metrics.pythonCompatible,
      current: totalCalls(current),
      previous: totalCalls(hourlyRowsIn(rows, previous)),
      series: callSeries(current, scope.buckets),
    };
  },
});
