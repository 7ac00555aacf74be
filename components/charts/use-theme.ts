import { useSyncExternalStore } from 'react';
import type { Theme } from '@/lib/charts/palette';

/** The theme the page shows: the `dark` class on <html> (set before paint, toggled by the theme switch). */
function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

export function useTheme(): Theme {
  return useSyncExternalStore(
    subscribe,
    () => (document.documentElement.classList.contains('dark') ? 'dark' : 'light'),
    () => 'light',
  );
}
