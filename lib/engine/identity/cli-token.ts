import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { keyHash } from './api-keys';

/**
 * The command line's credential for a writer that serves HTTP with API keys: a random token the
 * writer writes to `cli.token` in the data directory (mode 0600, so only the tenant's OS user, who
 * can read the stores anyway, can use it) and removes when it stops. It is not an API key.
 */
export const CLI_TOKEN_FILE = 'cli.token';

export interface CliToken {
  matches(token: string): boolean;
  remove(): void;
}

export function writeCliToken(dataDir: string): CliToken {
  const file = path.join(dataDir, CLI_TOKEN_FILE);
  const token = `hm_cli_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  const expected = Buffer.from(keyHash(token), 'hex');
  return {
    matches: (candidate) => timingSafeEqual(Buffer.from(keyHash(candidate), 'hex'), expected),
    remove: () => fs.rmSync(file, { force: true }),
  };
}

/** The token of the writer serving `dataDir`, for the command line, or null when there is none. */
export function readCliToken(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(dataDir, CLI_TOKEN_FILE), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
