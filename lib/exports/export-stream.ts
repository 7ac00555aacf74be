import { csvLine, type Cell } from './csv';

export type ExportFormat = 'csv' | 'json';

/** What the next batch of an export brought: rows (and whether more follow), or why it stopped. */
export type ExportPull = { rows: Array<Record<string, Cell>>; done: boolean } | { failed: string };

export interface ExportSource {
  /** Column names, in order; every row has a value for each. */
  columns: readonly string[];
  /** Reads the next batch; called again only after the client has taken the previous one. */
  pull(): Promise<ExportPull>;
}

/** The marker a truncated CSV ends with (a row that cannot be mistaken for data). */
export function truncationMarker(cap: number): string {
  return `# truncated: this export stops at ${cap} rows; narrow the range or the filters\r\n`;
}

/** The marker a CSV ends with when a batch could not be read: the file is known to be incomplete. */
export function failureMarker(reason: string): string {
  return `# failed: the export stopped before its end: ${reason.replace(/[\r\n]+/g, ' ')}\r\n`;
}

/**
 * Streams an export as CSV or JSON, one batch per pull, as the client reads: other requests are
 * answered between batches. Stops after `cap` rows and says so (a CSV marker line; `"truncated":
 * true` in JSON); a batch that fails ends the file with a marker too (`"failed": …` in JSON).
 */
export function exportStream(
  source: ExportSource,
  format: ExportFormat,
  cap: number,
  meta: Record<string, string>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let written = 0;
  let started = false;
  let done = false;
  const finish = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    end: { truncated: boolean; failed: string | null },
  ): void => {
    done = true;
    if (format === 'csv') {
      if (end.failed !== null) controller.enqueue(encoder.encode(failureMarker(end.failed)));
      else if (end.truncated) controller.enqueue(encoder.encode(truncationMarker(cap)));
    } else {
      const failed = end.failed === null ? '' : `,"failed":${JSON.stringify(end.failed)}`;
      controller.enqueue(encoder.encode(`\n],"rowCount":${written},"truncated":${end.truncated},"cap":${cap}${failed}}\n`));
    }
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (!started) {
        started = true;
        const head =
          format === 'csv'
            ? csvLine(source.columns)
            : `{${Object.entries(meta)
                .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`)
                .join('')}"columns":${JSON.stringify(source.columns)},"rows":[`;
        controller.enqueue(encoder.encode(head));
      }
      const batch = await source.pull();
      if ('failed' in batch) return finish(controller, { truncated: false, failed: batch.failed });
      let chunk = '';
      let taken = 0;
      for (const row of batch.rows) {
        if (written === cap) break;
        const values = source.columns.map((column) => row[column] ?? null);
        chunk += format === 'csv' ? csvLine(values) : `${written === 0 ? '\n' : ',\n'}${JSON.stringify(values)}`;
        written++;
        taken++;
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      // A batch that is not the last promises more rows: at the cap, they are what is cut off.
      const more = taken < batch.rows.length || !batch.done;
      if (written === cap && more) return finish(controller, { truncated: true, failed: null });
      if (batch.done) return finish(controller, { truncated: false, failed: null });
    },
    cancel() {
      done = true;
    },
  });
}
