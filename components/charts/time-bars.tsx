'use client';

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure, TIME_AXIS } from './chart-figure';

export interface BarSeries {
  key: string;
  label: string;
  color: string;
  /** Bars with the same stack id are stacked. */
  stack?: string;
}

/** Bars over time; each row is one bucket with a preformatted label. Zero is a real zero here (a count). */
export function TimeBars({
  data,
  series,
  height = 220,
  title,
}: {
  data: Array<Record<string, number | string | null>>;
  series: BarSeries[];
  height?: number;
  title: string;
}) {
  return (
    <ChartFigure
      title={title}
      height={height}
      data={data}
      columns={[{ key: 'label', label: 'bucket' }, ...series]}
      legend={series}
    >
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis {...TIME_AXIS} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: 'currentColor' }} width={44} tickLine={false} axisLine={false} />
        <Tooltip contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((item) => (
          <Bar
            key={item.key}
            dataKey={item.key}
            name={item.label}
            fill={item.color}
            stackId={item.stack}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFigure>
  );
}
