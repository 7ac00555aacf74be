import { SortHeader } from './sort-header';
import { TH } from './table-styles';

/** A column the table can be sorted by: how it is sorted now and the link to the other order. */
export interface SortableColumn {
  direction: 'ascending' | 'descending' | null;
  href: string;
}

/** A table's header row from its column labels; the labels in `sortable` are sort links. */
export function TableHead({
  labels,
  sortable = {},
}: {
  labels: readonly string[];
  sortable?: Partial<Record<string, SortableColumn>>;
}) {
  return (
    <thead>
      <tr>
        {labels.map((label) => {
          const sort = sortable[label];
          return sort ? (
            <SortHeader key={label} label={label} {...sort} />
          ) : (
            <th key={label} className={TH} scope="col">
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
