import { UserError } from '../errors';

/**
 * Why an import is refused, each with its own exit code. The codes start at 10 so that they never
 * collide with the command line's general ones (1 failure, 2 configuration or arguments, 3 data
 * directory held by another writer, 4 unusable store). Import checks run in the table's order, from
 * `malformed-json` to `replay`; `invalid-payload` is found while mapping a verified envelope.
 */
export const REFUSALS = {
  unreadable: { exitCode: 10, summary: 'the file does not exist or cannot be read (or, for an export, written)' },
  'malformed-json': { exitCode: 11, summary: 'the file is not valid JSON (or not UTF-8)' },
  'wrong-format': { exitCode: 12, summary: 'not a JSON object with format "hydramem-export"' },
  'wrong-version': { exitCode: 13, summary: 'version is not 1' },
  'unknown-issuer': { exitCode: 14, summary: 'issuer is not one of the --accept-issuer names' },
  'unsupported-algorithm': { exitCode: 15, summary: 'algo is not "hmac-sha256"' },
  'bad-signature': {
    exitCode: 16,
    summary: 'signature missing or not made with this HYDRAMEM_FEDERATION_SECRET over this content',
  },
  expired: { exitCode: 17, summary: 'created_at is older than the maximum age, in the future, or not a timestamp' },
  replay: { exitCode: 18, summary: 'this envelope was already imported into this project' },
  'invalid-payload': { exitCode: 19, summary: 'signed, but the payload is not entities/relations/chunks of the expected shape' },
} as const;

export type RefusalCode = keyof typeof REFUSALS;

/** The prefix every refusal message starts with, so a refusal relayed over MCP keeps its code. */
const PREFIX = /^federation (import|export) refused \[([a-z-]+)\]: /;

/** An import or export that was refused: the CLI prints the message and exits with the code's number. */
export class FederationRefusal extends UserError {
  constructor(
    readonly code: RefusalCode,
    readonly detail: string,
    readonly direction: 'import' | 'export' = 'import',
  ) {
    super(`federation ${direction} refused [${code}]: ${detail}`, REFUSALS[code].exitCode);
    this.name = 'FederationRefusal';
  }

  /** Rebuilds a refusal from its message (as a running writer's MCP tool returns it), or null. */
  static fromMessage(message: string): FederationRefusal | null {
    const match = PREFIX.exec(message);
    const code = match?.[2];
    if (!match || code === undefined || !(code in REFUSALS)) return null;
    return new FederationRefusal(code as RefusalCode, message.slice(match[0].length), match[1] as 'import' | 'export');
  }
}
