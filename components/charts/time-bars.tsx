'use client';

import { SkeletonBlock } from '../skeletons';
import { ChartDownloads } from './chart-downloads';
import { useMounted } from './use-mounted';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

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
  const mounted = useMounted();
  // Until the browser can measure, the widget shows its own skeleton rather than an empty box.
  if (!mounted) return <SkeletonBlock height={height} />;
  return (
    <figure className="w-full" aria-label={title}>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              interval="preserveStartEnd"
              minTickGap={24}
              tickLine={false}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fontSize: 11, fill: 'currentColor' }}
              width={44}
              tickLine={false}
              axisLine={false}
            />
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
        </ResponsiveContainer>
      </div>
      <ChartDownloads title={title} data={data} columns={[{ key: 'label', label: 'bucket' }, ...series]} legend={series} />
    </figure>
  );
}
