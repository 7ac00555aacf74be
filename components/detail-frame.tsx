import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import type { ReadResult } from '@/lib/request/read-result';
import { ReadOutcome } from './read-outcome';

/** A detail page's frame: the way back, then why the detail is not shown, or the detail; an id the project does not have is a 404. */
export function DetailFrame<T>({
  back,
  result,
  children,
}: {
  back: { href: string; label: string };
  /** Null when the id in the URL cannot be one. */
  result: ReadResult<T | null> | null;
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
        <ReadOutcome result={result}>{(value) => (value === null ? null : children(value))}</ReadOutcome>
      </div>
    </>
  );
}
