import { visibleControls } from '@/lib/request/display-text';
import type { RequestContext } from '@/lib/request/request-context';

/** Under a page's title: what the support role does not see, and what in the URL was not understood. */
export function PageNotes({ context }: { context: RequestContext }) {
  return (
    <>
      {!context.seesContent && (
        <p data-testid="support-note" className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Support view: query text, document text, entity names and user identifiers are hidden.
        </p>
      )}
      {context.notes.map((note) => (
        <p
          key={note}
          role="status"
          className="mt-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
        >
          {visibleControls(note)}
        </p>
      ))}
    </>
  );
}
