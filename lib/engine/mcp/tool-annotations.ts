import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/**
 * What each tool does to the stores, as MCP annotations, so that a client can decide what to run
 * without asking (read-only) and what to confirm first (destructive). Every tool works on this
 * tenant's stores only: none reaches the outside world.
 */
const reads: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const adds = (idempotent: boolean): ToolAnnotations => ({
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: idempotent,
  openWorldHint: false,
});
const removes = (idempotent: boolean): ToolAnnotations => ({
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: idempotent,
  openWorldHint: false,
});

export const TOOL_ANNOTATIONS: Record<string, ToolAnnotations> = {
  hydra_search_tool: reads,
  list_entities_tool: reads,
  get_entity_neighbors_tool: reads,
  hydramem_stats_tool: reads,
  get_garden_status_tool: reads,
  get_preferences_for: reads,
  list_api_keys: reads,
  list_users: reads,
  show_user: reads,
  // Context, path, document and verdict tools; train_gnn_tool is refused, so it changes nothing either.
  priming_context_tool: reads,
  expand_context_tool: reads,
  graph_only_search_tool: reads,
  trace_path_tool: reads,
  get_full_document_tool: reads,
  verify_relation_tool: reads,
  check_conflict_tool: reads,
  train_gnn_tool: reads,
  // The same text or file again changes nothing (unchanged content is recognised by its hash).
  remember: adds(true),
  ingest_markdown: adds(true),
  upsert_user: adds(true),
  add_preference: adds(false),
  supersede_preference: adds(true),
  import_graph: adds(true),
  // The same doc_id or session again replaces only what it contributed; identical content changes nothing.
  ingest_prechunked: adds(true),
  submit_session_extraction: adds(true),
  // Signs a new envelope (new id and time) and logs it each time.
  export_graph: adds(false),
  create_api_key: adds(false),
  // A folder ingest removes the notes deleted from disk; the gardener merges and prunes.
  ingest_directory_tool: removes(true),
  run_night_gardener: removes(false),
  // Relations: a closed period with valid_to is a new row each time; delete_relation ends one (kept as history).
  query_entity_relations: reads,
  create_relation: adds(false),
  delete_relation: removes(true),
  rotate_api_key: removes(false),
  revoke_api_key: removes(true),
};
