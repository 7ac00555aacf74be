import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { IngestSummary } from '../../lib/engine/ingest/ingest';
import { cliActor } from '../cli-actor';
import { action, configWith } from '../cli-support';
import { rawStderr } from '../terminal-output';
import { withWriter } from '../writer-access';

/** One line a person can read at a glance, then one line per file that needs a look. */
export function formatIngestSummary(summary: IngestSummary): string {
  const seconds = (summary.durationMs / 1000).toFixed(2);
  const lines = [
    `ingested ${summary.files} file(s) in ${seconds} s: ${summary.ok} ok, ${summary.unchanged} unchanged, ` +
      `${summary.skipped - summary.unchanged} skipped, ${summary.failed} failed, ${summary.deleted} deleted; ` +
      `chunks +${summary.chunksAdded}/-${summary.chunksRemoved}, entities +${summary.entitiesAdded}/-${summary.entitiesRemoved}, ` +
      `relations +${summary.relationsAdded}/-${summary.relationsRemoved}`,
  ];
  for (const problem of summary.problems.slice(0, 20)) lines.push(`  ${problem.status}: ${problem.path}: ${problem.reason}`);
  if (summary.problems.length > 20) lines.push(`  ... and ${summary.problems.length - 20} more (see ingest_runs)`);
  return lines.join('\n');
}

/** A progress bar on an interactive terminal; nothing on a pipe or in CI. */
export function progressReporter(): { onProgress?: (done: number, total: number) => void; stop(): void } {
  if (!process.stderr.isTTY || process.env.CI) return { stop() {} };
  const bar = new SingleBar(
    { stream: rawStderr(), format: 'ingest [{bar}] {value}/{total} files', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (total < 20) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Ingest a folder of notes (recursively) or one note into the tenant graph')
    .argument('<path>', 'folder or .md/.markdown/.txt file')
    .option('--json', 'print the summary as JSON')
    .action(
      action(async (target: string, options: { json?: boolean }) => {
        const config = configWith({});
        const progress = progressReporter();
        const summary = await withWriter(
          config,
          'hydramem ingest',
          (engine) => {
            try {
              return engine.ingest(target, {
                source: 'cli',
                recordUnchanged: true,
                onProgress: progress.onProgress,
                actor: cliActor(),
              });
            } finally {
              progress.stop();
            }
          },
          async (writer) => {
            const relative = path.relative(config.knowledgeDir, path.resolve(target));
            const { callWriterTool } = await import('../../lib/engine/mcp/client');
            const result = await callWriterTool(writer, 'ingest_directory_tool', { path: relative || undefined });
            process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
            return null;
          },
        );
        if (!summary) return;
        process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatIngestSummary(summary)}\n`);
        if (summary.failed > 0) process.exitCode = 1;
      }),
    );
}
