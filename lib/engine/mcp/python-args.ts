import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * The Python HydraMem's arguments that every one of its tools takes (hydramem/server.py v0.2.1),
 * so that its agents' calls work here unchanged.
 */
export const pythonCallShape = {
  project: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("The Python server's project argument: must be this writer's project (a writer serves one); default: it"),
  session_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Groups the call in telemetry (events.session_id, query_log.session_id); default: the MCP session'),
};

export interface PythonCallArgs {
  project?: string;
  session_id?: string;
}

/** One Python argument name standing for one of ours; `required`: one of the two must be given. */
export interface ArgumentAlias {
  ours: string;
  python: string;
  required?: boolean;
}

/**
 * A JSON-RPC error to answer a tools/call with. Not the SDK's McpError: that one writes
 * "MCP error -32602:" into its message, and the SDK client adds the same prefix again on receipt.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: { fields: string[] },
  ) {
    super(message);
  }
}

export function invalidParams(message: string, fields: string[]): ProtocolError {
  return new ProtocolError(ErrorCode.InvalidParams, message, { fields });
}

/**
 * Folds each Python name into ours, so that tool bodies read our names only. Both names with
 * different values is a contradiction the caller must resolve, never a silent pick.
 */
export function resolveAliases(
  tool: string,
  aliases: readonly ArgumentAlias[],
  args: Record<string, unknown>,
): Record<string, unknown> {
  const resolved = { ...args };
  for (const { ours, python, required } of aliases) {
    const mine = resolved[ours];
    const theirs = resolved[python];
    if (mine !== undefined && theirs !== undefined && JSON.stringify(mine) !== JSON.stringify(theirs))
      throw invalidParams(
        `Invalid arguments for ${tool}: ${ours} and ${python} name the same argument with different values (${JSON.stringify(mine)} and ${JSON.stringify(theirs)}): give one.`,
        [ours, python],
      );
    if (mine === undefined && theirs !== undefined) resolved[ours] = theirs;
    delete resolved[python];
    if (required && resolved[ours] === undefined)
      throw invalidParams(`Invalid arguments for ${tool}: ${ours} (or ${python}) is required.`, [ours, python]);
  }
  return resolved;
}
