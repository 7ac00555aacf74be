'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { firstValues, PAGING_PARAMS } from '@/lib/request/links';
import { parseRange, shiftedRange, zoomedOutRange, type TimeRange } from '@/lib/request/range';
import { useMounted } from '../charts/use-mounted';

export interface RangeNavigation {
  range: TimeRange;
  /** Changes URL parameters (null removes one) and starts paged lists again at their top. */
  go: (changes: Record<string, string | null>) => void;
  shift: (direction: -1 | 1) => void;
  zoomOut: () => void;
  zoomTo: (from: number, to: number) => void;
}

/**
 * The range the URL shows and the moves of it, shared by the range picker, the keyboard shortcuts
 * and the charts' drag-to-zoom so all three change the URL the same way.
 */
export function useRangeNavigation(renderedAt?: string): RangeNavigation {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The server's clock until hydration is over (so both draw the same fields), the browser's after.
  const mounted = useMounted();
  const now = (): Date => (mounted || !renderedAt ? new Date() : new Date(renderedAt));
  const range = parseRange(firstValues(params), now());
  const go = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    for (const key of PAGING_PARAMS) next.delete(key);
    router.push(`${pathname}?${next.toString()}`);
  };
  const custom = (span: { from: string; to: string }): void => go({ range: null, ...span });
  return {
    range,
    go,
    shift: (direction) => custom(shiftedRange(range, direction, new Date())),
    zoomOut: () => custom(zoomedOutRange(range, new Date())),
    zoomTo: (from, to) => custom({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
  };
}
