import os from 'node:os';
import path from 'node:path';
import { parseCron, type CronSchedule } from './cron';

/**
 * One typed configuration, read from the environment, shared by the writer and the dashboard.
 * Names follow the Python HydraMem where it has them; our own carry a HYDRAMEM_ or DASHBOARD_ prefix.
 */
export interface HydraConfig {
  dataDir: string;
  project: string;
  tenant: string;
  knowledgeDir: string;
  transport: 'stdio' | 'http';
  mcpHost: string;
  mcpPort: number;
  federationSecret: string | undefined;
  /** Imports refuse envelopes created longer ago than this (HYDRAMEM_FEDERATION_MAX_AGE_HOURS). */
  federationMaxAgeHours: number;
  watch: boolean;
  watchDebounceMs: number;
  maxFileBytes: number;
  chunkTokens: number;
  chunkOverlapTokens: number;
  telemetryFlushMs: number;
  /** When `hydramem serve` runs the Night Gardener (server local time); null when `off`. */
  gardenSchedule: CronSchedule | null;
  /** Relations not seen for this many days lose weight in each garden run (HYDRAMEM_GARDEN_DECAY_DAYS). */
  gardenDecayDays: number;
  /** Projects the dashboard may show (DASHBOARD_PROJECTS); the first is the default. */
  dashboardProjects: string[];
  /** HYDRAMEM_MULTI_USER: every write must name its user. */
  multiUser: boolean;
  /** HYDRAMEM_HTTP_AUTH: `keys` (API keys required over HTTP) or `none` (loopback only, for development). */
  httpAuth: 'keys' | 'none';
  /** HYDRAMEM_USER: the one user a stdio writer acts for; null for none. */
  stdioUser: string | null;
  /** MCP sessions over HTTP kept at most (HYDRAMEM_HTTP_MAX_SESSIONS); beyond it the least recently used ends. */
  httpMaxSessions: number;
  /** An MCP session over HTTP unused this long ends (HYDRAMEM_HTTP_SESSION_IDLE_MINUTES). */
  httpSessionIdleMinutes: number;
  /** HYDRAMEM_DENSE: the dense search arm (chunk vectors at ingest, nearest chunks at search); off: neither. */
  dense: boolean;
  /** HYDRAMEM_CACHE_DIR: where the writer keeps the packed word vectors it reads quickly on start. */
  cacheDir: string;
}

/** A bad value in the environment: the message names the variable, the value and what is expected. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string,
    readonly expected: string,
    message = `${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** A required variable that is not set: says what to set it to. */
  static missing(variable: string, expected: string): ConfigError {
    return new ConfigError(variable, '', expected, `${variable} is not set: ${expected}`);
  }
}

export type Env = Record<string, string | undefined>;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The trimmed value, or undefined when unset or blank. */
export function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, value, `a whole number from ${min} to ${max}`);
  }
  return parsed;
}

export function readEnum<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = allowed.find((option) => option === value.toLowerCase());
  if (!match) throw new ConfigError(name, value, `one of ${allowed.join(', ')}`);
  return match;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(name, value, '1/true/yes/on or 0/false/no/off');
}

export function readName(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!NAME_PATTERN.test(value)) {
    throw new ConfigError(name, value, 'a name of 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return value;
}

export function readNameList(env: Env, name: string, fallback: string[]): string[] {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const names = [
    ...new Set(
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  ];
  if (names.length === 0 || !names.every((item) => NAME_PATTERN.test(item))) {
    throw new ConfigError(name, value, 'a comma-separated list of project names');
  }
  return names;
}

function readHost(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(value)) throw new ConfigError(name, value, 'a host name or IP address');
  return value;
}

function readPath(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (value.includes('\0')) throw new ConfigError(name, value, 'a file system path');
  return path.resolve(value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : value);
}

export const DEFAULT_GARDEN_SCHEDULE = '0 3 * * *';

/** A cron schedule, or null for `off`. */
export function readSchedule(env: Env, name: string, fallback: string): CronSchedule | null {
  const value = raw(env, name) ?? fallback;
  if (value.toLowerCase() === 'off') return null;
  try {
    return parseCron(value);
  } catch (error) {
    throw new ConfigError(
      name,
      value,
      `a cron expression "minute hour day-of-month month day-of-week" such as "0 3 * * *", or off (${(error as Error).message})`,
    );
  }
}

/** A user identifier: 1 to 200 printable characters, no control characters, trimmed. */
export function isUserId(value: string): boolean {
  return value.length > 0 && value.length <= 200 && value === value.trim() && !/[\u0000-\u001f\u007f]/.test(value);
}

function readUserId(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  if (!isUserId(value)) throw new ConfigError(name, value, 'a user identifier of 1-200 printable characters');
  return value;
}

export function loadConfig(env: Env = process.env): HydraConfig {
  const project = readName(env, 'HYDRAMEM_PROJECT', 'default');
  return {
    dataDir: readPath(env, 'HYDRAMEM_DATA_DIR', path.join(os.homedir(), '.hydramem')),
    project,
    tenant: readName(env, 'HYDRAMEM_TENANT', project),
    knowledgeDir: readPath(env, 'KNOWLEDGE_DIR', './kms'),
    transport: readEnum(env, 'HYDRAMEM_TRANSPORT', 'stdio', ['stdio', 'http'] as const),
    mcpHost: readHost(env, 'MCP_HOST', '127.0.0.1'),
    mcpPort: readInt(env, 'MCP_PORT', 3000, 1, 65535),
    federationSecret: raw(env, 'HYDRAMEM_FEDERATION_SECRET'),
    federationMaxAgeHours: readInt(env, 'HYDRAMEM_FEDERATION_MAX_AGE_HOURS', 168, 1, 87_600),
    watch: readBool(env, 'HYDRAMEM_WATCH', true),
    watchDebounceMs: readInt(env, 'HYDRAMEM_WATCH_DEBOUNCE_MS', 500, 50, 60_000),
    maxFileBytes: readInt(env, 'HYDRAMEM_MAX_FILE_BYTES', 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    chunkTokens: readInt(env, 'HYDRAMEM_CHUNK_TOKENS', 400, 50, 8000),
    chunkOverlapTokens: readInt(env, 'HYDRAMEM_CHUNK_OVERLAP_TOKENS', 40, 0, 1000),
    telemetryFlushMs: readInt(env, 'HYDRAMEM_TELEMETRY_FLUSH_MS', 250, 10, 60_000),
    gardenSchedule: readSchedule(env, 'HYDRAMEM_GARDEN_SCHEDULE', DEFAULT_GARDEN_SCHEDULE),
    gardenDecayDays: readInt(env, 'HYDRAMEM_GARDEN_DECAY_DAYS', 30, 1, 3650),
    dashboardProjects: readNameList(env, 'DASHBOARD_PROJECTS', [project]),
    multiUser: readBool(env, 'HYDRAMEM_MULTI_USER', false),
    httpAuth: readEnum(env, 'HYDRAMEM_HTTP_AUTH', 'keys', ['keys', 'none'] as const),
    stdioUser: readUserId(env, 'HYDRAMEM_USER'),
    httpMaxSessions: readInt(env, 'HYDRAMEM_HTTP_MAX_SESSIONS', 256, 1, 100_000),
    httpSessionIdleMinutes: readInt(env, 'HYDRAMEM_HTTP_SESSION_IDLE_MINUTES', 30, 1, 10_080),
    dense: readEnum(env, 'HYDRAMEM_DENSE', 'on', ['on', 'off'] as const) === 'on',
    cacheDir: readPath(env, 'HYDRAMEM_CACHE_DIR', defaultCacheDir(env)),
  };
}

/** The user's cache directory (XDG_CACHE_HOME, else ~/.cache), hydramem's folder in it. */
function defaultCacheDir(env: Env): string {
  return path.join(raw(env, 'XDG_CACHE_HOME') ?? path.join(os.homedir(), '.cache'), 'hydramem');
}

export function metricsDbPath(config: Pick<HydraConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'metrics.db');
}

export function graphDbPath(config: Pick<HydraConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'graph.db');
}
