import type { GraphStatsSnapshot } from '../store/graph-stats';
import { PALETTE, type SeriesColour } from './palette';

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
