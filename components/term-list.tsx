import { GLOSSARY, type GlossaryTerm } from '@/lib/glossary';

/** Short explanations under a panel: each term in bold, then what it means (words, not formulas). */
export function Definitions({ items, testId = 'terms' }: { items: ReadonlyArray<readonly [string, string]>; testId?: string }) {
  if (items.length === 0) return null;
  return (
    <dl className="mt-2 space-y-0.5 text-xs text-slate-600 dark:text-slate-400" data-testid={testId}>
      {items.map(([label, meaning]) => (
        <div key={label}>
          <dt className="inline font-medium text-slate-700 dark:text-slate-300">{label}: </dt>
          <dd className="inline">{meaning}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The glossary's explanations of the terms a panel shows. */
export function TermList({ terms }: { terms: ReadonlyArray<readonly [string, GlossaryTerm]> }) {
  return <Definitions items={terms.map(([label, term]) => [label, GLOSSARY[term]] as const)} />;
}
