/** Placeholders shaped like the widgets they stand for, shown while a page's data is read. */
export function SkeletonBlock({ height, className = '' }: { height: number; className?: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-100 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
      style={{ height }}
      aria-hidden
      data-skeleton
    />
  );
}

export function PageSkeleton({ page }: { page: keyof typeof PAGE_SKELETONS }) {
  const { title, layout } = PAGE_SKELETONS[page];
  return (
    <div role="status" aria-label={`Loading ${title}`}>
      <h1 className="text-xl font-semibold">{title}</h1>
      <div className="mt-4 space-y-4">
        {layout.map((row, index) => (
          <div
            key={index}
            className={`grid grid-cols-1 gap-4 ${row.columns === 4 ? 'sm:grid-cols-2 lg:grid-cols-4' : row.columns === 2 ? 'lg:grid-cols-2' : ''}`}
          >
            {Array.from({ length: row.count }, (_, cell) => (
              <SkeletonBlock key={cell} height={row.height} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

type SkeletonLayout = Array<{ columns: number; height: number; count: number }>;

/** Each page's widgets, roughly: KPI rows, chart panels, tables. */
export const PAGE_SKELETONS: Record<
  'overview' | 'ingest' | 'graph' | 'queries' | 'gardener' | 'users' | 'keys' | 'audit',
  { title: string; layout: SkeletonLayout }
> = {
  overview: {
    title: 'Overview',
    layout: [
      { columns: 4, height: 150, count: 8 },
      { columns: 2, height: 260, count: 2 },
      { columns: 1, height: 90, count: 1 },
    ],
  },
  ingest: {
    title: 'Ingest activity',
    layout: [
      { columns: 4, height: 70, count: 4 },
      { columns: 2, height: 280, count: 3 },
      { columns: 1, height: 400, count: 1 },
    ],
  },
  graph: {
    title: 'Graph statistics',
    layout: [
      { columns: 4, height: 70, count: 4 },
      { columns: 1, height: 90, count: 1 },
      { columns: 2, height: 300, count: 4 },
    ],
  },
  queries: {
    title: 'Query logs',
    layout: [
      { columns: 1, height: 260, count: 1 },
      { columns: 1, height: 500, count: 1 },
      { columns: 1, height: 300, count: 2 },
    ],
  },
  users: { title: 'Users', layout: [{ columns: 1, height: 400, count: 1 }] },
  keys: { title: 'API keys', layout: [{ columns: 1, height: 300, count: 1 }] },
  audit: { title: 'Audit trail', layout: [{ columns: 1, height: 500, count: 1 }] },
  gardener: {
    title: 'Night Gardener and federation',
    layout: [
      { columns: 4, height: 90, count: 4 },
      { columns: 2, height: 280, count: 3 },
      { columns: 1, height: 300, count: 2 },
    ],
  },
};
