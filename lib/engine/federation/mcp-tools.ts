import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ConfigError } from '../../config';
import type { Engine } from '../engine';
import { UserError } from '../errors';
import { exportGraph, exportReport, importEnvelope, importReport } from './operations';

/** The writer's HTTP transport reads request bodies up to 4 MiB; an envelope must fit in one. */
export const MAX_ENVELOPE_CHARS = 4 * 1024 * 1024;

function failure(error: unknown): CallToolResult {
  const message =
    error instanceof UserError || error instanceof ConfigError
      ? error.message
      : `HydraMem could not complete the call: ${(error as Error)?.message ?? String(error)}`;
  return { content: [{ type: 'text', text: message }], isError: true };
}

function success(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/**
 * export_graph and import_graph: signed federation through the running writer, which is how the
 * command line exchanges envelopes while a writer serves the data directory. Both use the writer's
 * own HYDRAMEM_FEDERATION_SECRET and project; a refusal's message starts with
 * "federation import refused [<code>]" so that callers can tell the reasons apart.
 */
export function registerFederationTools(server: McpServer, engine: Engine, fallbackSessionId: string): void {
  const session = (extra: { sessionId?: string }): string => extra.sessionId ?? fallbackSessionId;

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
    async (args, extra) => {
      try {
        if (args.project !== undefined && args.project !== engine.project) {
          throw new UserError(`this writer serves project ${engine.project}; it cannot export project ${args.project}`, 2);
        }
        const outcome = engine.track(
          { tool: 'export_graph', sessionId: session(extra) },
          () => exportGraph(engine, { issuer: args.issuer, actor: 'export_graph' }),
          (result) => ({ envelope_id: result.envelopeId, ...result.counts }),
        );
        return success({ ...exportReport(outcome), envelope: outcome.text });
      } catch (error) {
        return failure(error);
      }
    },
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
    async (args, extra) => {
      try {
        const outcome = engine.track(
          { tool: 'import_graph', sessionId: session(extra) },
          () => importEnvelope(engine, { text: args.envelope, acceptIssuers: args.accept_issuers, actor: 'import_graph' }),
          (result) => ({ envelope_id: result.envelopeId, issuer: result.issuer, ...result.counts }),
        );
        return success(importReport(outcome));
      } catch (error) {
        return failure(error);
      }
    },
  );
}
