import { graphDbPath, loadConfig, metricsDbPath } from '../config';
import type { StoreStatus } from '../read/store-status';
import type { StoreName } from '../store/errors';
import type { Reader } from './reader';
import { knownDamage, recheckIfReplaced } from './store-health';

export interface StoreReadinessEntry {
  store: StoreName;
  ok: boolean;
  version: number | null;
  problem: string | null;
}

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'not ready';
  reason?: string;
  stores?: StoreReadinessEntry[];
}

/** The stores as /readyz reports them: what opening them shows, plus damage a read or the check found. */
function withDamage(status: StoreStatus, file: string): StoreReadinessEntry {
  const damage = status.ok ? knownDamage(file) : null;
  return {
    store: status.store,
    ok: status.ok && !damage,
    version: status.version,
    problem: damage?.message ?? status.problem?.message ?? null,
  };
}

const LAST = Symbol.for('hydramem.readiness-said');
const said = globalThis as { [LAST]?: string };

/** One line on stderr when readiness changes, so the log has the reason without one line per probe. */
function logChange(readiness: Readiness): void {
  const line =
    readiness.status === 'ready'
      ? 'ready'
      : `not ready: ${readiness.reason ?? (readiness.stores ?? []).flatMap((entry) => entry.problem ?? []).join('; ')}`;
  if (said[LAST] === line) return;
  if (said[LAST] !== undefined || readiness.status !== 'ready') process.stderr.write(`hydramem dashboard: ${line}\n`);
  said[LAST] = line;
}

/** How long a probe waits for the check of a replaced store before it answers with what is known. */
const RECHECK_WAIT_MS = 1000;

export async function storeReadiness(read: Reader): Promise<Readiness> {
  const config = loadConfig();
  const files: Record<StoreName, string> = { metrics: metricsDbPath(config), graph: graphDbPath(config) };
  // A restored or replaced file is checked before the answer when that is quick (most stores).
  const rechecks = Promise.all((['metrics', 'graph'] as const).map((store) => recheckIfReplaced(store, files)));
  await Promise.race([rechecks, new Promise((resolve) => setTimeout(resolve, RECHECK_WAIT_MS).unref())]);
  const result = await read('storeStatus');
  let readiness: Readiness;
  if (!result.ok) {
    const reason =
      result.kind === 'budget' ? `checking the stores took longer than ${result.budgetMs} ms` : result.problem.message;
    readiness = { ready: false, status: 'not ready', reason };
  } else {
    const [metrics, graph] = result.data;
    const stores = result.data.map((status) => withDamage(status, files[status.store]));
    const [metricsOk, graphOk] = [stores[0]?.ok === true, stores[1]?.ok === true];
    // A Python HydraMem data directory has telemetry only: no graph.db is expected there.
    const ready = metricsOk && (graphOk || Boolean(metrics?.pythonCompatible && graph?.problem?.problem === 'missing'));
    readiness = { ready, status: ready ? 'ready' : 'not ready', stores };
  }
  logChange(readiness);
  return readiness;
}
