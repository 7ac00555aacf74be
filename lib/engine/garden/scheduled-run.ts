import { GardenBusyError } from './garden-lock';
import type { GardenOptions, GardenSummary } from './night-gardener';
import { formatGardenSummary } from './summary-line';

export type ScheduledRunOutcome = 'ok' | 'skipped' | 'failed';

/**
 * The scheduler's run: never throws, says what happened in one log line. A run already in progress
 * (a manual one) means this slot is skipped: nothing is recorded, the next slot runs as usual.
 */
export function runScheduledGarden(
  writer: { runGarden(options: GardenOptions, actor: string | null): GardenSummary },
  log: (line: string) => void,
): ScheduledRunOutcome {
  try {
    log(
      `Night Gardener: ${formatGardenSummary(writer.runGarden({ trigger: 'schedule', command: 'hydramem serve (scheduled garden)' }, 'schedule'))}`,
    );
    return 'ok';
  } catch (error) {
    if (error instanceof GardenBusyError) {
      log(`scheduled Night Gardener run skipped: ${error.message}`);
      return 'skipped';
    }
    log(`scheduled Night Gardener run failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}
