import { describe, expect, it } from 'vitest';
import { chunkMarkdown, splitSections } from '../lib/engine/ingest/chunk';
import { extractMentions, isIdentifier } from '../lib/engine/ingest/extract';
import { splitFrontMatter } from '../lib/engine/ingest/front-matter';
import { ftsExpression, searchTerms } from '../lib/engine/search/query-terms';
import { reciprocalRankFusion } from '../lib/engine/search/rrf';
import { histogramQuantile, latencyBinIndex, LATENCY_BIN_UPPER_MS } from '../lib/store/latency-bins';
import { isoTimestamp, parseTimestamp } from '../lib/store/time';

describe('chunking', () => {
  it('splits at H1-H3 and keeps a heading with no text together with the next section', () => {
    const sections = splitSections('# Title\n## One\nalpha\n### Two\nbeta\n#### Four is not a split\ngamma\n');
    expect(sections).toEqual([
      { heading: 'One', text: '# Title\n## One\nalpha' },
      { heading: 'Two', text: '### Two\nbeta\n#### Four is not a split\ngamma' },
    ]);
  });

  it('ignores headings inside fenced code', () => {
    expect(splitSections('## Real\ntext\n```\n# not a heading\n```\n').map((s) => s.heading)).toEqual(['Real']);
  });

  it('cuts long sections under the limit with overlap between consecutive chunks', () => {
    const sentences = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} talks about topic ${i % 7}.`);
    const chunks = chunkMarkdown(`## Long\n\n${sentences.join(' ')}`, { maxTokens: 100, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(400);
    for (let i = 1; i < chunks.length; i++) {
      const previousTail = (chunks[i - 1]?.text ?? '').slice(-40);
      const lastSentence = previousTail.slice(previousTail.lastIndexOf('Sentence'));
      expect(chunks[i]?.text.startsWith(lastSentence) || (chunks[i]?.text ?? '').includes(lastSentence.slice(0, 20))).toBe(true);
    }
    // Nothing is lost: every sentence is in some chunk.
    for (const sentence of sentences) expect(chunks.some((chunk) => chunk.text.includes(sentence))).toBe(true);
  });
});

describe('front matter', () => {
  it('reads YAML front matter and the body', () => {
    expect(splitFrontMatter('---\ntitle: A\ntags: [x, y]\n---\n# A\n')).toEqual({
      frontMatter: { title: 'A', tags: ['x', 'y'] },
      body: '# A\n',
    });
  });
  it('treats a note without front matter as body only', () => {
    expect(splitFrontMatter('# Just text\n---\nnot front matter\n')).toEqual({
      frontMatter: {},
      body: '# Just text\n---\nnot front matter\n',
    });
  });
  it('names the problem in broken front matter', () => {
    expect(() => splitFrontMatter('---\n- a list\n---\n')).toThrow('front matter must be a mapping of keys to values');
    expect(() => splitFrontMatter('---\na: 1\na: 2\n---\n')).toThrow(/not valid YAML/);
  });
});

describe('extraction', () => {
  it('finds wikilinks, code identifiers, tags, topic headings and proper names', () => {
    const mentions = extractMentions(
      'The [[Billing Service|billing]] calls `ledger.post()` and `MAX_RETRIES`; see #payments.\n' +
        'Yesterday Carla Mendes met the Svalbard Station crew on Monday.\n',
      'Retry Policy',
    );
    const byName = Object.fromEntries(mentions.map((m) => [m.name, m.type]));
    expect(byName).toEqual({
      'Billing Service': 'concept',
      'ledger.post': 'code',
      MAX_RETRIES: 'code',
      payments: 'tag',
      'Retry Policy': 'topic',
      'Carla Mendes': 'person',
      'Svalbard Station': 'name',
    });
  });
  it('does not take plain words in backticks, sentence starts or stock headings for entities', () => {
    expect(isIdentifier('important')).toBe(false);
    expect(isIdentifier('parseConfig')).toBe(true);
    expect(extractMentions('The Team met. When Possible we ship.', 'Overview')).toEqual([]);
  });
  it('counts repeated mentions in a chunk', () => {
    expect(extractMentions('[[Ada]] and [[Ada]] and [[ada]]', null)).toEqual([
      { name: 'Ada', type: 'concept', source: 'wikilink', count: 3 },
    ]);
  });
});

describe('search terms', () => {
  it('drops stopwords and junk, and quotes terms for FTS5', () => {
    expect(searchTerms('What is the "ledger" doing?')).toEqual(['ledger', 'doing']);
    expect(searchTerms('?!# -- ***')).toEqual([]);
    expect(ftsExpression([])).toBeNull();
    expect(ftsExpression(['a"b', 'c'])).toBe('"a""b" OR "c"');
  });
  it('fuses ranked lists by reciprocal rank', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'a'],
      ],
      60,
    );
    expect(fused.get('a')).toBeCloseTo(1 / 61 + 1 / 62);
    expect(fused.get('b')).toBeCloseTo(1 / 62);
    expect(fused.get('c')).toBeCloseTo(1 / 63 + 1 / 61);
  });
});

describe('latency histogram', () => {
  it('bins by upper bound and reads quantiles within the right bin', () => {
    expect(latencyBinIndex(0.4)).toBe(0);
    expect(latencyBinIndex(1)).toBe(0);
    expect(latencyBinIndex(1.01)).toBe(1);
    expect(latencyBinIndex(10 ** 9)).toBe(LATENCY_BIN_UPPER_MS.length - 1);
    const counts = LATENCY_BIN_UPPER_MS.map(() => 0);
    // 90 calls between 10 and 15 ms, 10 calls between 200 and 300 ms.
    counts[latencyBinIndex(12)] = 90;
    counts[latencyBinIndex(250)] = 10;
    const p50 = histogramQuantile(counts, 0.5) ?? 0;
    const p95 = histogramQuantile(counts, 0.95) ?? 0;
    expect(p50).toBeGreaterThan(10);
    expect(p50).toBeLessThanOrEqual(15);
    expect(p95).toBeGreaterThan(200);
    expect(p95).toBeLessThanOrEqual(300);
    expect(
      histogramQuantile(
        LATENCY_BIN_UPPER_MS.map(() => 0),
        0.5,
      ),
    ).toBeNull();
  });
});

describe('timestamps', () => {
  it("writes the Python shape and reads ours, Python's and SQLite's", () => {
    expect(isoTimestamp(new Date(Date.UTC(2026, 6, 1, 17, 31, 18, 123)))).toBe('2026-07-01T17:31:18.123000+00:00');
    const expected = Date.UTC(2026, 6, 1, 17, 31, 18, 123);
    expect(parseTimestamp('2026-07-01T17:31:18.123456+00:00')).toBe(expected);
    expect(parseTimestamp('2026-07-01 17:31:18.123')).toBe(expected);
  });
});

describe('ingest summary line', () => {
  it('reads at a glance and lists the files that need a look', async () => {
    const { formatIngestSummary } = await import('../bin/commands/ingest');
    const line = formatIngestSummary({
      batchId: 'b',
      files: 10,
      ok: 5,
      skipped: 4,
      failed: 1,
      unchanged: 3,
      deleted: 1,
      durationMs: 1234,
      chunksAdded: 20,
      chunksRemoved: 2,
      entitiesAdded: 7,
      entitiesRemoved: 1,
      relationsAdded: 30,
      relationsRemoved: 4,
      problems: [{ path: 'bad.md', status: 'failed', change: 'none', reason: 'invalid UTF-8 at byte 3' }],
    });
    expect(line).toBe(
      'ingested 10 file(s) in 1.23 s: 5 ok, 3 unchanged, 1 skipped, 1 failed, 1 deleted; ' +
        'chunks +20/-2, entities +7/-1, relations +30/-4\n  failed: bad.md: invalid UTF-8 at byte 3',
    );
  });
});
