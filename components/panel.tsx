import type { ReactNode } from 'react';

/** A titled card that holds one widget. */
export function Panel({ title, children, id, note }: { title: string; children: ReactNode; id?: string; note?: string }) {
  return (
    <section id={id} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      {/* Marked so that a chart's PNG carries the title and note shown above it. */}
      <h2 className="font-medium" data-panel-title>
        {title}
      </h2>
      {note && (
        <p className="text-xs text-slate-500 dark:text-slate-400" data-panel-note>
          {note}
        </p>
      )}
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <p className="rounded border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-400">
      {children}
    </p>
  );
}
