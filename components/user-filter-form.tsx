import { GetForm } from './get-form';
import Link from 'next/link';
import type { UserFilter } from '@/lib/request/user-filter';

const INPUT = 'rounded border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700';

/** Narrow a page to one user (and one of their memories): a plain GET form, for admins. */
export function UserFilterForm({
  action,
  filter,
  hidden,
  note,
}: {
  action: string;
  filter: UserFilter;
  hidden: Record<string, string>;
  note: string;
}) {
  return (
    <GetForm
      action={action}
      hidden={hidden}
      className="flex flex-wrap items-end gap-2 text-sm report:hidden"
      testId="user-filter"
    >
      <label className="flex flex-col">
        User
        <input name="user" defaultValue={filter.user ?? ''} className={`${INPUT} w-44`} />
      </label>
      <label className="flex flex-col">
        Memory
        <input name="memory" defaultValue={filter.memory ?? ''} className={`${INPUT} w-28`} />
      </label>
      <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-white">
        Apply
      </button>
      {filter.user && (
        <Link
          href={`${action}?${new URLSearchParams(hidden).toString()}`}
          className="py-1 text-teal-700 underline dark:text-teal-400"
        >
          All users
        </Link>
      )}
      <span className="w-full text-xs text-slate-500 dark:text-slate-400">{note}</span>
    </GetForm>
  );
}
