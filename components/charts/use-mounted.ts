import { useSyncExternalStore } from 'react';

const subscribe = (): (() => void) => () => undefined;

/** False during server rendering and hydration, true once in the browser: charts measure only there. */
export function useMounted(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
