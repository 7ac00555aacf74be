import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../lib/engine/engine';
import { UserError } from '../lib/engine/errors';
import { makeTenant, openEngine, query, runCli, writeFile, type Tenant } from './helpers';

let engine: Engine | null = null;
let tenant: Tenant;

afterEach(() => {
  engine?.close();
  engine = null;
});

interface RunRow {
  path: string;
  status: string;
  reason: string | null;
}

function runsByPath(): Map<string, RunRow> {
  engine?.recorder.flush();
  const rows = query<RunRow>(path.join(tenant.dataDir, 'metrics.db'), 'SELECT path, status, reason FROM ingest_runs ORDER BY id');
  return new Map(rows.map((row) => [row.path, row]));
}

describe('bad input', () => {
  it('records each bad file with its reason and ingests the good ones', () => {
    tenant = makeTenant();
    writeFile(tenant.kms, 'good.md', '# Good\n\nThe [[Ledger]] is fine.\n');
    writeFile(tenant.kms, 'binary.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a, 0x0a, 0x00]));
    writeFile(tenant.kms, 'latin1.md', Buffer.from('# Caf\xe9\n\nna\xefve text\n', 'latin1'));
    writeFile(tenant.kms, 'huge.md', `# Huge\n\n${'lorem ipsum dolor sit amet '.repeat(200_000)}`); // about 5.4 MB
    writeFile(tenant.kms, 'empty.md', '');
    writeFile(tenant.kms, 'blank.txt', '   \n\n  ');
    writeFile(tenant.kms, 'broken.md', '---\ntitle: "unclosed\ntags: [a\n---\n# Broken\n');
    writeFile(tenant.kms, 'unclosed.md', '---\ntitle: never closed\n# Body\n');
    writeFile(tenant.kms, 'image.png', 'not a note at all');
    engine = openEngine(tenant);
    const summary = engine.ingest(tenant.kms, { source: 'test' });

    const runs = runsByPath();
    expect(runs.get('good.md')?.status).toBe('ok');
    expect(runs.get('binary.md')).toMatchObject({ status: 'skipped', reason: 'binary file (a NUL byte at byte 4)' });
    expect(runs.get('latin1.md')).toMatchObject({ status: 'failed', reason: 'invalid UTF-8 at byte 5' });
    expect(runs.get('huge.md')?.status).toBe('skipped');
    expect(runs.get('huge.md')?.reason).toMatch(/file too large: 5\.\d MiB is over the 4\.0 MiB limit/);
    expect(runs.get('empty.md')).toMatchObject({ status: 'skipped', reason: 'empty file' });
    expect(runs.get('blank.txt')).toMatchObject({ status: 'skipped', reason: 'empty file' });
    expect(runs.get('broken.md')?.status).toBe('failed');
    expect(runs.get('broken.md')?.reason).toMatch(/^front matter is not valid YAML/);
    expect(runs.get('unclosed.md')?.reason).toMatch(/never closed/);
    expect(runs.has('image.png')).toBe(false);
    expect(summary).toMatchObject({ ok: 1, failed: 3, skipped: 4 });
    expect(engine.search({ query: 'ledger' }).results).toHaveLength(1);
  });

  it('keeps the last good version of a note that becomes unreadable', () => {
    tenant = makeTenant();
    const file = writeFile(tenant.kms, 'note.md', '# Note\n\nThe [[Ledger]] closes monthly.\n');
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    fs.writeFileSync(file, '---\n: : bad\n---\n');
    engine.ingest(tenant.kms, { source: 'test' });
    expect(runsByPath().get('note.md')?.status).toBe('failed');
    expect(engine.search({ query: 'ledger monthly' }).results.map((hit) => hit.source)).toEqual(['note.md']);
  });

  it('records a file removed in the middle of an ingest and goes on', () => {
    tenant = makeTenant();
    writeFile(tenant.kms, 'a.md', '# A\n\nFirst note.\n');
    const doomed = writeFile(tenant.kms, 'b.md', '# B\n\nSecond note.\n');
    writeFile(tenant.kms, 'c.md', '# C\n\nThird note.\n');
    engine = openEngine(tenant);
    const summary = engine.ingest(tenant.kms, {
      source: 'test',
      onProgress: (_done, _total, file) => {
        if (file === 'a.md') fs.rmSync(doomed); // after the scan listed b.md, before it is read
      },
    });
    expect(runsByPath().get('b.md')).toMatchObject({ status: 'skipped', reason: 'file was removed before it could be read' });
    expect(summary.ok).toBe(2);
  });

  it('does not follow symbolic links that lead outside the knowledge folder', () => {
    tenant = makeTenant();
    const outside = writeFile(tenant.root, 'secret/passwords.md', '# Secrets\n\nhunter2\n');
    writeFile(tenant.kms, 'inside.md', '# Inside\n\nA normal note.\n');
    fs.symlinkSync(outside, path.join(tenant.kms, 'link-out.md'));
    fs.symlinkSync(path.dirname(outside), path.join(tenant.kms, 'dir-out'));
    fs.symlinkSync(path.join(tenant.kms, 'inside.md'), path.join(tenant.kms, 'link-in.md'));
    engine = openEngine(tenant);
    engine.ingest(tenant.kms, { source: 'test' });
    const runs = runsByPath();
    expect(runs.get('link-out.md')).toMatchObject({
      status: 'skipped',
      reason: 'symbolic link leads outside KNOWLEDGE_DIR; not followed',
    });
    expect(runs.get('dir-out')?.status).toBe('skipped');
    expect(engine.search({ query: 'hunter2 secrets' }).results).toEqual([]);
    // A link inside the folder to a note already listed is the same file: ingested once.
    expect(query(path.join(tenant.dataDir, 'graph.db'), 'SELECT path FROM documents')).toEqual([{ path: 'inside.md' }]);
  });

  it('says clearly when the knowledge folder does not exist', () => {
    tenant = makeTenant();
    engine = openEngine(tenant);
    expect(() => engine?.ingest(path.join(tenant.root, 'nope'), { source: 'test' })).toThrow(UserError);
    const cli = runCli(['serve'], { ...tenant.env, KNOWLEDGE_DIR: path.join(tenant.root, 'missing-kms') });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/KNOWLEDGE_DIR .*missing-kms does not exist/);
    expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('rejects a bad configuration value with one line naming the variable (exit 2)', () => {
    tenant = makeTenant();
    const cli = runCli(['stats'], { ...tenant.env, MCP_PORT: 'eighty' });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim()).toBe('hydramem: MCP_PORT="eighty" is invalid: expected a whole number from 1 to 65535');
    const transport = runCli(['serve'], { ...tenant.env, HYDRAMEM_TRANSPORT: 'carrier-pigeon' });
    expect(transport.code).toBe(2);
    expect(transport.stderr.trim()).toBe('hydramem: HYDRAMEM_TRANSPORT="carrier-pigeon" is invalid: expected one of stdio, http');
  });
});
