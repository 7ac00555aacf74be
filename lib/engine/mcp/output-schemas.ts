import { z } from 'zod';

/**
 * What each tool returns in structuredContent (the same JSON is in its text content for older
 * clients). Loose objects: the fields listed are always there, and a later version may add more
 * without breaking a client that validates.
 */
const entity = z.looseObject({ id: z.string(), name: z.string(), type: z.string() });
const count = z.number().int().min(0);

const hit = z.looseObject({
  chunkId: z.string(),
  score: z.number(),
  source: z.string(),
  text: z.string(),
  entities: z.array(entity),
});

const ingestSummary = z.looseObject({
  files: count,
  ok: count,
  skipped: count,
  failed: count,
  unchanged: count,
  deleted: count,
  chunks_added: count,
  chunks_removed: count,
  entities_added: count,
  relations_added: count,
  problems: z.array(z.unknown()),
  duration_ms: count,
});

/** What an agent's submission did to its provenance document and the graph. */
const agentIngest = z.looseObject({
  document_id: z.string(),
  path: z.string(),
  scope: z.unknown(),
  change: z.enum(['new', 'changed', 'unchanged']),
  entities: count,
  relations: count,
  chunks_added: count,
  chunks_removed: count,
  entities_added: count,
  entities_removed: count,
  relations_added: count,
  relations_removed: count,
});

const neighbour = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  relation: z.string(),
  direction: z.enum(['out', 'in']),
  weight: z.number(),
  confidence: z.number(),
  origin: z.string(),
  hops: z.number().int().min(1),
  via: z.string().nullable(),
});

const relation = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  from: entity,
  to: entity,
  weight: z.number(),
  confidence: z.number(),
  origin: z.string(),
  valid_from: z.string(),
  valid_until: z.string().nullable(),
});
const entityRelation = relation.extend({
  direction: z.enum(['out', 'in']),
  other: entity,
  sources: z.array(z.looseObject({ doc_id: z.string(), path: z.string(), count })),
});

const preference = z.looseObject({
  id: z.string(),
  user_id: z.string(),
  category: z.string(),
  text: z.string(),
  valid_from: z.string(),
  valid_until: z.string().nullable(),
  status: z.enum(['active', 'superseded']),
});

const user = z.looseObject({ identifier: z.string(), attributes: z.record(z.string(), z.unknown()), created_at: z.string() });
const key = z.looseObject({ id: z.string() });
const federation = z.looseObject({ project: z.string(), issuer: z.string(), created_at: z.string(), envelope_id: z.string() });

// The context, path, document and verdict tools (context-tools.ts).
const walkedEntity = entity.extend({ hops: count, via: z.string().nullable() });
const contextChunk = z.looseObject({ id: z.string(), text: z.string(), source: z.string(), score: z.number() });
const contextShape = z.looseObject({ chunks: z.array(contextChunk), context: z.string(), entities: z.array(walkedEntity) });
const verdictRelation = z.looseObject({ id: z.number().int(), from_id: z.string(), to_id: z.string(), type: z.string() });
const CONTEXT_TOOL_OUTPUTS = {
  priming_context_tool: contextShape.extend({ query: z.string() }),
  expand_context_tool: contextShape.extend({ start: z.array(entity), hops: count }),
  graph_only_search_tool: z.looseObject({
    query: z.string(),
    seeds: z.array(entity),
    hops: count,
    results: z.array(contextChunk.extend({ via_entities: z.array(entity.extend({ hops: count })) })),
  }),
  trace_path_tool: z.looseObject({
    found: z.boolean(),
    path: z.array(entity),
    relations: z.array(
      z.looseObject({ type: z.string(), from_id: z.string(), to_id: z.string(), direction: z.enum(['forward', 'backward']) }),
    ),
    length: count.nullable(),
  }),
  get_full_document_tool: z.looseObject({ found: z.boolean(), doc_id: z.string(), text: z.string().optional() }),
  verify_relation_tool: z.looseObject({
    verdict: z.enum(['supported', 'disputed', 'contradicted', 'unsupported']),
    relation_type: z.string(),
    support: z.looseObject({ relations: count, documents: count, sources: z.array(z.string()) }),
    contradictions: z.array(verdictRelation.extend({ kind: z.string() })),
    reasons: z.array(z.string()),
  }),
  check_conflict_tool: z.looseObject({
    verdict: z.enum(['conflict', 'no_conflict']),
    conflicts: z.array(z.looseObject({ source: z.enum(['graph', 'texts']), kind: z.string(), reason: z.string() })),
    evidence: z.array(verdictRelation),
    reasons: z.array(z.string()),
  }),
  // Refused with a protocol error every time (this writer has no GNN): there is no result to describe.
  train_gnn_tool: z.looseObject({}),
};

export const TOOL_OUTPUTS: Record<string, z.ZodObject> = {
  hydra_search_tool: z.looseObject({
    query: z.string(),
    planner: z.string(),
    seeds: z.array(entity),
    results: z.array(hit),
  }),
  remember: ingestSummary.extend({ doc_id: z.string(), scope: z.unknown() }),
  ingest_markdown: ingestSummary,
  ingest_directory_tool: ingestSummary,
  ingest_prechunked: agentIngest.extend({ doc_id: z.string(), chunks: count }),
  submit_session_extraction: agentIngest.extend({ session_id: z.string() }),
  get_entity_neighbors_tool: z.looseObject({
    entity,
    hops: z.number().int().min(1),
    neighbours: z.array(neighbour),
    more: count,
  }),
  list_entities_tool: z.looseObject({
    items: z.array(entity.extend({ mentions: count, degree: count })),
    total: count,
  }),
  query_entity_relations: z.looseObject({
    entity,
    as_of: z.string().nullable(),
    direction: z.enum(['both', 'in', 'out']),
    relations: z.array(entityRelation),
    total: count,
  }),
  create_relation: z.looseObject({ created: z.boolean(), relation, created_entities: z.array(entity) }),
  delete_relation: z.looseObject({ closed: relation }),
  hydramem_stats_tool: z.looseObject({ telemetry: z.looseObject({}), graph: z.looseObject({}) }),
  run_night_gardener: z.looseObject({ runId: z.number().int(), project: z.string(), status: z.literal('ok') }),
  get_garden_status_tool: z.looseObject({ project: z.string(), schedule: z.string(), recentRuns: z.array(z.unknown()) }),
  upsert_user: user,
  add_preference: preference,
  supersede_preference: z.looseObject({ superseded: preference, by: preference }),
  get_preferences_for: z.looseObject({ user_id: z.string(), as_of: z.string().nullable(), preferences: z.array(preference) }),
  export_graph: federation.extend({ envelope: z.string() }),
  import_graph: federation.extend({ source_project: z.string() }),
  create_api_key: key.extend({ key: z.string() }),
  rotate_api_key: key.extend({ key: z.string(), replaces: z.string() }),
  revoke_api_key: key,
  list_api_keys: z.looseObject({ keys: z.array(key) }),
  list_users: z.looseObject({ users: z.array(user) }),
  show_user: user,
  ...CONTEXT_TOOL_OUTPUTS,
};
