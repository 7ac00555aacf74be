import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolExtra } from './guard';
import { invalidParams, ProtocolError, resolveAliases, type ArgumentAlias } from './python-args';
import { TOOL_ANNOTATIONS } from './tool-annotations';
import { TOOL_OUTPUTS } from './output-schemas';

type Handler = (args: Record<string, unknown>, extra: ToolExtra) => Promise<CallToolResult>;

export interface ToolDefinition<Shape extends z.ZodRawShape> {
  title: string;
  description: string;
  inputSchema: Shape;
  /** Python argument names folded into ours before the body runs. */
  aliases?: readonly ArgumentAlias[];
}

interface Entry {
  input: z.ZodObject;
  output: z.ZodObject;
  aliases: readonly ArgumentAlias[];
  handler: Handler;
}

/** `k: Too big: …` for each problem, the fields named as the caller wrote them. */
function describeIssues(error: z.ZodError): { text: string; fields: string[] } {
  const fields: string[] = [];
  const parts = error.issues.map((issue) => {
    const named = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.map(String).join('.') || '(arguments)'];
    fields.push(...named);
    const message = issue.code === 'unrecognized_keys' ? 'not an argument of this tool' : issue.message;
    return `${named.join(', ')}: ${message}`;
  });
  return { text: parts.join('; '), fields };
}

/**
 * Registers tools on an McpServer with their annotations and output schema, and answers tools/call
 * itself: the SDK's McpServer turns invalid arguments into an isError result, whereas the protocol's
 * answer is the JSON-RPC invalid-params error (-32602) a client can act on. Unknown arguments are
 * refused by name rather than dropped, so a misspelt or unsupported argument is never ignored.
 */
export class ToolRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly server: McpServer) {}

  register<Shape extends z.ZodRawShape>(
    name: string,
    definition: ToolDefinition<Shape>,
    handler: (args: z.infer<z.ZodObject<Shape>>, extra: ToolExtra) => Promise<CallToolResult>,
  ): void {
    const input = z.strictObject(definition.inputSchema);
    const output = TOOL_OUTPUTS[name];
    const annotations = TOOL_ANNOTATIONS[name];
    if (!output || !annotations) throw new Error(`tool ${name} has no output schema or annotations`);
    const config = { title: definition.title, description: definition.description, inputSchema: input, outputSchema: output };
    // The SDK lists the tool; its own call path is replaced in install(), so its copy of the handler
    // never runs and the cast only spares restating the SDK's generic callback type.
    this.server.registerTool(name, { ...config, annotations }, handler as never);
    this.entries.set(name, { input, output, aliases: definition.aliases ?? [], handler: handler as Handler });
  }

  /** Takes over tools/call once every tool is registered. */
  install(): void {
    this.server.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.call(request.params.name, request.params.arguments, extra),
    );
  }

  private async call(name: string, raw: unknown, extra: ToolExtra): Promise<CallToolResult> {
    const entry = this.entries.get(name);
    if (!entry) throw invalidParams(`Tool ${name} not found`, ['name']);
    const parsed = entry.input.safeParse(raw ?? {});
    if (!parsed.success) {
      const { text, fields } = describeIssues(parsed.error);
      throw invalidParams(`Invalid arguments for ${name}: ${text}`, fields);
    }
    const args = resolveAliases(name, entry.aliases, parsed.data);
    const result = await entry.handler(args, extra);
    if (!result.isError && !entry.output.safeParse(result.structuredContent).success)
      // A result that does not match its own schema is the writer's fault; say so without its innards.
      throw new ProtocolError(
        ErrorCode.InternalError,
        `HydraMem produced a ${name} result that does not match its output schema`,
      );
    return result;
  }
}
