import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { visibleControls } from '@/lib/request/display-text';
import type { ReadResult } from '@/lib/request/read-result';
import { EmptyState } from './panel';
import { ReadOutcome } from './read-outcome';

/** A detail page's frame: the way back, then the "not found" message (it may quote the URL: controls shown), why it is not shown, or the detail. */
export function DetailFrame<T>({
  back,
  result,
  missing,
  children,
}: {
  back: { href: string; label: string };
  /** Null when the id in the URL cannot be one. */
  result: ReadResult<T | null> | null;
  missing: string;
  children: (value: T) => ReactNode;
}) {
  // No such id: a 404 (the page has no loading boundary, so the status is still to be sent).
  if (result === null || (result.ok && result.data === null)) notFound();
  return (
    <>
      <Link href={back.href} className="text-sm text-teal-700 underline report:hidden dark:text-teal-400">
        ← {back.label}
      </Link>
      <div className="mt-3">
        <ReadOutcome result={result}>
          {(value) => (value === null ? <EmptyState>{visibleControls(missing)}</EmptyState> : children(value))}
        </ReadOutcome>
      </div>
    </>
  );
}
