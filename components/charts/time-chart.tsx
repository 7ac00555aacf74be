'use client';

import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { colourFor } from '@/lib/charts/palette';
import { bucketSpan, hasChartData, type TimeChartData } from '@/lib/charts/time-series';
import { EmptyState } from '../panel';
import { useRangeNavigation } from '../shell/use-range-navigation';
import { ChartFigure, TIME_AXIS } from './chart-figure';
import { SeriesLegend } from './series-legend';
import { useTheme } from './use-theme';

/** Where a drag across the chart started and where the pointer is now (row indexes). */
type Drag = { first: number; last: number } | null;

/** Recharts reports the row under the pointer as activeIndex (a number, or its string form). */
function rowIndex(state: { activeIndex?: unknown } | null | undefined): number | null {
  const index = Number(state?.activeIndex);
  return state?.activeIndex === undefined || state.activeIndex === null || !Number.isInteger(index) ? null : index;
}

/**
 * Any chart over time: one row per bucket with a preformatted label, bars (counts; stacked by
 * stack id, zero is a real zero) and lines (null is a gap where there was no data, never zero).
 * A legend entry hides its series; dragging across the chart zooms the page's range into that span.
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
  const { zoomTo } = useRangeNavigation();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [drag, setDrag] = useState<Drag>(null);
  if (!hasChartData(chart)) {
    return (
      <figure aria-label={title} data-chart="empty">
        <EmptyState>{empty}</EmptyState>
      </figure>
    );
  }
  const entries = chart.series.map((item) => ({ key: item.key, label: item.label, color: colourFor(item.colour, theme) }));
  const toggle = (key: string): void => {
    const next = new Set(hidden);
    if (!next.delete(key)) next.add(key);
    setHidden(next);
  };
  const onlyBars = chart.series.every((item) => item.kind === 'bar');
  const endDrag = (): void => {
    const span = drag && drag.first !== drag.last ? bucketSpan(chart.rows, drag.first, drag.last) : null;
    setDrag(null);
    if (span) zoomTo(span.from, Math.min(span.to, Date.now()));
  };
  const dragLabels =
    drag && drag.first !== drag.last
      ? { x1: chart.rows[Math.min(drag.first, drag.last)]?.label, x2: chart.rows[Math.max(drag.first, drag.last)]?.label }
      : null;
  return (
    <ChartFigure
      title={title}
      height={height}
      data={chart.rows}
      columns={[{ key: 'label', label: 'bucket' }, ...chart.series]}
      legend={entries.filter((entry) => !hidden.has(entry.key))}
      below={<SeriesLegend entries={entries} hidden={hidden} toggle={toggle} />}
    >
      <ComposedChart
        data={chart.rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        onMouseDown={(state) => {
          const index = rowIndex(state);
          if (index !== null) setDrag({ first: index, last: index });
        }}
        onMouseMove={(state) => {
          const index = rowIndex(state);
          if (drag && index !== null && index !== drag.last) setDrag({ ...drag, last: index });
        }}
        onMouseUp={endDrag}
        onMouseLeave={() => setDrag(null)}
        style={{ cursor: 'crosshair', userSelect: 'none' }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis {...TIME_AXIS} />
        <YAxis
          allowDecimals={!onlyBars}
          tick={{ fontSize: 11, fill: 'currentColor' }}
          width={unit ? 64 : 44}
          tickLine={false}
          axisLine={false}
          unit={unit}
        />
        <Tooltip contentStyle={{ fontSize: 12, color: '#0f172a' }} />
        {chart.series.map((item) =>
          item.kind === 'bar' ? (
            <Bar
              key={item.key}
              dataKey={item.key}
              name={item.label}
              fill={colourFor(item.colour, theme)}
              stackId={item.stack}
              hide={hidden.has(item.key)}
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
              hide={hidden.has(item.key)}
              isAnimationActive={false}
            />
          ),
        )}
        {dragLabels && <ReferenceArea x1={dragLabels.x1} x2={dragLabels.x2} fill="currentColor" fillOpacity={0.12} />}
      </ComposedChart>
    </ChartFigure>
  );
}
