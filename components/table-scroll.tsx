'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A wide table scrolls inside its own box, never the page: the box takes focus (so the keyboard can
 * scroll it) and says so in words, above the table where it is seen before the rows, while some of the table is
 * out of sight.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const measure = (): void => setHidden(element.scrollWidth - element.clientWidth - element.scrollLeft > 2);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
    };
  }, []);
  return (
    <div>
      {hidden && (
        <p className="mb-1 text-right text-xs text-slate-600 report:hidden dark:text-slate-400" data-testid="scroll-hint">
          More columns to the right: scroll the table sideways →
        </p>
      )}
      <div ref={box} className="overflow-x-auto" role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
