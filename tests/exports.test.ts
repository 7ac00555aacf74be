import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../lib/exports/csv';
import { exportStream, truncationMarker, type ExportSource } from '../lib/exports/export-stream';

function source(count: number): ExportSource & { closed: number } {
  const rows = Array.from({ length: count }, (_, i) => ({ id: i + 1, text: i === 0 ? '=HYPERLINK("x")' : `row ${i + 1}` }));
  const result = { columns: ['id', 'text'], rows: rows[Symbol.iterator](), closed: 0, close: () => void result.closed++ };
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
  it('writes every row under the cap and closes the source', async () => {
    const rows = source(1200);
    const text = await read(exportStream(rows, 'csv', 5000, {}));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,text');
    expect(lines).toHaveLength(1201);
    expect(lines[1]).toBe(`1,"'=HYPERLINK(""x"")"`);
    expect(text).not.toContain('# truncated');
    expect(rows.closed).toBe(1);
  });

  it('stops at the cap with a marker in CSV and a flag in JSON', async () => {
    const csv = await read(exportStream(source(1200), 'csv', 1000, {}));
    expect(csv.trimEnd().split('\r\n')).toHaveLength(1002);
    expect(csv.endsWith(truncationMarker(1000))).toBe(true);
    const exactly = await read(exportStream(source(1000), 'csv', 1000, {}));
    expect(exactly).not.toContain('# truncated');
    const json = JSON.parse(await read(exportStream(source(1200), 'json', 1000, { project: 'acme' }))) as Record<string, unknown>;
    expect(json).toMatchObject({ project: 'acme', columns: ['id', 'text'], rowCount: 1000, truncated: true, cap: 1000 });
    expect((json.rows as unknown[]).length).toBe(1000);
    const empty = JSON.parse(await read(exportStream(source(0), 'json', 10, {}))) as Record<string, unknown>;
    expect(empty).toMatchObject({ rows: [], rowCount: 0, truncated: false });
  });

  it('closes the source when the client goes away', async () => {
    const rows = source(5000);
    const reader = exportStream(rows, 'csv', 10_000, {}).getReader();
    await reader.read();
    await reader.cancel();
    expect(rows.closed).toBe(1);
  });
});
