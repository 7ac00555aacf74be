import { dashboardRoute } from '@/lib/request/dashboard-route';
import { EXPORT_DATASETS, exportResponse } from '@/lib/request/export-response';

export const dynamic = 'force-dynamic';

/** CSV or JSON of a dataset with the page's filters, streamed and capped; the same auth, roles and project rules as the pages. */
export const GET = dashboardRoute(async (route, params) => {
  const dataset = EXPORT_DATASETS.find((name) => name === params.dataset);
  if (!dataset)
    return Response.json(
      { error: `unknown export "${String(params.dataset)}": one of ${EXPORT_DATASETS.join(', ')}` },
      { status: 404 },
    );
  return exportResponse(route, dataset);
});
