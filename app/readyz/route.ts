import { loadConfig } from '@/lib/config';
import { storeStatus } from '@/lib/queries/store-status';

// Readiness: both stores open read-only and are of a schema version this build understands.
export const dynamic = 'force-dynamic';

export function GET() {
  const stores = storeStatus(loadConfig());
  const [metrics, graph] = stores;
  // A Python HydraMem data directory has telemetry only: no graph.db is expected there.
  const ready = Boolean(metrics?.ok && (graph?.ok || (metrics.pythonCompatible && graph?.problemKind === 'missing')));
  const body = {
    status: ready ? 'ready' : 'not ready',
    stores: stores.map((store) => ({ store: store.store, ok: store.ok, version: store.version, problem: store.problem })),
  };
  return Response.json(body, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
