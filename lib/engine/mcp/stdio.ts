import { randomUUID } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Engine } from '../engine';
import { trustedCaller } from '../identity/caller';
import { createMcpServer } from './tools';

/**
 * MCP over stdin/stdout for editor-attached clients; stdout then carries only protocol messages.
 * The process that launched the writer is the trust boundary: no key; HYDRAMEM_USER binds it to one user.
 */
export async function startStdioMcp(engine: Engine): Promise<{ close(): Promise<void>; closed: Promise<void> }> {
  const opener = trustedCaller('stdio', 'stdio', engine.config.stdioUser);
  const fallback = `stdio-${randomUUID()}`;
  const server = createMcpServer({ engine, opener, callerOf: () => opener, sessionOf: (extra) => extra.sessionId ?? fallback });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  return { close: () => server.close(), closed };
}
