import { GLOSSARY, type GlossaryTerm } from './glossary';

/** Short explanations of the terms a panel shows, under it (words, not formulas). */
export function TermList({ terms }: { terms: ReadonlyArray<readonly [string, GlossaryTerm]> }) {
  return (
    <dl className="mt-2 space-y-0.5 text-xs text-slate-600 dark:text-slate-400" data-testid="terms">
      {terms.map(([label, term]) => (
        <div key={term}>
          <dt className="inline font-medium text-slate-700 dark:text-slate-300">{label}: </dt>
          <dd className="inline">{GLOSSARY[term]}</dd>
        </div>
      ))}
    </dl>
  );
}
