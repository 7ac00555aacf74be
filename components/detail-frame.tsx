import Link from 'next/link';
import type { ReactNode } from 'react';
import { StoreError } from '@/lib/store/errors';
import { EmptyState } from './panel';
import { StoreProblem } from './store-problem';

/** A detail page's frame: the way back, then the store problem, the "not found" message, or the detail. */
export function DetailFrame<T>({
  back,
  result,
  missing,
  children,
}: {
  back: { href: string; label: string };
  result: T | StoreError | null;
  missing: string;
  children: (value: T) => ReactNode;
}) {
  return (
    <>
      <Link href={back.href} className="text-sm text-teal-700 underline report:hidden dark:text-teal-400">
        ← {back.label}
      </Link>
      <div className="mt-3">
        {result instanceof StoreError ? (
          <StoreProblem error={result} />
        ) : result === null ? (
          <EmptyState>{missing}</EmptyState>
        ) : (
          children(result)
        )}
      </div>
    </>
  );
}
