import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { withStdioClient } from './stdio-client';
import { CLI, makeTenant, query, runCli, writeFile, type Tenant } from './helpers';

const GOOD_NOTE = '# Good\n\nThe [[Ledger]] is reconciled every Friday.\n';

interface RunRow {
  path: string;
  status: string;
  reason: string | null;
}

interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
}

function graphDb(tenant: Tenant): string {
  return path.join(tenant.dataDir, 'graph.db');
}

function metricsDb(tenant: Tenant): string {
  return path.join(tenant.dataDir, 'metrics.db');
}

/** A tenant whose knowledge folder already holds the one good note every case must leave ingested. */
function tenantWithGoodNote(): Tenant {
  const tenant = makeTenant();
  writeFile(tenant.kms, 'good.md', GOOD_NOTE);
  return tenant;
}

function documentPaths(tenant: Tenant): string[] {
  return query<{ path: string }>(graphDb(tenant), 'SELECT path FROM documents ORDER BY path').map((row) => row.path);
}

function expectGoodNoteStored(tenant: Tenant): void {
  expect(documentPaths(tenant)).toContain('good.md');
  const chunks = query<{ text: string }>(
    graphDb(tenant),
    "SELECT c.text FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = 'good.md'",
  );
  expect(chunks.map((chunk) => chunk.text).join('\n')).toContain('reconciled every Friday');
}

/** The latest ingest_runs row for each path. */
function latestRuns(tenant: Tenant): Map<string, RunRow> {
  const rows = query<RunRow>(metricsDb(tenant), 'SELECT path, status, reason FROM ingest_runs ORDER BY id');
  return new Map(rows.map((row) => [row.path, row]));
}

function chunkTextsOf(tenant: Tenant, docPath: string): string[] {
  return query<{ text: string }>(
    graphDb(tenant),
    'SELECT c.text FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = ? ORDER BY c.chunk_idx',
    docPath,
  ).map((row) => row.text);
}

function allChunkText(tenant: Tenant): string {
  return query<{ text: string }>(graphDb(tenant), 'SELECT text FROM chunks')
    .map((row) => row.text)
    .join('\n');
}

function entityNames(tenant: Tenant): string[] {
  return query<{ name: string }>(graphDb(tenant), 'SELECT name FROM entities').map((row) => row.name);
}

/** `hydramem` run from a chosen working directory (relative paths resolve against it). */
function runCliIn(cwd: string, args: string[], env: Record<string, string>): Output {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, CI: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectNoStackTrace(output: Output): void {
  expect(`${output.stdout}\n${output.stderr}`).not.toMatch(/^\s+at /m);
}

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as Array<{ type: string; text?: string }>;
  expect(content.map((part) => part.type)).toEqual(['text']);
  return content[0]?.text ?? '';
}

interface SearchHitJson {
  source: string;
  title: string;
  heading: string | null;
  text: string;
}

interface EntityItemJson {
  name: string;
}

describe('hostile notes and queries', () => {
  it('stores markup in a title, headings, wikilinks and body as plain text and returns it as such over MCP', async () => {
    const tenant = tenantWithGoodNote();
    const title = '<script>alert(1)</script> Runbook';
    const body =
      'The xylophone payload [[<script>alert(1)</script>]] sits beside <img src=x onerror=alert(1)> ' +
      'and <b onmouseover="alert(3)">bold</b> text.';
    writeFile(
      tenant.kms,
      'xss.md',
      [
        '---',
        `title: "${title}"`,
        'owner: "[[<img src=x onerror=alert(1)>]]"',
        '---',
        '# <img src=x onerror=alert(1)>',
        '',
        '## <script>alert(2)</script> Section',
        '',
        body,
        '',
      ].join('\n'),
    );
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(cli.code).toBe(0);

    expect(query(graphDb(tenant), "SELECT title FROM documents WHERE path = 'xss.md'")).toEqual([{ title }]);
    const chunks = query<{ heading: string | null; text: string }>(
      graphDb(tenant),
      "SELECT c.heading, c.text FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE d.path = 'xss.md'",
    );
    expect(chunks.map((chunk) => chunk.heading)).toContain('<script>alert(2)</script> Section');
    expect(chunks.map((chunk) => chunk.text).join('\n')).toContain(body);
    const names = entityNames(tenant);
    expect(names).toEqual(expect.arrayContaining([title, '<script>alert(1)</script>', '<img src=x onerror=alert(1)>']));
    expect(`${allChunkText(tenant)}${names.join('')}`).not.toMatch(/&lt;|&gt;|&amp;/); // not HTML-escaped on the way in
    expectGoodNoteStored(tenant);

    await withStdioClient(tenant, 'hostile-input-test', async (client) => {
      const answer = await client.callTool({ name: 'hydra_search_tool', arguments: { query: 'xylophone payload' } });
      expect(answer.isError).toBeFalsy();
      const raw = textOf(answer);
      expect(raw).not.toMatch(/&lt;|\\u003c/i);
      const search = JSON.parse(raw) as { results: SearchHitJson[] };
      const hit = search.results.find((result) => result.source === 'xss.md');
      expect(hit?.title).toBe(title);
      expect(hit?.text).toContain(body);

      const listed = JSON.parse(
        textOf(await client.callTool({ name: 'list_entities_tool', arguments: { query: 'onerror' } })),
      ) as { items: EntityItemJson[] };
      expect(listed.items.map((item) => item.name)).toEqual(['<img src=x onerror=alert(1)>']);
    });
  });

  it('prints file names with terminal controls escaped, and stores them as they are', () => {
    const tenant = tenantWithGoodNote();
    const unclosed = '---\ntitle: never closed\n# Body\n';
    const hostile = ['rtl\u202Egnp.md', 'bell\u0007.md', 'esc\u001b]0;owned\u0007.md'];
    for (const name of hostile) writeFile(tenant.kms, name, unclosed);
    const beacon = 'The beacon \u001b]0;owned\u0007 says \u202Egnp.exe to the turnip farmers.';
    writeFile(tenant.kms, 'beacon.md', `# Beacon\n\n${beacon}\n`);
    const storedName = 'fine\u202E\u0007.md';
    writeFile(tenant.kms, storedName, '# Fine\n\nA perfectly ordinary note about turnips.\n');

    const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const text = runCli(['ingest', tenant.kms], tenant.env);
    expect(text.code).toBe(1); // some notes failed
    const printed = `${text.stdout}${text.stderr}`;
    expect(printed).not.toMatch(rawControl);
    expect(printed).toContain('failed: rtl\\u202egnp.md: front matter opens with "---" on line 1 but is never closed');
    expect(printed).toContain('failed: bell\\u0007.md: ');
    expect(printed).toContain('failed: esc\\u001b]0;owned\\u0007.md: ');
    expectNoStackTrace(text);

    // JSON stays the same value: the escaped form parses back to the real names.
    const json = runCli(['ingest', '--json', tenant.kms], tenant.env);
    expect(`${json.stdout}${json.stderr}`).not.toMatch(rawControl);
    const summary = JSON.parse(json.stdout) as { problems: Array<{ path: string; status: string }> };
    expect(summary.problems.map((problem) => problem.path).sort()).toEqual([...hostile].sort());

    // A note's own text printed by `hydramem search` is escaped the same way, and its JSON keeps the value.
    const found = runCli(['search', 'beacon', 'turnip'], tenant.env);
    expect(found.code).toBe(0);
    expect(`${found.stdout}${found.stderr}`).not.toMatch(rawControl);
    expect(found.stdout).toContain('The beacon \\u001b]0;owned\\u0007 says \\u202egnp.exe');
    const foundJson = runCli(['search', '--json', 'beacon', 'turnip'], tenant.env);
    expect(foundJson.stdout).not.toMatch(rawControl);
    const hits = (JSON.parse(foundJson.stdout) as { results: SearchHitJson[] }).results;
    expect(hits.find((hit) => hit.source === 'beacon.md')?.text).toContain(beacon);

    const missing = runCli(['ingest', path.join(tenant.kms, 'gone\u202E\u001b[2J.md')], tenant.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(rawControl);
    expect(missing.stderr).toContain('gone\\u202e\\u001b[2J.md does not exist');

    expect(documentPaths(tenant)).toEqual(['beacon.md', 'fine\u202E\u0007.md', 'good.md']);
    const runs = latestRuns(tenant);
    for (const name of hostile) expect(runs.get(name)?.status).toBe('failed');
    expectGoodNoteStored(tenant);
  });

  it('skips a note with a NUL byte after the first 8 KiB and stores nothing of it', () => {
    const tenant = tenantWithGoodNote();
    writeFile(tenant.kms, 'nul.md', `${'a'.repeat(9000)}\u0000 tail text`);
    // '# Late\n\n' is 8 bytes, then 2000 five-byte words: the NUL is byte 10008 (counting from 0).
    writeFile(tenant.kms, 'late-nul.md', `# Late\n\n${'word '.repeat(2000)}\u0000`);
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(cli.code).toBe(0); // a skip is not a failure
    const lines = cli.stdout.split('\n');
    expect(lines).toContain('  skipped: nul.md: binary file (a NUL byte at byte 9000)');
    expect(lines).toContain('  skipped: late-nul.md: binary file (a NUL byte at byte 10008)');
    const runs = latestRuns(tenant);
    expect(runs.get('nul.md')).toEqual({ path: 'nul.md', status: 'skipped', reason: 'binary file (a NUL byte at byte 9000)' });
    expect(runs.get('late-nul.md')?.reason).toBe('binary file (a NUL byte at byte 10008)');
    expect(documentPaths(tenant)).toEqual(['good.md']);
    expect(allChunkText(tenant)).not.toContain('aaaaaaaa');
    expect(allChunkText(tenant)).not.toContain('\u0000');
    expectGoodNoteStored(tenant);
  });

  it('refuses a note with invalid UTF-8, naming the byte, and ingests the rest', () => {
    const tenant = tenantWithGoodNote();
    // '# Bad\n\nhello ' is 13 bytes, so the 0xff is byte 13.
    writeFile(
      tenant.kms,
      'bad.md',
      Buffer.concat([Buffer.from('# Bad\n\nhello '), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(' end\n')]),
    );
    // 'café ' is 6 bytes (é takes two); then a lead byte with no continuation.
    writeFile(tenant.kms, 'lead.md', Buffer.concat([Buffer.from('café '), Buffer.from([0xc3, 0x28]), Buffer.from(' x\n')]));
    // A three-byte sequence cut short by the end of the file, after one byte.
    writeFile(tenant.kms, 'cut.md', Buffer.from([0x78, 0xe2, 0x82]));
    writeFile(tenant.kms, 'surrogate.md', Buffer.concat([Buffer.from('ab'), Buffer.from([0xed, 0xa0, 0x80])])); // CESU-8 surrogate
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(cli.code).toBe(1);
    expectNoStackTrace(cli);
    const runs = latestRuns(tenant);
    expect(runs.get('bad.md')).toEqual({ path: 'bad.md', status: 'failed', reason: 'invalid UTF-8 at byte 13' });
    expect(runs.get('lead.md')?.reason).toBe('invalid UTF-8 at byte 6');
    expect(runs.get('cut.md')?.reason).toBe('invalid UTF-8 at byte 1');
    expect(runs.get('surrogate.md')?.status).toBe('failed');
    expect(runs.get('surrogate.md')?.reason).toMatch(/^invalid UTF-8 at byte \d+$/);
    expect(documentPaths(tenant)).toEqual(['good.md']);
    expect(allChunkText(tenant)).not.toContain('\uFFFD'); // nothing decoded with replacement characters
    expectGoodNoteStored(tenant);
  });

  it('ingests a 100 KB note on one line in bounded chunks, and keeps every reason short', () => {
    const tenant = tenantWithGoodNote();
    const words = ['ledger', 'balance', 'nightly', 'report', 'close', 'treasury', 'audit', 'vendor'];
    let line = '';
    for (let i = 0; line.length < 100_000; i++) line += `${words[i % words.length]} `;
    line += 'zebraquartz';
    writeFile(tenant.kms, 'one-line.md', line);
    writeFile(tenant.kms, 'solid.md', 'x'.repeat(100_000));
    // A broken front matter on one 60 KB line: its parser message must not become a 60 KB reason.
    writeFile(tenant.kms, 'wide-yaml.md', `---\nkey: [${'a,'.repeat(30_000)}\n---\n# Wide\n`);
    const started = Date.now();
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(cli.code).toBe(1); // wide-yaml.md failed
    expectNoStackTrace(cli);

    const oneLine = chunkTextsOf(tenant, 'one-line.md');
    expect(oneLine.length).toBeGreaterThan(1);
    for (const chunk of [...oneLine, ...chunkTextsOf(tenant, 'solid.md')]) expect(chunk.length).toBeLessThan(10_000);
    expect(oneLine.join(' ')).toContain('zebraquartz');
    expect(chunkTextsOf(tenant, 'solid.md').join('').length).toBeGreaterThanOrEqual(100_000);

    const runs = latestRuns(tenant);
    expect(runs.get('one-line.md')?.status).toBe('ok');
    expect(runs.get('solid.md')?.status).toBe('ok');
    expect(runs.get('wide-yaml.md')?.status).toBe('failed');
    for (const run of runs.values()) expect((run.reason ?? '').length).toBeLessThanOrEqual(500);
    for (const printed of cli.stdout.split('\n').filter((l) => l.startsWith('  '))) {
      expect(printed.length).toBeLessThanOrEqual(500 + '  failed: wide-yaml.md: '.length);
    }
    expectGoodNoteStored(tenant);
  });

  it('refuses a megabyte title in one line and keeps every entity name to 300 characters', () => {
    const tenant = tenantWithGoodNote();
    writeFile(tenant.kms, 'huge-title.md', `---\ntitle: ${'t'.repeat(1_000_000)}\n---\n# Huge\n\nbody text\n`);
    writeFile(tenant.kms, 'long-title.md', `---\ntitle: ${'T'.repeat(1000)}\n---\n# Long\n\nbody text\n`);
    // Not refused, but none of these may become a name longer than 300 characters.
    writeFile(
      tenant.kms,
      'long-parts.md',
      [
        `# ${'Heading'.repeat(150)}`,
        '',
        `See [[${'w'.repeat(400)}]] and #${'tag'.repeat(150)} near ${'Proper'.repeat(60)} ${'Name'.repeat(60)} today.`,
        '',
      ].join('\n'),
    );
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(cli.code).toBe(1);
    expectNoStackTrace(cli);
    const runs = latestRuns(tenant);
    // 'title: ' (7) + 1,000,000 + the newline (1) is the front matter.
    expect(runs.get('huge-title.md')).toEqual({
      path: 'huge-title.md',
      status: 'failed',
      reason: 'front matter is 1,000,008 bytes; at most 65,536 are read',
    });
    expect(runs.get('long-title.md')?.reason).toBe('the front-matter title is 1,000 characters long; at most 300');
    for (const run of runs.values()) expect(run.reason ?? '').not.toMatch(/[\r\n]/);
    expect(cli.stdout).toContain('  failed: huge-title.md: front matter is 1,000,008 bytes; at most 65,536 are read\n');
    expect(runs.get('long-parts.md')?.status).toBe('ok');

    const longest = query<{ n: number }>(graphDb(tenant), 'SELECT MAX(length(name)) AS n FROM entities')[0]?.n ?? 0;
    expect(longest).toBeLessThanOrEqual(300);
    const titles = query<{ path: string; title: string }>(graphDb(tenant), 'SELECT path, title FROM documents ORDER BY path');
    expect(titles).toEqual([
      { path: 'good.md', title: 'Good' },
      { path: 'long-parts.md', title: 'long-parts' }, // the H1 is too long to be a name: the file name instead
    ]);
    expectGoodNoteStored(tenant);
  });

  it('refuses a YAML alias bomb and recursive aliases quickly, in one line, without a stack trace', () => {
    const tenant = tenantWithGoodNote();
    // "Billion laughs": a..i, each a list of nine references to the one before.
    const levels = 'abcdefghi'.split('');
    const bomb = [`${levels[0]}: &${levels[0]} [${Array<string>(9).fill('"lol"').join(', ')}]`];
    for (let i = 1; i < levels.length; i++) {
      bomb.push(
        `${levels[i]}: &${levels[i]} [${Array<string>(9)
          .fill(`*${levels[i - 1]}`)
          .join(', ')}]`,
      );
    }
    writeFile(tenant.kms, 'bomb.md', `---\n${bomb.join('\n')}\n---\n# Bomb\n\nlaughs\n`);
    writeFile(tenant.kms, 'recursive.md', '---\na: &a [*a]\n---\n# Recursive\n\nloop\n');
    writeFile(tenant.kms, 'recursive-map.md', '---\nself: &m { next: *m }\n---\n# Map\n\nloop\n');
    writeFile(tenant.kms, 'deep.md', `---\nd: ${'['.repeat(30)}1${']'.repeat(30)}\n---\n# Deep\n\nnested\n`);
    const started = Date.now();
    const cli = runCli(['ingest', tenant.kms], tenant.env);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(cli.code).toBe(1);
    expectNoStackTrace(cli);

    const runs = latestRuns(tenant);
    expect(runs.get('bomb.md')?.status).toBe('failed');
    expect(runs.get('bomb.md')?.reason).toMatch(/^front matter is not valid YAML: .*Excessive alias count/);
    const recursive = 'front matter cannot be read: an alias refers to a value that contains it (a recursive YAML alias)';
    expect(runs.get('recursive.md')).toEqual({ path: 'recursive.md', status: 'failed', reason: recursive });
    expect(runs.get('recursive-map.md')?.reason).toBe(recursive);
    expect(runs.get('deep.md')?.reason).toBe('front matter cannot be read: values are nested more than 20 levels deep');
    for (const name of ['bomb.md', 'recursive.md', 'recursive-map.md', 'deep.md']) {
      expect(runs.get(name)?.reason ?? '').not.toMatch(/[\r\n]/);
      const printed = cli.stdout.split('\n').filter((l) => l.startsWith(`  failed: ${name}: `));
      expect(printed).toHaveLength(1);
    }
    expect(documentPaths(tenant)).toEqual(['good.md']);
    expectGoodNoteStored(tenant);
  });

  it('reads nothing through a link or a path that leads outside the knowledge folder', async () => {
    const tenant = tenantWithGoodNote();
    const outside = writeFile(tenant.root, 'outside.md', '# Outside\n\nThe zanzibar vault code is 0451.\n');
    writeFile(tenant.root, 'secret-dir/inner.md', '# Inner\n\nThe zanzibar backup key.\n');
    const link = path.join(tenant.kms, 'link.md');
    fs.symlinkSync(outside, link);
    fs.symlinkSync(path.join(tenant.root, 'secret-dir'), path.join(tenant.kms, 'dir-link'));
    const outsideMessage = /is outside the knowledge folder/;

    const byLink = runCli(['ingest', link], tenant.env);
    expect(byLink.code).toBe(2);
    expect(byLink.stderr).toMatch(outsideMessage);
    expect(byLink.stderr).toContain(`(it leads to ${fs.realpathSync(outside)})`);
    expectNoStackTrace(byLink);
    const relative = runCliIn(tenant.kms, ['ingest', '../outside.md'], tenant.env);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(outsideMessage);
    const through = runCli(['ingest', path.join(tenant.kms, 'dir-link', 'inner.md')], tenant.env);
    expect(through.code).toBe(2);
    expect(through.stderr).toMatch(outsideMessage);

    const scan = runCli(['ingest', tenant.kms], tenant.env);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('  skipped: link.md: symbolic link leads outside KNOWLEDGE_DIR; not followed');
    expect(scan.stdout).toContain('  skipped: dir-link: symbolic link leads outside KNOWLEDGE_DIR; not followed');

    await withStdioClient(tenant, 'hostile-input-test', async (client) => {
      for (const requested of ['link.md', '../outside.md', 'dir-link/inner.md', outside]) {
        const answer = await client.callTool({ name: 'ingest_markdown', arguments: { path: requested } });
        expect(answer.isError, requested).toBe(true);
        expect(textOf(answer)).toMatch(outsideMessage);
      }
      const folder = await client.callTool({ name: 'ingest_directory_tool', arguments: {} });
      expect(folder.isError).toBeFalsy();
      const search = JSON.parse(
        textOf(await client.callTool({ name: 'hydra_search_tool', arguments: { query: 'zanzibar vault code' } })),
      ) as { results: SearchHitJson[] };
      expect(search.results).toEqual([]);
    });

    expect(documentPaths(tenant)).toEqual(['good.md']);
    expect(allChunkText(tenant)).not.toContain('zanzibar');
    expect(entityNames(tenant)).not.toContain('Outside');
    expectGoodNoteStored(tenant);
  });

  it('lists entities by a name fragment of % or _ literally, not as a wildcard', async () => {
    const tenant = tenantWithGoodNote();
    writeFile(
      tenant.kms,
      'targets.md',
      '# Availability Targets\n\nWe promise [[100% uptime]] and a [[50% Discount]], but not [[100 percent]] of anything.\n',
    );
    writeFile(
      tenant.kms,
      'naming.md',
      '# Naming Rules\n\nUse [[a_b]] and [[snake_case style]], never [[axb]], [[snakeXcase style]] or [[back\\slash]].\n',
    );
    await withStdioClient(tenant, 'hostile-input-test', async (client) => {
      const list = async (fragment: string): Promise<{ names: string[]; total: number }> => {
        const answer = await client.callTool({ name: 'list_entities_tool', arguments: { query: fragment } });
        expect(answer.isError).toBeFalsy();
        const parsed = JSON.parse(textOf(answer)) as { items: EntityItemJson[]; total: number };
        return { names: parsed.items.map((item) => item.name).sort(), total: parsed.total };
      };
      const all = entityNames(tenant);
      expect(all).toEqual(expect.arrayContaining(['100 percent', 'axb', 'snakeXcase style', 'Ledger']));

      expect(await list('%')).toEqual({ names: ['100% uptime', '50% Discount'], total: 2 });
      expect(await list('_')).toEqual({ names: ['a_b', 'snake_case style'], total: 2 });
      expect(await list('\\')).toEqual({ names: ['back\\slash'], total: 1 });
      // The same answers as a plain substring test over every stored name.
      for (const fragment of ['%', '_', '\\']) {
        expect((await list(fragment)).names).toEqual(all.filter((name) => name.includes(fragment)).sort());
      }
    });
    expectGoodNoteStored(tenant);
  });
});
