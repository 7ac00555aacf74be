import type { ReadDB } from '../store/read-db';
import { hasTable } from '../store/open-readonly';
import { graphCounts, type GraphCounts } from '../store/sql/graph-counts';
import { isoTimestamp } from '../store/time';
import { readModel } from './read-model';

export interface GraphGrowth {
  /** The project's graph now. */
  now: GraphCounts;
  /** Its size at the range's start (the last size the writer logged before it), null when none was logged. */
  atStart: GraphCounts | null;
  /** Its size at the end of each chart bucket, null before the first logged size. */
  series: Array<GraphCounts | null>;
}

/** The size before `at`: the last one logged earlier (graph_size_log's primary key: one index step). */
function sizeBefore(db: ReadDB, project: string, at: Date): GraphCounts | null {
  return (
    db
      .prepare<[string, string], GraphCounts>(
        `SELECT documents, chunks, entities, relations FROM graph_size_log WHERE project = ? AND at < ?
         ORDER BY at DESC LIMIT 1`,
      )
      .get(project, isoTimestamp(at)) ?? null
  );
}

/** The project's graph size now, at the range's start and at each bucket's end: a total's change is now minus start. */
export const graphGrowth = readModel({
  needs: ['graph'],
  read({ graph }, scope): GraphGrowth {
    const now = graphCounts(graph.db, scope.project);
    if (!hasTable(graph.db, 'graph_size_log')) return { now, atStart: null, series: scope.buckets.map(() => null) };
    const ends = [...scope.buckets.slice(1), scope.to.getTime()];
    return {
      now,
      // A window holds its start instant: a change logged exactly then is the window's, not the start's.
      atStart: sizeBefore(graph.db, scope.project, scope.from),
      series: ends.map((end) => sizeBefore(graph.db, scope.project, new Date(Math.min(end, scope.to.getTime())))),
    };
  },
});
