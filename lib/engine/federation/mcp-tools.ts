import { z } from 'zod';
import type { ToolRegistry } from '../mcp/tool-registry';
import { guard, jsonResult, type McpSession } from '../mcp/guard';
import { pythonCallShape } from '../mcp/python-args';
import { exportGraph, exportReport, importEnvelope, importReport } from './operations';

/** The writer's HTTP transport reads request bodies up to 4 MiB; an envelope must fit in one. */
export const MAX_ENVELOPE_CHARS = 4 * 1024 * 1024;

/**
 * export_graph and import_graph: signed federation through the running writer, which is how the
 * command line exchanges envelopes while a writer serves the data directory. Both use the writer's
 * own HYDRAMEM_FEDERATION_SECRET and project; a refusal's message starts with
 * "federation import refused [<code>]" so that callers can tell the reasons apart.
 */
export function registerFederationTools(tools: ToolRegistry, session: McpSession): void {
  const { engine } = session;

  tools.register(
    'export_graph',
    {
      title: 'Export the graph (signed)',
      description:
        "Signs the project's shared notes (entities, relations, chunks; no per-user memories) as a HydraMem v1 envelope and " +
        'returns its JSON text in `envelope`: write that text to a file as it is (its floats are written as Python does).',
      inputSchema: {
        issuer: z.string().min(1).max(64).describe('The name importers accept this envelope under'),
        ...pythonCallShape,
      },
    },
    guard(session, 'export_graph', (args, call) => {
      const outcome = engine.track(
        { tool: 'export_graph', sessionId: call.sessionId, identity: call.identity },
        () => exportGraph(engine, { issuer: args.issuer, actor: call.caller.actor }),
        (result) => ({ envelope_id: result.envelopeId, ...result.counts }),
      );
      call.target = outcome.envelopeId;
      return jsonResult({ ...exportReport(outcome), envelope: outcome.text });
    }),
  );

  tools.register(
    'import_graph',
    {
      title: 'Import a signed export',
      description:
        "Verifies a HydraMem v1 envelope (issuer on the accept list, HMAC signature, age, not imported before) and imports it into this writer's project in one transaction.",
      inputSchema: {
        envelope: z.string().min(1).max(MAX_ENVELOPE_CHARS).describe("The envelope file's text, unchanged"),
        accept_issuers: z
          .array(z.string().min(1).max(200))
          .min(1)
          .max(100)
          .describe('Issuers whose envelopes are trusted (1–100)'),
        ...pythonCallShape,
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
