/** Placeholders shaped like the widgets they stand for, shown while a page's data is read. */
export function SkeletonBlock({ height, className = '' }: { height: number; className?: string }) {
  return (
    <div
      className={`animate-pulse rounded-lg bg-slate-100 motion-reduce:animate-none dark:bg-slate-800 ${className}`}
      style={{ height }}
      aria-hidden
    />
  );
}

export function PageSkeleton({
  title,
  layout,
}: {
  title: string;
  layout: Array<{ columns: number; height: number; count: number }>;
}) {
  return (
    <div className="mx-auto max-w-7xl px-6 py-6" role="status" aria-label={`Loading ${title}`}>
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
