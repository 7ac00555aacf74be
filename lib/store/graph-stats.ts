/** The graph-statistics snapshot the writer stores in graph_stats.stats_json and the dashboard reads. */
export interface GraphStatsSnapshot {
  totals: { documents: number; chunks: number; entities: number; relations: number };
  entitiesByType: Array<{ type: string; count: number }>;
  relationsByType: Array<{ type: string; count: number }>;
  /** Entities per degree band; `upTo` is the band's upper bound (inclusive), null for the last. */
  degreeHistogram: Array<{ label: string; upTo: number | null; count: number }>;
  topHubs: Array<{ id: string; name: string; type: string; degree: number }>;
  orphans: { count: number; sample: Array<{ id: string; name: string; type: string }> };
  confidenceHistogram: Array<{ label: string; count: number }>;
  /**
   * Connected components (relations taken as undirected; an entity without relations is one) and the
   * entity count of the largest. Absent from snapshots written before it was computed.
   */
  connectedComponents?: { count: number; largest: number };
}

export const DEGREE_BANDS: ReadonlyArray<readonly [string, number | null]> = [
  ['0', 0],
  ['1', 1],
  ['2', 2],
  ['3–4', 4],
  ['5–9', 9],
  ['10–19', 19],
  ['20–49', 49],
  ['50–99', 99],
  ['100+', null],
];
