'use client';

import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';

/** A small trend line; null values are drawn as gaps, not zeros. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const data = values.map((value, index) => ({ index, value }));
  return (
    <div className="h-10 w-full" data-chart role="img" aria-label={`${label} over the selected range`}>
      <ResponsiveContainer width="100%" height="100%">
        {/* A picture beside its number: not a stop on the way through the page with Tab. */}
        <LineChart data={data} margin={{ top: 4, right: 2, bottom: 2, left: 2 }} accessibilityLayer={false}>
          <YAxis hide domain={['dataMin', 'dataMax']} />
          <Line
            type="linear"
            dataKey="value"
            stroke="currentColor"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
