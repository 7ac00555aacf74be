import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ConfigError } from '../../config';
import { DEFAULT_MEMORY, type MemoryScope, type ReadScopeFilter } from '../../store/scope';
import type { Engine, KeyAttribution } from '../engine';
import { callIdentity } from '../engine';
import { UserError } from '../errors';
import { effectiveUser, RefusedError, type Caller } from '../identity/caller';
import { hasScope } from '../identity/key-scopes';
import type { CallIdentity } from '../telemetry/recorder';
import { ProtocolError, pythonCallShape, type PythonCallArgs } from './python-args';
import { TOOL_ACCESS, type ToolName } from './tool-access';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export const scopeShape = {
  user_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The end user the call is for: their memories plus the shared notes (a key bound to a user needs none)'),
  user_identifier: z.string().min(1).max(200).optional().describe('Another name for user_id'),
  memory_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('One of the user’s memories (default: all of them to read, `default` to write)'),
  ...pythonCallShape,
};

/** How a server finds who is calling: the same for every request over stdio, the request's key over HTTP. */
export interface McpSession {
  engine: Engine;
  /** Who opened the session (the key it was opened with); every later request must come with the same. */
  opener: Caller;
  callerOf(extra: ToolExtra): Caller;
  sessionOf(extra: ToolExtra): string;
}

/** One call as a tool body sees it: who, for which user, in which scope, recorded how. */
export interface ToolCall {
  caller: Caller;
  sessionId: string;
  /** The user the call acts for (null: none named), after the key's and the transport's rules. */
  userId: string | null;
  /** The memory named (null: none; a write then goes to `default`). */
  memoryId: string | null;
  /** What a read may see. */
  scope: ReadScopeFilter;
  identity: CallIdentity;
  key: KeyAttribution | null;
  /** What the call acted on, for the audit trail; a body sets it. */
  target: string | null;
}

/** Arguments every scoped tool may take. `user_identifier` is the seed's name for `user_id`. */
export interface ScopeArgs extends PythonCallArgs {
  user_id?: string;
  user_identifier?: string;
  memory_id?: string;
}

export function jsonResult(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

/** Where a write went, as a result says it: the user's memory, or shared. */
export function scopeResult(scope: MemoryScope): { user_id: string; memory_id: string | null } | 'shared' {
  return scope.userId ? { user_id: scope.userId, memory_id: scope.memoryId } : 'shared';
}

export function errorResult(error: unknown): CallToolResult {
  const message =
    error instanceof UserError || error instanceof ConfigError
      ? error.message
      : `HydraMem could not complete the call: ${(error as Error)?.message ?? String(error)}`;
  return { content: [{ type: 'text', text: message }], isError: true };
}

function argumentUser(args: ScopeArgs): string | null {
  if (args.user_id && args.user_identifier && args.user_id !== args.user_identifier)
    throw new UserError('user_id and user_identifier name different users: give one.', 2);
  return args.user_id ?? args.user_identifier ?? null;
}

/** A writer serves one project: a call for another is refused, never answered from this one. */
function checkProject(engine: Engine, tool: string, requested: string | undefined): void {
  if (requested !== undefined && requested !== engine.project)
    throw new RefusedError(
      `refused: this writer serves project ${engine.project}; it cannot answer ${tool} for project ${requested} (nothing was read or written).`,
    );
}

/**
 * Wraps a tool body with the rules every call follows: the key must hold the tool's scope; the
 * user is the key's or the transport's (a different user_id is refused); with HYDRAMEM_MULTI_USER a
 * write for an end user must name one; writes and every use of a key go to the audit trail; a
 * thrown error becomes a readable MCP error, never a crash. A refused call writes nothing.
 */
export function guard<Args extends object>(
  session: McpSession,
  tool: ToolName,
  body: (args: Args, call: ToolCall) => CallToolResult | Promise<CallToolResult>,
): (args: Args, extra: ToolExtra) => Promise<CallToolResult> {
  const access = TOOL_ACCESS[tool];
  const { engine } = session;
  return async (args, extra) => {
    const scopeArgs: ScopeArgs = args;
    const caller = session.callerOf(extra);
    const key: KeyAttribution | null = caller.key ? { prefix: caller.key.prefix, env: caller.key.env } : null;
    const audit = (result: 'ok' | 'denied' | 'failed', reason: string | null, userId: string | null, target: string | null) => {
      if (access.ownAudit || (!access.audit && !caller.key)) return;
      engine.audit({
        actor: caller.actor,
        action: access.action,
        target,
        result,
        reason,
        keyPrefix: key?.prefix ?? null,
        endUser: userId,
        detail: { tool },
      });
    };
    let userId: string | null = null;
    try {
      if (!hasScope(caller.scopes, access.scope))
        throw new RefusedError(`refused: this key lacks the ${access.scope} scope that ${tool} needs.`);
      checkProject(engine, tool, scopeArgs.project);
      userId = effectiveUser(caller, argumentUser(scopeArgs));
      if (access.forUser && userId === null && engine.config.multiUser)
        throw new RefusedError(
          `refused: user_id is required: HYDRAMEM_MULTI_USER is on, so every write names the user it is for (${tool} wrote nothing).`,
        );
    } catch (error) {
      audit('denied', (error as Error).message, userId, null);
      return errorResult(error);
    }
    if (caller.key) engine.recorder.recordKeyUse(caller.key.id, engine.clock());
    const memoryId = scopeArgs.memory_id?.trim() || null;
    const call: ToolCall = {
      caller,
      // The Python server's session_id groups an agent's calls across connections; it wins over the transport's.
      sessionId: scopeArgs.session_id ?? session.sessionOf(extra),
      userId,
      memoryId,
      scope: { userId, memoryId: userId ? memoryId : null },
      identity: callIdentity(userId, userId ? (memoryId ?? (access.forUser ? DEFAULT_MEMORY : null)) : null, key),
      key,
      target: null,
    };
    try {
      const result = await body(args, call);
      audit(result.isError ? 'failed' : 'ok', result.isError ? firstText(result) : null, userId, call.target);
      return result;
    } catch (error) {
      audit(error instanceof RefusedError ? 'denied' : 'failed', (error as Error).message, userId, call.target);
      // A protocol error (invalid arguments found by the body) goes back as one, not as a tool result.
      if (error instanceof ProtocolError) throw error;
      return errorResult(error);
    }
  };
}

function firstText(result: CallToolResult): string | null {
  const first = result.content[0];
  return first?.type === 'text' ? first.text.slice(0, 500) : null;
}
