import Link from 'next/link';
import type { ReactNode } from 'react';

/**
 * A plain GET form that keeps the page's other URL parameters (range, project, other filters) as
 * hidden fields, so applying one filter never drops the rest. No client code: a submit is a link.
 */
export function GetForm({
  action,
  hidden,
  className,
  testId,
  children,
}: {
  /** The page's path; omitted, the form submits to the current URL. */
  action?: string;
  hidden: Record<string, string>;
  className: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <form method="get" action={action} className={className} data-testid={testId}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  );
}

/** A filter form's Apply button and the link back to the page without its filters. */
export function FilterActions({ resetHref, resetLabel = 'Reset' }: { resetHref: string; resetLabel?: string }) {
  return (
    <>
      <button type="submit" className="rounded bg-teal-700 px-3 py-1 text-white">
        Apply
      </button>
      <Link href={resetHref} className="py-1 text-teal-700 underline dark:text-teal-400">
        {resetLabel}
      </Link>
    </>
  );
}
