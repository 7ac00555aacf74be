import os from 'node:os';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UserError } from '../errors';
import { APP_VERSION } from '../../version';

/** A running writer as the command line reaches it: its MCP URL and the token it left for the command line. */
export interface WriterEndpoint {
  url: string;
  token: string | null;
}

/**
 * Calls one tool of a running writer over MCP HTTP and returns its JSON result. `timeoutMs` raises the
 * SDK's one-minute limit for tools that may take longer (a Night Gardener run over a large graph).
 */
export async function callWriterTool(
  writer: WriterEndpoint,
  tool: string,
  args: Record<string, unknown>,
  options: { timeoutMs?: number } = {},
): Promise<unknown> {
  const client = new Client({ name: 'hydramem-cli', version: APP_VERSION });
  const { url } = writer;
  const headers: Record<string, string> = { 'x-hydramem-os-user': os.userInfo().username };
  if (writer.token) headers.authorization = `Bearer ${writer.token}`;
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new UserError(`the running writer does not answer at ${url} (${(error as Error).message}); is it still starting?`);
  }
  try {
    const result = await client.callTool(
      { name: tool, arguments: args },
      undefined,
      options.timeoutMs ? { timeout: options.timeoutMs } : undefined,
    );
    const first = Array.isArray(result.content) ? (result.content[0] as { type: string; text?: string } | undefined) : undefined;
    const text = first?.type === 'text' ? (first.text ?? '') : '';
    if (result.isError) throw new UserError(text || `${tool} failed in the running writer`);
    return result.structuredContent ?? JSON.parse(text);
  } finally {
    await client.close().catch(() => undefined);
  }
}
