import { csvLine, type Cell } from './csv';

export type ExportFormat = 'csv' | 'json';

export interface ExportSource {
  /** Column names, in order; every row has a value for each. */
  columns: readonly string[];
  rows: Iterator<Record<string, Cell>>;
  /** Called once the stream ends or the client goes away (closes the database connection). */
  close(): void;
}

/** Rows written per pull: the stream never holds more than this many in memory. */
const BATCH = 500;

/** The marker a truncated CSV ends with (a row that cannot be mistaken for data). */
export function truncationMarker(cap: number): string {
  return `# truncated: this export stops at ${cap} rows; narrow the range or the filters\r\n`;
}

/**
 * Streams rows as CSV or JSON, pulling from the database as the client reads; stops after `cap`
 * rows and says so (a CSV marker line; `"truncated": true` in JSON).
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
  // An unfinished SQLite iterator must be ended before its connection can close.
  const release = (): void => {
    source.rows.return?.();
    source.close();
  };
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, truncated: boolean): void => {
    done = true;
    release();
    if (format === 'csv') {
      if (truncated) controller.enqueue(encoder.encode(truncationMarker(cap)));
    } else controller.enqueue(encoder.encode(`\n],"rowCount":${written},"truncated":${truncated},"cap":${cap}}\n`));
    controller.close();
  };
  return new ReadableStream<Uint8Array>({
    pull(controller) {
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
      let chunk = '';
      for (let i = 0; i < BATCH; i++) {
        const next = source.rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          return finish(controller, false);
        }
        if (written === cap) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          return finish(controller, true);
        }
        const values = source.columns.map((column) => next.value[column] ?? null);
        chunk += format === 'csv' ? csvLine(values) : `${written === 0 ? '\n' : ',\n'}${JSON.stringify(values)}`;
        written++;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      if (!done) release();
      done = true;
    },
  });
}
