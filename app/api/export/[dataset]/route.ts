import { currentViewer } from '@/lib/auth/current-viewer';
import { exportStream } from '@/lib/exports/export-stream';
import { EXPORT_DATASETS, exportCap, exportSource, type ExportDataset } from '@/lib/queries/export-sources';
import { pageContext } from '@/lib/queries/page-context';
import { StoreError } from '@/lib/store/errors';

export const dynamic = 'force-dynamic';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

/** CSV or JSON of a dataset with the page's filters, streamed and capped; the same auth, roles and project rules as the pages. */
export async function GET(request: Request, { params }: { params: Promise<{ dataset: string }> }): Promise<Response> {
  const viewer = await currentViewer();
  if (!viewer) return Response.json({ error: 'not signed in' }, { status: 401 });
  const { dataset } = await params;
  const known = EXPORT_DATASETS.find((name) => name === dataset);
  if (!known)
    return Response.json({ error: `unknown export "${dataset}": one of ${EXPORT_DATASETS.join(', ')}` }, { status: 404 });
  const url = new URL(request.url);
  const format = url.searchParams.get('format') === 'json' ? 'json' : 'csv';
  const context = pageContext(Object.fromEntries(url.searchParams), viewer);
  if (context.problems.length > 0) return Response.json({ error: context.problems.join('; ') }, { status: 400 });
  let source;
  try {
    source = exportSource(known as ExportDataset, context.config, {
      project: context.project,
      range: context.range,
      params: context.params,
      role: viewer.role,
    });
  } catch (error) {
    if (error instanceof StoreError) return Response.json({ error: error.message, hint: error.hint }, { status: 503 });
    throw error;
  }
  const stamp = context.range.to.toISOString().slice(0, 10);
  const meta = {
    dataset: known,
    project: context.project,
    from: context.range.from.toISOString(),
    to: context.range.to.toISOString(),
  };
  return new Response(exportStream(source, format, exportCap(), meta), {
    headers: {
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `attachment; filename="hydramem-${context.project}-${known}-${stamp}.${format}"`,
      'cache-control': 'no-store',
    },
  });
}
