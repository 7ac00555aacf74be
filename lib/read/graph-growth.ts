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
  /**
   * Its size at the range's end: `now` unless the graph changed after the range ended (a custom range
   * in the past), when it is the size logged last before the end. `endedEarlier` says which.
   */
  atEnd: GraphCounts;
  endedEarlier: boolean;
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

/** Whether the writer logged a size at or after `at`: the graph changed since then. */
function changedSince(db: ReadDB, project: string, at: Date): boolean {
  return (
    db
      .prepare<[string, string], { one: number }>('SELECT 1 AS one FROM graph_size_log WHERE project = ? AND at >= ? LIMIT 1')
      .get(project, isoTimestamp(at)) !== undefined
  );
}

/**
 * The project's graph size now, at the range's start and end and at each bucket's end: a total's
 * change is its size at the end minus its size at the start.
 */
export const graphGrowth = readModel({
  needs: ['graph'],
  read({ graph }, scope): GraphGrowth {
    const now = graphCounts(graph.db, scope.project);
    if (!hasTable(graph.db, 'graph_size_log'))
      return { now, atStart: null, atEnd: now, endedEarlier: false, series: scope.buckets.map(() => null) };
    const ends = [...scope.buckets.slice(1), scope.to.getTime()];
    // Before the first logged size the size at the end is not known: the cards then show the graph now.
    const atEnd = changedSince(graph.db, scope.project, scope.to) ? sizeBefore(graph.db, scope.project, scope.to) : null;
    return {
      now,
      atEnd: atEnd ?? now,
      endedEarlier: atEnd !== null,
      // A window holds its start instant: a change logged exactly then is the window's, not the start's.
      atStart: sizeBefore(graph.db, scope.project, scope.from),
      series: ends.map((end) => sizeBefore(graph.db, scope.project, new Date(Math.min(end, scope.to.getTime())))),
    };
  },
});
