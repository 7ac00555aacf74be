import { publicRoute } from '@/lib/request/dashboard-route';

// Readiness: both stores open read-only and are of a schema version this build understands.
export const dynamic = 'force-dynamic';

export const GET = publicRoute(async ({ read }) => {
  const result = await read('storeStatus');
  if (!result.ok) {
    const reason =
      result.kind === 'budget' ? `checking the stores took longer than ${result.budgetMs} ms` : result.problem.message;
    return Response.json({ status: 'not ready', reason }, { status: 503, headers: { 'cache-control': 'no-store' } });
  }
  const stores = result.data;
  const [metrics, graph] = stores;
  // A Python HydraMem data directory has telemetry only: no graph.db is expected there.
  const ready = Boolean(metrics?.ok && (graph?.ok || (metrics.pythonCompatible && graph?.problem?.problem === 'missing')));
  const body = {
    status: ready ? 'ready' : 'not ready',
    stores: stores.map((store) => ({
      store: store.store,
      ok: store.ok,
      version: store.version,
      problem: store.problem?.message ?? null,
    })),
  };
  return Response.json(body, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
