'use client';

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure, TIME_AXIS } from './chart-figure';

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
  return (
    <ChartFigure
      title={title}
      height={height}
      data={data}
      columns={[{ key: 'label', label: 'bucket' }, ...series]}
      legend={series}
    >
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
        <XAxis {...TIME_AXIS} />
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
    </ChartFigure>
  );
}
