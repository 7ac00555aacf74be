import type { KpiCardData } from '@/lib/charts/overview-kpis';
import { KpiCard } from './kpi-card';

/** The overview's KPI grid: each card with its change against the previous period and a sparkline. */
export function OverviewKpis({ cards }: { cards: KpiCardData[] }) {
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {cards.map((card) => (
        <KpiCard key={card.id} card={card} />
      ))}
    </div>
  );
}
