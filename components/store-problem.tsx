import type { StoreError } from '@/lib/store/errors';

const TITLES: Record<StoreError['problem'], string> = {
  missing: 'No data yet',
  locked: 'The store is locked',
  corrupt: 'The store is damaged',
  'too-old': 'The store is older than this dashboard',
  'too-new': 'The store is newer than this dashboard',
  unreadable: 'The store cannot be read',
};

/** An explanatory panel for a store the dashboard cannot use: what is wrong and what to do. */
export function StoreProblem({ error }: { error: StoreError }) {
  return (
    <section
      role="alert"
      data-store-problem={error.problem}
      className="rounded-lg border border-rose-300 bg-rose-50 p-6 text-rose-950 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-100"
    >
      <h2 className="text-lg font-semibold">{TITLES[error.problem]}</h2>
      <p className="mt-2">{error.message}</p>
      <p className="mt-2 text-sm">{error.hint}</p>
    </section>
  );
}
