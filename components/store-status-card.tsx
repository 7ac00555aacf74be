import type { StoreStatus } from '@/lib/queries/store-status';

/** One store's state: its schema version, or what is wrong with it and what to do. */
export function StoreStatusCard({ status }: { status: StoreStatus }) {
  const state = status.ok
    ? `schema version ${status.version}${status.pythonCompatible ? ' (Python HydraMem file)' : ''}`
    : 'unavailable';
  return (
    <li className="rounded border border-slate-200 p-3 dark:border-slate-800" data-store={status.store}>
      <div className="font-medium">
        {status.store}.db — <span data-testid={`${status.store}-state`}>{state}</span>
      </div>
      {status.problem && (
        <p className="mt-1 text-sm">
          {status.problem} <span className="text-slate-600 dark:text-slate-400">{status.hint}</span>
        </p>
      )}
    </li>
  );
}
