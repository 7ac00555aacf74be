import { InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type HydraConfig } from '../lib/config';
import { UserError } from '../lib/engine/errors';
import { LockHeldError } from '../lib/engine/lock';
import { StoreError } from '../lib/store/errors';

/** Environment overrides from command-line flags, applied before the configuration is read. */
export function configWith(overrides: Record<string, string | number | undefined>): HydraConfig {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) env[name] = String(value);
  return loadConfig(env);
}

/** Prints an error the way a user should see it (one clear message, no stack) and returns the exit code. */
export function reportError(error: unknown): number {
  const say = (text: string): void => void process.stderr.write(`hydramem: ${text}\n`);
  if (error instanceof ConfigError) {
    say(error.message);
    return 2;
  }
  if (error instanceof UserError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof LockHeldError) {
    say(error.message);
    return 3;
  }
  if (error instanceof StoreError) {
    say(`${error.message}\n  ${error.hint}`);
    return 4;
  }
  say(`unexpected error: ${(error as Error)?.message ?? String(error)}`);
  if (process.env.HYDRAMEM_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  else say('set HYDRAMEM_DEBUG=1 to print the details');
  return 1;
}

/** Wraps a command's action so that every failure ends in reportError and an exit code. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

export function parsePositiveInt(name: string, max: number): (value: string) => number {
  return (value: string) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < 1 || parsed > max)
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    return parsed;
  };
}
