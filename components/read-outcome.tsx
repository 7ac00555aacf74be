import type { ReactNode } from 'react';
import type { ReadResult } from '@/lib/request/read-result';
import { formatMs } from '@/lib/format';
import { Panel } from './panel';
import { PROBLEM_TITLES } from './store-problem';

const NOTE =
  'rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100';

/**
 * A widget's data, or in words why it is not shown: a read over the time budget (and what to
 * narrow), or a store problem (explained in full at the top of the page).
 */
export function ReadOutcome<Data>({
  result,
  narrow = 'a shorter time range',
  children,
}: {
  result: ReadResult<Data>;
  /** What the viewer can narrow to make this view cheaper. */
  narrow?: string;
  children: (data: Data) => ReactNode;
}) {
  if (result.ok) return children(result.data);
  if (result.kind === 'budget')
    return (
      <p role="status" className={NOTE} data-read-problem="budget">
        This view took longer than {formatMs(result.budgetMs)} and was stopped, so the rest of the page could load. Try {narrow},
        or reload in a moment.
      </p>
    );
  return (
    <p role="status" className={NOTE} data-read-problem={result.problem.problem}>
      Not shown: {PROBLEM_TITLES[result.problem.problem].toLowerCase()} ({result.problem.store}.db, see above).
    </p>
  );
}

/** A titled card around one widget's read. */
export function ReadPanel<Data>({
  title,
  id,
  note,
  result,
  narrow,
  children,
}: {
  title: string;
  id?: string;
  note?: string;
  result: ReadResult<Data>;
  narrow?: string;
  children: (data: Data) => ReactNode;
}) {
  return (
    <Panel title={title} id={id} note={note}>
      <ReadOutcome result={result} narrow={narrow}>
        {children}
      </ReadOutcome>
    </Panel>
  );
}
