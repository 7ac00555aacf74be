import fs from 'node:fs';
import { readModel } from './read-model';

export interface WriterHealth {
  lastEventAt: string | null;
  metricsVersion: number;
  /** Null when there is no graph.db of ours (a Python HydraMem data directory). */
  graphVersion: number | null;
  metricsBytes: number;
  graphBytes: number | null;
  /** Why graph.db could not be read, when it is there but unusable. */
  graphProblem: string | null;
}

/** A store's size on disk: the database and its write-ahead log. */
function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(/* turbopackIgnore: true */ `${file}${suffix}`).size;
    } catch {
      // no WAL: nothing to add
    }
  }
  return total;
}

/** The writer's last tool call, and the stores' sizes and schema versions, now (not bound to the range). */
export const writerHealth = readModel({
  needs: ['metrics'],
  optional: ['graph'],
  read({ metrics, graph, problems }, scope): WriterHealth {
    const last = metrics.db
      .prepare<[string], { ts: string | null }>('SELECT MAX(ts) AS ts FROM events WHERE project = ?')
      .get(scope.project);
    return {
      lastEventAt: last?.ts ?? null,
      metricsVersion: metrics.version,
      graphVersion: graph?.version ?? null,
      metricsBytes: fileBytes(metrics.file),
      graphBytes: graph ? fileBytes(graph.file) : null,
      graphProblem: problems.graph && problems.graph.problem !== 'missing' ? problems.graph.message : null,
    };
  },
});
