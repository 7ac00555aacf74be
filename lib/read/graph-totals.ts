import { graphCounts, type GraphCounts } from '../store/sql/graph-counts';
import { readModel } from './read-model';

/** The project's graph now: documents, chunks, entities, relations; all of it, or what one user may see. */
export const graphTotals = readModel({
  needs: ['graph'],
  read: ({ graph }, scope, args: { user: string | null; memory: string | null }): GraphCounts =>
    graphCounts(graph.db, scope.project, args.user ? { userId: args.user, memoryId: args.memory } : undefined),
});
