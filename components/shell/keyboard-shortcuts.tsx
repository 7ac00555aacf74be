'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { CommandPalette } from './command-palette';
import { ModalDialog } from './modal-dialog';
import { useRangeNavigation } from './use-range-navigation';

/** The shortcuts `?` lists, in the order it lists them. */
const SHORTCUTS = [
  ['?', 'this list'],
  ['/', "the page's search field"],
  ['Ctrl K  or  ⌘ K', 'go to a page, a search by id, an entity'],
  ['t then ←', 'move the range back by half its length'],
  ['t then →', 'move the range forward by half its length'],
  ['t then z', 'zoom out: twice the range around its middle'],
  ['drag across a chart over time', 'zoom into that span'],
  ['click a legend entry', 'hide or show that series'],
] as const;

/** Typing into a field is typing, not a shortcut. */
function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The dashboard's keyboard: `?`, `/`, Ctrl/⌘-K and Grafana's `t ←`, `t →`, `t z`. */
export function KeyboardShortcuts({ admin }: { admin: boolean }) {
  const [open, setOpen] = useState<'help' | 'jump' | null>(null);
  const { shift, zoomOut } = useRangeNavigation();
  // The one listener added at mount moves the range the URL shows now.
  const move = useEffectEvent((key: string): void => {
    if (key === 'z') zoomOut();
    else shift(key === 'ArrowLeft' ? -1 : 1);
  });
  useEffect(() => {
    let pendingT = 0;
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen('jump');
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target) || document.querySelector('dialog[open]'))
        return;
      const afterT = Date.now() - pendingT < 1500;
      pendingT = 0;
      if (afterT && ['ArrowLeft', 'ArrowRight', 'z'].includes(event.key)) move(event.key);
      else if (event.key === 't') pendingT = Date.now();
      else if (event.key === '?') setOpen('help');
      else if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main input[name="q"], main [data-page-search]');
        if (!search) return;
        search.focus();
        search.select();
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const close = (): void => setOpen(null);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen('help')}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
      >
        ?
      </button>
      <ModalDialog open={open === 'help'} title="Keyboard shortcuts" onClose={close}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt className="font-mono whitespace-nowrap">{keys}</dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </ModalDialog>
      <ModalDialog open={open === 'jump'} title="Go to" onClose={close}>
        <CommandPalette admin={admin} onDone={close} />
      </ModalDialog>
    </>
  );
}
