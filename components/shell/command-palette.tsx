'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { firstValues, linkQuery } from '@/lib/request/links';
import { jumpTargets, type JumpTarget } from '@/lib/request/page-list';

/** Ctrl/⌘-K: type a page's name, a search's id or a name, Enter goes to the chosen line. */
export function CommandPalette({ admin, onDone }: { admin: boolean; onDone: () => void }) {
  const router = useRouter();
  const params = firstValues(useSearchParams());
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState(0);
  const targets = jumpTargets(text, admin);
  const hrefOf = (target: JumpTarget): string => `${target.path}${linkQuery(params, target.params)}`;
  const go = (target: JumpTarget | undefined): void => {
    if (!target) return;
    onDone();
    router.push(hrefOf(target));
  };
  const index = Math.min(chosen, Math.max(0, targets.length - 1));
  return (
    <div>
      <label htmlFor="jump-text" className="mb-1 block text-sm text-slate-600 dark:text-slate-400">
        A page, a search id (#123), or a name to look for
      </label>
      <input
        id="jump-text"
        data-autofocus
        role="combobox"
        aria-expanded="true"
        aria-controls="jump-targets"
        aria-activedescendant={targets.length > 0 ? `jump-${index}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setChosen(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setChosen((index + 1) % Math.max(1, targets.length));
          else if (event.key === 'ArrowUp') setChosen((index - 1 + targets.length) % Math.max(1, targets.length));
          else if (event.key === 'Enter') go(targets[index]);
          else return;
          event.preventDefault();
        }}
        className="w-full rounded border border-slate-300 bg-transparent px-2 py-1 dark:border-slate-700"
      />
      <ul id="jump-targets" role="listbox" aria-label="Destinations" className="mt-2 max-h-72 overflow-y-auto text-sm">
        {targets.map((target, position) => (
          <li
            key={`${target.path}|${target.label}`}
            id={`jump-${position}`}
            role="option"
            aria-selected={position === index}
            onClick={() => go(target)}
            className={`cursor-pointer truncate rounded px-2 py-1 ${position === index ? 'bg-teal-700 text-white' : ''}`}
          >
            {target.label}
          </li>
        ))}
        {targets.length === 0 && <li className="px-2 py-1 text-slate-600 dark:text-slate-400">No page by that name.</li>}
      </ul>
    </div>
  );
}
