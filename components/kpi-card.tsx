import { formatChange, relativeChange } from '@/lib/format';
import { Sparkline } from './sparkline';

export interface KpiCardProps {
  id: string;
  label: string;
  value: number | null;
  previous: number | null;
  format: (value: number | null) => string;
  series: (number | null)[];
  /** Whether a rise is good news (calls) or bad news (latency, errors): colours the change. */
  higherIsBetter: boolean;
  hint?: string;
}

export function KpiCard({ id, label, value, previous, format, series, higherIsBetter, hint }: KpiCardProps) {
  const change = relativeChange(value, previous);
  const good = change === null || change === 0 ? null : change > 0 === higherIsBetter;
  const tone =
    good === null
      ? 'text-slate-500 dark:text-slate-400'
      : good
        ? 'text-emerald-700 dark:text-emerald-400'
        : 'text-rose-700 dark:text-rose-400';
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-kpi={id}>
      <h3 className="text-sm text-slate-600 dark:text-slate-400">{label}</h3>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`kpi-${id}`} data-value={value ?? ''}>
        {format(value)}
      </p>
      <p className={`text-xs ${tone}`} title={`previous period: ${format(previous)}`}>
        {formatChange(change)} <span className="text-slate-500 dark:text-slate-400">vs previous period</span>
      </p>
      <div className="mt-2 text-teal-700 dark:text-teal-400">
        <Sparkline values={series} label={label} />
      </div>
      {hint && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
    </section>
  );
}
