/** Tool names whose calls are searches: they count as searches in rollups and write query_log rows. */
export const SEARCH_TOOLS: ReadonlySet<string> = new Set([
  'hydra_search_tool',
  'priming_context_tool',
  'expand_context_tool',
  'graph_only_search_tool',
  'cli_search',
]);

export function isSearchTool(tool: string): boolean {
  return SEARCH_TOOLS.has(tool);
}
