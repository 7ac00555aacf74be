import type { Command } from 'commander';
import type { SearchHit } from '../../lib/engine/search/search';
import { action, configWith, parsePositiveInt } from '../cli-support';
import { withWriter } from '../writer-access';

function snippet(text: string, width = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export function formatHits(query: string, hits: SearchHit[]): string {
  if (hits.length === 0) return `no results for "${query}"`;
  return hits
    .map((hit, index) => {
      const where = hit.heading && hit.heading !== hit.title ? `${hit.source} › ${hit.heading}` : hit.source;
      const entities = hit.entities
        .slice(0, 6)
        .map((entity) => entity.name)
        .join(', ');
      return `${index + 1}. ${where}  (score ${hit.score.toFixed(4)})\n   ${snippet(hit.text)}${entities ? `\n   entities: ${entities}` : ''}`;
    })
    .join('\n');
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Search the tenant memory (BM25 fused with graph expansion); the call is logged like an MCP search')
    .argument('<query...>', 'what to look for')
    .option('--json', 'print results as JSON')
    .option('-n, --limit <n>', 'number of results', parsePositiveInt('--limit', 50), 8)
    .option('--user <id>', 'search as this user (their memories plus shared notes)')
    .option('--memory <id>', 'search within this memory context')
    .action(
      action(async (words: string[], options: { json?: boolean; limit: number; user?: string; memory?: string }) => {
        const query = words.join(' ');
        const hits = await withWriter(
          configWith({}),
          'hydramem search',
          (engine) =>
            engine.search({
              query,
              limit: options.limit,
              userId: options.user ?? null,
              memoryId: options.memory ?? null,
              tool: 'cli_search',
              sessionId: `cli-${process.pid}`,
            }).results,
          async (writer) => {
            const { callWriterTool } = await import('../../lib/engine/mcp/client');
            const result = (await callWriterTool(writer, 'hydra_search_tool', {
              query,
              limit: options.limit,
              user_id: options.user,
              memory_id: options.memory,
            })) as { results: SearchHit[] };
            return result.results;
          },
        );
        process.stdout.write(
          options.json ? `${JSON.stringify({ query, results: hits }, null, 2)}\n` : `${formatHits(query, hits)}\n`,
        );
      }),
    );
}
