import { graphCounts, type GraphCounts } from '../store/sql/graph-counts';
import { readModel } from './read-model';

/** The project's graph now: documents, chunks, entities, relations. */
export const graphTotals = readModel({
  needs: ['graph'],
  read: ({ graph }, scope): GraphCounts => graphCounts(graph.db, scope.project),
});
