'use client';

import type { ReactElement, ReactNode } from 'react';
import { ResponsiveContainer } from 'recharts';
import type { CsvColumn } from '@/lib/charts/chart-csv';
import type { Cell } from '@/lib/exports/csv';
import { SkeletonBlock } from '../skeletons';
import { ChartDownloads, type LegendItem } from './chart-downloads';
import { useMounted } from './use-mounted';

/** The x axis of every chart over time: bucket labels, thinned so they never overlap. */
export const TIME_AXIS = {
  dataKey: 'label',
  tick: { fontSize: 11, fill: 'currentColor' },
  interval: 'preserveStartEnd',
  minTickGap: 24,
  tickLine: false,
} as const;

/** Legend entries in the text colour (Recharts colours them like their series, too faint on a dark panel). */
export const LEGEND_TEXT = (value: string): ReactElement => <span className="text-slate-700 dark:text-slate-200">{value}</span>;

/** A chart's frame: its skeleton until the browser can measure, the sized figure, and the download buttons. */
export function ChartFigure({
  title,
  height,
  data,
  columns,
  legend,
  below,
  children,
}: {
  title: string;
  height: number;
  data: ReadonlyArray<Record<string, Cell>>;
  columns: readonly CsvColumn[];
  legend?: readonly LegendItem[];
  /** Drawn under the chart, above the downloads (a legend of toggle buttons). */
  below?: ReactNode;
  children: ReactElement;
}) {
  const mounted = useMounted();
  if (!mounted) return <SkeletonBlock height={height} />;
  return (
    <figure className="w-full" aria-label={title} data-chart>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      {below}
      <ChartDownloads title={title} data={data} columns={columns} legend={legend} />
    </figure>
  );
}
