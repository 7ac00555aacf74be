import { randomUUID } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Engine } from '../engine';
import { createMcpServer } from './tools';

/** MCP over stdin/stdout for editor-attached clients; stdout then carries only protocol messages. */
export async function startStdioMcp(engine: Engine): Promise<{ close(): Promise<void>; closed: Promise<void> }> {
  const server = createMcpServer(engine, `stdio-${randomUUID()}`);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  process.stdin.once('end', () => void server.close());
  return { close: () => server.close(), closed };
}
