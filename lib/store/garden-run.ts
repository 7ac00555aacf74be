/** One row of metrics.db `garden_runs`, as the writer records a Night Gardener run and the dashboard reads it. */
export interface GardenRunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'ok' | 'failed';
  trigger: 'schedule' | 'manual';
  pid: number | null;
  entities_merged: number;
  orphans_pruned: number;
  relations_decayed: number;
  entities_boosted: number;
  duration_ms: number | null;
  error: string | null;
}
