import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, connectHttp, createApiKey, startHttpWriter, stopProcess, waitFor, type Tenant } from './helpers';

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

/**
 * A `hydramem serve` over Streamable HTTP with a service key and the official SDK client; the
 * writer is stopped when the body is done.
 */
export async function withHttpClient<T>(tenant: Tenant, body: (client: Client) => Promise<T>): Promise<T> {
  const { key } = createApiKey(tenant);
  const { writer, port } = await startHttpWriter(tenant);
  try {
    const client = await connectHttp(port, key);
    try {
      return await body(client);
    } finally {
      await client.close();
    }
  } finally {
    await stopProcess(writer);
  }
}
