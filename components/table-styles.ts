/** Cell classes shared by the dashboard's tables. */
export const TH = 'px-2 py-1 text-left font-medium text-slate-600 dark:text-slate-400';
export const TD = 'px-2 py-1 align-top';
