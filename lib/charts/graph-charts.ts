import type { GraphStatsSnapshot } from '../store/graph-stats';
import type { GraphCounts } from '../store/sql/graph-counts';
import { PALETTE, type SeriesColour } from './palette';
import { timeRows, type BucketLabels, type TimeChartData } from './time-series';

export interface CategoryChartData {
  rows: Array<{ label: string; count: number }>;
  colour: SeriesColour;
}

type CategoryStats = Pick<GraphStatsSnapshot, 'entitiesByType' | 'relationsByType' | 'degreeHistogram' | 'confidenceHistogram'>;

/** The graph page's category charts from the writer's statistics snapshot. */
export function graphCategoryCharts(
  stats: CategoryStats,
): Record<'entityTypes' | 'relationTypes' | 'degree' | 'confidence', CategoryChartData> {
  return {
    entityTypes: {
      rows: stats.entitiesByType.map((row) => ({ label: row.type, count: row.count })),
      colour: PALETTE.entityTypes,
    },
    relationTypes: {
      rows: stats.relationsByType.map((row) => ({ label: row.type, count: row.count })),
      colour: PALETTE.relationTypes,
    },
    degree: { rows: stats.degreeHistogram.map((row) => ({ label: row.label, count: row.count })), colour: PALETTE.degree },
    confidence: {
      rows: stats.confidenceHistogram.map((row) => ({ label: row.label, count: row.count })),
      colour: PALETTE.confidence,
    },
  };
}

/**
 * Entities and relations at the end of each bucket, as the writer logged the graph's size (merges
 * and prunes included, so the line meets the cards' totals); a gap before the first logged size.
 */
export function growthChart(
  sizes: ReadonlyArray<Pick<GraphCounts, 'entities' | 'relations'> | null>,
  starts: readonly number[],
  labels: BucketLabels,
): TimeChartData {
  const points = starts.map((start, index) => ({ start, size: sizes[index] ?? null }));
  return {
    rows: timeRows(points, labels, ({ size }) => ({ entities: size?.entities ?? null, relations: size?.relations ?? null })),
    series: [
      { key: 'entities', label: 'entities', colour: PALETTE.entities, kind: 'line' },
      { key: 'relations', label: 'relations', colour: PALETTE.relations, kind: 'line' },
    ],
  };
}
