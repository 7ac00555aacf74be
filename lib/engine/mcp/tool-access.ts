import type { KeyScope } from '../identity/key-scopes';

/**
 * What each tool needs and what it is in the audit trail. `forUser`: a write made on behalf of an
 * end user, which HYDRAMEM_MULTI_USER requires to name one; `audit`: a write, recorded whoever
 * calls it (reads are recorded when a key makes them: every key use is).
 */
export interface ToolAccess {
  scope: KeyScope;
  action: string;
  audit: boolean;
  forUser: boolean;
  /** The operation writes its own audit row (federation: with its federation_log row, refusals included). */
  ownAudit?: boolean;
}

const read = (action: string): ToolAccess => ({ scope: 'memory:read', action, audit: false, forUser: false });
const write = (action: string): ToolAccess => ({ scope: 'memory:add', action, audit: true, forUser: true });
const admin = (action: string): ToolAccess => ({ scope: 'memory:*', action, audit: true, forUser: false });

export const TOOL_ACCESS = {
  hydra_search_tool: read('memory.search'),
  list_entities_tool: read('graph.list'),
  get_entity_neighbors_tool: read('graph.neighbours'),
  hydramem_stats_tool: read('stats.read'),
  get_garden_status_tool: read('garden.status'),
  get_preferences_for: read('preference.read'),
  priming_context_tool: read('memory.search'),
  expand_context_tool: read('memory.search'),
  graph_only_search_tool: read('memory.search'),
  trace_path_tool: read('graph.path'),
  get_full_document_tool: read('document.read'),
  verify_relation_tool: read('graph.verify'),
  check_conflict_tool: read('graph.verify'),
  train_gnn_tool: read('gnn.train'),
  remember: write('memory.remember'),
  ingest_markdown: write('ingest.file'),
  ingest_directory_tool: write('ingest.directory'),
  upsert_user: write('user.upsert'),
  add_preference: write('preference.add'),
  supersede_preference: write('preference.supersede'),
  ingest_prechunked: write('ingest.prechunked'),
  submit_session_extraction: write('graph.session_extraction'),
  query_entity_relations: read('graph.relations'),
  create_relation: write('relation.create'),
  delete_relation: write('relation.delete'),
  run_night_gardener: admin('garden.run'),
  export_graph: { ...admin('federation.export'), ownAudit: true },
  import_graph: { ...admin('federation.import'), ownAudit: true },
} as const satisfies Record<string, ToolAccess>;

export type ToolName = keyof typeof TOOL_ACCESS;
