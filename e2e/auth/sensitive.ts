import path from 'node:path';
import { sql } from '../tenant';

/** Content support staff must never receive, read from the tenant's files by the test itself. */
export interface SensitiveContent {
  queries: string[];
  users: string[];
  queryId: number;
  chunkSnippets: string[];
  hubId: string;
  entityNames: string[];
}

const PLAIN = /^[A-Za-z0-9 .-]+$/;

export function sensitiveContent(dataDir: string, project: string): SensitiveContent {
  const metrics = path.join(dataDir, 'metrics.db');
  const graph = path.join(dataDir, 'graph.db');
  // The newest rows are the ones the query log's first page shows.
  const recent = sql<{ id: number; query: string; user_id: string | null; chunk_ids: string }>(
    metrics,
    'SELECT id, query, user_id, chunk_ids FROM query_log WHERE project = ? ORDER BY ts DESC, id DESC LIMIT 50',
    project,
  );
  const queries = [...new Set(recent.map((row) => row.query).filter((q) => PLAIN.test(q) && q.length >= 14))].slice(0, 5);
  const users = [...new Set(recent.map((row) => row.user_id).filter((u): u is string => !!u && u.length >= 6))].slice(0, 3);
  const withChunks = recent.find((row) => (JSON.parse(row.chunk_ids) as string[]).length > 0);
  if (!withChunks || queries.length === 0 || users.length === 0) throw new Error('the demo tenant has no searches to check');
  const chunkIds = JSON.parse(withChunks.chunk_ids) as string[];
  const chunkSnippets = sql<{ text: string }>(
    graph,
    `SELECT text FROM chunks WHERE id IN (${chunkIds.map(() => '?').join(',')})`,
    ...chunkIds,
  )
    .map((row) =>
      /[A-Za-z][A-Za-z ]{24,}/
        .exec(
          row.text
            .split('\n')
            .filter((line) => !line.startsWith('#'))
            .join(' '),
        )?.[0]
        .slice(0, 24),
    )
    .filter((snippet): snippet is string => !!snippet);
  const stats = JSON.parse(
    sql<{ stats_json: string }>(graph, 'SELECT stats_json FROM graph_stats WHERE project = ?', project)[0]?.stats_json ?? '{}',
  ) as { topHubs: Array<{ id: string; name: string }> };
  const hub = stats.topHubs[0];
  if (!hub) throw new Error('the demo tenant has no hubs');
  const entityNames = stats.topHubs.map((h) => h.name).filter((name) => /^[A-Z][a-z]+ [A-Z][a-z]+/.test(name));
  return { queries, users, queryId: withChunks.id, chunkSnippets, hubId: hub.id, entityNames };
}

/** Every sensitive string found in a body (empty when it is clean). */
export function leaks(body: string, content: SensitiveContent): string[] {
  return [...content.queries, ...content.users, ...content.chunkSnippets, ...content.entityNames].filter((text) =>
    body.includes(text),
  );
}
