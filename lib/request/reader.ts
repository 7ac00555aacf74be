import type { Role } from '../auth/roles';
import { graphDbPath, metricsDbPath, type HydraConfig } from '../config';
import type { ReadScope } from '../read/read-model';
import type { ReadArgs, ReadData, ReadName } from '../read/registry';
import type { Revealed } from '../read/sensitive';
import { dashboardSettings } from './dashboard-settings';
import { readInWorker } from './read-pool';
import { noteReadOutcome } from './store-health';
import type { ReadResult } from './read-result';

/** A read model's arguments, left out for those that take none. */
export type ArgsOf<Name extends ReadName> = [ReadArgs<Name>] extends [void] ? [] : [args: ReadArgs<Name>];

export type Reader = <Name extends ReadName>(name: Name, ...args: ArgsOf<Name>) => Promise<ReadResult<Revealed<ReadData<Name>>>>;

/**
 * Reads for one request: each in a read worker, scoped to the request's project and window,
 * under the time budget, revealed for the viewer's role. The only way a page or route reads.
 */
export function readerFor(config: Pick<HydraConfig, 'dataDir'>, scope: ReadScope, role: Role): Reader {
  const files = { metrics: metricsDbPath(config), graph: graphDbPath(config) };
  const budgetMs = dashboardSettings().queryBudgetMs;
  return async (name, ...args) => {
    const result = await readInWorker({ name, scope, args: args[0] as ReadArgs<typeof name>, role, files }, budgetMs);
    noteReadOutcome(result);
    return result;
  };
}
