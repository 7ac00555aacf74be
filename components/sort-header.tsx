import Link from 'next/link';
import { TH } from './table-styles';

/** A column header that sorts the table by its column: a link to the same list in the other order. */
export function SortHeader({
  label,
  direction,
  href,
}: {
  label: string;
  /** How the table is sorted by this column now (null: by another column). */
  direction: 'ascending' | 'descending' | null;
  /** The list sorted by this column: the other way round when it already is. */
  href: string;
}) {
  const arrow = direction === 'ascending' ? '↑' : direction === 'descending' ? '↓' : '↕';
  return (
    <th className={TH} aria-sort={direction ?? 'none'} scope="col">
      <Link href={href} className="inline-flex items-center gap-1 hover:underline" title={`Sort by ${label.toLowerCase()}`}>
        {label}
        <span aria-hidden className={`report:hidden ${direction ? '' : 'opacity-60'}`}>
          {arrow}
        </span>
      </Link>
    </th>
  );
}
