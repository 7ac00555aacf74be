import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../lib/exports/csv';
import { exportStream, failureMarker, truncationMarker, type ExportPull, type ExportSource } from '../lib/exports/export-stream';

/** A source of `count` rows in batches of `batch`, like the read models' keyset batches; it may fail at a batch. */
function source(count: number, options: { batch?: number; failAt?: number } = {}): ExportSource & { pulls: number } {
  const batch = options.batch ?? 500;
  const rows = Array.from({ length: count }, (_, i) => ({ id: i + 1, text: i === 0 ? '=HYPERLINK("x")' : `row ${i + 1}` }));
  const result = {
    columns: ['id', 'text'],
    pulls: 0,
    pull: async (): Promise<ExportPull> => {
      const start = result.pulls * batch;
      result.pulls++;
      if (options.failAt !== undefined && result.pulls > options.failAt)
        return { failed: 'the metrics store is damaged\nsee above' };
      const slice = rows.slice(start, start + batch);
      return { rows: slice, done: start + batch >= rows.length };
    },
  };
  return result;
}

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('CSV cells', () => {
  it('neutralises text a spreadsheet would run as a formula', () => {
    for (const [input, output] of [
      ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
      ['+1234', "'+1234"],
      ['-2+3', "'-2+3"],
      ['@cmd', "'@cmd"],
      ['\tTAB', "'\tTAB"],
      ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
      ['two\nlines', '"two\nlines"'],
    ] as const) {
      expect(csvCell(input), input).toBe(output);
    }
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});

describe('export streams', () => {
  it('writes every row under the cap, one batch per pull', async () => {
    const rows = source(1200);
    const text = await read(exportStream(rows, 'csv', 5000, {}));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,text');
    expect(lines).toHaveLength(1201);
    expect(lines[1]).toBe(`1,"'=HYPERLINK(""x"")"`);
    expect(text).not.toContain('# truncated');
    expect(rows.pulls).toBe(3);
  });

  it('stops at the cap with a marker in CSV and a flag in JSON', async () => {
    const csv = await read(exportStream(source(1200), 'csv', 1000, {}));
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1002);
    expect(csv.endsWith(truncationMarker(1000))).toBe(true);
    const exactly = await read(exportStream(source(1000), 'csv', 1000, {}));
    expect(exactly).not.toContain('# truncated');
    const atBatchEdge = await read(exportStream(source(1001, { batch: 1000 }), 'csv', 1000, {}));
    expect(atBatchEdge.endsWith(truncationMarker(1000))).toBe(true);
    const json = JSON.parse(await read(exportStream(source(1200), 'json', 1000, { project: 'acme' }))) as Record<string, unknown>;
    expect(json).toMatchObject({ project: 'acme', columns: ['id', 'text'], rowCount: 1000, truncated: true, cap: 1000 });
    expect((json.rows as unknown[]).length).toBe(1000);
    const empty = JSON.parse(await read(exportStream(source(0), 'json', 10, {}))) as Record<string, unknown>;
    expect(empty).toMatchObject({ rows: [], rowCount: 0, truncated: false });
  });

  it('ends a file whose batch failed midway with a marker, never silently short', async () => {
    const csv = await read(exportStream(source(1200, { failAt: 1 }), 'csv', 5000, {}));
    expect(csv.trimEnd().split('\r\n')).toHaveLength(502);
    expect(csv.endsWith(failureMarker('the metrics store is damaged see above'))).toBe(true);
    const json = JSON.parse(await read(exportStream(source(1200, { failAt: 2 }), 'json', 5000, {}))) as Record<string, unknown>;
    expect(json).toMatchObject({ rowCount: 1000, truncated: false, failed: 'the metrics store is damaged\nsee above' });
  });

  it('reads no further batch once the client goes away', async () => {
    const rows = source(5000);
    const reader = exportStream(rows, 'csv', 10_000, {}).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    const pulled = rows.pulls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rows.pulls).toBe(pulled);
    expect(pulled).toBeLessThan(10);
  });
});
