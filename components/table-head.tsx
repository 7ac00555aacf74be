import { TH } from './table-styles';

/** A table's header row from its column labels. */
export function TableHead({ labels }: { labels: readonly string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label) => (
          <th key={label} className={TH}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
