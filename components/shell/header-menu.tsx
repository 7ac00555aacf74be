'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useState, type ReactNode } from 'react';

/**
 * On a phone the navigation and controls fold behind one Menu button (and fold again after each
 * navigation); from the `sm` width up they are always shown.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const where = `${usePathname()}?${useSearchParams().toString()}`;
  const [openedAt, setOpenedAt] = useState(where);
  if (open && openedAt !== where) {
    setOpen(false);
    setOpenedAt(where);
  }
  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls="header-menu"
        onClick={() => {
          setOpen(!open);
          setOpenedAt(where);
        }}
        className="rounded border border-slate-300 px-3 py-1 text-sm sm:hidden dark:border-slate-700"
      >
        {open ? 'Close menu' : 'Menu'}
      </button>
      <div id="header-menu" className={`${open ? 'flex' : 'hidden'} w-full flex-col gap-3 sm:flex sm:w-auto sm:flex-1`}>
        {children}
      </div>
    </>
  );
}
