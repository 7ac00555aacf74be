import { FilterActions, GetForm } from './get-form';
import { AUDIT_RESULTS, type AuditFilters } from '@/lib/read/audit-log';

const INPUT = 'rounded border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700';

/** The audit trail's filters as a plain GET form: every filtered view is a link. */
export function AuditFilterForm({
  filters,
  actors,
  actions,
  hidden,
  resetHref,
}: {
  filters: AuditFilters;
  actors: string[];
  actions: string[];
  hidden: Record<string, string>;
  resetHref: string;
}) {
  const select = (name: string, label: string, value: string | null, options: readonly string[]) => (
    <label className="flex flex-col">
      {label}
      <select name={name} defaultValue={value ?? ''} className={INPUT}>
        <option value="">any</option>
        {[...new Set([...(value ? [value] : []), ...options])].map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <GetForm
      action="/audit"
      hidden={hidden}
      className="flex flex-wrap items-end gap-3 text-sm report:hidden"
      testId="audit-filters"
    >
      {select('actor', 'Who', filters.actor, actors)}
      {select('action', 'Action', filters.action, actions)}
      {select('result', 'Result', filters.result, AUDIT_RESULTS)}
      <FilterActions resetHref={resetHref} />
    </GetForm>
  );
}
