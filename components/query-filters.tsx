import { FilterActions, GetForm } from './get-form';
import { MAX_PAGE_SIZE, type QueryLogFilters } from '@/lib/read/query-log';

const INPUT = 'rounded border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700';

/** The query-log filters as a plain GET form: every filtered view is a link. */
export function QueryFilters({
  filters,
  tools,
  hidden,
  resetHref,
  contentFilters,
}: {
  filters: QueryLogFilters;
  tools: string[];
  hidden: Record<string, string>;
  resetHref: string;
  /** False for support: user, session and text filters would reveal what is redacted. */
  contentFilters: boolean;
}) {
  return (
    <GetForm
      action="/queries"
      hidden={hidden}
      className="flex flex-wrap items-end gap-3 text-sm report:hidden"
      testId="query-filters"
    >
      <label className="flex flex-col">
        Tool
        <select name="tool" defaultValue={filters.tool ?? ''} className={INPUT}>
          <option value="">any</option>
          {tools.map((tool) => (
            <option key={tool} value={tool}>
              {tool}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        Status
        <select name="status" defaultValue={filters.status ?? ''} className={INPUT}>
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
        </select>
      </label>
      <label className="flex flex-col">
        Latency from (ms)
        <input name="min_ms" type="number" min={0} defaultValue={filters.minLatency ?? ''} className={`${INPUT} w-24`} />
      </label>
      <label className="flex flex-col">
        to (ms)
        <input name="max_ms" type="number" min={0} defaultValue={filters.maxLatency ?? ''} className={`${INPUT} w-24`} />
      </label>
      <label className="flex items-center gap-1 self-center pt-4">
        <input name="zero" type="checkbox" value="1" defaultChecked={filters.zeroResults} /> zero results
      </label>
      {contentFilters && (
        <>
          <label className="flex flex-col">
            User
            <input name="user" defaultValue={filters.user ?? ''} className={`${INPUT} w-32`} />
          </label>
          <label className="flex flex-col">
            Memory
            <input name="memory" defaultValue={filters.memory ?? ''} className={`${INPUT} w-28`} />
          </label>
          <label className="flex flex-col">
            Session
            <input name="session" defaultValue={filters.session ?? ''} className={`${INPUT} w-32`} />
          </label>
          <label className="flex flex-col">
            Query text
            <input name="q" defaultValue={filters.text ?? ''} className={`${INPUT} w-48`} />
          </label>
        </>
      )}
      <label className="flex flex-col">
        Sort
        <select name="sort" defaultValue={filters.sort} className={INPUT}>
          <option value="time_desc">newest first</option>
          <option value="time_asc">oldest first</option>
          <option value="latency_desc">slowest first</option>
          <option value="latency_asc">fastest first</option>
        </select>
      </label>
      <label className="flex flex-col">
        Per page
        <input
          name="size"
          type="number"
          min={1}
          max={MAX_PAGE_SIZE}
          defaultValue={filters.pageSize}
          className={`${INPUT} w-20`}
        />
      </label>
      <FilterActions resetHref={resetHref} />
    </GetForm>
  );
}
