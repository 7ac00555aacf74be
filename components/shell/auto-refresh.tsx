'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { parseRefresh, REFRESH_CHOICES } from '@/lib/request/refresh';

const CHOICES = Object.keys(REFRESH_CHOICES);

/** The auto-refresh choice (?refresh=…), and the timer that reloads the page's data while it is shown. */
export function RefreshChoice() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { choice } = parseRefresh(params.get('refresh') ?? undefined);
  const every = REFRESH_CHOICES[choice];
  useEffect(() => {
    if (every === 0) return undefined;
    // A hidden tab does not reload: it catches up when it is shown again.
    const tick = (): void => {
      if (document.visibilityState === 'visible') router.refresh();
    };
    const timer = window.setInterval(tick, every);
    const onShow = (): void => {
      if (document.visibilityState === 'visible') router.refresh();
    };
    document.addEventListener('visibilitychange', onShow);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, [every, router]);
  const choose = (value: string): void => {
    const next = new URLSearchParams(params.toString());
    if (value === 'off') next.delete('refresh');
    else next.set('refresh', value);
    router.push(`${pathname}?${next.toString()}`);
  };
  return (
    <label className="flex items-center gap-1">
      <span className="text-slate-600 dark:text-slate-400">Refresh</span>
      <select
        value={choice}
        onChange={(e) => choose(e.target.value)}
        className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-700"
      >
        {CHOICES.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );
}
