import type { HydraConfig } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import { LockHeldError } from '../lib/engine/lock';

/**
 * Runs a command with the engine, or, when a writer already serves this data directory over HTTP,
 * through that writer: there is only ever one process writing a tenant's stores.
 */
export async function withWriter<T>(
  config: HydraConfig,
  command: string,
  local: (engine: Engine) => T | Promise<T>,
  remote: (mcpUrl: string) => Promise<T>,
): Promise<T> {
  let engine: Engine;
  try {
    engine = Engine.open(config, { command });
  } catch (error) {
    if (error instanceof LockHeldError && error.holder.mcpUrl) {
      process.stderr.write(
        `hydramem: a writer (pid ${error.holder.pid}) serves this data directory; asking it at ${error.holder.mcpUrl}\n`,
      );
      return remote(error.holder.mcpUrl);
    }
    throw error;
  }
  try {
    return await local(engine);
  } finally {
    engine.close();
  }
}
