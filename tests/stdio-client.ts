import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, waitFor, type Tenant } from './helpers';

function stringEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * A `hydramem serve` over stdio with the official SDK client, as an agent's editor starts it; the
 * writer stops (its lock released, its telemetry flushed) when the client leaves.
 */
export async function withStdioClient<T>(tenant: Tenant, name: string, body: (client: Client) => Promise<T>): Promise<T> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve'],
    env: { ...stringEnv(), ...tenant.env, HYDRAMEM_TRANSPORT: 'stdio', CI: '1' },
    stderr: 'pipe',
  });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  try {
    return await body(client);
  } finally {
    await client.close();
    await waitFor(() => !fs.existsSync(path.join(tenant.dataDir, 'writer.lock')));
  }
}
