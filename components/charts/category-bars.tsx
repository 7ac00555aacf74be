'use client';

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { CategoryChartData } from '@/lib/charts/graph-charts';
import { colourFor } from '@/lib/charts/palette';
import { EmptyState } from '../panel';
import { ChartFigure } from './chart-figure';
import { useTheme } from './use-theme';

/** Counts per category as horizontal bars, labels on the left so long type names never overlap. */
export function CategoryBars({
  chart,
  title,
  empty = 'Nothing to count: the graph is empty.',
}: {
  chart: CategoryChartData;
  title: string;
  /** Shown instead of empty axes when every count is zero. */
  empty?: string;
}) {
  const theme = useTheme();
  const data = chart.rows;
  if (!data.some((row) => row.count > 0)) {
    return (
      <figure aria-label={title} data-chart="empty">
        <EmptyState>{empty}</EmptyState>
      </figure>
    );
  }
  const height = Math.max(120, data.length * 26 + 30);
  const labelWidth = Math.min(200, Math.max(60, ...data.map((item) => item.label.length * 8 + 12)));
  return (
    <ChartFigure
      title={title}
      height={height}
      data={data}
      columns={[
        { key: 'label', label: 'category' },
        { key: 'count', label: 'count' },
      ]}
    >
      <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11, fill: 'currentColor' }} tickLine={false} />
        <YAxis
          type="category"
          dataKey="label"
          width={labelWidth}
          tick={{ fontSize: 11, fill: 'currentColor' }}
          tickLine={false}
          interval={0}
        />
        <Tooltip contentStyle={{ fontSize: 12, color: '#0f172a' }} />
        <Bar dataKey="count" name="count" fill={colourFor(chart.colour, theme)} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
