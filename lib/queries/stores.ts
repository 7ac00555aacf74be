import { graphDbPath, metricsDbPath, type HydraConfig } from '../config';
import { StoreError } from '../store/errors';
import { openStoreReadOnly, type ReadOnlyStore } from '../store/open-readonly';

export interface DashboardStores {
  metrics: ReadOnlyStore;
  /** Null for a Python HydraMem data directory, which has telemetry but no graph of ours. */
  graph: ReadOnlyStore | null;
  graphProblem: StoreError | null;
  metricsFile: string;
  graphFile: string;
}

/**
 * Opens the tenant's stores read-only for one request and closes them after: short-lived
 * connections never hold back the writer's checkpoints, and always see its latest commit.
 * A metrics.db problem is thrown (the page shows it); a missing graph.db is allowed.
 */
export function withStores<T>(config: HydraConfig, read: (stores: DashboardStores) => T): T {
  const metricsFile = metricsDbPath(config);
  const graphFile = graphDbPath(config);
  const metrics = openStoreReadOnly('metrics', metricsFile);
  let graph: ReadOnlyStore | null = null;
  let graphProblem: StoreError | null = null;
  try {
    graph = openStoreReadOnly('graph', graphFile);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    graphProblem = error;
  }
  try {
    return read({ metrics, graph, graphProblem, metricsFile, graphFile });
  } finally {
    metrics.db.close();
    graph?.db.close();
  }
}

/** Like withStores, but a store the dashboard cannot use comes back as a value for the page to explain. */
export function readOrProblem<T>(config: HydraConfig, read: (stores: DashboardStores) => T): T | StoreError {
  try {
    return withStores(config, read);
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
}
