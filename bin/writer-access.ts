import type { HydraConfig } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import { readCliToken } from '../lib/engine/identity/cli-token';
import { LockHeldError } from '../lib/engine/lock';
import type { WriterEndpoint } from '../lib/engine/mcp/client';

export type { WriterEndpoint };

/**
 * Runs a command with the engine, or, when a writer already serves this data directory over HTTP,
 * through that writer: there is only ever one process writing a tenant's stores.
 */
export async function withWriter<T>(
  config: HydraConfig,
  command: string,
  local: (engine: Engine) => T | Promise<T>,
  remote: (writer: WriterEndpoint) => Promise<T>,
): Promise<T> {
  let engine: Engine;
  try {
    engine = Engine.open(config, { command });
  } catch (error) {
    if (error instanceof LockHeldError && error.holder.mcpUrl) {
      process.stderr.write(
        `hydramem: a writer (pid ${error.holder.pid}) serves this data directory; asking it at ${error.holder.mcpUrl}\n`,
      );
      // A writer with API keys leaves the command line a token in the data directory (mode 0600).
      return remote({ url: error.holder.mcpUrl, token: readCliToken(config.dataDir) });
    }
    throw error;
  }
  try {
    return await local(engine);
  } finally {
    engine.close();
  }
}
