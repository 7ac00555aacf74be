'use client';

import { useSyncExternalStore } from 'react';

type Theme = 'light' | 'dark';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function currentTheme(): Theme {
  return document.documentElement.classList.contains('dark') ? 'dark' : 'light';
}

/** Switches between the light and dark theme and remembers the choice in this browser. */
export function ThemeToggle() {
  // The class on <html> is the source of truth (set before paint by the layout's script).
  const theme = useSyncExternalStore<Theme | null>(subscribe, currentTheme, () => null);
  const toggle = (): void => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.classList.toggle('dark', next === 'dark');
    try {
      localStorage.setItem('hydramem-theme', next);
    } catch {
      // storage may be disabled; the choice then lasts for this page only
    }
    listeners.forEach((listener) => listener());
  };
  return (
    <button
      type="button"
      onClick={toggle}
      className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
      aria-label="Switch theme"
    >
      {theme === 'dark' ? 'Light theme' : 'Dark theme'}
    </button>
  );
}
