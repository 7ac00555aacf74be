import Link from 'next/link';
import { positionText, type PagerLinks, type ParamChanges } from '@/lib/request/paging';

const LINK = 'text-teal-700 underline dark:text-teal-400';

/** Under a paged table: where these rows are in the list, and the ways to the pages before and after. */
export function Pager({
  position,
  previousHref,
  nextHref,
  testId,
}: {
  /** "51–100 of 364", or null when the place is unknown. */
  position: string | null;
  previousHref: string | null;
  nextHref: string | null;
  testId: string;
}) {
  if (!position && !previousHref && !nextHref) return null;
  return (
    <nav
      aria-label="Rows of this table"
      data-testid={testId}
      className="mt-2 flex flex-wrap items-center gap-4 text-sm report:hidden"
    >
      {previousHref ? (
        <Link className={LINK} href={previousHref} rel="prev">
          ← Previous page
        </Link>
      ) : null}
      {position && <span data-testid={`${testId}-position`}>{position}</span>}
      {nextHref ? (
        <Link className={LINK} href={nextHref} rel="next">
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}

/** The Pager for a keyset-paged table: its position text and links from the page's own link builder. */
export function TablePager({
  testId,
  position,
  shown,
  total,
  links,
  href,
}: {
  testId: string;
  position: number | null;
  shown: number;
  total: { count: number; capped: boolean } | null;
  links: PagerLinks;
  href: (changes: ParamChanges) => string;
}) {
  return (
    <Pager
      testId={testId}
      position={positionText(position, shown, total)}
      previousHref={links.previous && href(links.previous)}
      nextHref={links.next && href(links.next)}
    />
  );
}
