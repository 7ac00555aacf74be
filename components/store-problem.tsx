import type { StoreProblemInfo } from '@/lib/read/read-model';

export const PROBLEM_TITLES: Record<StoreProblemInfo['problem'], string> = {
  missing: 'No data yet',
  empty: 'The store is empty',
  locked: 'The store is locked',
  corrupt: 'The store is damaged',
  'too-old': 'The store is older than this dashboard',
  'too-new': 'The store is newer than this dashboard',
  unreadable: 'The store cannot be read',
};

/** An explanatory panel for a store the dashboard cannot use: what is wrong and what to do. */
export function StoreProblem({ problem }: { problem: StoreProblemInfo }) {
  return (
    <section
      role="alert"
      data-store-problem={problem.problem}
      data-store={problem.store}
      className="rounded-lg border border-rose-300 bg-rose-50 p-6 text-rose-950 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100"
    >
      <h2 className="text-lg font-semibold">{PROBLEM_TITLES[problem.problem]}</h2>
      <p className="mt-2">{problem.message}</p>
      <p className="mt-2 text-sm">{problem.hint}</p>
    </section>
  );
}
