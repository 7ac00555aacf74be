import { callRollups } from '../store/sql/call-rollups';
import { hourlyRowsIn } from './buckets';
import { callSeries, totalCalls, type CallPoint, type CallTotals } from './call-totals';
import { readModel } from './read-model';
import { callRowsOfWindow } from './window-calls';
import { hourBounds, previousWindow } from './window';

export interface CallActivity {
  /** A Python HydraMem telemetry file: calls, latency and tokens only (no status, no query log). */
  pythonFile: boolean;
  /** Exactly the calls of the window. */
  current: CallTotals;
  /** Exactly the calls of the window of the same length just before, for the change on each card. */
  previous: CallTotals;
  /** Per chart bucket, from the hourly rollups (a sparkline's shape). */
  series: CallPoint[];
}

/** The overview's call KPIs: this window, the one before, and per chart bucket. */
export const callActivity = readModel({
  needs: ['metrics'],
  read({ metrics }, scope): CallActivity {
    const bounds = hourBounds(scope);
    const rows = callRollups(metrics.db, scope.project, bounds.from, bounds.to);
    return {
      pythonFile: metrics.pythonCompatible,
      current: totalCalls(callRowsOfWindow(metrics.db, scope.project, scope)),
      previous: totalCalls(callRowsOfWindow(metrics.db, scope.project, previousWindow(scope))),
      series: callSeries(hourlyRowsIn(rows, scope), scope.buckets),
    };
  },
});
