import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { APP_VERSION } from '../../version';
import { registerFederationTools } from '../federation/mcp-tools';
import { registerAdminTools } from './admin-tools';
import { registerAgentIngestTools } from './agent-ingest-tools';
import { registerContextTools } from './context-tools';
import { registerGraphTools } from './graph-tools';
import { guard, jsonResult, scopeShape, type McpSession } from './guard';
import { registerIdentityTools } from './identity-tools';
import { registerMemoryTools } from './memory-tools';
import { registerRelationTools } from './relation-tools';
import { ToolRegistry } from './tool-registry';

export const SERVER_NAME = 'hydramem';

/**
 * The gardener works on the whole project, so user_id / memory_id do not narrow it; they are still
 * accepted (and checked against the key) because agents send their scope with every call.
 */
function registerGardenTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;
  tools.register(
    'run_night_gardener',
    {
      title: 'Run the Night Gardener',
      description:
        'Runs graph maintenance once: merges duplicate entities (within each scope), prunes orphans, decays relations not seen for a while, ' +
        'boosts entities that searches return often and refreshes the graph statistics. Refused while a run is in progress. Project-wide: user_id and memory_id do not narrow it.',
      inputSchema: { ...scopeShape },
    },
    guard(session, 'run_night_gardener', (_args, call) => {
      const summary = engine.track(
        { tool: 'run_night_gardener', sessionId: call.sessionId, identity: call.identity },
        () => engine.runGarden({ trigger: 'manual', command: 'MCP run_night_gardener' }),
        (result) => ({ garden_run_id: result.runId }),
      );
      call.target = `garden_run:${summary.runId}`;
      return jsonResult(summary);
    }),
  );

  tools.register(
    'get_garden_status_tool',
    {
      title: 'Night Gardener status',
      description: 'The Night Gardener schedule, the run in progress if any, recent runs and cumulative counters (project-wide).',
      inputSchema: { ...scopeShape },
    },
    guard(session, 'get_garden_status_tool', () => jsonResult(engine.gardenStatus())),
  );
}

/** Builds one MCP server for a session; `session` says who calls each request. */
export function createMcpServer(session: McpSession): McpServer {
  const server = new McpServer({ name: SERVER_NAME, version: APP_VERSION });
  const tools = new ToolRegistry(server);
  registerMemoryTools(tools, session);
  registerAgentIngestTools(tools, session);
  registerGraphTools(tools, session);
  registerContextTools(tools, session);
  registerRelationTools(tools, session);
  registerGardenTools(tools, session);
  registerIdentityTools(tools, session);
  registerFederationTools(tools, session);
  registerAdminTools(tools, session);
  tools.install();
  return server;
}
