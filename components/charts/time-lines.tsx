'use client';

import { SkeletonBlock } from '../skeletons';
import { ChartDownloads } from './chart-downloads';
import { useMounted } from './use-mounted';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface LineSeries {
  key: string;
  label: string;
  color: string;
}

/** Lines over time; null values are gaps (no data in that bucket), never drawn as zero. */
export function TimeLines({
  data,
  series,
  unit,
  height = 220,
  title,
}: {
  data: Array<Record<string, number | string | null>>;
  series: LineSeries[];
  unit: string;
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
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 11, fill: 'currentColor' }}
              interval="preserveStartEnd"
              minTickGap={24}
              tickLine={false}
            />
            <YAxis tick={{ fontSize: 11, fill: 'currentColor' }} width={52} tickLine={false} axisLine={false} unit={unit} />
            <Tooltip contentStyle={{ fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {series.map((item) => (
              <Line
                key={item.key}
                type="linear"
                dataKey={item.key}
                name={item.label}
                stroke={item.color}
                strokeWidth={2}
                dot={{ r: 2 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ChartDownloads title={title} data={data} columns={[{ key: 'label', label: 'bucket' }, ...series]} legend={series} />
    </figure>
  );
}
