import type { Role } from '../auth/roles';
import { graphDbPath, metricsDbPath, type HydraConfig } from '../config';
import type { ReadScope } from '../read/read-model';
import type { ReadArgs, ReadData, ReadName } from '../read/registry';
import type { Revealed } from '../read/sensitive';
import { dashboardSettings } from './dashboard-settings';
import { readInWorker } from './read-pool';
import { noteIncompleteRender } from './page-reuse';
import { sharedRead } from './read-reuse';
import { noteReadOutcome } from './store-health';
import type { ReadResult } from './read-result';

/** A read model's arguments, left out for those that take none. */
export type ArgsOf<Name extends ReadName> = [ReadArgs<Name>] extends [void] ? [] : [args: ReadArgs<Name>];

export type Reader = <Name extends ReadName>(name: Name, ...args: ArgsOf<Name>) => Promise<ReadResult<Revealed<ReadData<Name>>>>;

/**
 * Reads for one request: each in a read worker, scoped to the request's project and window,
 * under the time budget, revealed for the viewer's role. The only way a page or route reads.
 * With `shared`, an answer another request got for the same read of unchanged stores is used
 * (read-reuse.ts): pages share; exports, which read each batch once, do not.
 */
export function readerFor(
  config: Pick<HydraConfig, 'dataDir'>,
  scope: ReadScope,
  role: Role,
  options: { shared?: boolean } = {},
): Reader {
  const files = { metrics: metricsDbPath(config), graph: graphDbPath(config) };
  const { queryBudgetMs, readReuseMs } = dashboardSettings();
  return async (name, ...args) => {
    const task = { name, scope, args: args[0] as ReadArgs<typeof name>, role, files };
    const run = () => readInWorker(task, queryBudgetMs);
    const result = options.shared ? await sharedRead(JSON.stringify(task), files, readReuseMs, run) : await run();
    noteReadOutcome(result);
    // A page with a read that gave no data is not served again to the next viewer (page-reuse.ts).
    if (!result.ok) noteIncompleteRender();
    return result;
  };
}
