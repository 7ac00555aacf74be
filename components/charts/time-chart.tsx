'use client';

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { colourFor } from '@/lib/charts/palette';
import { hasChartData, type TimeChartData } from '@/lib/charts/time-series';
import { EmptyState } from '../panel';
import { ChartFigure, LEGEND_TEXT, TIME_AXIS } from './chart-figure';
import { useTheme } from './use-theme';

/**
 * Any chart over time: one row per bucket with a preformatted label, bars (counts; stacked by
 * stack id, zero is a real zero) and lines (null is a gap where there was no data, never zero).
 */
export function TimeChart({
  chart,
  title,
  unit = '',
  height = 220,
  empty = 'Nothing to chart in this range.',
}: {
  chart: TimeChartData;
  title: string;
  unit?: string;
  height?: number;
  /** Shown instead of empty axes when no bucket has a value. */
  empty?: string;
}) {
  const theme = useTheme();
  if (!hasChartData(chart)) {
    return (
      <figure aria-label={title} data-chart="empty">
        <EmptyState>{empty}</EmptyState>
      </figure>
    );
  }
  const legend = chart.series.map((item) => ({ label: item.label, color: colourFor(item.colour, theme) }));
  const onlyBars = chart.series.every((item) => item.kind === 'bar');
  return (
    <ChartFigure
      title={title}
      height={height}
      data={chart.rows}
      columns={[{ key: 'label', label: 'bucket' }, ...chart.series]}
      legend={legend}
    >
      <ComposedChart data={chart.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis {...TIME_AXIS} />
        <YAxis
          allowDecimals={!onlyBars}
          tick={{ fontSize: 11, fill: 'currentColor' }}
          width={unit ? 56 : 44}
          tickLine={false}
          axisLine={false}
          unit={unit}
        />
        <Tooltip contentStyle={{ fontSize: 12, color: '#0f172a' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} formatter={LEGEND_TEXT} />
        {chart.series.map((item) =>
          item.kind === 'bar' ? (
            <Bar
              key={item.key}
              dataKey={item.key}
              name={item.label}
              fill={colourFor(item.colour, theme)}
              stackId={item.stack}
              isAnimationActive={false}
            />
          ) : (
            <Line
              key={item.key}
              type="linear"
              dataKey={item.key}
              name={item.label}
              stroke={colourFor(item.colour, theme)}
              strokeWidth={2}
              dot={{ r: 2 }}
              connectNulls={false}
              isAnimationActive={false}
            />
          ),
        )}
      </ComposedChart>
    </ChartFigure>
  );
}
