import { UserError } from '../errors';
import type { KeyEnvironment, KeyScope } from './key-scopes';

/** The API key a request came with, as the writer found it (never the key itself). */
export interface CallerKey {
  id: string;
  prefix: string;
  env: KeyEnvironment;
  scopes: readonly KeyScope[];
  /** A key bound to one user acts only for that user. */
  userId: string | null;
}

/**
 * Who is calling the writer. Over HTTP, the key decides (a service key names the end user per
 * request); over stdio the launching process is trusted (HYDRAMEM_USER binds it to one user); the
 * CLI acts as the OS user who runs it.
 */
export interface Caller {
  kind: 'key' | 'stdio' | 'cli' | 'open-http' | 'internal';
  /** For the audit trail: `key:hm_live_Ab12Cd34`, `stdio`, `cli:alice`, `http (no auth)`, `demo`. */
  actor: string;
  key: CallerKey | null;
  /** The end user the transport names: a user-bound key's, X-End-User-ID, HYDRAMEM_USER. */
  endUser: string | null;
  /** Scopes granted; callers without a key hold every scope. */
  scopes: readonly KeyScope[];
}

export const ALL_SCOPES: readonly KeyScope[] = ['memory:*'];

export function trustedCaller(
  kind: 'stdio' | 'cli' | 'open-http' | 'internal',
  actor: string,
  endUser: string | null = null,
): Caller {
  return { kind, actor, key: null, endUser, scopes: ALL_SCOPES };
}

/** A call refused for who is calling (a scope, a user): a clear message, nothing written. */
export class RefusedError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'RefusedError';
  }
}

/**
 * The user a call acts for. A user-bound key (or a stdio writer bound by HYDRAMEM_USER) acts only
 * for its user: naming another one is refused. Otherwise the transport's end user, then the
 * `user_id` argument; null when none is named.
 */
export function effectiveUser(caller: Caller, argument: string | null | undefined): string | null {
  const named = argument?.trim() || null;
  const bound = caller.key?.userId ?? (caller.kind === 'stdio' ? caller.endUser : null);
  if (bound !== null) {
    if (named !== null && named !== bound)
      throw new RefusedError(`refused: this ${caller.key ? 'key' : 'writer'} acts only for user "${bound}", not "${named}".`);
    return bound;
  }
  if (caller.endUser !== null && named !== null && named !== caller.endUser)
    throw new RefusedError(
      `refused: the request names end user "${caller.endUser}" (X-End-User-ID) and user_id "${named}"; they must agree.`,
    );
  return caller.endUser ?? named;
}
