import type { KpiCardData } from '@/lib/charts/overview-kpis';
import { Sparkline } from './sparkline';

const TONES: Record<KpiCardData['tone'], string> = {
  neutral: 'text-slate-500 dark:text-slate-400',
  good: 'text-emerald-700 dark:text-emerald-400',
  bad: 'text-rose-700 dark:text-rose-400',
};

export function KpiCard({ card }: { card: KpiCardData }) {
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
      data-kpi={card.id}
    >
      <h3 className="text-sm text-slate-600 dark:text-slate-400">{card.label}</h3>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`kpi-${card.id}`} data-value={card.value ?? ''}>
        {card.valueText}
      </p>
      <p
        className={`text-xs ${TONES[card.tone]}`}
        title={`compared with: ${card.previousText}`}
        data-testid={`kpi-change-${card.id}`}
      >
        {card.changeText}
        {card.comparedWith && <span className="text-slate-500 dark:text-slate-400"> {card.comparedWith}</span>}
      </p>
      <div className="mt-2 text-teal-700 dark:text-teal-400">
        <Sparkline values={card.series} label={card.label} />
      </div>
      {card.hint && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{card.hint}</p>}
    </section>
  );
}
