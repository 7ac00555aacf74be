import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { UserError } from '../errors';
import { guard, jsonResult, type McpSession } from '../mcp/guard';
import { exportGraph, exportReport, importEnvelope, importReport } from './operations';

/** The writer's HTTP transport reads request bodies up to 4 MiB; an envelope must fit in one. */
export const MAX_ENVELOPE_CHARS = 4 * 1024 * 1024;

/**
 * export_graph and import_graph: signed federation through the running writer, which is how the
 * command line exchanges envelopes while a writer serves the data directory. Both use the writer's
 * own HYDRAMEM_FEDERATION_SECRET and project; a refusal's message starts with
 * "federation import refused [<code>]" so that callers can tell the reasons apart.
 */
export function registerFederationTools(server: McpServer, session: McpSession): void {
  const { engine } = session;

  server.registerTool(
    'export_graph',
    {
      title: 'Export the graph (signed)',
      description:
        "Signs the project's shared notes (entities, relations, chunks; no per-user memories) as a HydraMem v1 envelope and " +
        'returns its JSON text in `envelope`: write that text to a file as it is (its floats are written as Python does).',
      inputSchema: {
        issuer: z.string().min(1).max(64).describe('The name importers accept this envelope under'),
        project: z.string().max(64).optional().describe("Must be this writer's project when given"),
      },
    },
    guard(session, 'export_graph', (args, call) => {
      if (args.project !== undefined && args.project !== engine.project) {
        throw new UserError(`this writer serves project ${engine.project}; it cannot export project ${args.project}`, 2);
      }
      const outcome = engine.track(
        { tool: 'export_graph', sessionId: call.sessionId, identity: call.identity },
        () => exportGraph(engine, { issuer: args.issuer, actor: call.caller.actor }),
        (result) => ({ envelope_id: result.envelopeId, ...result.counts }),
      );
      call.target = outcome.envelopeId;
      return jsonResult({ ...exportReport(outcome), envelope: outcome.text });
    }),
  );

  server.registerTool(
    'import_graph',
    {
      title: 'Import a signed export',
      description:
        "Verifies a HydraMem v1 envelope (issuer on the accept list, HMAC signature, age, not imported before) and imports it into this writer's project in one transaction.",
      inputSchema: {
        envelope: z.string().min(1).max(MAX_ENVELOPE_CHARS).describe("The envelope file's text, unchanged"),
        accept_issuers: z.array(z.string().min(1).max(200)).min(1).max(100).describe('Issuers whose envelopes are trusted'),
      },
    },
    guard(session, 'import_graph', (args, call) => {
      const outcome = engine.track(
        { tool: 'import_graph', sessionId: call.sessionId, identity: call.identity },
        () => importEnvelope(engine, { text: args.envelope, acceptIssuers: args.accept_issuers, actor: call.caller.actor }),
        (result) => ({ envelope_id: result.envelopeId, issuer: result.issuer, ...result.counts }),
      );
      call.target = outcome.envelopeId;
      return jsonResult(importReport(outcome));
    }),
  );
}
