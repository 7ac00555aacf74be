/**
 * Writer benchmark: ingest throughput, rescan cost, search latency, telemetry overhead, memory and
 * store size, at two corpus sizes so that the ratios show how each figure scales, each size with
 * the dense arm off and on (HYDRAMEM_DENSE), so that its cost is read off the same run.
 *
 *   npm run bench:writer                          # about 10,000 and 100,000 chunks
 *   npm run bench:writer -- --sizes 2000,10000    # quicker
 *   npm run bench:writer -- --dense on            # one mode only (off, on, or both: the default)
 *   npm run bench:writer -- --keep                # keep each run's notes and stores (the path is logged)
 *
 * Prints a table per size and a summary of ratios, and writes bench-results/writer.json.
 * It reports figures only: nothing here passes or fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphDbPath, loadConfig, metricsDbPath } from '../lib/config';
import { Engine } from '../lib/engine/engine';
import { loadWordVectors, type LoadFigures } from '../lib/engine/dense/word-vectors';
import { pick, seededRandom as seededRng } from '../lib/engine/demo/random';
import { GraphSearch, type ArmStep } from '../lib/engine/search/search';
import type { CallRecord } from '../lib/engine/telemetry/recorder';

const SEED = 0x4d59_2026;
const DEFAULT_SIZES = [10_000, 100_000];
const QUERY_COUNT = 300;
const SEARCH_LIMIT = 8;
/** Untimed searches before timing, for JIT warm-up. */
const WARMUP_QUERIES = 50;
/**
 * Tracked/untracked pairs for the telemetry overhead: up to three passes over the queries, fewer
 * when searches are slow, so that one size spends about PAIR_BUDGET_MS on it.
 */
const MAX_PAIRS = 3 * QUERY_COUNT;
const MIN_PAIRS = 100;
const PAIR_BUDGET_MS = 45_000;
/** Below the recorder's queue limit (500), so no flush happens inside a timed call. */
const FLUSH_EVERY = 250;
const RECORDER_CALLS = 20_000;
/** An intro under the H1 plus about eight H2 sections, each small enough to be one chunk. */
const CHUNKS_PER_NOTE = 9;
const SECTION_MIN_CHARS = 1_000;
const SECTION_MAX_CHARS = 1_450;
const NOTES_PER_FOLDER = 400;
const RSS_SAMPLE_EVERY = 25;
/** Every store counts as small to this plan: each text list ranks every chunk that matches. */
const EXACT_TEXT_PLAN = { largeStoreChunks: Number.POSITIVE_INFINITY, recentRows: 0, scoredRows: 0 };
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench-results', 'writer.json');

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

type Rng = () => number;

function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** Favours the start of the list, so a few words are common and most are rare, as in real prose. */
function pickSkewed<T>(rng: Rng, items: readonly T[]): T {
  const r = rng();
  const item = items[Math.floor(r * r * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, items.length)) chosen.add(pick(rng, items));
  return [...chosen];
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const words = (text: string): string[] => text.trim().split(/\s+/);

const FIRST_NAMES = words(`Maria Jonas Aiko Priya Lukas Sofia Mateo Chen Amara Noah Elena Tariq Ingrid Omar Hana Felix Nadia
  Rafael Yuki Leila Kofi Marta Dmitri Ana Samuel Ines Viktor Zara Henrik Lucia Tomas Mei Arjun Clara Emeka Freya Diego
  Sana Oskar Julia`);
const LAST_NAMES = words(`Keller Tanaka Okafor Lindqvist Moreau Silva Novak Haddad Brennan Kowalski Rossi Nakamura Fischer
  Mendes Larsen Petrov Adeyemi Costa Varga Schmidt Ortega Weber Sato Jensen Dubois Horvat Quinn Alvarez Berg Yilmaz`);
const SYSTEM_FIRST = words(`Atlas Kestrel Orion Harbor Falcon Juniper Nimbus Cobalt Meridian Summit Beacon Granite Willow
  Aurora Cinder Vega Tundra Helix Quartz Sierra`);
const SYSTEM_SECOND = words('Gateway Ledger Pipeline Console Scheduler Vault Bridge Index Router Catalog Relay Monitor');
const TOPIC_FIRST = words('Failover Cache Rollout Retention Schema Capacity Index Queue Billing Token Replica Quota');
const TOPIC_SECOND = words('Design Plan Strategy Limits Budget Migration Review Model');
const GENERIC_HEADINGS = ['Overview', 'Background', 'Decisions', 'Next Steps', 'Risks', 'Open Questions', 'Timeline', 'Status'];
const TAGS = words(`infra billing search payments onboarding security latency q3-planning oncall migration release
  observability storage compliance mobile api growth data-quality incident-review cost-control networking backups`);
const CODE_VERBS = words('get load flush resolve build parse sync retry merge index encode validate');
const CODE_OBJECTS = words(
  'Ledger Batch Token Cursor Snapshot Shard Queue Schema Session Manifest Chunk Lease Offset Bucket Config',
);
const PAST_VERBS = [
  'reviewed',
  'migrated',
  'approved',
  'rolled back',
  'benchmarked',
  'documented',
  'escalated',
  'deprecated',
  'refactored',
  'paired on',
  'sketched',
  'validated',
];
const LEXICON = words(`service request latency cache index query deploy release budget customer traffic storage replica
  cluster region failover timeout retry schema migration ledger invoice payment account session token queue worker batch
  pipeline snapshot backup restore rollout canary metric alert dashboard incident review capacity quota throughput error
  budget owner team roadmap milestone contract vendor audit compliance encryption certificate network gateway endpoint
  client server database table column partition shard consensus leader follower heartbeat lease lock contention backlog
  spike regression baseline benchmark profile memory disk bandwidth packet route proxy balancer autoscaler container image
  registry artifact build test coverage flake pager rotation handover runbook playbook checklist postmortem timeline
  mitigation root cause action item followup estimate forecast headcount hiring interview onboarding mentor feedback
  quarter sprint planning retro demo stakeholder sponsor approval risk assumption constraint dependency blocker scope
  priority tradeoff option proposal decision rationale consequence experiment hypothesis cohort funnel retention churn
  conversion pricing discount refund dispute chargeback settlement reconciliation export import sync webhook callback
  event stream topic consumer producer offset checkpoint watermark window aggregate rollup histogram percentile sample
  outlier anomaly threshold limit ceiling floor drift skew jitter warmup cooldown eviction ttl invalidation prefetch
  compaction vacuum fragmentation allocation garbage collection thread pool connection handshake negotiation protocol
  version upgrade downgrade deprecation compatibility feature flag toggle default override config secret rotation policy
  permission role group tenant isolation boundary quota ledger archive`);
const MISS_SYLLABLES = words('zq vor bly xan thup kre dwo yix glo frum');

interface NoteKind {
  type: string;
  word: string;
}

const KINDS: readonly NoteKind[] = [
  { type: 'project', word: 'Project' },
  { type: 'meeting', word: 'Sync' },
  { type: 'decision', word: 'Decision' },
  { type: 'runbook', word: 'Runbook' },
  { type: 'incident', word: 'Incident' },
];

// ---------------------------------------------------------------------------------------------
// Synthetic corpus

/** What the notes of one size are made of; the queries are drawn from the same pools. */
interface Corpus {
  notes: number;
  titles: string[];
  kinds: NoteKind[];
  people: string[];
  systems: string[];
  topics: string[];
  identifiers: string[];
}

function combine(first: readonly string[], second: readonly string[], join: (a: string, b: string) => string): string[] {
  return first.flatMap((a) => second.map((b) => join(a, b)));
}

function buildCorpus(targetChunks: number, rng: Rng): Corpus {
  const notes = Math.max(1, Math.round(targetChunks / CHUNKS_PER_NOTE));
  // The cast of people grows with the corpus, as it does in a real team's notes, up to the pool's size.
  // Every seventh name comes first, so that a small cast does not share one or two first names.
  const allPeople = combine(FIRST_NAMES, LAST_NAMES, (a, b) => `${a} ${b}`);
  const people = allPeople.filter((_, i) => i % 7 === 3).concat(allPeople.filter((_, i) => i % 7 !== 3));
  const kinds = Array.from({ length: notes }, () => pick(rng, KINDS));
  return {
    notes,
    kinds,
    titles: kinds.map((kind, i) => `${pick(rng, SYSTEM_FIRST)} ${kind.word} ${i + 1}`),
    people: people.slice(0, Math.min(people.length, Math.max(50, Math.round(notes / 5)))),
    systems: combine(SYSTEM_FIRST, SYSTEM_SECOND, (a, b) => `${a} ${b}`),
    topics: combine(TOPIC_FIRST, TOPIC_SECOND, (a, b) => `${a} ${b}`),
    identifiers: [
      ...combine(CODE_VERBS, CODE_OBJECTS, (a, b) => `${a}${b}()`),
      ...combine(CODE_OBJECTS, ['id', 'count', 'limit'], (a, b) => `${a.toLowerCase()}_${b}`),
    ],
  };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function proseSentence(rng: Rng): string {
  const count = between(rng, 8, 16);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pickSkewed(rng, LEXICON) + (i > 2 && i < count - 2 && rng() < 0.12 ? ',' : ''));
  return `${capitalise(parts.join(' '))}.`;
}

/**
 * One sentence of note prose: about 60% plain words, the rest naming people, notes, code, tags or systems.
 * That gives a chunk roughly as many distinct mentions as the notes in samples/kestrel-kms have.
 */
function sentence(rng: Rng, corpus: Corpus, self: number): string {
  const r = rng();
  const w = (): string => pickSkewed(rng, LEXICON);
  if (r < 0.6) return proseSentence(rng);
  if (r < 0.71) {
    return `${pick(rng, corpus.people)} ${pick(rng, PAST_VERBS)} the ${w()} ${w()} with ${pick(rng, corpus.people)} after the ${w()} review.`;
  }
  if (r < 0.8) {
    const other = (self + between(rng, 1, corpus.notes)) % corpus.notes;
    const target = corpus.notes > 1 && rng() < 0.75 ? corpus.titles[other] : pick(rng, corpus.people);
    return `See [[${target}]] for the ${w()} ${w()} and the ${w()} plan.`;
  }
  if (r < 0.87) return `The \`${pick(rng, corpus.identifiers)}\` call ${w()}s the ${w()} ${w()} when the ${w()} is late.`;
  if (r < 0.93) return `We moved the ${w()} ${w()} into the ${w()} backlog, tracked as #${pick(rng, TAGS)} for now.`;
  return `${pick(rng, corpus.systems)} now ${w()}s ${w()} ${w()} for ${pick(rng, corpus.systems)} during ${w()} windows.`;
}

/** Paragraphs of two to four sentences, up to the target length. */
function sectionBody(rng: Rng, corpus: Corpus, self: number, target: number): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let perParagraph = between(rng, 2, 4);
  let length = 0;
  for (;;) {
    const next = sentence(rng, corpus, self);
    if (length + next.length + 2 > target) break;
    current.push(next);
    length += next.length + 1;
    if (current.length >= perParagraph) {
      paragraphs.push(current.join(' '));
      current = [];
      perParagraph = between(rng, 2, 4);
      length += 1;
    }
  }
  if (current.length > 0) paragraphs.push(current.join(' '));
  return paragraphs.join('\n\n');
}

function frontMatter(rng: Rng, corpus: Corpus, index: number): string {
  const title = corpus.titles[index] ?? `Note ${index + 1}`;
  const kind = corpus.kinds[index] ?? pick(rng, KINDS);
  const initials = title
    .split(' ')
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2);
  const lines = [
    '---',
    `title: "${title}"`,
    `type: ${kind.type}`,
    `tags: [${pickDistinct(rng, TAGS, between(rng, 1, 3)).join(', ')}]`,
    `aliases: ["${initials}-${index + 1}", "${title.split(' ')[0]} ${kind.type} ${index + 1}"]`,
    `owner: "[[${pick(rng, corpus.people)}]]"`,
  ];
  if (corpus.notes > 1 && rng() < 0.5)
    lines.push(`related: ["[[${corpus.titles[(index + between(rng, 1, 50)) % corpus.notes]}]]"]`);
  lines.push('---');
  return lines.join('\n');
}

function noteText(rng: Rng, corpus: Corpus, index: number): string {
  const title = corpus.titles[index] ?? `Note ${index + 1}`;
  const parts = [
    frontMatter(rng, corpus, index),
    `# ${title}`,
    sentence(rng, corpus, index) + ' ' + sentence(rng, corpus, index),
  ];
  const sections = between(rng, 7, 9);
  for (let s = 0; s < sections; s++) {
    const heading = rng() < 0.5 ? pick(rng, GENERIC_HEADINGS) : pick(rng, corpus.topics);
    parts.push(`## ${heading}`, sectionBody(rng, corpus, index, between(rng, SECTION_MIN_CHARS, SECTION_MAX_CHARS)));
  }
  return `${parts.join('\n\n')}\n`;
}

interface WrittenCorpus {
  files: number;
  bytes: number;
  ms: number;
}

function writeCorpus(dir: string, corpus: Corpus, rng: Rng): WrittenCorpus {
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < corpus.notes; i++) {
    // Sub-folders, as a real vault has, so that no directory holds thousands of files.
    const folder = path.join(dir, `area-${String(Math.floor(i / NOTES_PER_FOLDER)).padStart(3, '0')}`);
    if (i % NOTES_PER_FOLDER === 0) fs.mkdirSync(folder, { recursive: true });
    const text = noteText(rng, corpus, i);
    fs.writeFileSync(path.join(folder, `note-${String(i + 1).padStart(6, '0')}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  return { files: corpus.notes, bytes, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Queries

type QueryKind = 'word' | 'words' | 'person' | 'entity' | 'code' | 'miss';

interface BenchQuery {
  kind: QueryKind;
  text: string;
}

const QUERY_MIX: readonly [QueryKind, number][] = [
  ['word', 0.2],
  ['words', 0.25],
  ['person', 0.2],
  ['entity', 0.15],
  ['code', 0.1],
  ['miss', 0.1],
];

function queryKind(rng: Rng): QueryKind {
  let r = rng();
  for (const [kind, weight] of QUERY_MIX) {
    if (r < weight) return kind;
    r -= weight;
  }
  return 'words';
}

function missWord(rng: Rng): string {
  return Array.from({ length: between(rng, 2, 3) }, () => pick(rng, MISS_SYLLABLES)).join('');
}

function queryText(rng: Rng, corpus: Corpus, kind: QueryKind): string {
  switch (kind) {
    case 'word':
      return pickSkewed(rng, LEXICON);
    case 'words':
      return Array.from({ length: between(rng, 2, 4) }, () => pick(rng, LEXICON)).join(' ');
    case 'person':
      return rng() < 0.7 ? pick(rng, corpus.people) : `what did ${pick(rng, corpus.people)} decide about ${pick(rng, LEXICON)}`;
    case 'entity':
      return pick(rng, [pick(rng, corpus.titles), pick(rng, corpus.systems), pick(rng, corpus.topics)]);
    case 'code':
      return rng() < 0.6 ? pick(rng, corpus.identifiers).replace(/\(\)$/, '') : pick(rng, TAGS);
    case 'miss':
      return Array.from({ length: between(rng, 1, 2) }, () => missWord(rng)).join(' ');
  }
}

function buildQueries(corpus: Corpus, rng: Rng): BenchQuery[] {
  return Array.from({ length: QUERY_COUNT }, () => {
    const kind = queryKind(rng);
    return { kind, text: queryText(rng, corpus, kind) };
  });
}

// ---------------------------------------------------------------------------------------------
// Measurement helpers

/** Peak resident memory, sampled at points where the benchmark is busy (the work is synchronous). */
class RssSampler {
  peak = 0;

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

function elapsed(run: () => unknown): number {
  return timed(run).ms;
}

/** Nearest-rank percentile of samples. */
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** Mean of the middle of the sorted samples: pauses such as garbage collection land in the tails. */
function trimmedMean(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * fraction);
  return mean(sorted.slice(cut, sorted.length - cut));
}

function standardError(samples: readonly number[]): number {
  if (samples.length < 2) return Number.NaN;
  const average = mean(samples);
  const variance = samples.reduce((sum, value) => sum + (value - average) ** 2, 0) / (samples.length - 1);
  return Math.sqrt(variance / samples.length);
}

function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The measurements

interface IngestFigures {
  ms: number;
  files: number;
  failed: number;
  skipped: number;
  chunks: number;
  entitiesAdded: number;
  relationsAdded: number;
  chunksPerSec: number;
  filesPerSec: number;
}

interface RescanFigures {
  ms: number;
  files: number;
  unchanged: number;
  usPerFile: number;
}

interface SearchFigures {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  zeroResultQueries: number;
  zeroResultMisses: number;
  misses: number;
}

/** Each step of a search's lists, timed alone over the same queries: where its time goes. */
/** Mean share of the exact plan's top results that the search returns: over all queries, and per kind. */
interface AgreementFigures {
  overall: number;
  byKind: Record<string, number>;
}

type ArmFigures = Record<ArmStep, { p50Ms: number; p95Ms: number; meanMs: number }>;

interface TelemetryFigures {
  calls: number;
  searchMeanMs: number;
  trackedMeanMs: number;
  /** Tracked minus untracked mean: building and queuing the record inside the call. */
  inCallUs: number;
  /** Standard error of that difference: how much of it is timing noise. */
  inCallStdErrUs: number;
  /** 10%-trimmed mean of the per-query differences: the same, without the pauses in the tails. */
  inCallTrimmedUs: number;
  flushMsTotal: number;
  flushUsPerCall: number;
  /** inCallUs + flushUsPerCall. */
  overheadUs: number;
  overheadPctOfSearch: number;
  /** inCallTrimmedUs + flushUsPerCall. */
  overheadTrimmedUs: number;
  overheadTrimmedPctOfSearch: number;
}

interface RecorderFigures {
  calls: number;
  ms: number;
  usPerCall: number;
  dropped: number;
}

interface SizeResult {
  targetChunks: number;
  /** HYDRAMEM_DENSE for this run. */
  dense: boolean;
  /** Reading the word vectors before the ingest (so it is not in the ingest's time); null with dense off. */
  embeddings: LoadFigures | null;
  vectorRows: number;
  notes: number;
  corpusBytes: number;
  generateMs: number;
  ingest: IngestFigures;
  rescan: RescanFigures;
  search: SearchFigures;
  arms: ArmFigures;
  agreement: AgreementFigures;
  /** The same searches for one user, after 20 users' private memories were added: the cost of scoping. */
  scopedSearch: SearchFigures;
  telemetry: TelemetryFigures;
  recorder: RecorderFigures;
  memory: { peakRssBytes: number; processMaxRssBytes: number };
  storage: { graphDbBytes: number; metricsDbBytes: number; graphBytesPerChunk: number };
}

function measureIngest(engine: Engine, dir: string, rss: RssSampler, label: string): IngestFigures {
  const started = performance.now();
  // A line every tenth of the way, so that a long run shows it is moving and how fast.
  const onProgress = (done: number, total: number): void => {
    if (done % RSS_SAMPLE_EVERY === 0) rss.sample();
    if (done % Math.max(1, Math.ceil(total / 10)) === 0 && done < total) {
      log(`[${label}]   ${int(done)}/${int(total)} notes in ${seconds(performance.now() - started)}`);
    }
  };
  const { value: summary, ms } = timed(() => engine.ingest(dir, { source: 'bench', recordUnchanged: false, onProgress }));
  if (summary.problems.length > 0) {
    const first = summary.problems[0];
    log(`  warning: ${summary.problems.length} note(s) not ingested, e.g. ${first?.path}: ${first?.reason}`);
  }
  return {
    ms,
    files: summary.files,
    failed: summary.failed,
    skipped: summary.skipped,
    chunks: summary.chunksAdded,
    entitiesAdded: summary.entitiesAdded,
    relationsAdded: summary.relationsAdded,
    chunksPerSec: summary.chunksAdded / (ms / 1000),
    filesPerSec: summary.files / (ms / 1000),
  };
}

/** A second ingest of the same, untouched folder: the cost of the watcher's periodic rescan. */
function measureRescan(engine: Engine, dir: string): RescanFigures {
  const { value: summary, ms } = timed(() => engine.ingest(dir, { source: 'bench', recordUnchanged: false }));
  return { ms, files: summary.files, unchanged: summary.unchanged, usPerFile: (ms * 1000) / Math.max(1, summary.files) };
}

function measureSearch(
  engine: Engine,
  queries: readonly BenchQuery[],
  rss: RssSampler,
  label: string,
  userId: string | null = null,
): SearchFigures {
  // Untimed searches first, so the timed ones do not pay for JIT compilation. The store's pages are
  // already in the OS cache: ingest has just written them.
  for (const query of queries.slice(0, WARMUP_QUERIES))
    engine.searcher.search(query.text, { limit: SEARCH_LIMIT, userId, memoryId: null });
  log(`[${label}] timing ${queries.length} searches${userId ? ` as ${userId}` : ''}`);
  const latencies: number[] = [];
  let zeroResultQueries = 0;
  let zeroResultMisses = 0;
  queries.forEach((query, i) => {
    const started = performance.now();
    const result = engine.searcher.search(query.text, { limit: SEARCH_LIMIT, userId, memoryId: null });
    latencies.push(performance.now() - started);
    if (result.results.length === 0) {
      zeroResultQueries += 1;
      if (query.kind === 'miss') zeroResultMisses += 1;
    }
    if (i % RSS_SAMPLE_EVERY === 0) rss.sample();
  });
  return {
    queries: queries.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    meanMs: mean(latencies),
    maxMs: Math.max(...latencies),
    zeroResultQueries,
    zeroResultMisses,
    misses: queries.filter((query) => query.kind === 'miss').length,
  };
}

const ARM_STEPS: readonly ArmStep[] = ['seeds', 'text', 'allTerms', 'graph', 'dense'];

/**
 * How far the large-store text plan (term-weights.ts) moves the answers: the share of each query's
 * results that a search ranking every matching chunk (the exact plan) also returns, by query kind.
 */
function measureAgreement(engine: Engine, queries: readonly BenchQuery[]): AgreementFigures {
  const exact = new GraphSearch(engine.graphDb, engine.config.project, engine.dense?.search ?? null, EXACT_TEXT_PLAN);
  const shares = new Map<QueryKind, number[]>();
  for (const query of queries) {
    const scope = { limit: SEARCH_LIMIT, userId: null, memoryId: null };
    const wanted = exact.search(query.text, scope).results.map((hit) => hit.chunkId);
    if (wanted.length === 0) continue;
    const got = new Set(engine.searcher.search(query.text, scope).results.map((hit) => hit.chunkId));
    const list = shares.get(query.kind) ?? [];
    list.push(wanted.filter((id) => got.has(id)).length / wanted.length);
    shares.set(query.kind, list);
  }
  const all = [...shares.values()].flat();
  return { overall: mean(all), byKind: Object.fromEntries([...shares].map(([kind, list]) => [kind, mean(list)])) };
}

function measureArms(engine: Engine, queries: readonly BenchQuery[]): ArmFigures {
  const samples = new Map<ArmStep, number[]>(ARM_STEPS.map((step) => [step, []]));
  for (const query of queries) {
    engine.searcher.arms(query.text, { userId: null, memoryId: null }, (step, ms) => samples.get(step)?.push(ms));
  }
  const figures = (list: readonly number[]) => ({ p50Ms: percentile(list, 50), p95Ms: percentile(list, 95), meanMs: mean(list) });
  return Object.fromEntries(ARM_STEPS.map((step) => [step, figures(samples.get(step) ?? [])])) as ArmFigures;
}

/** Private memories of 20 users (20 each), written with words of the queries, so scoped searches have private hits to sort out. */
function addPrivateMemories(engine: Engine, queries: readonly BenchQuery[], label: string): void {
  log(`[${label}] adding 400 private memories of 20 users`);
  for (let user = 0; user < 20; user++) {
    for (let index = 0; index < 20; index++) {
      const query = queries[(user * 20 + index) % queries.length];
      engine.remember(
        { text: `Note ${index} of user ${user}: ${query?.text ?? 'nothing'} came up again.`, userId: `bench-user-${user}` },
        'bench',
      );
    }
  }
}

/** As many tracked/untracked pairs as fit the time budget at this size's search speed, within bounds. */
function pairCount(searchMeanMs: number): number {
  const affordable = Math.floor(PAIR_BUDGET_MS / (2 * Math.max(searchMeanMs, 0.001)));
  return Math.max(MIN_PAIRS, Math.min(MAX_PAIRS, affordable));
}

/**
 * Runs queries both untracked (searcher.search) and tracked (engine.search), cycling through the
 * list and alternating which of the two goes first, so neither always gets the warmer cache. The
 * recorder batches, so the write itself happens in flush(): that is timed apart and spread over the
 * calls it wrote.
 */
function measureTelemetry(engine: Engine, queries: readonly BenchQuery[], pairs: number, label: string): TelemetryFigures {
  log(`[${label}] timing ${pairs} tracked/untracked search pairs`);
  const pure: number[] = [];
  const tracked: number[] = [];
  const differences: number[] = [];
  let flushMsTotal = 0;
  const timePure = (text: string): number =>
    elapsed(() => engine.searcher.search(text, { limit: SEARCH_LIMIT, userId: null, memoryId: null }));
  const timeTracked = (text: string): number =>
    elapsed(() => engine.search({ query: text, limit: SEARCH_LIMIT, tool: 'hydra_search_tool', sessionId: 'bench' }));
  engine.recorder.flush();
  for (let k = 0; k < pairs; k++) {
    const query = queries[k % queries.length];
    if (!query) throw new Error('no queries to time');
    const trackedFirst = (k + Math.floor(k / queries.length)) % 2 === 1;
    const first = trackedFirst ? timeTracked(query.text) : timePure(query.text);
    const second = trackedFirst ? timePure(query.text) : timeTracked(query.text);
    const [untrackedMs, trackedMs] = trackedFirst ? [second, first] : [first, second];
    pure.push(untrackedMs);
    tracked.push(trackedMs);
    differences.push(trackedMs - untrackedMs);
    // Flushed here, timed, before the recorder's own queue limit would flush inside a timed call.
    if ((k + 1) % FLUSH_EVERY === 0 || k === pairs - 1) flushMsTotal += elapsed(() => engine.recorder.flush());
  }
  const calls = tracked.length;
  const searchMeanMs = mean(pure);
  const trackedMeanMs = mean(tracked);
  const inCallUs = (trackedMeanMs - searchMeanMs) * 1000;
  const inCallTrimmedUs = trimmedMean(differences, 0.1) * 1000;
  const flushUsPerCall = (flushMsTotal * 1000) / calls;
  const overheadUs = inCallUs + flushUsPerCall;
  const overheadTrimmedUs = inCallTrimmedUs + flushUsPerCall;
  const searchUs = searchMeanMs * 1000;
  return {
    calls,
    searchMeanMs,
    trackedMeanMs,
    inCallUs,
    inCallStdErrUs: standardError(differences) * 1000,
    inCallTrimmedUs,
    flushMsTotal,
    flushUsPerCall,
    overheadUs,
    overheadPctOfSearch: (overheadUs / searchUs) * 100,
    overheadTrimmedUs,
    overheadTrimmedPctOfSearch: (overheadTrimmedUs / searchUs) * 100,
  };
}

/** A search call as engine.search records it, with the sizes of a typical result. */
function syntheticCall(i: number, base: number): CallRecord {
  const search = i % 4 !== 3;
  const chunkIds = Array.from({ length: SEARCH_LIMIT }, (_, k) => `chunk-${(i * 31 + k) % 100_000}`);
  return {
    at: new Date(base + i * 50),
    tool: search ? 'hydra_search_tool' : 'hydra_remember_tool',
    sessionId: `bench-${i % 16}`,
    latencyMs: 1 + (i % 97) / 10,
    tokensInjected: 1200 + (i % 400),
    tokensBaseline: 9000 + (i % 3000),
    chunksTotal: 40 + (i % 60),
    metadata: { entities: [`entity-${i % 500}`, `entity-${(i * 7) % 500}`], planner: 'bm25+graph' },
    error: null,
    query: search
      ? {
          userId: null,
          memoryId: null,
          query: `synthetic query ${i % 1000}`,
          resultCount: SEARCH_LIMIT,
          topScore: 0.03,
          chunkIds,
          entityIds: [`entity-${i % 500}`],
        }
      : undefined,
  };
}

function measureRecorder(engine: Engine): RecorderFigures {
  const base = Date.now();
  // Built beforehand, so the figure is the recorder's cost and not the cost of making test data.
  const records = Array.from({ length: RECORDER_CALLS }, (_, i) => syntheticCall(i, base));
  engine.recorder.flush();
  const droppedBefore = engine.recorder.dropped;
  const ms = elapsed(() => {
    for (const record of records) engine.recorder.recordCall(record);
    engine.recorder.flush();
  });
  return { calls: RECORDER_CALLS, ms, usPerCall: (ms * 1000) / RECORDER_CALLS, dropped: engine.recorder.dropped - droppedBefore };
}

// ---------------------------------------------------------------------------------------------
// One size, end to end

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function runSize(targetChunks: number, dense: boolean, keep: boolean): SizeResult {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hydramem-bench-'));
  const notesDir = path.join(root, 'notes');
  const dataDir = path.join(root, 'data');
  const rss = new RssSampler();
  const label = runLabel(targetChunks, dense);
  let engine: Engine | null = null;
  try {
    const corpus = buildCorpus(targetChunks, seededRng(SEED));
    log(`[${label}] writing ${corpus.notes.toLocaleString('en-US')} notes to ${notesDir}`);
    const written = writeCorpus(notesDir, corpus, seededRng(SEED + 1));
    const queries = buildQueries(corpus, seededRng(SEED + 2));
    const config = loadConfig({
      HYDRAMEM_DATA_DIR: dataDir,
      HYDRAMEM_PROJECT: 'bench',
      KNOWLEDGE_DIR: notesDir,
      HYDRAMEM_WATCH: '0',
      HYDRAMEM_DENSE: dense ? 'on' : 'off',
      ...(process.env.HYDRAMEM_CACHE_DIR ? { HYDRAMEM_CACHE_DIR: process.env.HYDRAMEM_CACHE_DIR } : {}),
    });
    engine = Engine.open(config, { command: 'bench' });
    const embeddings = dense ? loadWordVectors(config.cacheDir).figures : null;
    rss.sample();
    log(`[${label}] ingesting`);
    const ingest = measureIngest(engine, notesDir, rss, label);
    const rescan = measureRescan(engine, notesDir);
    const search = measureSearch(engine, queries, rss, label);
    const arms = measureArms(engine, queries);
    const agreement = measureAgreement(engine, queries);
    addPrivateMemories(engine, queries, label);
    const scopedSearch = measureSearch(engine, queries, rss, label, 'bench-user-7');
    const telemetry = measureTelemetry(engine, queries, pairCount(search.meanMs), label);
    log(`[${label}] recording ${int(RECORDER_CALLS)} synthetic calls`);
    const recorder = measureRecorder(engine);
    rss.sample();
    const vectorRows = dense ? (engine.graphDb.prepare('SELECT COUNT(*) AS n FROM chunk_vectors').get() as { n: number }).n : 0;
    // Closing checkpoints the WAL into the main file, so the sizes below are the stores' real sizes.
    engine.close();
    engine = null;
    const graphDbBytes = fileBytes(graphDbPath(config));
    return {
      targetChunks,
      dense,
      embeddings,
      vectorRows,
      notes: written.files,
      corpusBytes: written.bytes,
      generateMs: written.ms,
      ingest,
      rescan,
      search,
      arms,
      agreement,
      scopedSearch,
      telemetry,
      recorder,
      memory: { peakRssBytes: rss.peak, processMaxRssBytes: process.resourceUsage().maxRSS * 1024 },
      storage: {
        graphDbBytes,
        metricsDbBytes: fileBytes(metricsDbPath(config)),
        graphBytesPerChunk: graphDbBytes / Math.max(1, ingest.chunks),
      },
    };
  } finally {
    engine?.close();
    if (keep) log(`[${label}] kept the notes and stores in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const int = (value: number): string => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number): string => value.toFixed(digits);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function runLabel(chunks: number, dense: boolean): string {
  return `${sizeLabel(chunks)}, dense ${dense ? 'on' : 'off'}`;
}

function sizeLabel(chunks: number): string {
  if (chunks >= 1000 && chunks % 100 === 0) return `${chunks / 1000}k`;
  return String(chunks);
}

function printTable(result: SizeResult): void {
  const { ingest, rescan, search, telemetry, recorder, memory, storage } = result;
  const rows: [string, string][] = [
    ['notes generated', `${int(result.notes)} notes, ${mb(result.corpusBytes)} in ${seconds(result.generateMs)}`],
    ['ingest', `${int(ingest.chunks)} chunks from ${int(ingest.files)} files in ${seconds(ingest.ms)}`],
    ['  throughput', `${int(ingest.chunksPerSec)} chunks/s (${int(ingest.filesPerSec)} files/s)`],
    ['  graph added', `${int(ingest.entitiesAdded)} entities, ${int(ingest.relationsAdded)} relations`],
    ['  not ingested', `${ingest.failed} failed, ${ingest.skipped} skipped`],
    [
      'rescan (unchanged)',
      `${int(rescan.unchanged)}/${int(rescan.files)} files in ${fixed(rescan.ms, 1)} ms (${fixed(rescan.usPerFile, 1)} µs/file)`,
    ],
    ['search p50 / p95', `${fixed(search.p50Ms, 2)} / ${fixed(search.p95Ms, 2)} ms`],
    [
      'search p50 / p95 as one user',
      `${fixed(result.scopedSearch.p50Ms, 2)} / ${fixed(result.scopedSearch.p95Ms, 2)} ms (${fixed(result.scopedSearch.p50Ms / Math.max(search.p50Ms, 0.001), 2)}× unscoped p50)`,
    ],
    ...ARM_STEPS.map((step): [string, string] => [
      `  ${step}`,
      `p50 ${fixed(result.arms[step].p50Ms, 2)} / p95 ${fixed(result.arms[step].p95Ms, 2)} / mean ${fixed(result.arms[step].meanMs, 2)} ms`,
    ]),
    [
      'same results as exact text',
      `${fixed(result.agreement.overall * 100, 1)}% of the top ${SEARCH_LIMIT} (${Object.entries(result.agreement.byKind)
        .map(([kind, share]) => `${kind} ${fixed(share * 100, 0)}%`)
        .join(', ')})`,
    ],
    ['search mean / max', `${fixed(search.meanMs, 2)} / ${fixed(search.maxMs, 2)} ms over ${search.queries} queries`],
    ['  zero results', `${search.zeroResultQueries} queries (${search.zeroResultMisses} of ${search.misses} planned misses)`],
    [
      'tracked search mean',
      `${fixed(telemetry.trackedMeanMs, 3)} ms vs ${fixed(telemetry.searchMeanMs, 3)} ms untracked (${telemetry.calls} pairs)`,
    ],
    [
      'telemetry in call',
      `${fixed(telemetry.inCallUs, 1)} ± ${fixed(telemetry.inCallStdErrUs, 1)} µs (mean difference ± s.e.` +
        // Within two standard errors of zero, the difference cannot be told apart from timing noise.
        `${Math.abs(telemetry.inCallUs) < 2 * telemetry.inCallStdErrUs ? ', within noise' : ''}; ` +
        `10%-trimmed ${fixed(telemetry.inCallTrimmedUs, 1)} µs)`,
    ],
    ['telemetry flush', `${fixed(telemetry.flushUsPerCall, 1)} µs/call (${fixed(telemetry.flushMsTotal, 1)} ms in total)`],
    [
      'telemetry overhead',
      `${fixed(telemetry.overheadUs, 1)} µs/call = ${fixed(telemetry.overheadPctOfSearch, 2)}% of search time ` +
        `(trimmed: ${fixed(telemetry.overheadTrimmedUs, 1)} µs/call = ${fixed(telemetry.overheadTrimmedPctOfSearch, 2)}%)`,
    ],
    [
      'recorder raw',
      `${int(recorder.calls)} calls in ${fixed(recorder.ms, 1)} ms = ${fixed(recorder.usPerCall, 2)} µs/call` +
        (recorder.dropped > 0 ? ` (${recorder.dropped} dropped)` : ''),
    ],
    ['peak RSS (sampled)', `${mb(memory.peakRssBytes)} (process high-water mark ${mb(memory.processMaxRssBytes)})`],
    [
      'graph.db',
      `${mb(storage.graphDbBytes)} (${int(storage.graphBytesPerChunk)} bytes/chunk); metrics.db ${mb(storage.metricsDbBytes)}`,
    ],
    ['chunk vectors', result.dense ? `${int(result.vectorRows)} rows` : 'none (dense off)'],
  ];
  if (result.embeddings) {
    const { ms, rssBytes, words, fromCache } = result.embeddings;
    rows.push([
      'word vectors load',
      `${seconds(ms)}, +${mb(rssBytes)} RSS, ${int(words)} words (${fromCache ? 'packed copy in the cache directory' : 'parsed from the package'})`,
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n== writer bench: ${runLabel(result.targetChunks, result.dense)} (target ${int(result.targetChunks)} chunks) ==`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

interface Ratio {
  name: string;
  value: number;
}

function ratios(small: SizeResult, large: SizeResult): Ratio[] {
  const ratio = (name: string, pickFigure: (result: SizeResult) => number): Ratio => ({
    name,
    value: pickFigure(large) / pickFigure(small),
  });
  return [
    ratio('chunks ingested', (r) => r.ingest.chunks),
    ratio('chunks/s', (r) => r.ingest.chunksPerSec),
    ratio('rescan µs/file', (r) => r.rescan.usPerFile),
    ratio('search p50', (r) => r.search.p50Ms),
    ratio('search p95', (r) => r.search.p95Ms),
    ratio('telemetry overhead µs/call', (r) => r.telemetry.overheadUs),
    ratio('telemetry overhead µs/call (trimmed)', (r) => r.telemetry.overheadTrimmedUs),
    ratio('recorder µs/call', (r) => r.recorder.usPerCall),
    ratio('peak RSS', (r) => r.memory.peakRssBytes),
    ratio('graph.db size', (r) => r.storage.graphDbBytes),
    ratio('graph.db bytes/chunk', (r) => r.storage.graphBytesPerChunk),
  ];
}

/** The dense arm's cost at one size: the run with it on against the run with it off. */
function printDenseCost(off: SizeResult, on: SizeResult): void {
  const perChunk = (r: SizeResult): number => r.storage.graphBytesPerChunk;
  console.log(`\n== dense arm at ${sizeLabel(on.targetChunks)}: on vs off ==`);
  const rows: [string, string][] = [
    [
      'ingest chunks/s',
      `${int(on.ingest.chunksPerSec)} vs ${int(off.ingest.chunksPerSec)} (${fixed((on.ingest.chunksPerSec / off.ingest.chunksPerSec - 1) * 100, 1)}%)`,
    ],
    ['search p50', `${fixed(on.search.p50Ms, 2)} vs ${fixed(off.search.p50Ms, 2)} ms`],
    ['search p95', `${fixed(on.search.p95Ms, 2)} vs ${fixed(off.search.p95Ms, 2)} ms`],
    ['search p95 as one user', `${fixed(on.scopedSearch.p95Ms, 2)} vs ${fixed(off.scopedSearch.p95Ms, 2)} ms`],
    [
      'graph.db bytes/chunk',
      `${int(perChunk(on))} vs ${int(perChunk(off))} (vectors: +${int(perChunk(on) - perChunk(off))} bytes/chunk)`,
    ],
    ['peak RSS', `${mb(on.memory.peakRssBytes)} vs ${mb(off.memory.peakRssBytes)}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

function printSummary(small: SizeResult, large: SizeResult, list: readonly Ratio[]): void {
  const [a, b] = [runLabel(large.targetChunks, large.dense), runLabel(small.targetChunks, small.dense)];
  console.log(`\n== summary: ${a} vs ${b} ==`);
  const width = Math.max(...list.map((item) => item.name.length));
  for (const item of list) console.log(`  ${item.name.padEnd(width)}  at ${a} ÷ at ${b} = ${fixed(item.value, 2)}`);
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** A bad command line: reported in one line, without a stack trace. */
class UsageError extends Error {}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k?)$/i.exec(text.trim());
  const value = match ? Number(match[1]) * (match[2] ? 1000 : 1) : Number.NaN;
  if (!Number.isFinite(value) || value < 100) throw new UsageError(`--sizes: "${text}" is not a chunk count of at least 100`);
  return Math.round(value);
}

function parseDense(text: string | undefined): boolean[] {
  if (text === 'both') return [false, true];
  if (text === 'on' || text === 'off') return [text === 'on'];
  throw new UsageError(`--dense: "${text ?? ''}" is not one of off, on, both`);
}

function parseArgs(argv: readonly string[]): { sizes: number[]; modes: boolean[]; keep: boolean } {
  let sizes = DEFAULT_SIZES;
  let modes = [false, true];
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--sizes' || arg.startsWith('--sizes=')) {
      const value = arg === '--sizes' ? argv[++i] : arg.slice('--sizes='.length);
      if (!value) throw new UsageError('--sizes needs a list, e.g. --sizes 2000,10000');
      sizes = value.split(',').map(parseSize);
    } else if (arg === '--dense' || arg.startsWith('--dense=')) {
      modes = parseDense(arg === '--dense' ? argv[++i] : arg.slice('--dense='.length));
    } else if (arg === '--keep') {
      keep = true;
    } else {
      throw new UsageError(
        `unknown argument "${arg}"; usage: writer.bench.ts [--sizes 10000,100000] [--dense off|on|both] [--keep]`,
      );
    }
  }
  return { sizes: [...sizes].sort((a, b) => a - b), modes, keep };
}

function writeResults(results: readonly SizeResult[], list: readonly Ratio[]): void {
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const report = {
    bench: 'writer',
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    seed: SEED,
    queries: QUERY_COUNT,
    searchLimit: SEARCH_LIMIT,
    sizes: results,
    ratios: Object.fromEntries(list.map((item) => [item.name, item.value])),
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

function main(): void {
  const { sizes, modes, keep } = parseArgs(process.argv.slice(2));
  const results: SizeResult[] = [];
  for (const size of sizes) {
    for (const dense of modes) {
      const result = runSize(size, dense, keep);
      printTable(result);
      results.push(result);
    }
    const [off, on] = [false, true].map((dense) => results.find((r) => r.targetChunks === size && r.dense === dense));
    if (off && on) printDenseCost(off, on);
  }
  // The ratios between sizes, for the last mode run (dense on by default).
  const lastMode = modes[modes.length - 1];
  const ofMode = results.filter((r) => r.dense === lastMode);
  const small = ofMode[0];
  const large = ofMode[ofMode.length - 1];
  const list = small && large && small !== large ? ratios(small, large) : [];
  if (small && large && list.length > 0) printSummary(small, large, list);
  writeResults(results, list);
}

try {
  main();
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`writer bench: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`writer bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
