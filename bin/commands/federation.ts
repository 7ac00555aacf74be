import path from 'node:path';
import type { Command } from 'commander';
import type { HydraConfig } from '../../lib/config';
import type { Engine } from '../../lib/engine/engine';
import { UserError } from '../../lib/engine/errors';
import { MAX_ENVELOPE_CHARS } from '../../lib/engine/federation/mcp-tools';
import {
  checkAcceptList,
  checkIssuerName,
  exportGraph,
  exportReport,
  federationSecret,
  importEnvelope,
  importReport,
  readEnvelopeFile,
  writeFileAtomically,
} from '../../lib/engine/federation/operations';
import { FederationRefusal, REFUSALS } from '../../lib/engine/federation/refusals';
import { LockHeldError } from '../../lib/engine/lock';
import { action, configWith } from '../cli-support';
import { cliActor } from '../cli-actor';
import { withWriter, type WriterEndpoint } from '../writer-access';

type Report = Record<string, unknown>;

const EXIT_CODES_HELP = [
  '',
  'Exit codes: 0 done, 1 other failure, 2 bad configuration or arguments (no HYDRAMEM_FEDERATION_SECRET, no --accept-issuer),',
  '3 data directory held by a writer that does not serve HTTP, and for a refused envelope:',
  ...Object.entries(REFUSALS).map(([code, refusal]) => `  ${refusal.exitCode}  ${code.padEnd(22)} ${refusal.summary}`),
].join('\n');

/**
 * Runs with the engine, or through a writer serving this data directory over HTTP. A writer on stdio
 * cannot be reached from here: say how to get the exchange done instead of only naming the lock.
 */
async function withEngineOrWriter(
  config: HydraConfig,
  command: string,
  local: (engine: Engine) => Report,
  remote: (writer: WriterEndpoint) => Promise<Report>,
): Promise<Report> {
  try {
    return await withWriter(config, command, local, async (writer) => {
      try {
        return await remote(writer);
      } catch (error) {
        // The writer's refusal names its code; give it back its own exit code.
        throw (error instanceof UserError && FederationRefusal.fromMessage(error.message)) || error;
      }
    });
  } catch (error) {
    if (error instanceof LockHeldError) {
      throw new UserError(
        `${error.message} Exports and imports are recorded by the writer: use its export_graph / import_graph MCP tools, ` +
          'or stop it and run this command again.',
        3,
      );
    }
    throw error;
  }
}

async function callTool(writer: WriterEndpoint, tool: string, args: Record<string, unknown>): Promise<Report> {
  const { callWriterTool } = await import('../../lib/engine/mcp/client');
  return (await callWriterTool(writer, tool, args)) as Report;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function formatExport(report: Report, file: string): string {
  return (
    `exported project ${String(report.project)} as issuer "${String(report.issuer)}" to ${file}: ` +
    `${String(report.entities)} entities, ${String(report.relations)} relations, ${String(report.chunks)} chunks ` +
    `(envelope ${String(report.envelope_id)})`
  );
}

function formatImport(report: Report): string {
  const w = (report.written ?? {}) as Record<string, number>;
  return (
    `imported envelope ${String(report.envelope_id)} from issuer "${String(report.issuer)}" ` +
    `(project ${String(report.source_project)}) into project ${String(report.project)}: ` +
    `entities +${w.entities_added} (${w.entities_present} already present), ` +
    `relations +${w.relations_added} (${w.relations_present} present, ${w.relations_skipped} skipped), ` +
    `mentions +${w.mentions_added} (${w.mentions_skipped} skipped), ` +
    `chunks +${w.chunks_added} in ${w.documents} document(s) (${w.chunks_replaced} replaced, ${w.chunks_skipped} skipped)`
  );
}

export function registerFederation(program: Command): void {
  program
    .command('export')
    .description("Write a signed export (HydraMem v1 envelope) of a project's shared notes: entities, relations, chunks")
    .argument('<out>', 'the envelope file to write (mode 0600)')
    .option('--project <name>', 'the project to export (default HYDRAMEM_PROJECT)')
    .option('--issuer <name>', 'required: the name importers accept this envelope under (--accept-issuer NAME)')
    .option('--json', 'print the outcome as JSON')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action(async (out: string, options: { project?: string; issuer?: string; json?: boolean }) => {
        if (!options.issuer)
          throw new UserError('--issuer NAME is required: the name importers accept (--accept-issuer NAME)', 2);
        const issuer = options.issuer;
        checkIssuerName(issuer);
        const config = configWith({ HYDRAMEM_PROJECT: options.project });
        federationSecret(config);
        const file = path.resolve(out);
        const report = await withEngineOrWriter(
          config,
          'hydramem export',
          (engine) => exportReport(exportGraph(engine, { issuer, actor: cliActor(), file })),
          async (writer) => {
            const { envelope, ...rest } = await callTool(writer, 'export_graph', { issuer, project: config.project });
            writeFileAtomically(file, String(envelope));
            return rest;
          },
        );
        process.stdout.write(
          options.json ? `${JSON.stringify({ ...report, file }, null, 2)}\n` : `${formatExport(report, file)}\n`,
        );
      }),
    );

  program
    .command('import')
    .description('Verify a signed export and import it into HYDRAMEM_PROJECT (one transaction; refused envelopes change nothing)')
    .argument('<in>', 'the envelope file')
    .option(
      '--accept-issuer <name>',
      'an issuer whose envelopes you trust; repeat for several (at least one is required)',
      collect,
      [],
    )
    .option('--json', 'print the outcome as JSON')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(
      action(async (input: string, options: { acceptIssuer: string[]; json?: boolean }) => {
        checkAcceptList(options.acceptIssuer);
        const config = configWith({});
        federationSecret(config);
        const file = path.resolve(input);
        const report = await withEngineOrWriter(
          config,
          'hydramem import',
          (engine) => importReport(importEnvelope(engine, { acceptIssuers: options.acceptIssuer, actor: cliActor(), file })),
          async (writer) => {
            const envelope = readEnvelopeFile(file);
            if (Buffer.byteLength(JSON.stringify(envelope)) > MAX_ENVELOPE_CHARS - 64 * 1024) {
              throw new UserError(
                `${file} is too large to pass through the running writer (its requests stop at 4 MiB): ` +
                  'stop the writer and run the import again.',
              );
            }
            return callTool(writer, 'import_graph', { envelope, accept_issuers: options.acceptIssuer });
          },
        );
        process.stdout.write(options.json ? `${JSON.stringify({ ...report, file }, null, 2)}\n` : `${formatImport(report)}\n`);
      }),
    );
}
